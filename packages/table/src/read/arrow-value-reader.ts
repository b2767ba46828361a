/**
 * Column accessors from Apache Arrow data to Streamhouse values (values.ts), one per
 * Paimon type, reading Arrow buffers directly: no per-row objects are built until a
 * value is asked for, and then only that value.
 *
 * How Paimon writes each type to Parquet (`ParquetSchemaConverter`, release 2.0.0)
 * and what Arrow (arrow-rs via parquet-wasm) makes of it:
 *
 * | Paimon                  | Parquet                          | Arrow            |
 * |-------------------------|----------------------------------|------------------|
 * | BOOLEAN                 | BOOLEAN                          | Bool             |
 * | TINYINT / SMALLINT      | INT32 (INT_8 / INT_16)           | Int8 / Int16     |
 * | INT / BIGINT            | INT32 / INT64                    | Int32 / Int64    |
 * | FLOAT / DOUBLE          | FLOAT / DOUBLE                   | Float32 / 64     |
 * | CHAR / VARCHAR          | BINARY (UTF8)                    | Utf8             |
 * | BINARY / VARBINARY      | BINARY                           | Binary           |
 * | DECIMAL(p ≤ 9 / ≤ 18)   | INT32 / INT64 (DECIMAL)          | Decimal128       |
 * | DECIMAL(p > 18)         | FIXED_LEN_BYTE_ARRAY (DECIMAL)   | Decimal128/256   |
 * | DATE                    | INT32 (DATE)                     | Date32           |
 * | TIME(p)                 | INT32 (TIME_MILLIS)              | Time32 ms        |
 * | TIMESTAMP[_LTZ](p ≤ 3)  | INT64 (TIMESTAMP_MILLIS)         | Timestamp ms     |
 * | TIMESTAMP[_LTZ](p ≤ 6)  | INT64 (TIMESTAMP_MICROS)         | Timestamp µs     |
 * | TIMESTAMP[_LTZ](p > 6)  | INT96 (Julian day + nanos of day)| Timestamp ns     |
 * | ARRAY<T>                | LIST                             | List             |
 * | MAP<K, V>               | MAP (key_value)                  | Map              |
 * | MULTISET<T>             | MAP<T, INT NOT NULL>             | Map              |
 * | ROW<…>                  | group                            | Struct           |
 *
 * arrow-rs turns INT96 into signed 64-bit nanoseconds since the epoch, so INT96
 * values outside 1677-09-21 … 2262-04-11 cannot be represented there and are not
 * read correctly (a limit of the decoder, not of the file).
 * Other writers may use other encodings of the same type (INT64 nanos, large
 * strings, fixed-size binaries); each accessor accepts every Arrow layout that
 * holds the Paimon type exactly.
 */
import { type Data, Type, TimeUnit } from "apache-arrow";
import {
  type DataField,
  type DataType,
  dataTypeToString,
  ErrorKind,
  type Row,
  StreamhouseError,
  type Timestamp,
  type Value,
} from "@streamhouse/format";
import { castExecutor, sameTypeIgnoringNullability } from "./cast-executors.js";

/** Reads the value at a row index (0-based within the Arrow data). */
export type ValueGetter = (index: number) => Value | null;

interface Where {
  readonly file: string;
  readonly column: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function unsupported(where: Where, message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.DataInvalid, message, { context: { file: where.file, column: where.column } });
}

/**
 * An accessor for `data`, which holds values of Paimon type `fileType` (as written),
 * returning values of `readType` (the read schema's type for the same field id):
 * nested ROW fields are matched by id, and atomic values are cast when the types
 * differ, as Paimon's schema evolution allows.
 */
export function valueGetter(data: Data, fileType: DataType, readType: DataType, where: Where): ValueGetter {
  const base = structuralGetter(data, fileType, readType, where);
  if (isNested(fileType) && isNested(readType)) return base;
  if (sameTypeIgnoringNullability(fileType, readType)) return base;
  const cast = castExecutor(fileType, readType);
  if (cast === null) {
    throw new StreamhouseError(ErrorKind.Unsupported, `cannot read ${dataTypeToString(fileType)} as ${dataTypeToString(readType)}`, {
      context: { file: where.file, column: where.column },
    });
  }
  return (i) => {
    const v = base(i);
    return v === null ? null : cast(v);
  };
}

function isNested(t: DataType): boolean {
  return t.root === "ROW" || t.root === "ARRAY" || t.root === "MULTISET" || t.root === "MAP";
}

function structuralGetter(data: Data, fileType: DataType, readType: DataType, where: Where): ValueGetter {
  if (isNested(fileType) !== isNested(readType) || (isNested(fileType) && fileType.root !== readType.root)) {
    throw new StreamhouseError(ErrorKind.Unsupported, `cannot read ${dataTypeToString(fileType)} as ${dataTypeToString(readType)}`, {
      context: { file: where.file, column: where.column },
    });
  }
  const get = nonNullGetter(data, fileType, readType, where);
  return withNulls(data, get);
}

/** Wraps a getter that ignores validity with the null bitmap check (skipped when there are no nulls). */
function withNulls(data: Data, get: ValueGetter): ValueGetter {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) {
    if (data.typeId === Type.Null) return () => null;
    return get;
  }
  const offset = data.offset;
  return (i) => {
    const pos = offset + i;
    return (bitmap[pos >> 3]! & (1 << (pos & 7))) === 0 ? null : get(i);
  };
}

function expect(data: Data, ok: boolean, fileType: DataType, where: Where): void {
  if (!ok) throw unsupported(where, `Arrow type ${String(data.type)} does not hold Paimon type ${dataTypeToString(fileType)}`);
}

function nonNullGetter(data: Data, fileType: DataType, readType: DataType, where: Where): ValueGetter {
  const t = data.typeId as Type;
  if (t === Type.Null) return () => null;
  switch (fileType.root) {
    case "BOOLEAN": {
      expect(data, t === Type.Bool, fileType, where);
      const bits = data.values as Uint8Array;
      const offset = data.offset;
      return (i) => ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
    }
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      expect(data, t === Type.Int && !(data.values instanceof BigInt64Array) && !(data.values instanceof BigUint64Array), fileType, where);
      const v = data.values as Int8Array | Int16Array | Int32Array;
      return (i) => v[i]!;
    }
    case "BIGINT": {
      expect(data, t === Type.Int && data.values instanceof BigInt64Array, fileType, where);
      const v = data.values as BigInt64Array;
      return (i) => v[i]!;
    }
    case "FLOAT":
    case "DOUBLE": {
      expect(data, t === Type.Float, fileType, where);
      const v = data.values as Float32Array | Float64Array;
      return (i) => v[i]!;
    }
    case "CHAR":
    case "VARCHAR": {
      expect(data, t === Type.Utf8 || t === Type.LargeUtf8, fileType, where);
      const bytes = variableWidth(data);
      return (i) => utf8.decode(bytes(i));
    }
    case "BINARY":
    case "VARBINARY":
    case "BLOB": {
      if (t === Type.FixedSizeBinary) {
        const width = (data.type as unknown as { byteWidth: number }).byteWidth;
        const v = data.values as Uint8Array;
        return (i) => v.slice(i * width, (i + 1) * width);
      }
      expect(data, t === Type.Binary || t === Type.LargeBinary, fileType, where);
      const bytes = variableWidth(data);
      return (i) => bytes(i).slice();
    }
    case "DECIMAL":
      return decimalGetter(data, fileType.precision, fileType.scale, where);
    case "DATE": {
      expect(data, t === Type.Date, fileType, where);
      if (data.values instanceof Int32Array) {
        const v = data.values;
        return (i) => v[i]!;
      }
      const v = int64Values(data);
      return (i) => Math.floor(Number(v(i)) / 86_400_000);
    }
    case "TIME": {
      expect(data, t === Type.Time, fileType, where);
      const unit = (data.type as unknown as { unit: TimeUnit }).unit;
      const raw = data.values as unknown;
      // Times of day fit doubles exactly in every unit.
      const v = raw instanceof Int32Array ? (i: number) => raw[i]! : ((w) => (i: number) => Number(w(i)))(int64Values(data));
      switch (unit) {
        case TimeUnit.SECOND:
          return (i) => v(i) * 1000;
        case TimeUnit.MILLISECOND:
          return v;
        case TimeUnit.MICROSECOND:
          return (i) => Math.floor(v(i) / 1000);
        default:
          return (i) => Math.floor(v(i) / 1_000_000);
      }
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      expect(data, t === Type.Timestamp, fileType, where);
      const unit = (data.type as unknown as { unit: TimeUnit }).unit;
      return timestampGetter(int64Values(data), unit);
    }
    case "ARRAY":
    case "MULTISET":
    case "MAP":
      return collectionGetter(data, fileType, readType, where);
    case "ROW": {
      expect(data, t === Type.Struct, fileType, where);
      return rowGetter(data, fileType.fields, (readType as typeof fileType).fields, where);
    }
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `reading ${fileType.root} columns is not supported`, {
        context: { file: where.file, column: where.column },
      });
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function int64Values(data: Data): (i: number) => bigint {
  const v = data.values as unknown;
  if (v instanceof BigInt64Array) return (i) => v[i]!;
  if (v instanceof Int32Array) return (i) => (BigInt(v[2 * i + 1]!) << 32n) | BigInt(v[2 * i]! >>> 0);
  throw new StreamhouseError(ErrorKind.DataInvalid, `Arrow ${String(data.type)} has no 64-bit values`);
}

/** Epoch values in `unit` → {millis, nanoOfMillis}, flooring so nanoOfMillis is never negative. */
function timestampGetter(v: (i: number) => bigint, unit: TimeUnit): ValueGetter {
  switch (unit) {
    case TimeUnit.SECOND:
      return (i): Timestamp => ({ millis: Number(v(i)) * 1000, nanoOfMillis: 0 });
    case TimeUnit.MILLISECOND:
      return (i): Timestamp => ({ millis: Number(v(i)), nanoOfMillis: 0 });
    case TimeUnit.MICROSECOND:
      return (i): Timestamp => {
        // Micros stay below 2^53 until the year 2255: exact in doubles.
        const us = Number(v(i));
        const millis = Math.floor(us / 1000);
        return { millis, nanoOfMillis: (us - millis * 1000) * 1000 };
      };
    default:
      return (i): Timestamp => {
        const ns = v(i);
        const millis = floorDiv(ns, 1_000_000n);
        return { millis: Number(millis), nanoOfMillis: Number(ns - millis * 1_000_000n) };
      };
  }
}

/** Byte views of variable-width values (Utf8/Binary with 32-bit offsets, the Large variants with 64-bit ones). */
function variableWidth(data: Data): (i: number) => Uint8Array {
  const values = data.values as Uint8Array;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) return (i) => values.subarray(Number(offsets[i]!), Number(offsets[i + 1]!));
  return (i) => values.subarray(offsets[i]!, offsets[i + 1]!);
}

/**
 * Arrow decimals are little-endian two's complement in 32-bit words (4 per value for
 * Decimal128, 8 for Decimal256); the value is read whole into a bigint, so it is exact.
 */
function decimalGetter(data: Data, precision: number, scale: number, where: Where): ValueGetter {
  const type = data.type as unknown as { scale: number; precision: number; bitWidth: number };
  if (data.typeId !== Type.Decimal || type.scale !== scale) {
    throw unsupported(where, `Arrow type ${String(data.type)} does not hold DECIMAL(${precision}, ${scale})`);
  }
  const words = data.values as Uint32Array;
  const stride = type.bitWidth / 32;
  const bits = BigInt(type.bitWidth);
  if (stride === 4 && words.byteOffset % 8 === 0) {
    const longs = new BigUint64Array(words.buffer, words.byteOffset, words.length / 2);
    return (i) => {
      const lo = longs[2 * i]!;
      const hi = longs[2 * i + 1]!;
      return { unscaled: BigInt.asIntN(128, (hi << 64n) | lo), precision, scale };
    };
  }
  return (i) => {
    let x = 0n;
    for (let w = stride - 1; w >= 0; w--) x = (x << 32n) | BigInt(words[i * stride + w]!);
    return { unscaled: BigInt.asIntN(Number(bits), x), precision, scale };
  };
}

function collectionGetter(data: Data, fileType: DataType, readType: DataType, where: Where): ValueGetter {
  const t = data.typeId as Type;
  if (fileType.root === "ARRAY") {
    expect(data, t === Type.List || t === Type.LargeList || t === Type.FixedSizeList, fileType, where);
    const element = valueGetter(data.children[0]!, fileType.element, (readType as typeof fileType).element, nested(where, "element"));
    return listLike(data, element);
  }
  // MAP<K, V> and MULTISET<T> (stored as MAP<T, INT NOT NULL>): [key, value] pairs.
  expect(data, t === Type.Map, fileType, where);
  const entries = data.children[0]!;
  if (entries.children.length !== 2) throw unsupported(where, "Arrow map entries must have a key and a value child");
  const [fk, fv] = fileType.root === "MAP" ? [fileType.key, fileType.value] : [(fileType as { element: DataType }).element, INT_NOT_NULL];
  const [rk, rv] = readType.root === "MAP" ? [readType.key, readType.value] : [(readType as { element: DataType }).element, INT_NOT_NULL];
  const key = valueGetter(entries.children[0]!, fk, rk, nested(where, "key"));
  const value = valueGetter(entries.children[1]!, fv, rv, nested(where, "value"));
  const offsets = data.valueOffsets as Int32Array;
  return (i) => {
    const out: (readonly [Value | null, Value | null])[] = [];
    for (let j = offsets[i]!; j < offsets[i + 1]!; j++) out.push([key(j), value(j)]);
    return out;
  };
}

const INT_NOT_NULL: DataType = { root: "INT", nullable: false };

function listLike(data: Data, element: ValueGetter): ValueGetter {
  if (data.typeId === Type.FixedSizeList) {
    const size = (data.type as unknown as { listSize: number }).listSize;
    return (i) => {
      const out: (Value | null)[] = [];
      for (let j = i * size; j < (i + 1) * size; j++) out.push(element(j));
      return out;
    };
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  return (i) => {
    const out: (Value | null)[] = [];
    const end = Number(offsets[i + 1]!);
    for (let j = Number(offsets[i]!); j < end; j++) out.push(element(j));
    return out;
  };
}

/**
 * ROW values: read-schema fields are matched to the file's nested fields by id
 * (Paimon gives nested fields ids too), and to Arrow children by the file field's
 * name. Fields the file does not have read as null.
 */
function rowGetter(data: Data, fileFields: readonly DataField[], readFields: readonly DataField[], where: Where): ValueGetter {
  const childNames = (data.type as unknown as { children: { name: string }[] }).children.map((c) => c.name);
  const getters: ValueGetter[] = readFields.map((rf) => {
    const ff = fileFields.find((f) => f.id === rf.id);
    if (ff === undefined) return () => null;
    const idx = childNames.indexOf(ff.name);
    if (idx < 0) throw unsupported(where, `nested field "${ff.name}" (id ${ff.id}) is missing from the file`);
    return valueGetter(data.children[idx]!, ff.type, rf.type, nested(where, ff.name));
  });
  return (i): Row => getters.map((g) => g(i));
}

function nested(where: Where, name: string): Where {
  return { file: where.file, column: `${where.column}.${name}` };
}
