/**
 * Byte-level reading and writing of Avro's primitive encodings (Avro 1.11 spec, "Binary
 * Encoding"):
 *
 *   int, long   zig-zag, then base-128 varint, least significant group first
 *               (int: at most 5 bytes, long: at most 10)
 *   float       4 bytes IEEE 754, little-endian; double: 8 bytes
 *   bytes       long length, then the bytes; string: the same, UTF-8
 *   boolean     one byte, 0 or 1
 *
 * Every read is bounds-checked: running off the end, an over-long varint or a negative or
 * too large length is a DataInvalid error whose context names the `offset` where the
 * offending value starts. `base` shifts reported offsets so that errors inside a block of
 * an uncompressed container name the offset in the file.
 */
import { dataInvalid, type ErrorContext, type StreamhouseError } from "../errors.js";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** The values of the 128 one-byte zig-zag varints (byte 2k → k, byte 2k+1 → -k-1). */
const ONE_BYTE_LONGS: readonly bigint[] = Array.from({ length: 128 }, (_, b) => BigInt(b % 2 === 0 ? b / 2 : -(b + 1) / 2));

export class AvroReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  /** Added to `pos` in error offsets. */
  base = 0;
  /** Extra context for errors (e.g. the container block offset when data was decompressed). */
  context: ErrorContext = {};
  /**
   * When set, bytes and fixed values are views of `buf` instead of copies. Only for a `buf`
   * the caller will never write to again (the container sets it on a private copy of each
   * block), since the decoded values then share its memory and keep it alive.
   */
  viewBytes = false;
  private view: DataView | undefined;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  fail(message: string, at: number = this.pos): StreamhouseError {
    return dataInvalid(message, { ...this.context, offset: this.base + at });
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  readInt(): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= this.end) throw this.fail("truncated int", start);
      const b = buf[pos++]!;
      if (shift === 28) {
        if (b > 0x0f) throw this.fail("int varint too long", start);
        n |= b << 28;
        break;
      }
      n |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return (n >>> 1) ^ -(n & 1);
  }

  /**
   * Longs come back as bigint. A one-byte varint (-64..63: counts, ids, zeros) is looked up,
   * allocation-free: decoded manifests keep every long alive, so each saved BigInt is also
   * garbage-collection work saved. Longer ones gather their first 7 groups (49 bits — every
   * timestamp, size and sequence number in practice) as a number, and only the rest in BigInt.
   */
  readLong(): bigint {
    const buf = this.buf;
    const start = this.pos;
    if (start < this.end) {
      const b = buf[start]!;
      if (b < 0x80) {
        this.pos = start + 1;
        return ONE_BYTE_LONGS[b]!;
      }
    }
    let pos = start;
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= this.end) throw this.fail("truncated long", start);
      const b = buf[pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        // n < 2^49: exact as a double; un-zig-zag without 32-bit operators.
        return BigInt(n % 2 === 0 ? n / 2 : -(n + 1) / 2);
      }
      mul *= 128;
    }
    let u = BigInt(n);
    for (let shift = 49n; ; shift += 7n) {
      if (pos >= this.end) throw this.fail("truncated long", start);
      const b = buf[pos++]!;
      if (shift === 63n && b > 1) throw this.fail("long varint too long", start);
      u |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return (u >> 1n) ^ -(u & 1n);
  }

  /**
   * A long used as a length, count or union index, as a number without BigInt cost.
   * Values beyond ±2^48 (more than 7 varint groups) cannot be sane sizes: reported as
   * absurd instead of decoded.
   */
  readSmallLong(what: string): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= this.end) throw this.fail(`truncated ${what}`, start);
      const b = buf[pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      }
      mul *= 128;
    }
    throw this.fail(`absurd ${what}`, start);
  }

  /** A length or count that must fit in the bytes left; negative is reported, not returned. */
  readLength(what: string): number {
    const start = this.pos;
    const n = this.readSmallLong(what);
    if (n < 0) throw this.fail(`negative ${what} ${n}`, start);
    if (n > this.end - this.pos) throw this.fail(`${what} ${n} exceeds the ${this.end - this.pos} bytes left`, start);
    return n;
  }

  /** Array/map block count, which may be negative (then a byte size follows). */
  readBlockCount(): number {
    const start = this.pos;
    const n = this.readSmallLong("block count");
    if (n < -0x7fffffff || n > 0x7fffffff) throw this.fail(`absurd block count ${n}`, start);
    return n;
  }

  readBoolean(): boolean {
    if (this.pos >= this.end) throw this.fail("truncated boolean");
    const b = this.buf[this.pos]!;
    if (b > 1) throw this.fail(`invalid boolean byte ${b}`);
    this.pos++;
    return b === 1;
  }

  private dataView(): DataView {
    if (this.view === undefined) this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }

  readFloat(): number {
    if (this.end - this.pos < 4) throw this.fail("truncated float");
    const v = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readDouble(): number {
    if (this.end - this.pos < 8) throw this.fail("truncated double");
    const v = this.dataView().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * A copy, unless `viewBytes` is set: then a view of `buf`, which saves one ArrayBuffer
   * allocation per value — most of a manifest decode's garbage-collection cost.
   */
  readFixed(size: number): Uint8Array {
    if (this.end - this.pos < size) throw this.fail(`truncated: need ${size} bytes, ${this.end - this.pos} left`);
    const from = this.pos;
    this.pos = from + size;
    return this.viewBytes ? this.buf.subarray(from, from + size) : this.buf.slice(from, from + size);
  }

  readBytes(): Uint8Array {
    return this.readFixed(this.readLength("bytes length"));
  }

  readString(): string {
    const start = this.pos;
    const len = this.readLength("string length");
    const from = this.pos;
    this.pos = from + len;
    // TextDecoder costs ~100 ns a call whatever the length; below ~12 bytes, appending
    // ASCII characters one by one is faster (and V8 keeps such short strings flat).
    if (len < 12) {
      const buf = this.buf;
      let s = "";
      for (let i = from; i < from + len; i++) {
        const b = buf[i]!;
        if (b >= 0x80) return this.decodeUtf8(from, len, start);
        s += String.fromCharCode(b);
      }
      return s;
    }
    return this.decodeUtf8(from, len, start);
  }

  private decodeUtf8(from: number, len: number, start: number): string {
    try {
      return utf8Decoder.decode(this.buf.subarray(from, from + len));
    } catch {
      throw this.fail("string is not valid UTF-8", start);
    }
  }

  skip(n: number): void {
    if (n < 0 || this.end - this.pos < n) throw this.fail(`truncated: cannot skip ${n} bytes, ${this.end - this.pos} left`);
    this.pos += n;
  }
}

/** A growable output buffer. */
export class AvroWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The bytes written so far (a view; copy before reusing the writer). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  writeInt(v: number): void {
    this.ensure(5);
    let n = ((v << 1) ^ (v >> 31)) >>> 0;
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  writeLong(v: bigint): void {
    this.ensure(10);
    if (v > -0x10000000000000n && v < 0x10000000000000n) {
      // |v| < 2^52, so the zig-zag value < 2^53 stays exact as a double.
      const x = Number(v);
      let n = x >= 0 ? x * 2 : -x * 2 - 1;
      while (n > 0x7f) {
        this.buf[this.pos++] = (n % 128) | 0x80;
        n = Math.floor(n / 128);
      }
      this.buf[this.pos++] = n;
      return;
    }
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  /** A non-negative length or count (a safe integer): zig-zag is then just ×2, no BigInt needed. */
  writeLength(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    let z = n * 2;
    while (z > 0x7f) {
      buf[p++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    buf[p++] = z;
    this.pos = p;
  }

  writeBoolean(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  writeFloat(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  writeDouble(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  writeFixed(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  writeBytes(b: Uint8Array): void {
    this.writeLength(b.length);
    this.writeFixed(b);
  }

  writeString(s: string): void {
    const len = s.length;
    let ascii = len <= 256;
    if (ascii) {
      for (let i = 0; i < len; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
    }
    if (ascii) {
      this.writeLength(len);
      this.ensure(len);
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < len; i++) buf[p++] = s.charCodeAt(i);
      this.pos = p;
      return;
    }
    this.writeBytes(utf8Encoder.encode(s));
  }
}
