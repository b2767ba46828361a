/**
 * Builds Arrow column data from Streamhouse values (values.ts) by hand: typed arrays,
 * validity bitmaps, UTF-8 offsets written with `TextEncoder.encodeInto`. apache-arrow's
 * generic builders and `tableFromArrays` are several times slower (and turn JS string
 * arrays into dictionaries); see the engines notes.
 *
 * Values must already be normalized and checked against the column type
 * (row-normalizer.ts); a value of the wrong shape here is a bug, not bad input.
 * The Arrow types come from parquet-schema.ts.
 */
import { type Data, type Field, makeData, type Map_, type Struct, type DataType as ArrowType, type List } from "apache-arrow";
import type { DataType, Decimal, Timestamp, Value } from "@streamhouse/format";
import { INT96_BYTES } from "./parquet-schema.js";
import type { StoredColumn } from "./row-columns.js";

/** Reads value `i` of a column (`i` from 0 to length - 1). */
export type ValueAt = (i: number) => Value | null;

/**
 * The values of one column, by row. Builders read plain arrays rather than calling a
 * `ValueAt` per value: element loads stay monomorphic and each value is fetched from its
 * record once, not once per pass.
 */
export type ColumnValues = readonly (Value | null)[];

/** A column's values as an array (one call of `at` per row). */
export function materialize(length: number, at: ValueAt): (Value | null)[] {
  const out: (Value | null)[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = at(i);
  return out;
}

const MILLIS_PER_DAY = 86_400_000;
const JULIAN_DAY_OF_EPOCH = 2_440_588;
const encoder = new TextEncoder();

/** Arrow data of the values of Paimon type `type`, laid out as `field` describes. */
export function columnData(field: Field, type: DataType, values: ColumnValues): Data {
  const arrowType = field.type as ArrowType;
  const length = values.length;
  const at = (i: number): Value | null => values[i] ?? null;
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if ((values[i] ?? null) === null) nullCount++;
    else validity[i >> 3]! |= 1 << (i & 7);
  }
  const nullBitmap = nullCount === 0 ? undefined : validity;
  const base = { type: arrowType, length, nullCount, nullBitmap };
  switch (type.root) {
    case "BOOLEAN": {
      const bits = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (at(i) === true) bits[i >> 3]! |= 1 << (i & 7);
      return makeData({ ...base, data: bits } as never);
    }
    case "TINYINT":
      return makeData({ ...base, data: fillNumbers(new Int8Array(length), values) } as never);
    case "SMALLINT":
      return makeData({ ...base, data: fillNumbers(new Int16Array(length), values) } as never);
    case "INT":
    case "DATE":
    case "TIME":
      return makeData({ ...base, data: fillNumbers(new Int32Array(length), values) } as never);
    case "FLOAT":
      return makeData({ ...base, data: fillNumbers(new Float32Array(length), values) } as never);
    case "DOUBLE":
      return makeData({ ...base, data: fillNumbers(new Float64Array(length), values) } as never);
    case "BIGINT": {
      const out = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i] ?? null;
        if (v !== null) out[i] = v as bigint;
      }
      return makeData({ ...base, data: out } as never);
    }
    case "CHAR":
    case "VARCHAR": {
      const { offsets, bytes } = utf8Column(values);
      return makeData({ ...base, valueOffsets: offsets, data: bytes } as never);
    }
    case "BINARY":
    case "VARBINARY": {
      const offsets = new Int32Array(length + 1);
      let total = 0;
      for (let i = 0; i < length; i++) {
        const v = at(i) as Uint8Array | null;
        if (v !== null) total += v.length;
        offsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let i = 0; i < length; i++) {
        const v = at(i) as Uint8Array | null;
        if (v !== null) bytes.set(v, offsets[i]!);
      }
      return makeData({ ...base, valueOffsets: offsets, data: bytes } as never);
    }
    case "DECIMAL": {
      // Decimal128: little-endian two's complement, two 64-bit halves per value.
      const halves = new BigUint64Array(2 * length);
      for (let i = 0; i < length; i++) {
        const v = at(i) as Decimal | null;
        if (v === null) continue;
        halves[2 * i] = BigInt.asUintN(64, v.unscaled);
        halves[2 * i + 1] = BigInt.asUintN(64, v.unscaled >> 64n);
      }
      return makeData({ ...base, data: new Uint32Array(halves.buffer) } as never);
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return makeData({ ...base, data: timestampValues(type.precision, length, at) } as never);
    case "ARRAY": {
      const child = (arrowType as List).children[0]!;
      const { offsets, flat } = flatten(length, at, (v) => v as readonly (Value | null)[]);
      return makeData({ ...base, valueOffsets: offsets, child: columnData(child, type.element, flat) } as never);
    }
    case "MAP":
    case "MULTISET": {
      const entriesField = (arrowType as Map_).children[0]!;
      const [keyField, valueField] = (entriesField.type as Struct).children as [Field, Field];
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      const { offsets, flat } = flatten(length, at, (v) => v as readonly (readonly [Value | null, Value | null])[]);
      const keys = columnData(keyField, keyType, flat.map((e) => e[0]));
      const items = columnData(valueField, valueType, flat.map((e) => e[1]));
      const entries = makeData({ type: entriesField.type, length: flat.length, nullCount: 0, children: [keys, items] } as never);
      return makeData({ ...base, valueOffsets: offsets, child: entries } as never);
    }
    case "ROW": {
      const childFields = (arrowType as Struct).children;
      const children = type.fields.map((f, k) =>
        columnData(
          childFields[k]!,
          f.type,
          materialize(length, (i) => {
            const row = at(i) as readonly (Value | null)[] | null;
            return row === null ? null : (row[k] ?? null);
          }),
        ),
      );
      return makeData({ ...base, children } as never);
    }
    default:
      throw new Error(`no Arrow column builder for ${type.root}`);
  }
}

/**
 * Arrow data straight from a stored column (row-columns.ts): numbers go over as typed
 * arrays (a view when the layout already matches), without a JS value per row.
 */
export function storedColumnData(field: Field, type: DataType, column: StoredColumn): Data {
  if (column.kind === "value") return columnData(field, type, column.values);
  const length = column.nulls.length;
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  const nulls = column.nulls;
  for (let i = 0; i < length; i++) {
    if (nulls[i] === 1) nullCount++;
    else validity[i >> 3]! |= 1 << (i & 7);
  }
  const base = { type: field.type as ArrowType, length, nullCount, nullBitmap: nullCount === 0 ? undefined : validity };
  const data = column.data;
  switch (type.root) {
    case "TINYINT":
      return makeData({ ...base, data: Int8Array.from(data as Int32Array) } as never);
    case "SMALLINT":
      return makeData({ ...base, data: Int16Array.from(data as Int32Array) } as never);
    case "FLOAT":
      return makeData({ ...base, data: Float32Array.from(data as Float64Array) } as never);
    case "INT":
    case "DATE":
    case "TIME":
    case "DOUBLE":
    case "BIGINT":
      return makeData({ ...base, data } as never);
    default:
      throw new Error(`a ${column.kind} column cannot hold ${type.root} values`);
  }
}

function fillNumbers<T extends Int8Array | Int16Array | Int32Array | Float32Array | Float64Array>(out: T, values: ColumnValues): T {
  for (let i = 0; i < out.length; i++) {
    const v = values[i] ?? null;
    if (v !== null) out[i] = v as number;
  }
  return out;
}

/** UTF-8 bytes and offsets; lone surrogates become U+FFFD as with any UTF-8 encoder. */
function utf8Column(values: ColumnValues): { offsets: Int32Array; bytes: Uint8Array } {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  let bytes = new Uint8Array(Math.max(64, length * 16));
  let end = 0;
  for (let i = 0; i < length; i++) {
    const s = (values[i] ?? null) as string | null;
    if (s !== null && s.length > 0) {
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      const need = end + s.length * 3;
      if (need > bytes.length) {
        const grown = new Uint8Array(Math.max(need, bytes.length * 2));
        grown.set(bytes.subarray(0, end));
        bytes = grown;
      }
      // ASCII is copied code unit by code unit: cheaper than a subarray and an
      // encodeInto call per value. The first non-ASCII unit hands the whole string over.
      let j = end;
      let c = 0;
      for (; c < s.length; c++) {
        const unit = s.charCodeAt(c);
        if (unit >= 0x80) break;
        bytes[j++] = unit;
      }
      end = c === s.length ? j : end + encoder.encodeInto(s, bytes.subarray(end)).written;
    }
    offsets[i + 1] = end;
  }
  return { offsets, bytes: bytes.subarray(0, end) };
}

function timestampValues(precision: number, length: number, at: ValueAt): BigInt64Array | Uint8Array {
  if (precision > 6) {
    const out = new Uint8Array(length * INT96_BYTES);
    const view = new DataView(out.buffer);
    for (let i = 0; i < length; i++) {
      const t = at(i) as Timestamp | null;
      if (t !== null) writeInt96(view, i * INT96_BYTES, t);
    }
    return out;
  }
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const t = at(i) as Timestamp | null;
    if (t === null) continue;
    // Micros stay exact in doubles until the year 2255; BigInt keeps every other case exact.
    out[i] = precision <= 3 ? BigInt(t.millis) : BigInt(t.millis) * 1000n + BigInt(Math.floor(t.nanoOfMillis / 1000));
  }
  return out;
}

/**
 * INT96 timestamp: nanoseconds of the day (i64 LE) then the Julian day (i32 LE). Days are
 * floored, so the nanos are never negative (Java reads either form the same way).
 */
export function writeInt96(view: DataView, offset: number, t: Timestamp): void {
  const days = Math.floor(t.millis / MILLIS_PER_DAY);
  const millisOfDay = t.millis - days * MILLIS_PER_DAY;
  view.setBigInt64(offset, BigInt(millisOfDay) * 1_000_000n + BigInt(t.nanoOfMillis), true);
  view.setInt32(offset + 8, days + JULIAN_DAY_OF_EPOCH, true);
}

function flatten<T>(length: number, at: ValueAt, cast: (v: Value) => readonly T[]): { offsets: Int32Array; flat: T[] } {
  const offsets = new Int32Array(length + 1);
  const flat: T[] = [];
  for (let i = 0; i < length; i++) {
    const v = at(i);
    if (v !== null) for (const e of cast(v)) flat.push(e);
    offsets[i + 1] = flat.length;
  }
  return { offsets, flat };
}
