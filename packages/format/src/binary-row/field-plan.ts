/**
 * A DataType compiled into what the BinaryRow codec needs per field: a small integer
 * kind to switch on (no string compares in the per-row loop), the element width inside
 * arrays, decimal bounds, and the compiled children of nested types. Plans are cached
 * per types array, so encoding or decoding many rows of one schema compiles once.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";
import {
  type DataType,
  dataTypeToString,
  DataTypes,
  MAX_COMPACT_DECIMAL_PRECISION,
  MAX_COMPACT_TIMESTAMP_PRECISION,
} from "../types/data-type.js";
import { elementWidth } from "./binary-array.js";
import { fixedPartSize, nullBitsWidth } from "./binary-row-layout.js";

/** How a field is stored; DATE and TIME are stored as INT. */
export const FieldKind = {
  BOOLEAN: 0,
  TINYINT: 1,
  SMALLINT: 2,
  INT: 3,
  BIGINT: 4,
  FLOAT: 5,
  DOUBLE: 6,
  STRING: 7,
  BINARY: 8,
  DECIMAL_COMPACT: 9,
  DECIMAL: 10,
  TIMESTAMP_COMPACT: 11,
  TIMESTAMP: 12,
  ARRAY: 13,
  MAP: 14,
  MULTISET: 15,
  ROW: 16,
  VARIANT: 17,
} as const;

export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export interface FieldPlan {
  readonly kind: FieldKind;
  readonly type: DataType;
  /** Slot width of this type as an array element (1, 2, 4 or 8). */
  readonly width: 1 | 2 | 4 | 8;
  /** DECIMAL only: scale, and 10^precision (every unscaled value is strictly inside ±bound). */
  readonly scale: number;
  readonly decimalBound: bigint;
  /** ARRAY element, MAP key, MULTISET element. */
  readonly element: FieldPlan | null;
  /** MAP value; MULTISET count (INT NOT NULL). */
  readonly value: FieldPlan | null;
  readonly row: RowPlan | null;
}

export interface RowPlan {
  readonly fields: readonly FieldPlan[];
  readonly arity: number;
  readonly nullBitsWidth: number;
  readonly fixedSize: number;
}

const cache = new WeakMap<readonly DataType[], RowPlan>();

/** The plan for a row of `types`, compiled once per array object. */
export function rowPlanFor(types: readonly DataType[]): RowPlan {
  let plan = cache.get(types);
  if (plan === undefined) {
    plan = compileRow(types);
    cache.set(types, plan);
  }
  return plan;
}

function compileRow(types: readonly DataType[]): RowPlan {
  const arity = types.length;
  return { fields: types.map(compileField), arity, nullBitsWidth: nullBitsWidth(arity), fixedSize: fixedPartSize(arity) };
}

const COUNT_TYPE = DataTypes.INT(false);

function compileField(type: DataType): FieldPlan {
  const base = { type, width: elementWidth(type), scale: 0, decimalBound: 0n, element: null, value: null, row: null };
  switch (type.root) {
    case "BOOLEAN":
      return { ...base, kind: FieldKind.BOOLEAN };
    case "TINYINT":
      return { ...base, kind: FieldKind.TINYINT };
    case "SMALLINT":
      return { ...base, kind: FieldKind.SMALLINT };
    case "INT":
    case "DATE":
    case "TIME":
      return { ...base, kind: FieldKind.INT };
    case "BIGINT":
      return { ...base, kind: FieldKind.BIGINT };
    case "FLOAT":
      return { ...base, kind: FieldKind.FLOAT };
    case "DOUBLE":
      return { ...base, kind: FieldKind.DOUBLE };
    case "CHAR":
    case "VARCHAR":
      return { ...base, kind: FieldKind.STRING };
    case "BINARY":
    case "VARBINARY":
      return { ...base, kind: FieldKind.BINARY };
    case "DECIMAL": {
      if (type.precision < 1 || type.precision > 38 || type.scale < 0 || type.scale > type.precision) {
        throw unsupported(type);
      }
      const kind = type.precision <= MAX_COMPACT_DECIMAL_PRECISION ? FieldKind.DECIMAL_COMPACT : FieldKind.DECIMAL;
      return { ...base, kind, scale: type.scale, decimalBound: 10n ** BigInt(type.precision) };
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return { ...base, kind: type.precision <= MAX_COMPACT_TIMESTAMP_PRECISION ? FieldKind.TIMESTAMP_COMPACT : FieldKind.TIMESTAMP };
    case "ARRAY":
      return { ...base, kind: FieldKind.ARRAY, element: compileField(type.element) };
    case "MULTISET":
      return { ...base, kind: FieldKind.MULTISET, element: compileField(type.element), value: compileField(COUNT_TYPE) };
    case "MAP":
      return { ...base, kind: FieldKind.MAP, element: compileField(type.key), value: compileField(type.value) };
    case "ROW":
      return { ...base, kind: FieldKind.ROW, row: compileRow(type.fields.map((f) => f.type)) };
    case "VARIANT":
      return { ...base, kind: FieldKind.VARIANT };
    default:
      // BLOB: its in-row bytes changed between releases (raw data, then BlobSerializer with
      // descriptors); VECTOR: not in BinaryRow keys/partitions/stats. Refuse rather than guess.
      throw unsupported(type);
  }
}

function unsupported(type: DataType): StreamhouseError {
  return new StreamhouseError(ErrorKind.Unsupported, `BinaryRow codec does not support ${dataTypeToString(type)}`, {
    context: { type: dataTypeToString(type) },
  });
}
