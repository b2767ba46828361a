/**
 * Rows from an Apache Arrow RecordBatch: columns are matched to table columns by name
 * and read with the same accessors as data files (read/arrow-value-reader.ts), so every
 * Arrow layout that holds a Paimon type exactly is accepted (Utf8 or LargeUtf8, any
 * timestamp unit, Decimal128/256…). An optional `_row_kind` column gives each row's kind
 * as "+I"/"-U"/"+U"/"-D" strings or 0–3 integers. The rows still go through the
 * normalizer, which checks nullability and ranges.
 */
import type { Data, RecordBatch } from "apache-arrow";
import { type DataField, ErrorKind, isStreamhouseError, type Row, type RowKind, rowKindFromShortString, StreamhouseError } from "@streamhouse/format";
import { valueGetter } from "../read/arrow-value-reader.js";

export const ROW_KIND_COLUMN = "_row_kind";

export interface ArrowRows {
  readonly rows: Row[];
  readonly kinds: RowKind[] | null;
}

export function rowsOfRecordBatch(batch: RecordBatch, fields: readonly DataField[]): ArrowRows {
  const names = batch.schema.fields.map((f) => f.name);
  for (const n of names) {
    if (n !== ROW_KIND_COLUMN && !fields.some((f) => f.name === n)) {
      throw new StreamhouseError(ErrorKind.SchemaMismatch, `Arrow batch has unknown column "${n}"`, { context: { column: n } });
    }
  }
  const length = batch.numRows;
  const getters = fields.map((f) => {
    const i = names.indexOf(f.name);
    if (i < 0) return () => null;
    const data = batch.data.children[i] as Data;
    try {
      return valueGetter(data, f.type, f.type, { file: "<arrow input>", column: f.name });
    } catch (e) {
      if (isStreamhouseError(e)) throw new StreamhouseError(ErrorKind.SchemaMismatch, e.reason, { context: { column: f.name }, cause: e });
      throw e;
    }
  });
  const rows: Row[] = new Array(length);
  for (let r = 0; r < length; r++) rows[r] = getters.map((g) => g(r));
  const k = names.indexOf(ROW_KIND_COLUMN);
  return { rows, kinds: k < 0 ? null : rowKinds(batch.data.children[k] as Data, length) };
}

function rowKinds(data: Data, length: number): RowKind[] {
  const column = batch(data);
  const out: RowKind[] = new Array(length);
  for (let r = 0; r < length; r++) {
    const v = column(r);
    if (typeof v === "string") out[r] = rowKindFromShortString(v);
    else if (typeof v === "number" && (v === 0 || v === 1 || v === 2 || v === 3)) out[r] = v;
    else throw new StreamhouseError(ErrorKind.SchemaMismatch, `row ${r}: "${ROW_KIND_COLUMN}" must be +I, -U, +U, -D or 0–3`, { context: { row: r, column: ROW_KIND_COLUMN } });
  }
  return out;
}

function batch(data: Data): (i: number) => unknown {
  const type = String(data.type);
  const paimonType = type.startsWith("Utf8") || type.startsWith("LargeUtf8") ? { root: "VARCHAR" as const, nullable: true, length: 2147483647 } : { root: "TINYINT" as const, nullable: true };
  if (paimonType.root === "TINYINT" && !/^U?Int(8|16|32)$/.test(type)) {
    throw new StreamhouseError(ErrorKind.SchemaMismatch, `"${ROW_KIND_COLUMN}" must be a string or small integer column, found ${type}`, { context: { column: ROW_KIND_COLUMN } });
  }
  return valueGetter(data, paimonType, paimonType, { file: "<arrow input>", column: ROW_KIND_COLUMN });
}
