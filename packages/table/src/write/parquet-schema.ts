/**
 * The Arrow schema of a data file we write, laid out so that parquet-wasm (arrow-rs)
 * produces the Parquet schema Java Paimon 2.0 writes (`ParquetSchemaConverter`):
 *
 * | Paimon                  | Arrow we build                 | Parquet written              |
 * |-------------------------|--------------------------------|------------------------------|
 * | TINYINT / SMALLINT      | Int8 / Int16                   | INT32 (INT(8) / INT(16))     |
 * | INT, BIGINT             | Int32, Int64                   | INT32, INT64                 |
 * | DATE, TIME(p)           | Date32, Time32 ms              | INT32 DATE, INT32 TIME_MILLIS|
 * | DECIMAL(p, s)           | Decimal128(p, s)               | INT32 / INT64 / FLBA(minimal)|
 * | TIMESTAMP(p ≤ 3)        | Timestamp ms                   | INT64 TIMESTAMP(MILLIS)      |
 * | TIMESTAMP(p ≤ 6)        | Timestamp µs                   | INT64 TIMESTAMP(MICROS)      |
 * | TIMESTAMP(p > 6)        | FixedSizeBinary(12)            | INT96, after the footer patch|
 * | _LTZ variants           | the same with time zone "UTC"  | isAdjustedToUTC = true       |
 * | ARRAY<T>                | List (child "element")         | 3-level LIST                 |
 * | MAP<K, V>, MULTISET<T>  | Map (entries "key_value")      | MAP, key REQUIRED            |
 * | ROW                     | Struct                         | group                        |
 *
 * Java reads TIMESTAMP(7..9) only from INT96 (an INT64 column of such a type fails its
 * reader), and arrow-rs cannot write INT96: those columns are written as 12-byte
 * fixed binaries holding INT96 bytes and retyped in the footer (parquet-int96.ts).
 *
 * Field ids (`PARQUET:field_id`): every top-level and ROW field has its Paimon id;
 * collection children have the ids of Paimon's `SpecialFields` (2.0):
 *   array element  536870911 + 1024·id + depth
 *   map key        536870911 − 1024·id − depth
 *   map value      536870911 + 1024·id + depth
 * where id is the nearest enclosing field's id and depth counts collection levels
 * below it (Java int arithmetic, so it wraps like Java for huge ids).
 */
import { type DataType as ArrowType, DateDay, Decimal, Field, FixedSizeBinary, List, Map_, Schema, Struct, TimeMillisecond } from "apache-arrow";
import {
  Binary,
  Bool,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
} from "apache-arrow";
import { type DataField, type DataType, dataTypeToString, ErrorKind, StreamhouseError } from "@streamhouse/format";

export const FIELD_ID_KEY = "PARQUET:field_id";
const STRUCTURED_FIELD_ID_BASE = 536870911;
const STRUCTURED_FIELD_DEPTH_LIMIT = 1024;
/** Bytes of one INT96 value: nanos of day (i64 LE) + Julian day (i32 LE). */
export const INT96_BYTES = 12;

export const MAP_ENTRIES_NAME = "key_value";
export const LIST_ELEMENT_NAME = "element";

export function arrayElementFieldId(id: number, depth: number): number {
  return (STRUCTURED_FIELD_ID_BASE + Math.imul(id, STRUCTURED_FIELD_DEPTH_LIMIT) + depth) | 0;
}

export function mapKeyFieldId(id: number, depth: number): number {
  return (STRUCTURED_FIELD_ID_BASE - Math.imul(id, STRUCTURED_FIELD_DEPTH_LIMIT) - depth) | 0;
}

export function mapValueFieldId(id: number, depth: number): number {
  return arrayElementFieldId(id, depth);
}

/** True for the types written as INT96. */
export function isInt96Timestamp(type: DataType): boolean {
  return (type.root === "TIMESTAMP" || type.root === "TIMESTAMP_LTZ") && type.precision > 6;
}

/** An Arrow schema plus the dotted Parquet paths of the leaves to retype as INT96. */
export interface DataFileArrowSchema {
  readonly schema: Schema;
  readonly int96Paths: readonly string[];
}

/** The Arrow schema of a file whose columns are `fields`, in order. */
export function dataFileArrowSchema(fields: readonly DataField[]): DataFileArrowSchema {
  const int96Paths: string[] = [];
  const arrowFields = fields.map((f) => arrowField(f.name, f.type, f.id, f.id, 0, [], int96Paths));
  return { schema: new Schema(arrowFields), int96Paths };
}

function metadata(id: number): Map<string, string> {
  return new Map([[FIELD_ID_KEY, String(id)]]);
}

/**
 * `ownerId`/`depth` locate collection children (see the header); `path` is the Parquet
 * path of this node's parent, for INT96 leaves.
 */
function arrowField(
  name: string,
  type: DataType,
  id: number,
  ownerId: number,
  depth: number,
  path: readonly string[],
  int96Paths: string[],
  nullable = type.nullable,
): Field {
  const here = [...path, name];
  return new Field(name, arrowType(type, ownerId, depth, here, int96Paths), nullable, metadata(id));
}

function arrowType(type: DataType, ownerId: number, depth: number, path: readonly string[], int96Paths: string[]): ArrowType {
  switch (type.root) {
    case "BOOLEAN":
      return new Bool();
    case "TINYINT":
      return new Int8();
    case "SMALLINT":
      return new Int16();
    case "INT":
      return new Int32();
    case "BIGINT":
      return new Int64();
    case "FLOAT":
      return new Float32();
    case "DOUBLE":
      return new Float64();
    case "DATE":
      return new DateDay();
    case "TIME":
      return new TimeMillisecond();
    case "CHAR":
    case "VARCHAR":
      return new Utf8();
    case "BINARY":
    case "VARBINARY":
      return new Binary();
    case "DECIMAL":
      return new Decimal(type.scale, type.precision, 128);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      const zone = type.root === "TIMESTAMP_LTZ" ? "UTC" : null;
      if (type.precision <= 3) return new TimestampMillisecond(zone);
      if (type.precision <= 6) return new TimestampMicrosecond(zone);
      int96Paths.push(path.join("."));
      return new FixedSizeBinary(INT96_BYTES);
    }
    case "ARRAY": {
      const d = depth + 1;
      const listPath = [...path, "list"];
      return new List(arrowField(LIST_ELEMENT_NAME, type.element, arrayElementFieldId(ownerId, d), ownerId, d, listPath, int96Paths));
    }
    case "MAP":
    case "MULTISET": {
      const d = depth + 1;
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      const entriesPath = [...path, MAP_ENTRIES_NAME];
      // Parquet map keys are REQUIRED: Java writes even a nullable key type as NOT NULL.
      const key = arrowField("key", keyType, mapKeyFieldId(ownerId, d), ownerId, d, entriesPath, int96Paths, false);
      const value = arrowField("value", valueType, mapValueFieldId(ownerId, d), ownerId, d, entriesPath, int96Paths);
      return new Map_(new Field(MAP_ENTRIES_NAME, new Struct([key, value] as never[]), false), false);
    }
    case "ROW":
      return new Struct(type.fields.map((f) => arrowField(f.name, f.type, f.id, f.id, 0, path, int96Paths)));
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `writing ${dataTypeToString(type)} columns to Parquet is not supported yet`, {
        context: { path: path.join(".") },
      });
  }
}
