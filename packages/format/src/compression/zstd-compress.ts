/**
 * A synchronous zstd compressor (RFC 8878) comparable in spirit to `zstd -1`: greedy
 * hash matching, Huffman literals, FSE-coded sequences with per-block fitted tables.
 *
 * Frame layout written (RFC 8878 §3.1.1):
 *   magic            28 B5 2F FD
 *   descriptor       bits 7-6 Frame_Content_Size flag, bit 5 Single_Segment, no checksum,
 *                    no dictionary
 *   window byte      only when not single-segment: exponent (windowLog - 10) << 3
 *   content size     1, 2 (stored as size - 256), 4 or 8 bytes little-endian
 *   blocks           3-byte little-endian header: bit 0 Last_Block, bits 1-2 type
 *                    (0 Raw, 1 RLE, 2 Compressed), bits 3-23 size; then the content
 *
 * Inputs up to WINDOW_SIZE are one segment: the decoder's window is the content size, so
 * matches may reach back to the first byte. Larger inputs declare a WINDOW_SIZE window,
 * which every decoder accepts (the reference limits windows to 128 MiB by default).
 *
 * Each block is encoded and then kept only if smaller than the input block; otherwise it
 * is stored Raw, as the reference compressor does, and the repeat-offset history is
 * rolled back because the decoder never sees the discarded sequences. A block of one
 * repeated byte is an RLE block. Output is a pure function of the input.
 */
import { ByteSink } from "./bit-writer.js";
import { writeLiteralsSection } from "./zstd-literals.js";
import { MatchFinder } from "./zstd-match-finder.js";
import { RepeatOffsets, SequenceStore, writeSequencesSection } from "./zstd-sequences.js";

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
export const ZSTD_MAX_BLOCK_SIZE = 128 * 1024;
const WINDOW_LOG = 20;
const WINDOW_SIZE = 1 << WINDOW_LOG;
const BLOCK_RAW = 0;
const BLOCK_RLE = 1;
const BLOCK_COMPRESSED = 2;

export function zstdCompressFrame(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new ByteSink(Math.min(n, 1 << 20) + 32);
  out.append(Uint8Array.from(MAGIC));
  writeFrameHeader(out, n);
  if (n === 0) {
    writeBlockHeader(out, true, BLOCK_RAW, 0);
    return out.toBytes();
  }

  const finder = new MatchFinder(src, WINDOW_SIZE);
  const reps = new RepeatOffsets();
  const literals = new Uint8Array(Math.min(n, ZSTD_MAX_BLOCK_SIZE));
  const seqs = new SequenceStore(Math.ceil(Math.min(n, ZSTD_MAX_BLOCK_SIZE) / 3) + 1);
  const body = new ByteSink(Math.min(n, ZSTD_MAX_BLOCK_SIZE) + 64);
  for (let start = 0; start < n; start += ZSTD_MAX_BLOCK_SIZE) {
    const end = Math.min(n, start + ZSTD_MAX_BLOCK_SIZE);
    const isLast = end === n;
    const size = end - start;
    if (isOneByte(src, start, end)) {
      writeBlockHeader(out, isLast, BLOCK_RLE, size);
      out.byte(src[start]!);
      continue;
    }
    const before = reps.snapshot();
    seqs.count = 0;
    body.length = 0;
    const litCount = finder.findSequences(start, end, seqs, literals, reps);
    writeLiteralsSection(body, literals.subarray(0, litCount));
    writeSequencesSection(body, seqs);
    if (body.length < size) {
      writeBlockHeader(out, isLast, BLOCK_COMPRESSED, body.length);
      out.append(body.bytes.subarray(0, body.length));
    } else {
      reps.restore(before);
      writeBlockHeader(out, isLast, BLOCK_RAW, size);
      out.append(src.subarray(start, end));
    }
  }
  return out.toBytes();
}

function writeFrameHeader(out: ByteSink, n: number): void {
  const singleSegment = n <= WINDOW_SIZE;
  let fcsFlag: number;
  let fcsBytes: number;
  // Single-segment frames always carry a content size (flag 0 then means 1 byte).
  if (singleSegment && n < 256) [fcsFlag, fcsBytes] = [0, 1];
  else if (n >= 256 && n < 65536 + 256) [fcsFlag, fcsBytes] = [1, 2];
  else if (n <= 0xffffffff) [fcsFlag, fcsBytes] = [2, 4];
  else [fcsFlag, fcsBytes] = [3, 8];
  out.byte((fcsFlag << 6) | (singleSegment ? 0x20 : 0));
  if (!singleSegment) out.byte((WINDOW_LOG - 10) << 3);
  const fcs = fcsFlag === 1 ? n - 256 : n;
  if (fcsBytes === 8) {
    out.uintLE(fcs, 6);
    out.uintLE(0, 2);
  } else out.uintLE(fcs, fcsBytes);
}

function writeBlockHeader(out: ByteSink, last: boolean, type: number, size: number): void {
  if (size > ZSTD_MAX_BLOCK_SIZE) throw new Error(`zstd: block of ${size} bytes exceeds ${ZSTD_MAX_BLOCK_SIZE}`);
  out.uintLE((last ? 1 : 0) | (type << 1) | (size << 3), 3);
}

function isOneByte(src: Uint8Array, start: number, end: number): boolean {
  const b = src[start];
  for (let i = start + 1; i < end; i++) if (src[i] !== b) return false;
  return true;
}
