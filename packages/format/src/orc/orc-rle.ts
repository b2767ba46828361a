/**
 * ORC's byte, boolean and version-1 integer run-length encodings.
 *
 * Every decoder here decodes a whole stream into exactly `count` values, the
 * number the enclosing column says the stream holds. The stream must end
 * exactly where the last value ends, and no run may reach past `count`: Java's
 * ORC writer flushes runs per stripe, so either mismatch means the counts or
 * the bytes are corrupt, and stopping there is better than returning values
 * shifted by one. Each loop iteration consumes at least one byte and produces
 * at least one value, so decoding is bounded by both.
 *
 * Byte RLE: control byte c (as signed int8)
 *   c in [0, 127]   a run: c + 3 copies of the next byte
 *   c in [-128, -1] literals: -c bytes follow verbatim
 * Boolean RLE: byte RLE over bytes whose bits are values, most significant bit first.
 * Integer RLE v1: control byte c
 *   c in [0, 127]   a run of c + 3 values: int8 delta, then varint base;
 *                   value i = base + i * delta
 *   c in [-128, -1] -c varint literals
 *   Varints are zigzag-encoded when the column is signed.
 */
import { ByteCursor, checkCountFits, unzigzag64 } from "./byte-cursor.js";
import { decodeIntRleV2 } from "./orc-rle-v2.js";

const MIN_REPEAT = 3;

/**
 * The most values a stream of n bytes can hold, per encoding: a 2-byte byte-RLE
 * run yields at most 130 bytes; a 3-byte v1 integer run at most 130 values;
 * literals yield fewer per byte than runs. Checking the expected count against
 * these before allocating keeps a corrupt count (say a list length of 2^40)
 * from allocating or looping far beyond what the stream could describe.
 */
const BYTE_RLE_VALUES_PER_BYTE = 65;
const INT_RLE_V1_VALUES_PER_BYTE = 44;

export function decodeByteRle(bytes: Uint8Array, count: number): Uint8Array {
  checkCountFits(count, bytes, BYTE_RLE_VALUES_PER_BYTE, "byte RLE");
  const out = new Uint8Array(count);
  const c = new ByteCursor(bytes);
  let n = 0;
  while (n < count) {
    const at = c.pos;
    const control = c.u8();
    if (control < 0x80) {
      const run = control + MIN_REPEAT;
      if (run > count - n) throw c.fail(`byte run of ${run} overruns the ${count - n} values left`, at);
      out.fill(c.u8(), n, n + run);
      n += run;
    } else {
      const literals = 0x100 - control;
      if (literals > count - n) throw c.fail(`${literals} byte literals overrun the ${count - n} values left`, at);
      out.set(c.take(literals, "byte literals"), n);
      n += literals;
    }
  }
  c.expectEnd("byte RLE");
  return out;
}

/** Returns one byte per value: 1 = true. Trailing bits of the last byte are padding. */
export function decodeBooleanRle(bytes: Uint8Array, count: number): Uint8Array {
  const packed = decodeByteRle(bytes, Math.ceil(count / 8));
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (packed[i >>> 3]! >>> (7 - (i & 7))) & 1;
  return out;
}

export function decodeIntRleV1(bytes: Uint8Array, count: number, signed: boolean): BigInt64Array {
  checkCountFits(count, bytes, INT_RLE_V1_VALUES_PER_BYTE, "integer RLE v1");
  // BigInt64Array stores modulo 2^64, giving Java's long wrap-around for runs and
  // reinterpreting unsigned values above 2^63 as the negative longs Java sees.
  const out = new BigInt64Array(count);
  const c = new ByteCursor(bytes);
  let n = 0;
  while (n < count) {
    const at = c.pos;
    const control = c.u8();
    if (control < 0x80) {
      const run = control + MIN_REPEAT;
      if (run > count - n) throw c.fail(`integer run of ${run} overruns the ${count - n} values left`, at);
      const deltaByte = c.u8();
      const delta = BigInt(deltaByte < 0x80 ? deltaByte : deltaByte - 0x100);
      const base = signed ? c.zigzag64() : c.varint64();
      for (let i = 0; i < run; i++) out[n++] = base + BigInt(i) * delta;
    } else {
      const literals = 0x100 - control;
      if (literals > count - n) throw c.fail(`${literals} integer literals overrun the ${count - n} values left`, at);
      for (let i = 0; i < literals; i++) {
        const u = c.varint64();
        out[n++] = signed ? unzigzag64(u) : u;
      }
    }
  }
  c.expectEnd("integer RLE v1");
  return out;
}

/** Integer RLE of the version the column encoding names (DIRECT/DICTIONARY → 1, *_V2 → 2). */
export function decodeIntRle(bytes: Uint8Array, count: number, signed: boolean, version: 1 | 2): BigInt64Array {
  return version === 1 ? decodeIntRleV1(bytes, count, signed) : decodeIntRleV2(bytes, count, signed);
}
