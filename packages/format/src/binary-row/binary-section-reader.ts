/**
 * Reads BinaryRow, BinaryArray and BinaryMap sections (layouts: binary-row-layout.ts,
 * binary-array.ts; Java `BinaryRow`, `BinaryArray`, `BinaryMap`, `MemorySegmentUtils`,
 * Paimon 2.0.0) without trusting a single byte: every section is a byte range
 * [start, start + size) and every pointer read from a slot must land inside the variable
 * part of its own section before it is followed. Failures are DataInvalid errors whose
 * `offset` is the position (in the bytes given to the decoder) of the slot or header at
 * fault. Recursion depth is bounded by the type, never by the data.
 */
import { type ErrorContext, dataInvalid, type StreamhouseError } from "../errors.js";
import type { Decimal, Row, Timestamp, Value } from "../types/values.js";
import { arrayFixedBytes, arrayHeaderSize } from "./binary-array.js";
import { HEADER_SIZE_IN_BITS } from "./binary-row-layout.js";
import { type FieldPlan, FieldKind, type RowPlan } from "./field-plan.js";

const TWO_POW_32 = 4294967296;
const decoder = new TextDecoder();

export class BinarySectionReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly context: ErrorContext | undefined;

  constructor(bytes: Uint8Array, context?: ErrorContext) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.context = context;
  }

  fail(message: string, offset: number): StreamhouseError {
    return dataInvalid(message, { ...this.context, offset });
  }

  /** Reads a row of `plan.arity` fields occupying [start, start + size). */
  readRow(plan: RowPlan, start: number, size: number): (Value | null)[] {
    if (size < plan.fixedSize) {
      throw this.fail(`row of ${plan.arity} fields needs ${plan.fixedSize} bytes, has ${size}`, start);
    }
    const bytes = this.bytes;
    const fields = plan.fields;
    const out: (Value | null)[] = new Array(fields.length);
    let slot = start + plan.nullBitsWidth;
    for (let i = 0; i < fields.length; i++, slot += 8) {
      const bit = i + HEADER_SIZE_IN_BITS;
      out[i] = (bytes[start + (bit >>> 3)]! & (1 << (bit & 7))) !== 0 ? null : this.readValue(fields[i] as FieldPlan, start, size, plan.fixedSize, slot);
    }
    return out;
  }

  /** Reads a BinaryArray occupying [start, start + size). */
  readArray(elem: FieldPlan, start: number, size: number): (Value | null)[] {
    if (size < 4) throw this.fail(`array of ${size} bytes has no element count`, start);
    const n = this.view.getInt32(start, true);
    const fixed = n < 0 ? -1 : arrayFixedBytes(n, elem.width);
    if (fixed < 0 || fixed > size) throw this.fail(`array element count ${n} does not fit its ${size} bytes`, start);
    const bytes = this.bytes;
    const out: (Value | null)[] = new Array(n);
    let slot = start + arrayHeaderSize(n);
    for (let i = 0; i < n; i++, slot += elem.width) {
      out[i] = (bytes[start + 4 + (i >>> 3)]! & (1 << (i & 7))) !== 0 ? null : this.readValue(elem, start, size, fixed, slot);
    }
    return out;
  }

  /** Reads a BinaryMap occupying [start, start + size) as [key, value] pairs. */
  readMap(key: FieldPlan, value: FieldPlan, start: number, size: number): [Value | null, Value | null][] {
    if (size < 4) throw this.fail(`map of ${size} bytes has no key array size`, start);
    const keyBytes = this.view.getInt32(start, true);
    if (keyBytes < 0 || keyBytes > size - 4) throw this.fail(`map key array size ${keyBytes} does not fit its ${size} bytes`, start);
    const keys = this.readArray(key, start + 4, keyBytes);
    const values = this.readArray(value, start + 4 + keyBytes, size - 4 - keyBytes);
    if (keys.length !== values.length) {
      throw this.fail(`map has ${keys.length} keys but ${values.length} values`, start);
    }
    const out: [Value | null, Value | null][] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = [keys[i] as Value | null, values[i] as Value | null];
    return out;
  }

  /**
   * Reads the non-null value whose slot is at `slot`, inside the section [start, start + size)
   * whose variable part begins `varStart` bytes into the section.
   */
  private readValue(f: FieldPlan, start: number, size: number, varStart: number, slot: number): Value {
    const view = this.view;
    switch (f.kind) {
      case FieldKind.BOOLEAN:
        return this.bytes[slot] !== 0;
      case FieldKind.TINYINT:
        return view.getInt8(slot);
      case FieldKind.SMALLINT:
        return view.getInt16(slot, true);
      case FieldKind.INT:
        return view.getInt32(slot, true);
      case FieldKind.BIGINT:
        return view.getBigInt64(slot, true);
      case FieldKind.FLOAT:
        return view.getFloat32(slot, true);
      case FieldKind.DOUBLE:
        return view.getFloat64(slot, true);
      case FieldKind.STRING:
      case FieldKind.BINARY: {
        const hi = view.getUint32(slot + 4, true);
        let from: number;
        let len: number;
        if (hi >= 0x80000000) {
          // Inline: byte 7 = 0x80 | length, data in bytes 0..length-1.
          len = (hi >>> 24) & 0x7f;
          if (len > 7) throw this.fail(`inline length ${len} exceeds 7`, slot);
          from = slot;
        } else {
          len = view.getUint32(slot, true);
          from = this.pointee(start, size, varStart, hi, len, slot);
        }
        return f.kind === FieldKind.STRING ? utf8(this.bytes, from, len) : this.bytes.slice(from, from + len);
      }
      case FieldKind.DECIMAL_COMPACT:
        return this.decimal(f, view.getBigInt64(slot, true), slot);
      case FieldKind.DECIMAL: {
        const len = view.getUint32(slot, true);
        if (len < 1 || len > 16) throw this.fail(`decimal of ${len} bytes (expected 1..16)`, slot);
        const from = this.pointee(start, size, varStart, view.getUint32(slot + 4, true), len, slot);
        let x = 0n;
        for (let i = 0; i < len; i++) x = (x << 8n) | BigInt(this.bytes[from + i]!);
        if (this.bytes[from]! >= 0x80) x -= 1n << BigInt(8 * len);
        return this.decimal(f, x, slot);
      }
      case FieldKind.TIMESTAMP_COMPACT:
        return this.timestamp(slot, 0, slot);
      case FieldKind.TIMESTAMP: {
        const nanos = view.getUint32(slot, true);
        if (nanos > 999_999) throw this.fail(`timestamp nanoOfMillisecond ${nanos} exceeds 999999`, slot);
        const from = this.pointee(start, size, varStart, view.getUint32(slot + 4, true), 8, slot);
        return this.timestamp(from, nanos, slot);
      }
      case FieldKind.ARRAY: {
        const len = view.getUint32(slot, true);
        return this.readArray(f.element!, this.pointee(start, size, varStart, view.getUint32(slot + 4, true), len, slot), len);
      }
      case FieldKind.MAP:
      case FieldKind.MULTISET: {
        const len = view.getUint32(slot, true);
        const from = this.pointee(start, size, varStart, view.getUint32(slot + 4, true), len, slot);
        return this.readMap(f.element!, f.value!, from, len);
      }
      case FieldKind.ROW: {
        const len = view.getUint32(slot, true);
        return this.readRow(f.row!, this.pointee(start, size, varStart, view.getUint32(slot + 4, true), len, slot), len) as Row;
      }
      case FieldKind.VARIANT: {
        const len = view.getUint32(slot, true);
        const from = this.pointee(start, size, varStart, view.getUint32(slot + 4, true), len, slot);
        const valueSize = len < 4 ? -1 : view.getInt32(from, true);
        if (valueSize < 0 || valueSize > len - 4) throw this.fail(`variant value size ${valueSize} does not fit its ${len} bytes`, slot);
        return {
          value: this.bytes.slice(from + 4, from + 4 + valueSize),
          metadata: this.bytes.slice(from + 4 + valueSize, from + len),
        };
      }
    }
  }

  /** Checks that [offset, offset + len) lies in the section's variable part; returns its absolute start. */
  private pointee(start: number, size: number, varStart: number, offset: number, len: number, slot: number): number {
    if (offset < varStart || len > size - offset) {
      throw this.fail(`slot points at [${offset}, ${offset + len}) outside the variable part [${varStart}, ${size})`, slot);
    }
    return start + offset;
  }

  private decimal(f: FieldPlan, unscaled: bigint, slot: number): Decimal {
    if (unscaled >= f.decimalBound || unscaled <= -f.decimalBound) {
      throw this.fail(`decimal ${unscaled} (unscaled) exceeds the precision of its type`, slot);
    }
    return { unscaled, precision: (f.type as { precision: number }).precision, scale: f.scale };
  }

  private timestamp(at: number, nanoOfMillis: number, slot: number): Timestamp {
    const hi = this.view.getInt32(at + 4, true);
    const millis = hi * TWO_POW_32 + this.view.getUint32(at, true);
    if (!Number.isSafeInteger(millis)) throw this.fail(`timestamp millis out of the supported range`, slot);
    return { millis, nanoOfMillis };
  }
}

/** UTF-8 (non-fatal, like Java's decoder: malformed sequences become U+FFFD). */
function utf8(bytes: Uint8Array, from: number, len: number): string {
  if (len <= 16) {
    let s = "";
    for (let i = from; i < from + len; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decoder.decode(bytes.subarray(from, from + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(from, from + len));
}
