/**
 * ORC's generic compression framing.
 *
 * With a codec other than NONE, every stream and every metadata section
 * (footer, stripe footers — never the PostScript) is a sequence of chunks:
 *
 *   +--------+--------+--------+------------------------+
 *   | h0     | h1     | h2     | `length` bytes          |
 *   +--------+--------+--------+------------------------+
 *   h = h0 | h1 << 8 | h2 << 16   (little-endian, 24 bits)
 *   length = h >>> 1,  isOriginal = h & 1
 *
 * An original chunk holds its bytes uncompressed (the writer does this when
 * compressing would not shrink them); otherwise they are one codec frame
 * (ZLIB = raw deflate without zlib header, ZSTD = a zstd frame). Every chunk
 * decompresses to at most the PostScript's compressionBlockSize, which is what
 * bounds memory on corrupt input. With NONE, streams are stored bare.
 */
import { inflateSync } from "fflate";
import { decompress as zstdDecompress } from "fzstd";
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";

/** PostScript.compression values (orc_proto.proto CompressionKind). */
export const OrcCompressionKind = { None: 0, Zlib: 1, Snappy: 2, Lzo: 3, Lz4: 4, Zstd: 5 } as const;
export type OrcCompressionKind = (typeof OrcCompressionKind)[keyof typeof OrcCompressionKind];

const KIND_NAMES = ["NONE", "ZLIB", "SNAPPY", "LZO", "LZ4", "ZSTD"];

export function orcCompressionName(kind: number): string {
  return KIND_NAMES[kind] ?? `#${kind}`;
}

export interface OrcCodec {
  readonly kind: number;
  /** Upper bound of one decompressed chunk, from the PostScript. */
  readonly blockSize: number;
}

const CHUNK_HEADER_BYTES = 3;

/**
 * A zstd window is the buffer the decompressor allocates before it has seen any
 * data. ORC compresses at most one block per frame, so legitimate windows are
 * small; a larger declared window means a corrupt header, and refusing it keeps
 * a flipped bit from allocating gigabytes.
 */
const ZSTD_WINDOW_BYTES_MAX = 32 * 1024 * 1024;

/** Fails with Unsupported for codecs we do not implement; called once per file. */
export function checkCodecSupported(kind: number, context: { file: string }): void {
  if (kind === OrcCompressionKind.None || kind === OrcCompressionKind.Zlib || kind === OrcCompressionKind.Zstd) return;
  if (kind >= 0 && kind < KIND_NAMES.length) {
    throw new StreamhouseError(ErrorKind.Unsupported, `ORC compression ${orcCompressionName(kind)} is not supported`, {
      context,
    });
  }
  throw dataInvalid(`unknown ORC compression kind ${kind}`, context);
}

/**
 * Returns the logical bytes of one stream or section. With NONE this is the
 * input itself (no copy). Errors carry `position`, the chunk's offset within
 * `stored`.
 */
export function decompressOrc(stored: Uint8Array, codec: OrcCodec): Uint8Array {
  if (codec.kind === OrcCompressionKind.None) return stored;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  // Each iteration consumes at least the 3 header bytes, so the loop is bounded by stored.length / 3.
  while (pos < stored.length) {
    if (stored.length - pos < CHUNK_HEADER_BYTES) {
      throw dataInvalid("truncated ORC compression chunk header", { position: pos });
    }
    const header = stored[pos]! | (stored[pos + 1]! << 8) | (stored[pos + 2]! << 16);
    const length = header >>> 1;
    const isOriginal = (header & 1) === 1;
    const bodyStart = pos + CHUNK_HEADER_BYTES;
    if (length > stored.length - bodyStart) {
      throw dataInvalid(`ORC compression chunk of ${length} bytes runs past the end of its stream`, { position: pos });
    }
    const body = stored.subarray(bodyStart, bodyStart + length);
    const chunk = isOriginal ? body : inflateChunk(body, codec, pos);
    if (chunk.length > codec.blockSize) {
      throw dataInvalid(`ORC chunk decompresses to ${chunk.length} bytes, above the block size ${codec.blockSize}`, {
        position: pos,
      });
    }
    chunks.push(chunk);
    total += chunk.length;
    pos = bodyStart + length;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function inflateChunk(body: Uint8Array, codec: OrcCodec, position: number): Uint8Array {
  try {
    if (codec.kind === OrcCompressionKind.Zlib) {
      // One byte more than allowed: fflate truncates silently to the buffer, so
      // a result that fills it means the chunk was too large.
      const out = inflateSync(body, { out: new Uint8Array(codec.blockSize + 1) });
      return out;
    }
    if (codec.kind === OrcCompressionKind.Zstd) {
      checkZstdFrameHeader(body, codec.blockSize, position);
      return zstdDecompress(body);
    }
  } catch (e) {
    if (e instanceof StreamhouseError) throw e;
    throw dataInvalid(`corrupt ${orcCompressionName(codec.kind)} chunk: ${e instanceof Error ? e.message : String(e)}`, { position }, e);
  }
  throw dataInvalid(`ORC compression ${orcCompressionName(codec.kind)} cannot be decoded`, { position });
}

/**
 * Reads the zstd frame header (RFC 8878 §3.1.1) just far enough to know how much
 * the decompressor will allocate, and refuses sizes no ORC chunk can have:
 *   magic 28 B5 2F FD, descriptor byte (bits 7-6 content-size flag, bit 5 single
 *   segment, bits 1-0 dictionary-id flag), [window byte unless single segment],
 *   [dictionary id 0/1/2/4 bytes], [content size 0/1/2/4/8 bytes, LE; the 2-byte
 *   form is offset by 256].
 */
function checkZstdFrameHeader(body: Uint8Array, blockSize: number, position: number): void {
  if (body.length < 6 || body[0] !== 0x28 || body[1] !== 0xb5 || body[2] !== 0x2f || body[3] !== 0xfd) {
    throw dataInvalid("ORC ZSTD chunk does not start with a zstd frame", { position });
  }
  const descriptor = body[4]!;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor & 0x20) !== 0;
  const dictFlag = descriptor & 3;
  let at = 5;
  let windowBytes = 0;
  if (!singleSegment) {
    const w = body[at++]!;
    const base = 2 ** (10 + (w >> 3));
    windowBytes = base + (base / 8) * (w & 7);
  }
  at += dictFlag === 3 ? 4 : dictFlag;
  const sizeBytes = sizeFlag === 0 ? (singleSegment ? 1 : 0) : 1 << sizeFlag;
  if (at + sizeBytes > body.length) throw dataInvalid("truncated zstd frame header", { position });
  if (sizeBytes > 0) {
    let contentSize = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + body[at + i]!;
    if (sizeBytes === 2) contentSize += 256;
    if (contentSize > blockSize) {
      throw dataInvalid(`zstd frame declares ${contentSize} bytes, above the ORC block size ${blockSize}`, { position });
    }
  }
  if (windowBytes > ZSTD_WINDOW_BYTES_MAX) {
    throw dataInvalid(`zstd frame window of ${windowBytes} bytes is implausible for an ORC chunk`, { position });
  }
}
