/**
 * Paimon's logical data types (mirrors `org.apache.paimon.types.*`, release 2.0.0).
 *
 * A DataType is an immutable tagged value: `root` names the type family, and the
 * family decides which other members exist. Nullability is part of the type, as
 * in Paimon: `INT` and `INT NOT NULL` are different types.
 */

export type AtomicRoot =
  | "BOOLEAN"
  | "TINYINT"
  | "SMALLINT"
  | "INT"
  | "BIGINT"
  | "FLOAT"
  | "DOUBLE"
  | "DATE"
  | "VARIANT"
  | "BLOB";

export interface AtomicType {
  readonly root: AtomicRoot;
  readonly nullable: boolean;
}

/** CHAR(n), VARCHAR(n), BINARY(n), VARBINARY(n). STRING is VARCHAR(MAX_LENGTH), BYTES is VARBINARY(MAX_LENGTH). */
export interface LengthType {
  readonly root: "CHAR" | "VARCHAR" | "BINARY" | "VARBINARY";
  readonly nullable: boolean;
  readonly length: number;
}

export interface DecimalType {
  readonly root: "DECIMAL";
  readonly nullable: boolean;
  readonly precision: number;
  readonly scale: number;
}

/** TIME(p), TIMESTAMP(p), TIMESTAMP(p) WITH LOCAL TIME ZONE. */
export interface PrecisionType {
  readonly root: "TIME" | "TIMESTAMP" | "TIMESTAMP_LTZ";
  readonly nullable: boolean;
  readonly precision: number;
}

export interface ArrayType {
  readonly root: "ARRAY" | "MULTISET";
  readonly nullable: boolean;
  readonly element: DataType;
}

export interface MapType {
  readonly root: "MAP";
  readonly nullable: boolean;
  readonly key: DataType;
  readonly value: DataType;
}

export interface VectorType {
  readonly root: "VECTOR";
  readonly nullable: boolean;
  readonly element: DataType;
  readonly length: number;
}

export interface DataField {
  readonly id: number;
  readonly name: string;
  readonly type: DataType;
  readonly description?: string;
  readonly defaultValue?: string;
}

export interface RowType {
  readonly root: "ROW";
  readonly nullable: boolean;
  readonly fields: readonly DataField[];
}

export type DataType = AtomicType | LengthType | DecimalType | PrecisionType | ArrayType | MapType | VectorType | RowType;

export type TypeRoot = DataType["root"];

/** Java's Integer.MAX_VALUE: the length Paimon gives STRING and BYTES. */
export const MAX_LENGTH = 2147483647;

/** The largest DECIMAL precision whose unscaled value fits a 64-bit long (Java's "compact" decimals). */
export const MAX_COMPACT_DECIMAL_PRECISION = 18;

/** The largest TIMESTAMP precision stored as epoch millis alone (Java's "compact" timestamps). */
export const MAX_COMPACT_TIMESTAMP_PRECISION = 3;

/** Constructors for every type; `nullable` defaults to true as in Paimon's DataTypes. */
export const DataTypes = {
  BOOLEAN: (nullable = true): AtomicType => ({ root: "BOOLEAN", nullable }),
  TINYINT: (nullable = true): AtomicType => ({ root: "TINYINT", nullable }),
  SMALLINT: (nullable = true): AtomicType => ({ root: "SMALLINT", nullable }),
  INT: (nullable = true): AtomicType => ({ root: "INT", nullable }),
  BIGINT: (nullable = true): AtomicType => ({ root: "BIGINT", nullable }),
  FLOAT: (nullable = true): AtomicType => ({ root: "FLOAT", nullable }),
  DOUBLE: (nullable = true): AtomicType => ({ root: "DOUBLE", nullable }),
  DATE: (nullable = true): AtomicType => ({ root: "DATE", nullable }),
  VARIANT: (nullable = true): AtomicType => ({ root: "VARIANT", nullable }),
  BLOB: (nullable = true): AtomicType => ({ root: "BLOB", nullable }),
  CHAR: (length: number, nullable = true): LengthType => ({ root: "CHAR", nullable, length }),
  VARCHAR: (length: number, nullable = true): LengthType => ({ root: "VARCHAR", nullable, length }),
  STRING: (nullable = true): LengthType => ({ root: "VARCHAR", nullable, length: MAX_LENGTH }),
  BINARY: (length: number, nullable = true): LengthType => ({ root: "BINARY", nullable, length }),
  VARBINARY: (length: number, nullable = true): LengthType => ({ root: "VARBINARY", nullable, length }),
  BYTES: (nullable = true): LengthType => ({ root: "VARBINARY", nullable, length: MAX_LENGTH }),
  DECIMAL: (precision: number, scale: number, nullable = true): DecimalType => ({ root: "DECIMAL", nullable, precision, scale }),
  TIME: (precision = 0, nullable = true): PrecisionType => ({ root: "TIME", nullable, precision }),
  TIMESTAMP: (precision = 6, nullable = true): PrecisionType => ({ root: "TIMESTAMP", nullable, precision }),
  TIMESTAMP_LTZ: (precision = 6, nullable = true): PrecisionType => ({ root: "TIMESTAMP_LTZ", nullable, precision }),
  ARRAY: (element: DataType, nullable = true): ArrayType => ({ root: "ARRAY", nullable, element }),
  MULTISET: (element: DataType, nullable = true): ArrayType => ({ root: "MULTISET", nullable, element }),
  MAP: (key: DataType, value: DataType, nullable = true): MapType => ({ root: "MAP", nullable, key, value }),
  VECTOR: (element: DataType, length: number, nullable = true): VectorType => ({ root: "VECTOR", nullable, element, length }),
  ROW: (fields: readonly DataField[], nullable = true): RowType => ({ root: "ROW", nullable, fields }),
  FIELD: (id: number, name: string, type: DataType, description?: string): DataField =>
    description === undefined ? { id, name, type } : { id, name, type, description },
} as const;

export function withNullability<T extends DataType>(type: T, nullable: boolean): T {
  return type.nullable === nullable ? type : { ...type, nullable };
}

/** Types whose BinaryRow slot holds the whole value (no variable-length part). */
export function isFixedLength(type: DataType): boolean {
  switch (type.root) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DATE":
    case "TIME":
      return true;
    case "DECIMAL":
      return type.precision <= MAX_COMPACT_DECIMAL_PRECISION;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return type.precision <= MAX_COMPACT_TIMESTAMP_PRECISION;
    default:
      return false;
  }
}

/** Structural equality, ignoring descriptions. */
export function dataTypeEquals(a: DataType, b: DataType): boolean {
  if (a.root !== b.root || a.nullable !== b.nullable) return false;
  switch (a.root) {
    case "CHAR":
    case "VARCHAR":
    case "BINARY":
    case "VARBINARY":
      return a.length === (b as LengthType).length;
    case "DECIMAL":
      return a.precision === (b as DecimalType).precision && a.scale === (b as DecimalType).scale;
    case "TIME":
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return a.precision === (b as PrecisionType).precision;
    case "ARRAY":
    case "MULTISET":
      return dataTypeEquals(a.element, (b as ArrayType).element);
    case "VECTOR":
      return a.length === (b as VectorType).length && dataTypeEquals(a.element, (b as VectorType).element);
    case "MAP":
      return dataTypeEquals(a.key, (b as MapType).key) && dataTypeEquals(a.value, (b as MapType).value);
    case "ROW": {
      const bf = (b as RowType).fields;
      return (
        a.fields.length === bf.length &&
        a.fields.every((f, i) => {
          const g = bf[i];
          return g !== undefined && f.id === g.id && f.name === g.name && dataTypeEquals(f.type, g.type);
        })
      );
    }
    default:
      return true;
  }
}

/** Renders a type the way Paimon's `asSQLString` does, e.g. `DECIMAL(10, 2) NOT NULL`. */
export function dataTypeToString(type: DataType): string {
  const nn = type.nullable ? "" : " NOT NULL";
  switch (type.root) {
    case "VARCHAR":
      return (type.length === MAX_LENGTH ? "STRING" : `VARCHAR(${type.length})`) + nn;
    case "VARBINARY":
      return (type.length === MAX_LENGTH ? "BYTES" : `VARBINARY(${type.length})`) + nn;
    case "CHAR":
    case "BINARY":
      return `${type.root}(${type.length})${nn}`;
    case "DECIMAL":
      return `DECIMAL(${type.precision}, ${type.scale})${nn}`;
    case "TIME":
    case "TIMESTAMP":
      return `${type.root}(${type.precision})${nn}`;
    case "TIMESTAMP_LTZ":
      return `TIMESTAMP(${type.precision}) WITH LOCAL TIME ZONE${nn}`;
    case "ARRAY":
    case "MULTISET":
      return `${type.root}<${dataTypeToString(type.element)}>${nn}`;
    case "VECTOR":
      return `VECTOR<${dataTypeToString(type.element)}, ${type.length}>${nn}`;
    case "MAP":
      return `MAP<${dataTypeToString(type.key)}, ${dataTypeToString(type.value)}>${nn}`;
    case "ROW":
      return `ROW<${type.fields.map((f) => `${quoteIdentifier(f.name)} ${dataTypeToString(f.type)}`).join(", ")}>${nn}`;
    default:
      return type.root + nn;
  }
}

function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : "`" + name.replaceAll("`", "``") + "`";
}
