/**
 * The bit sink behind zstd's entropy-coded streams (RFC 8878 §4.1, "Bitstreams").
 *
 * zstd writes bits forward, least significant bit first, into little-endian bytes, and the
 * decoder reads them BACKWARD from the last byte: the field written last is read first.
 * So every encoder feeding this writer emits its symbols in the reverse of decoding order.
 * A stream ends with a single 1 bit (the end mark) followed by zero padding to a byte
 * boundary; the decoder finds the end by the highest set bit of the final byte, so the
 * final byte is never zero.
 *
 * Also the plain growable byte buffer the block encoder assembles sections in.
 */

/** A growable byte buffer; `length` bytes of `bytes` are valid. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
    const grown = new Uint8Array(cap);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b & 0xff;
  }

  /** Little-endian, `n` ≤ 6 bytes (values below 2^48 are exact in a double). */
  uintLE(value: number, n: number): void {
    this.ensure(n);
    for (let i = 0; i < n; i++) {
      this.bytes[this.length++] = value % 256;
      value = Math.floor(value / 256);
    }
  }

  append(src: Uint8Array): void {
    this.ensure(src.length);
    this.bytes.set(src, this.length);
    this.length += src.length;
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Forward LSB-first bit writer into a ByteSink. Invariant between calls: fewer than 8
 * bits are pending in `acc`, so one `bits` call of up to 24 bits never needs more than
 * 32 accumulator bits.
 */
export class BitWriter {
  private acc = 0;
  private pending = 0;

  constructor(readonly sink: ByteSink) {}

  /** Appends the low `n` bits of `value` (0 ≤ n ≤ 24; higher bits of `value` must be 0). */
  bits(value: number, n: number): void {
    this.acc |= value << this.pending;
    this.pending += n;
    if (this.pending >= 8) {
      const sink = this.sink;
      sink.ensure(4);
      const b = sink.bytes;
      do {
        b[sink.length++] = this.acc & 0xff;
        this.acc >>>= 8;
        this.pending -= 8;
      } while (this.pending >= 8);
    }
  }

  /** Pads with zero bits to a byte boundary (for forward-read fields such as FSE descriptions). */
  align(): void {
    if (this.pending > 0) this.bits(0, 8 - this.pending);
  }

  /** Writes the end mark and pads to a byte; the stream must not be written to after. */
  finish(): void {
    this.bits(1, 1);
    if (this.pending > 0) this.bits(0, 8 - this.pending);
  }
}
