/**
 * ORC integer run-length encoding, version 2.
 *
 * A stream is a sequence of runs; the top two bits of a run's first byte pick
 * the sub-encoding. Bit fields below are listed most significant first; packed
 * values are big-endian bit strings (value i occupies bits [i*W, (i+1)*W) of the
 * payload, counted from the most significant bit of its first byte), padded
 * with zeros to a whole byte at the end of each run.
 *
 * SHORT_REPEAT (0): 1 header byte [2 type | 3 width-1 in bytes | 3 count-3],
 *   then the value as width big-endian bytes. count in 3..10.
 * DIRECT (1): 2 header bytes [2 type | 5 width code | 9 length-1], then length
 *   values of W bits.
 * PATCHED_BASE (2): 4 header bytes [2 type | 5 width code | 9 length-1 |
 *   3 base bytes-1 | 5 patch width code | 3 patch gap width-1 | 5 patch count],
 *   then the base (sign-magnitude: top bit set means negative), length values of
 *   W bits, and the patch list: entries of (gap << patchWidth | patch), each
 *   packed in the closest "fixed" width >= gapWidth + patchWidth. A gap counts
 *   positions since the previous patch; a 255 gap with a zero patch only carries
 *   the gap forward. Value i = base + (data[i] | patch << W).
 * DELTA (3): 2 header bytes [2 type | 5 width code (0 = fixed delta) |
 *   9 length-1], a varint first value (zigzag if signed), a zigzag varint delta
 *   base, then for W > 0 length-2 unsigned W-bit deltas, added after the second
 *   value when the delta base is >= 0 and subtracted when it is negative.
 *
 * Signed streams zigzag-encode the values of SHORT_REPEAT and DIRECT only;
 * PATCHED_BASE carries its own sign in the base, DELTA in the first value.
 * All arithmetic is modulo 2^64 like Java's long: BigInt64Array does the wrap.
 */
import { ByteCursor, checkCountFits, unzigzag64 } from "./byte-cursor.js";

/** The densest run: DELTA with a fixed delta, 512 values in 4 bytes (2 header, 1 base, 1 delta). */
const VALUES_PER_BYTE_MAX = 128;

const Encoding = { ShortRepeat: 0, Direct: 1, PatchedBase: 2, Delta: 3 } as const;

/** The 5-bit width code → bit width table; codes 0..23 mean code + 1 bits. */
const WIDTH_FROM_CODE_ABOVE_23 = [26, 28, 30, 32, 40, 48, 56, 64];

export function decodeBitWidth(code: number): number {
  return code < 24 ? code + 1 : WIDTH_FROM_CODE_ABOVE_23[code - 24]!;
}

/** The smallest width the writer's bit packer uses that holds `bits` bits. */
export function closestFixedBits(bits: number): number {
  if (bits <= 1) return 1;
  if (bits <= 24) return bits;
  if (bits <= 32) return bits + (bits & 1);
  return Math.ceil(bits / 8) * 8;
}

export function decodeIntRleV2(bytes: Uint8Array, count: number, signed: boolean): BigInt64Array {
  checkCountFits(count, bytes, VALUES_PER_BYTE_MAX, "integer RLE v2");
  const out = new BigInt64Array(count);
  const c = new ByteCursor(bytes);
  let n = 0;
  // Each run consumes at least one byte and yields at least one value.
  while (n < count) {
    const at = c.pos;
    const first = c.u8();
    const encoding = first >>> 6;
    if (encoding === Encoding.ShortRepeat) {
      const width = ((first >>> 3) & 7) + 1;
      const run = (first & 7) + 3;
      checkRun(c, run, count - n, at);
      const u = bigEndian(c.take(width, "short repeat value"));
      out.fill(signed ? unzigzag64(u) : u, n, n + run);
      n += run;
      continue;
    }
    const length = (((first & 1) << 8) | c.u8()) + 1;
    checkRun(c, length, count - n, at);
    const code = (first >>> 1) & 0x1f;
    if (encoding === Encoding.Direct) {
      const values = unpack(c, length, decodeBitWidth(code));
      for (let i = 0; i < length; i++) out[n++] = signed ? unzigzag64(values[i]!) : values[i]!;
    } else if (encoding === Encoding.PatchedBase) {
      n = patchedBase(c, out, n, length, decodeBitWidth(code), at);
    } else {
      n = delta(c, out, n, length, code === 0 ? 0 : decodeBitWidth(code), signed, at);
    }
  }
  c.expectEnd("integer RLE v2");
  return out;
}

function patchedBase(c: ByteCursor, out: BigInt64Array, n: number, length: number, width: number, at: number): number {
  const b2 = c.u8();
  const b3 = c.u8();
  const baseBytes = ((b2 >>> 5) & 7) + 1;
  const patchWidth = decodeBitWidth(b2 & 0x1f);
  const gapWidth = ((b3 >>> 5) & 7) + 1;
  const patchCount = b3 & 0x1f;
  if (gapWidth + patchWidth > 64) throw c.fail(`patch gap ${gapWidth} + patch ${patchWidth} bits exceed 64`, at);
  if (width + patchWidth > 64) throw c.fail(`value ${width} + patch ${patchWidth} bits exceed 64`, at);

  const rawBase = bigEndian(c.take(baseBytes, "patched base value"));
  const signBit = 1n << BigInt(baseBytes * 8 - 1);
  const base = (rawBase & signBit) === 0n ? rawBase : -(rawBase & (signBit - 1n));
  const data = unpack(c, length, width);
  const patches = unpack(c, patchCount, closestFixedBits(gapWidth + patchWidth));

  const patchShift = BigInt(patchWidth);
  const patchMask = (1n << patchShift) - 1n;
  const valueShift = BigInt(width);
  // Apply patches: positions are cumulative gaps; (255, 0) entries only extend the gap.
  let position = 0;
  for (let p = 0; p < patchCount; p++) {
    const gap = Number(patches[p]! >> patchShift);
    const patch = patches[p]! & patchMask;
    position += gap;
    if (gap === 255 && patch === 0n) continue;
    if (position >= length) throw c.fail(`patch at position ${position} beyond the run of ${length}`, at);
    data[position] = data[position]! | (patch << valueShift);
  }
  for (let i = 0; i < length; i++) out[n++] = base + data[i]!;
  return n;
}

function delta(
  c: ByteCursor,
  out: BigInt64Array,
  n: number,
  length: number,
  width: number,
  signed: boolean,
  at: number,
): number {
  const firstValue = signed ? c.zigzag64() : c.varint64();
  const deltaBase = c.zigzag64();
  out[n] = firstValue;
  if (width === 0) {
    // Fixed delta: value i = first + i * deltaBase.
    for (let i = 1; i < length; i++) out[n + i] = out[n + i - 1]! + deltaBase;
    return n + length;
  }
  if (length < 2) throw c.fail("delta run with packed deltas must hold at least 2 values", at);
  out[n + 1] = firstValue + deltaBase;
  const deltas = unpack(c, length - 2, width);
  const decreasing = deltaBase < 0n;
  for (let i = 2; i < length; i++) {
    const d = deltas[i - 2]!;
    out[n + i] = decreasing ? out[n + i - 1]! - d : out[n + i - 1]! + d;
  }
  return n + length;
}

function checkRun(c: ByteCursor, run: number, left: number, at: number): void {
  if (run > left) throw c.fail(`integer run of ${run} overruns the ${left} values left`, at);
}

function bigEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Reads `count` unsigned values of `width` bits (1..64), big-endian bit-packed, byte-padded at the end. */
function unpack(c: ByteCursor, count: number, width: number): BigUint64Array {
  const bytes = c.take(Math.ceil((count * width) / 8), `${count} packed values of ${width} bits`);
  const out = new BigUint64Array(count);
  let bit = 0;
  for (let i = 0; i < count; i++) {
    if (width <= 32) {
      out[i] = BigInt(readBits(bytes, bit, width));
    } else {
      const high = readBits(bytes, bit, width - 32);
      const low = readBits(bytes, bit + width - 32, 32);
      out[i] = (BigInt(high) << 32n) | BigInt(low);
    }
    bit += width;
  }
  return out;
}

/** `width` (<= 32) bits starting at bit `bit`, as an exact non-negative number. */
function readBits(bytes: Uint8Array, bit: number, width: number): number {
  let v = 0;
  let left = width;
  while (left > 0) {
    const byte = bytes[bit >>> 3]!;
    const avail = 8 - (bit & 7);
    const take = Math.min(avail, left);
    const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
    v = v * (1 << take) + bits;
    left -= take;
    bit += take;
  }
  return v;
}
