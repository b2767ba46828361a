/**
 * Encodes rows as a `TrinoThriftPageResult` (binary protocol bytes of the struct):
 * one columnar block per requested column, in the member of TrinoThriftBlock that
 * type-mapping.ts assigns, with the value conversions it documents.
 *
 * Block layouts (field ids of Trino's API, release 476): every block struct has
 * `1: nulls list<bool>`; fixed-width blocks `2: values list<…>`; varchar and json
 * `2: sizes list<i32>`, `3: bytes binary` (all rows' UTF-8 back to back);
 * bigint arrays `2: sizes list<i32>` (elements per row) and `3: values TrinoThriftBigint`.
 */
import {
  type DataType,
  type Decimal,
  Decimals,
  ErrorKind,
  type Row,
  StreamhouseError,
  type Timestamp,
  Timestamps,
  toBase64,
  type Value,
  valueToJson,
} from "@streamhouse/format";
import { ThriftWriter, TType } from "./thrift-writer.js";
import type { BlockKind } from "./type-mapping.js";

export interface PageColumn {
  readonly name: string;
  readonly type: DataType;
  readonly block: BlockKind;
}

/** Field id of each kind inside TrinoThriftBlock. */
export const BLOCK_FIELD: Readonly<Record<BlockKind, number>> = {
  integer: 1,
  bigint: 2,
  double: 3,
  varchar: 4,
  boolean: 5,
  date: 6,
  timestamp: 7,
  json: 8,
  bigintArray: 10,
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function timeText(ms: number, precision: number): string {
  const base = `${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor((ms % 3_600_000) / 60_000), 2)}:${pad(Math.floor((ms % 60_000) / 1000), 2)}`;
  return precision > 0 ? `${base}.${pad(ms % 1000, 3).slice(0, Math.min(3, precision))}` : base;
}

/** The text a varchar-carried value is sent as (see type-mapping.ts). */
export function varcharText(type: DataType, value: Value): string {
  switch (type.root) {
    case "CHAR":
    case "VARCHAR":
      return value as string;
    case "DECIMAL":
      return Decimals.toString(value as Decimal);
    case "BINARY":
    case "VARBINARY":
      return toBase64(value as Uint8Array);
    case "TIME":
      return timeText(value as number, type.precision);
    case "TIMESTAMP":
      return Timestamps.toString(value as Timestamp, type.precision).replace("T", " ");
    case "TIMESTAMP_LTZ":
      return `${Timestamps.toString(value as Timestamp, type.precision).replace("T", " ")} UTC`;
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `type ${type.root} is not carried as varchar`);
  }
}

/** Serialises `rows` (values by position in `columns`) as a TrinoThriftPageResult. */
export function encodePage(columns: readonly PageColumn[], rows: readonly Row[], nextToken: Uint8Array | null): Buffer {
  const w = new ThriftWriter(Math.max(1024, rows.length * columns.length * 10));
  return writePage(w, columns, rows.length, nextToken, (c, k) => encodeBlock(w, c, rows, k));
}

/**
 * The TrinoThriftPageResult around the blocks: the list of `columns`, each block's fields
 * written by `encodeColumn` (without its STOP), the row count and the continuation token.
 */
export function writePage(w: ThriftWriter, columns: readonly PageColumn[], rowCount: number, nextToken: Uint8Array | null, encodeColumn: (c: PageColumn, k: number) => void): Buffer {
  w.fieldBegin(TType.LIST, 1);
  w.listBegin(TType.STRUCT, columns.length);
  columns.forEach((c, k) => {
    w.fieldBegin(TType.STRUCT, BLOCK_FIELD[c.block]);
    encodeColumn(c, k);
    w.stop(); // end of TrinoThriftBlock
  });
  w.fieldBegin(TType.I32, 2);
  w.i32(rowCount);
  if (nextToken !== null) {
    w.fieldBegin(TType.STRUCT, 3);
    w.fieldBegin(TType.STRING, 1);
    w.binary(nextToken);
    w.stop();
  }
  w.stop();
  return w.bytes();
}

/** Writes the fields of one block struct (without its STOP): column `k` of `rows`. */
function encodeBlock(w: ThriftWriter, c: PageColumn, rows: readonly Row[], k: number): void {
  encodeValueBlock(w, c, rows.length, (i) => rows[i]![k] ?? null);
}

/** Writes the fields of one block struct (without its STOP): the `n` values `value(0)` … `value(n - 1)`. */
export function encodeValueBlock(w: ThriftWriter, c: PageColumn, n: number, value: (i: number) => Value | null): void {
  const at = value;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (at(i) === null) nulls++;
  if (nulls > 0) {
    w.fieldBegin(TType.LIST, 1);
    w.boolList(n, (i) => at(i) === null);
  }
  switch (c.block) {
    case "integer":
    case "date":
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I32, n);
      for (let i = 0; i < n; i++) w.i32((at(i) as number | null) ?? 0);
      w.stop();
      return;
    case "bigint":
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I64, n);
      for (let i = 0; i < n; i++) w.i64((at(i) as bigint | null) ?? 0n);
      w.stop();
      return;
    case "double":
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.DOUBLE, n);
      for (let i = 0; i < n; i++) w.double((at(i) as number | null) ?? 0);
      w.stop();
      return;
    case "boolean":
      w.fieldBegin(TType.LIST, 2);
      w.boolList(n, (i) => at(i) === true);
      w.stop();
      return;
    case "timestamp":
      // TIMESTAMP(3): epoch milliseconds (sub-millisecond digits do not exist at p ≤ 3).
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I64, n);
      for (let i = 0; i < n; i++) w.i64n((at(i) as Timestamp | null)?.millis ?? 0);
      w.stop();
      return;
    case "varchar":
    case "json": {
      // Texts once; then sizes, then the UTF-8 bytes written straight into the page.
      const texts: string[] = new Array(n);
      const plain = c.block === "varchar" && (c.type.root === "VARCHAR" || c.type.root === "CHAR");
      for (let i = 0; i < n; i++) {
        const v = at(i);
        texts[i] = v === null ? "" : plain ? (v as string) : c.block === "json" ? JSON.stringify(valueToJson(c.type, v)) : varcharText(c.type, v);
      }
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I32, n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const size = Buffer.byteLength(texts[i]!, "utf8");
        w.i32(size);
        total += size;
      }
      w.fieldBegin(TType.STRING, 3);
      w.i32(total);
      w.utf8Strings(texts, total);
      w.stop();
      return;
    }
    case "bigintArray": {
      const elements: (bigint | null)[] = [];
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I32, n);
      for (let i = 0; i < n; i++) {
        const arr = (at(i) as readonly (Value | null)[] | null) ?? [];
        w.i32(arr.length);
        for (const e of arr) elements.push(e as bigint | null);
      }
      w.fieldBegin(TType.STRUCT, 3);
      if (elements.some((e) => e === null)) {
        w.fieldBegin(TType.LIST, 1);
        w.boolList(elements.length, (i) => elements[i] === null);
      }
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I64, elements.length);
      for (const e of elements) w.i64(e ?? 0n);
      w.stop(); // TrinoThriftBigint
      w.stop();
      return;
    }
  }
}

/**
 * Estimates the page bytes of one row's values (for paging by `maxBytes`): fixed
 * widths exactly, strings at 3 bytes per UTF-16 unit (the UTF-8 worst case), nested
 * values generously.
 */
export function rowBytesEstimator(columns: readonly PageColumn[]): (row: Row) => number {
  let fixed = 0;
  const variable: number[] = [];
  columns.forEach((c, k) => {
    fixed += 1; // its null flag
    switch (c.block) {
      case "integer":
      case "date":
        fixed += 4;
        break;
      case "boolean":
        fixed += 1;
        break;
      case "bigint":
      case "double":
      case "timestamp":
        fixed += 8;
        break;
      default:
        fixed += 4;
        variable.push(k);
    }
  });
  return (row) => {
    let n = fixed;
    for (const k of variable) {
      const v = row[k] ?? null;
      if (v === null) continue;
      n += typeof v === "string" ? v.length * 3 : Array.isArray(v) ? 9 * v.length + 64 : 64;
    }
    return n;
  };
}
