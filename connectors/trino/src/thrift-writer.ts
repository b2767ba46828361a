/**
 * A growable buffer that writes Thrift's binary protocol (TBinaryProtocol, strict
 * framing not needed inside a message): big-endian integers, a field header as its
 * type byte plus the field id as i16, a list as element type plus i32 size, binary as
 * i32 length plus bytes, a struct as its fields then a STOP byte.
 *
 * The generated code writes a list element by element through the runtime (an
 * allocation per value); pages of rows are written here instead, in bulk.
 */
export const TType = {
  STOP: 0,
  BOOL: 2,
  DOUBLE: 4,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
} as const;

export class ThriftWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  fieldBegin(type: number, id: number): void {
    this.ensure(3);
    this.buf[this.pos] = type;
    this.buf.writeInt16BE(id, this.pos + 1);
    this.pos += 3;
  }

  stop(): void {
    this.ensure(1);
    this.buf[this.pos++] = TType.STOP;
  }

  listBegin(elementType: number, size: number): void {
    this.ensure(5);
    this.buf[this.pos] = elementType;
    this.buf.writeInt32BE(size, this.pos + 1);
    this.pos += 5;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  /** An i64 given as a safe integer number (no bigint allocation). */
  i64n(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * 4294967296, this.pos + 4);
    this.pos += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  binary(bytes: Uint8Array): void {
    this.ensure(4 + bytes.length);
    this.buf.writeInt32BE(bytes.length, this.pos);
    this.buf.set(bytes, this.pos + 4);
    this.pos += 4 + bytes.length;
  }

  /** The UTF-8 bytes of `texts` back to back (`total` of them: the caller measured). */
  utf8Strings(texts: readonly string[], total: number): void {
    this.ensure(total);
    for (const t of texts) if (t.length > 0) this.pos += this.buf.write(t, this.pos, "utf8");
  }

  /**
   * `bytes` (native-order words of `wordBytes` = 4 or 8 bytes) copied in and turned
   * big-endian in place: a whole typed array per call instead of a write per value.
   */
  wordsBE(bytes: Uint8Array, wordBytes: 4 | 8): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    const region = this.buf.subarray(this.pos, this.pos + bytes.length);
    if (wordBytes === 4) region.swap32();
    else region.swap64();
    this.pos += bytes.length;
  }

  /** Room for `n` bytes written by the caller at the returned offset of `buffer`. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  /** A list<bool> of `n` values, each from `get(i)`. */
  boolList(n: number, get: (i: number) => boolean): void {
    this.listBegin(TType.BOOL, n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.pos + i] = get(i) ? 1 : 0;
    this.pos += n;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
