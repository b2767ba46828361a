/**
 * Raw snappy block format (google/snappy `format_description.txt`), no framing:
 *
 *   varint   uncompressed length (little-endian base-128, at most 5 bytes, < 2^32)
 *   elements until the output is full; the low 2 bits of each tag byte select:
 *     00 literal   length-1 in the upper 6 bits; 60..63 mean 1..4 little-endian
 *                  length bytes follow; then the literal bytes
 *     01 copy      length 4..11 = ((tag>>2)&7)+4, offset 11 bits = (tag>>5)<<8 | next byte
 *     10 copy      length 1..64 = (tag>>2)+1, offset = 2 bytes little-endian
 *     11 copy      length 1..64, offset = 4 bytes little-endian
 *   A copy may overlap its own output (offset < length repeats a pattern).
 *
 * The compressor is a greedy hash matcher over 64 KiB fragments, as the reference does:
 * offsets never reach back past the start of the current fragment. It aims at being small
 * and correct, not at matching the reference's ratio.
 */
import { dataInvalid } from "../errors.js";

const FRAGMENT = 1 << 16;
const HASH_BITS = 14;
const MIN_MATCH = 4;

export function snappyUncompressedLength(src: Uint8Array): number {
  let n = 0;
  for (let i = 0, shift = 0; i < 5; i++, shift += 7) {
    if (i >= src.length) throw dataInvalid("snappy: truncated length preamble", { offset: i });
    const b = src[i]!;
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return n;
  }
  throw dataInvalid("snappy: length preamble too long", { offset: 0 });
}

export function snappyDecompress(src: Uint8Array, maxLength = 0x7fffffff): Uint8Array {
  const len = snappyUncompressedLength(src);
  if (len > maxLength) throw dataInvalid(`snappy: uncompressed length ${len} exceeds the limit ${maxLength}`, { offset: 0 });
  let ip = 0;
  while (src[ip]! >= 0x80) ip++;
  ip++;
  const out = new Uint8Array(len);
  let op = 0;
  while (ip < src.length) {
    const tagAt = ip;
    const tag = src[ip++]!;
    const type = tag & 3;
    if (type === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        if (ip + extra > src.length) throw dataInvalid("snappy: truncated literal length", { offset: tagAt });
        n = 0;
        for (let i = 0; i < extra; i++) n += src[ip++]! * 2 ** (8 * i);
      }
      n += 1;
      if (ip + n > src.length) throw dataInvalid("snappy: literal runs past the input", { offset: tagAt });
      if (op + n > len) throw dataInvalid("snappy: literal overflows the declared length", { offset: tagAt });
      out.set(src.subarray(ip, ip + n), op);
      ip += n;
      op += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (type === 1) {
      if (ip + 1 > src.length) throw dataInvalid("snappy: truncated copy", { offset: tagAt });
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[ip++]!;
    } else if (type === 2) {
      if (ip + 2 > src.length) throw dataInvalid("snappy: truncated copy", { offset: tagAt });
      n = (tag >>> 2) + 1;
      offset = src[ip]! | (src[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > src.length) throw dataInvalid("snappy: truncated copy", { offset: tagAt });
      n = (tag >>> 2) + 1;
      offset = (src[ip]! | (src[ip + 1]! << 8) | (src[ip + 2]! << 16) | (src[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op) throw dataInvalid(`snappy: copy offset ${offset} outside the output`, { offset: tagAt });
    if (op + n > len) throw dataInvalid("snappy: copy overflows the declared length", { offset: tagAt });
    for (let i = 0; i < n; i++, op++) out[op] = out[op - offset]!;
  }
  if (op !== len) throw dataInvalid(`snappy: produced ${op} bytes, expected ${len}`, { offset: src.length });
  return out;
}

/** Appends literal bytes src[from, to). */
function emitLiteral(out: number[], src: Uint8Array, from: number, to: number): void {
  const n = to - from - 1;
  if (n < 60) out.push(n << 2);
  else if (n < 0x100) out.push(60 << 2, n);
  else if (n < 0x10000) out.push(61 << 2, n & 0xff, n >>> 8);
  else out.push(62 << 2, n & 0xff, (n >>> 8) & 0xff, n >>> 16);
  for (let i = from; i < to; i++) out.push(src[i]!);
}

/** Appends copies for a match; offsets < 65536 within a fragment, so 2-byte forms suffice. */
function emitCopy(out: number[], offset: number, length: number): void {
  while (length > 0) {
    // Keep a tail of at least 4 so the last piece is still a legal copy-1 candidate.
    let n = length > 64 ? (length - 64 < 4 ? 60 : 64) : length;
    if (n >= 4 && n <= 11 && offset < 2048) {
      out.push(((offset >>> 8) << 5) | ((n - 4) << 2) | 1, offset & 0xff);
    } else {
      n = Math.min(n, 64);
      out.push(((n - 1) << 2) | 2, offset & 0xff, offset >>> 8);
    }
    length -= n;
  }
}

function load32(src: Uint8Array, i: number): number {
  return (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> 0;
}

export function snappyCompress(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = src.length;
  do {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n > 0 ? b | 0x80 : b);
  } while (n > 0);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < src.length; start += FRAGMENT) {
    const end = Math.min(start + FRAGMENT, src.length);
    table.fill(-1);
    let lit = start;
    let i = start;
    while (i + MIN_MATCH <= end) {
      const v = load32(src, i);
      const h = Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
      const cand = table[h]!;
      table[h] = i;
      if (cand >= start && load32(src, cand) === v) {
        let len = MIN_MATCH;
        while (i + len < end && src[cand + len] === src[i + len]) len++;
        if (lit < i) emitLiteral(out, src, lit, i);
        emitCopy(out, i - cand, len);
        i += len;
        lit = i;
      } else {
        i++;
      }
    }
    if (lit < end) emitLiteral(out, src, lit, end);
  }
  return Uint8Array.from(out);
}
