/**
 * Writes BinaryRow, BinaryArray and BinaryMap sections into one growable buffer, byte for
 * byte as Java's `BinaryRowWriter`/`BinaryArrayWriter` (via `AbstractBinaryWriter`, Paimon
 * 2.0.0) lay them out. Layouts: see binary-row-layout.ts and binary-array.ts.
 *
 * Java builds each nested value in its own buffer and copies it into the parent's
 * variable part. We write the nested section directly at the parent's cursor instead:
 * offsets inside a section are relative to the section's first byte, so the bytes are
 * identical and no intermediate buffer is needed. Invariant: `end` is the cursor of the
 * innermost section being written; everything in [sectionStart, end) is final, and every
 * region is zeroed when it is claimed, so stale bytes from a previous row never leak.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";
import type { Decimal, Row, Timestamp, Value, Variant } from "../types/values.js";
import { arrayFixedBytes, arrayHeaderSize } from "./binary-array.js";
import { HEADER_SIZE_IN_BITS, MAX_INLINE_BYTES, roundToWord } from "./binary-row-layout.js";
import { type FieldPlan, FieldKind, type RowPlan } from "./field-plan.js";

const TWO_POW_32 = 4294967296;
const encoder = new TextEncoder();

export class BinarySectionWriter {
  buf: Uint8Array;
  view: DataView;
  /** Cursor: the first byte not yet written. */
  end = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes after `end` (may replace `buf` and `view`). */
  ensure(n: number): void {
    const need = this.end + n;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.end));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Reserves `n` zeroed bytes at the cursor and returns where they start. */
  claim(n: number): number {
    this.ensure(n);
    const at = this.end;
    this.buf.fill(0, at, at + n);
    this.end = at + n;
    return at;
  }

  /** Writes a row at the cursor; returns its size in bytes (a multiple of 8). */
  /**
   * Java leaves two byte forms of a null non-compact DECIMAL/TIMESTAMP field: its
   * serializers' null setters reserve the value's variable-part bytes and point the
   * slot at them (key projections, hence bucket hashing, take this path), while
   * `BinaryRowWriter.setNullAt` only zeroes the slot (older stats rows show it).
   * Readers accept both; `reserveNullVariableParts` picks which one we write.
   */
  reserveNullVariableParts = true;

  writeRow(plan: RowPlan, row: Row, rowKind: number): number {
    if (!Array.isArray(row) || row.length !== plan.arity) {
      throw mismatch(`row has ${Array.isArray(row) ? row.length : typeof row} fields, schema has ${plan.arity}`);
    }
    const base = this.claim(plan.fixedSize);
    this.buf[base] = rowKind;
    const fields = plan.fields;
    let slot = base + plan.nullBitsWidth;
    for (let i = 0; i < fields.length; i++, slot += 8) {
      const f = fields[i] as FieldPlan;
      const v = row[i];
      if (v === null || v === undefined) {
        const bit = i + HEADER_SIZE_IN_BITS;
        this.buf[base + (bit >>> 3)]! |= 1 << (bit & 7);
        if (this.reserveNullVariableParts) {
          if (f.kind === FieldKind.DECIMAL) this.setPointer(slot, this.claim(16) - base, 0);
          else if (f.kind === FieldKind.TIMESTAMP) this.setPointer(slot, this.claim(8) - base, 0);
        }
      } else {
        try {
          this.writeValue(f, base, slot, v);
        } catch (e) {
          throw e instanceof StreamhouseError ? e.withContext({ field: i }) : e;
        }
      }
    }
    return this.end - base;
  }

  /** Writes a BinaryArray at the cursor; `component` picks from [key, value] pairs (-1: the items themselves). */
  writeArray(elem: FieldPlan, items: readonly unknown[], component: -1 | 0 | 1): number {
    const n = items.length;
    const width = elem.width;
    const base = this.claim(roundToWord(arrayFixedBytes(n, width)));
    this.view.setInt32(base, n, true);
    let slot = base + arrayHeaderSize(n);
    for (let i = 0; i < n; i++, slot += width) {
      const item = items[i];
      const v = component < 0 ? item : Array.isArray(item) && item.length === 2 ? item[component] : invalidPair();
      if (v === null || v === undefined) this.buf[base + 4 + (i >>> 3)]! |= 1 << (i & 7);
      else this.writeValue(elem, base, slot, v as Value);
    }
    return this.end - base;
  }

  /** Writes a BinaryMap (keys array then values array) at the cursor; returns its unpadded size. */
  writeMap(key: FieldPlan, value: FieldPlan, pairs: readonly unknown[]): number {
    const base = this.claim(4);
    const keyBytes = this.writeArray(key, pairs, 0);
    this.view.setInt32(base, keyBytes, true);
    this.writeArray(value, pairs, 1);
    return this.end - base;
  }

  private writeValue(f: FieldPlan, base: number, slot: number, v: Value): void {
    const view = this.view;
    switch (f.kind) {
      case FieldKind.BOOLEAN:
        if (typeof v !== "boolean") throw typeError(f, v);
        this.buf[slot] = v ? 1 : 0;
        return;
      case FieldKind.TINYINT:
        if (typeof v !== "number" || (v << 24) >> 24 !== v) throw typeError(f, v);
        view.setInt8(slot, v);
        return;
      case FieldKind.SMALLINT:
        if (typeof v !== "number" || (v << 16) >> 16 !== v) throw typeError(f, v);
        view.setInt16(slot, v, true);
        return;
      case FieldKind.INT:
        if (typeof v !== "number" || (v | 0) !== v) throw typeError(f, v);
        view.setInt32(slot, v, true);
        return;
      case FieldKind.BIGINT:
        if (typeof v !== "bigint" || BigInt.asIntN(64, v) !== v) throw typeError(f, v);
        view.setBigInt64(slot, v, true);
        return;
      case FieldKind.FLOAT:
        if (typeof v !== "number") throw typeError(f, v);
        view.setFloat32(slot, v, true);
        return;
      case FieldKind.DOUBLE:
        if (typeof v !== "number") throw typeError(f, v);
        view.setFloat64(slot, v, true);
        return;
      case FieldKind.STRING:
        if (typeof v !== "string") throw typeError(f, v);
        this.writeString(base, slot, v);
        return;
      case FieldKind.BINARY:
        if (!(v instanceof Uint8Array)) throw typeError(f, v);
        this.writeBytes(base, slot, v);
        return;
      case FieldKind.DECIMAL_COMPACT:
        view.setBigInt64(slot, checkDecimal(f, v).unscaled, true);
        return;
      case FieldKind.DECIMAL:
        this.writeBigDecimal(base, slot, checkDecimal(f, v).unscaled);
        return;
      case FieldKind.TIMESTAMP_COMPACT:
        this.setInt64(slot, checkTimestamp(f, v).millis);
        return;
      case FieldKind.TIMESTAMP: {
        const ts = checkTimestamp(f, v);
        const at = this.claim(8);
        this.setInt64(at, ts.millis);
        this.setPointer(slot, at - base, ts.nanoOfMillis);
        return;
      }
      case FieldKind.ARRAY:
        if (!Array.isArray(v)) throw typeError(f, v);
        this.nested(base, slot, this.end, this.writeArray(f.element!, v, -1));
        return;
      case FieldKind.MAP:
      case FieldKind.MULTISET:
        if (!Array.isArray(v)) throw typeError(f, v);
        this.nested(base, slot, this.end, this.writeMap(f.element!, f.value!, v));
        return;
      case FieldKind.ROW:
        if (!Array.isArray(v)) throw typeError(f, v);
        this.nested(base, slot, this.end, this.writeRow(f.row!, v as Row, 0));
        return;
      case FieldKind.VARIANT:
        this.writeVariant(base, slot, checkVariant(f, v));
        return;
    }
  }

  /**
   * Completes a nested section that was written starting at the cursor `start`: pads it
   * to a word and points the slot at it. (`start` is read before the nested write runs.)
   */
  private nested(base: number, slot: number, start: number, size: number): void {
    this.padTo(start + roundToWord(size));
    this.setPointer(slot, start - base, size);
  }

  private padTo(newEnd: number): void {
    this.ensure(newEnd - this.end);
    this.buf.fill(0, this.end, newEnd);
    this.end = newEnd;
  }

  private writeString(base: number, slot: number, s: string): void {
    const n = s.length;
    if (n <= MAX_INLINE_BYTES) {
      // ASCII fast path: one UTF-16 unit per byte, stored inline.
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        this.buf[slot + i] = c;
      }
      if (ascii) {
        this.buf[slot + 7] = 0x80 | n;
        return;
      }
      this.buf.fill(0, slot, slot + 8);
    }
    // Encode straight into the variable part; move the bytes inline if they turn out short.
    this.ensure(n * 3 + 8);
    const at = this.end;
    const written = encoder.encodeInto(s, this.buf.subarray(at)).written;
    if (written <= MAX_INLINE_BYTES) {
      this.buf.copyWithin(slot, at, at + written);
      this.buf[slot + 7] = 0x80 | written;
      return;
    }
    this.end = at + written;
    this.nested(base, slot, at, written);
  }

  private writeBytes(base: number, slot: number, b: Uint8Array): void {
    const n = b.length;
    if (n <= MAX_INLINE_BYTES) {
      this.buf.set(b, slot);
      this.buf[slot + 7] = 0x80 | n;
      return;
    }
    this.ensure(roundToWord(n));
    const at = this.end;
    this.buf.set(b, at);
    this.end = at + n;
    this.nested(base, slot, at, n);
  }

  /** DECIMAL p>18: 16 reserved bytes holding Java's `BigInteger.toByteArray()` (minimal big-endian two's complement). */
  private writeBigDecimal(base: number, slot: number, unscaled: bigint): void {
    const at = this.claim(16);
    // BigInteger.bitLength: bits of the magnitude, of ~v for negatives; 0 for 0 and -1.
    const magnitude = unscaled < 0n ? ~unscaled : unscaled;
    const bitLength = magnitude === 0n ? 0 : magnitude.toString(2).length;
    const n = (bitLength >>> 3) + 1;
    let x = unscaled;
    for (let i = n - 1; i >= 0; i--) {
      this.buf[at + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    this.setPointer(slot, at - base, n);
  }

  private writeVariant(base: number, slot: number, v: Variant): void {
    const total = 4 + v.value.length + v.metadata.length;
    this.ensure(roundToWord(total));
    const at = this.end;
    this.view.setInt32(at, v.value.length, true);
    this.buf.set(v.value, at + 4);
    this.buf.set(v.metadata, at + 4 + v.value.length);
    this.end = at + total;
    this.nested(base, slot, at, total);
  }

  /** A slot holding `offset << 32 | low` (low = length or nanoOfMillisecond). */
  private setPointer(slot: number, offset: number, low: number): void {
    this.view.setUint32(slot, low, true);
    this.view.setUint32(slot + 4, offset, true);
  }

  private setInt64(at: number, value: number): void {
    const hi = Math.floor(value / TWO_POW_32);
    this.view.setUint32(at, value - hi * TWO_POW_32, true);
    this.view.setInt32(at + 4, hi, true);
  }
}

function checkDecimal(f: FieldPlan, v: Value): Decimal {
  const d = v as Decimal;
  if (typeof v !== "object" || typeof d.unscaled !== "bigint") throw typeError(f, v);
  if (d.scale !== f.scale) throw mismatch(`decimal has scale ${d.scale}, field ${describe(f)} needs ${f.scale}`);
  if (d.unscaled >= f.decimalBound || d.unscaled <= -f.decimalBound) {
    throw mismatch(`decimal ${d.unscaled} (unscaled) does not fit ${describe(f)}`);
  }
  return d;
}

function checkTimestamp(f: FieldPlan, v: Value): Timestamp {
  const t = v as Timestamp;
  if (typeof v !== "object" || !Number.isSafeInteger(t.millis)) throw typeError(f, v);
  if (!Number.isInteger(t.nanoOfMillis) || t.nanoOfMillis < 0 || t.nanoOfMillis > 999_999) {
    throw mismatch(`timestamp nanoOfMillis ${t.nanoOfMillis} is not in 0..999999`);
  }
  return t;
}

function checkVariant(f: FieldPlan, v: Value): Variant {
  const x = v as Variant;
  if (typeof v !== "object" || !(x.value instanceof Uint8Array) || !(x.metadata instanceof Uint8Array)) throw typeError(f, v);
  return x;
}

function describe(f: FieldPlan): string {
  return f.type.root === "DECIMAL" ? `DECIMAL(${f.type.precision}, ${f.type.scale})` : f.type.root;
}

function typeError(f: FieldPlan, v: unknown): StreamhouseError {
  const shown = typeof v === "bigint" ? `${v}n` : typeof v === "object" ? (Array.isArray(v) ? "an array" : "an object") : JSON.stringify(v);
  return mismatch(`value ${shown} does not fit ${describe(f)}`);
}

function invalidPair(): never {
  throw mismatch("map and multiset entries must be [key, value] pairs");
}

function mismatch(message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.SchemaMismatch, message);
}
