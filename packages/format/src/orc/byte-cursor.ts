/**
 * A bounds-checked read position over a byte range, shared by the protobuf
 * decoder and the ORC run-length decoders.
 *
 * Every read checks the range first and fails with DataInvalid naming the
 * position, so a truncated or corrupt input can never surface as a RangeError,
 * an `undefined` read past the end, or a loop that does not terminate.
 * `position` in errors is relative to the start of `bytes` (a decompressed
 * stream or a metadata section); the ORC reader adds the file and the file
 * offset of that stream around it.
 */
import { dataInvalid, type StreamhouseError } from "../errors.js";

/** The longest varint of a 64-bit value: 10 groups of 7 bits. */
const VARINT64_BYTES_MAX = 10;

export class ByteCursor {
  readonly bytes: Uint8Array;
  readonly end: number;
  pos: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, position = this.pos): StreamhouseError {
    return dataInvalid(message, { position });
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n < 0 || n > this.end - this.pos) {
      throw this.fail(`${what}: needs ${n} bytes but only ${this.end - this.pos} remain`);
    }
  }

  u8(): number {
    if (this.pos >= this.end) throw this.fail("unexpected end of data");
    return this.bytes[this.pos++]!;
  }

  /** Throws if bytes remain: a stream must end where its last value ends. */
  expectEnd(what: string): void {
    if (this.pos < this.end) throw this.fail(`${what} has ${this.end - this.pos} bytes after its last value`);
  }

  /** A view of the next `n` bytes (no copy); advances past them. */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * Base-128 varint, little-endian groups of 7 bits, high bit = "more follows",
   * as an unsigned 64-bit value. More than 10 bytes, or bits beyond 64, is corrupt.
   */
  varint64(): bigint {
    const start = this.pos;
    // Fast path: up to 4 bytes (28 bits) fit a small integer exactly.
    let small = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      small |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return BigInt(small >>> 0);
    }
    let value = BigInt(small >>> 0);
    for (let i = 4; i < VARINT64_BYTES_MAX; i++) {
      const b = this.u8();
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffff_ffff_ffff_ffffn) throw this.fail("varint exceeds 64 bits", start);
        return value;
      }
    }
    throw this.fail("varint longer than 10 bytes", start);
  }

  /** A varint that must fit a non-negative safe integer (lengths, counts, ids). */
  varintNumber(what: string): number {
    const start = this.pos;
    const v = this.varint64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`${what} too large: ${v}`, start);
    return Number(v);
  }

  /** Zigzag-decoded signed 64-bit varint: 0,1,2,3,... → 0,-1,1,-2,... */
  zigzag64(): bigint {
    return unzigzag64(this.varint64());
  }
}

/**
 * Fails unless `bytes` could hold `count` values at `valuesPerByte` at most: the
 * run-length decoders call this before allocating, so a corrupt count cannot
 * make them allocate or loop far beyond what the stream describes.
 */
export function checkCountFits(count: number, bytes: Uint8Array, valuesPerByte: number, what: string): void {
  if (count > bytes.length * valuesPerByte) {
    throw dataInvalid(`${what} stream of ${bytes.length} bytes cannot hold ${count} values`, { position: 0 });
  }
}

/** Undoes zigzag on an unsigned 64-bit value, giving a signed 64-bit value. */
export function unzigzag64(u: bigint): bigint {
  return (u >> 1n) ^ -(u & 1n);
}
