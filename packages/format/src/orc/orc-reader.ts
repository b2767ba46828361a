/**
 * Reads a whole ORC file into generic records (enough for Paimon's ORC manifest
 * and manifest-list files, and any ORC file of the same shape).
 *
 * File layout, read from the end:
 *
 *   "ORC" | stripe 0 | stripe 1 | ... | metadata | footer | postscript | psLen
 *    3 B                                 (stats)  (codec)   (plain)     1 B
 *
 * psLen is the PostScript's length; the PostScript gives the footer's and the
 * metadata's stored lengths and the codec; the footer lists stripes and types.
 * A stripe is [index streams | data streams | stripe footer]; the stripe
 * footer lists every stream (kind, column, stored length) in file order,
 * starting at the stripe's offset, and each column's encoding.
 *
 * Every length from the file is checked against the bytes actually there
 * before use, and every failure is a StreamhouseError with the file and the
 * file offset of the section or stream being decoded.
 */
import { dataInvalid, ErrorKind, StreamhouseError, withErrorContext } from "../errors.js";
import { type OrcColumnSource, readColumn } from "./orc-column.js";
import { checkCodecSupported, decompressOrc, type OrcCodec } from "./orc-compression.js";
import {
  type OrcColumnEncoding,
  type OrcFooter,
  type OrcPostScript,
  type OrcStripeFooter,
  type OrcStripeInformation,
  parseFooter,
  parsePostScript,
  parseStripeFooter,
} from "./orc-metadata.js";
import { type OrcType, orcTypeTree } from "./orc-type.js";

export interface OrcFile {
  readonly schema: OrcType;
  readonly rows: Record<string, unknown>[];
}

/** The tail of an ORC file: everything needed to find and decode its stripes. */
export interface OrcTail {
  readonly postScript: OrcPostScript;
  readonly footer: OrcFooter;
  readonly schema: OrcType;
}

const MAGIC = [0x4f, 0x52, 0x43]; // "ORC"
const HEADER_BYTES = MAGIC.length;

/**
 * The largest compression block we accept. Java writers default to 256 KiB; the
 * bound keeps a corrupt PostScript from sizing buffers in gigabytes.
 */
const BLOCK_SIZE_MAX = 64 * 1024 * 1024;

/** More rows than a JS array holds cannot be returned as one array of records. */
const ROWS_MAX = 2 ** 32 - 1;

export function readOrcFile(bytes: Uint8Array, fileName = "<orc>"): OrcFile {
  const tail = readOrcTail(bytes, fileName);
  const codec: OrcCodec = { kind: tail.postScript.compression, blockSize: tail.postScript.compressionBlockSize };
  const rows: Record<string, unknown>[] = [];
  tail.footer.stripes.forEach((stripe, index) => {
    const stripeRows = readStripe(bytes, fileName, codec, tail, stripe, index);
    for (const r of stripeRows) rows.push(r);
  });
  return { schema: tail.schema, rows };
}

export function readOrcTail(bytes: Uint8Array, file = "<orc>"): OrcTail {
  if (bytes.length < HEADER_BYTES + 1 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw dataInvalid("not an ORC file: missing the ORC magic", { file, offset: 0 });
  }
  const psLen = bytes[bytes.length - 1]!;
  const psStart = bytes.length - 1 - psLen;
  if (psLen === 0 || psStart < HEADER_BYTES) {
    throw dataInvalid(`ORC postscript length ${psLen} does not fit the file`, { file, offset: bytes.length - 1 });
  }
  const postScript = withErrorContext({ file, offset: psStart, section: "postscript" }, () =>
    parsePostScript(bytes.subarray(psStart, bytes.length - 1)),
  );
  const at = { file, offset: psStart };
  if (postScript.magic !== undefined && postScript.magic !== "ORC") {
    throw dataInvalid(`ORC postscript magic is "${postScript.magic}"`, at);
  }
  if (postScript.version.length > 0 && postScript.version[0] !== 0) {
    throw new StreamhouseError(ErrorKind.Unsupported, `ORC file version ${postScript.version.join(".")}`, { context: at });
  }
  checkCodecSupported(postScript.compression, at);
  const blockSize = postScript.compressionBlockSize;
  if (blockSize < 1 || blockSize > BLOCK_SIZE_MAX) throw dataInvalid(`ORC compression block size ${blockSize}`, at);

  const footerStart = psStart - postScript.footerLength;
  if (postScript.footerLength === 0 || footerStart - postScript.metadataLength < HEADER_BYTES) {
    throw dataInvalid(`ORC footer (${postScript.footerLength} B) and metadata (${postScript.metadataLength} B) do not fit the file`, at);
  }
  const codec: OrcCodec = { kind: postScript.compression, blockSize };
  const footer = readSection(bytes, file, footerStart, postScript.footerLength, codec, "footer", parseFooter);
  if (footer.encrypted) {
    throw new StreamhouseError(ErrorKind.Unsupported, "ORC column encryption is not supported", {
      context: { file, offset: footerStart },
    });
  }
  const schema = withErrorContext({ file, offset: footerStart, section: "footer" }, () => orcTypeTree(footer.types));
  if (schema.kind !== "struct") {
    throw new StreamhouseError(ErrorKind.Unsupported, `ORC root type ${schema.kind}: only struct rows are supported`, {
      context: { file, offset: footerStart },
    });
  }
  checkStripes(footer, file, footerStart - postScript.metadataLength);
  return { postScript, footer, schema };
}

/** Stripes must lie, in order and without overlap, between the header and the metadata. */
function checkStripes(footer: OrcFooter, file: string, contentEnd: number): void {
  let next = HEADER_BYTES;
  let rows = 0;
  footer.stripes.forEach((s, stripe) => {
    const length = s.indexLength + s.dataLength + s.footerLength;
    if (s.offset < next || s.footerLength === 0 || length > contentEnd - s.offset) {
      throw dataInvalid(`ORC stripe ${stripe} (${length} B at ${s.offset}) lies outside the file body`, { file, offset: s.offset });
    }
    next = s.offset + length;
    rows += s.numberOfRows;
  });
  if (rows !== footer.numberOfRows) {
    throw dataInvalid(`ORC stripes hold ${rows} rows but the footer says ${footer.numberOfRows}`, { file, offset: contentEnd });
  }
  if (rows > ROWS_MAX) {
    throw new StreamhouseError(ErrorKind.Unsupported, `ORC file of ${rows} rows`, { context: { file, offset: contentEnd } });
  }
}

/** Decompresses then parses one stored section, reporting failures at their file offset. */
function readSection<T>(
  bytes: Uint8Array,
  file: string,
  offset: number,
  length: number,
  codec: OrcCodec,
  section: string,
  parse: (plain: Uint8Array) => T,
): T {
  const plain = decompressAt(bytes.subarray(offset, offset + length), codec, { file, offset, section });
  return withErrorContext({ file, offset, section }, () => parse(plain));
}

/** Decompression errors carry `position` within the stored bytes: report it as a file offset. */
function decompressAt(stored: Uint8Array, codec: OrcCodec, where: { file: string; offset: number; section: string }): Uint8Array {
  try {
    return decompressOrc(stored, codec);
  } catch (e) {
    const position = e instanceof StreamhouseError && typeof e.context["position"] === "number" ? e.context["position"] : 0;
    const context = { ...where, offset: where.offset + position };
    if (e instanceof StreamhouseError) throw new StreamhouseError(e.kind, e.reason, { context, cause: e.cause });
    throw dataInvalid(e instanceof Error ? e.message : String(e), context, e);
  }
}

interface StreamLocation {
  readonly offset: number;
  readonly length: number;
}

const STREAM_NAMES = ["PRESENT", "DATA", "LENGTH", "DICTIONARY_DATA", "DICTIONARY_COUNT", "SECONDARY", "ROW_INDEX"];

function readStripe(
  bytes: Uint8Array,
  file: string,
  codec: OrcCodec,
  tail: OrcTail,
  info: OrcStripeInformation,
  stripe: number,
): Record<string, unknown>[] {
  const footerOffset = info.offset + info.indexLength + info.dataLength;
  const sf: OrcStripeFooter = readSection(bytes, file, footerOffset, info.footerLength, codec, `stripe ${stripe} footer`, parseStripeFooter);
  const where = { file, offset: footerOffset, stripe };
  if (sf.encrypted) throw new StreamhouseError(ErrorKind.Unsupported, "ORC column encryption is not supported", { context: where });
  const columnCount = tail.footer.types.length;
  if (sf.columns.length < columnCount) {
    throw dataInvalid(`ORC stripe footer has ${sf.columns.length} column encodings for ${columnCount} columns`, where);
  }

  // Streams are laid out back to back from the stripe's start, in footer order.
  const streams = new Map<string, StreamLocation>();
  let at = info.offset;
  for (const s of sf.streams) {
    if (s.length > footerOffset - at) {
      throw dataInvalid(`ORC stream ${streamName(s.kind)} of column ${s.column} runs past its stripe`, { file, offset: at, stripe });
    }
    const key = `${s.column}:${s.kind}`;
    if (streams.has(key)) throw dataInvalid(`duplicate ORC stream ${streamName(s.kind)} for column ${s.column}`, { file, offset: at, stripe });
    streams.set(key, { offset: at, length: s.length });
    at += s.length;
  }

  const source: OrcColumnSource = {
    writerTimezone: sf.writerTimezone,
    encoding(column: number): OrcColumnEncoding {
      return sf.columns[column]!;
    },
    optional<T>(column: number, kind: number, decode: (plain: Uint8Array) => T): T | undefined {
      const loc = streams.get(`${column}:${kind}`);
      if (loc === undefined) return undefined;
      const context = { file, offset: loc.offset, stripe, column, stream: streamName(kind) };
      const plain = decompressAt(bytes.subarray(loc.offset, loc.offset + loc.length), codec, { ...context, section: "stream" });
      return withErrorContext(context, () => decode(plain));
    },
    required<T>(column: number, kind: number, decode: (plain: Uint8Array) => T): T {
      const found = source.optional(column, kind, decode);
      if (found !== undefined || streams.has(`${column}:${kind}`)) return found as T;
      try {
        return decode(new Uint8Array(0));
      } catch (e) {
        throw dataInvalid(`ORC stream ${streamName(kind)} of column ${column} is missing`, { ...where, column }, e);
      }
    },
  };
  const rows = withErrorContext(where, () => readColumn(source, tail.schema, info.numberOfRows));
  // Writers never mark a top-level row null; a PRESENT stream on the root that does is corrupt.
  if (rows.includes(null)) throw dataInvalid("ORC root struct has null rows", where);
  return rows as Record<string, unknown>[];
}

function streamName(kind: number): string {
  return STREAM_NAMES[kind] ?? `#${kind}`;
}
