/**
 * What Trino's REST client shows for a value our reader returns, per the documented
 * type mapping (src/type-mapping.ts): numbers for integer/bigint/double, ISO dates,
 * `YYYY-MM-DD HH:MM:SS.fff` for timestamp(3), the varchar text for types carried as
 * text, JSON text for json, arrays for array(bigint).
 */
import { type DataField, type DataType, Dates, type Row, type Timestamp, Timestamps, type Value, valueToJson } from "@streamhouse/format";
import { varcharText } from "../../src/page-encoder.js";
import { trinoColumnType } from "../../src/type-mapping.js";

export function trinoValue(type: DataType, v: Value | null): unknown {
  if (v === null) return null;
  switch (trinoColumnType(type, "column").block) {
    case "bigint":
      return Number(v as bigint);
    case "integer":
    case "double":
    case "boolean":
      return v;
    case "date":
      return Dates.toString(v as number);
    case "timestamp":
      return Timestamps.toString(v as Timestamp, 3).replace("T", " ");
    case "varchar":
      return varcharText(type, v);
    case "json":
      return JSON.stringify(valueToJson(type, v));
    case "bigintArray":
      return (v as readonly (Value | null)[]).map((e) => (e === null ? null : Number(e as bigint)));
  }
}

export function trinoRows(fields: readonly DataField[], rows: readonly Row[]): unknown[][] {
  return rows.map((r) => fields.map((f, i) => trinoValue(f.type, r[i] ?? null)));
}

/** Rows in a canonical order, for comparing result sets. */
export function sorted(rows: readonly (readonly unknown[])[]): unknown[][] {
  const key = (r: readonly unknown[]) => JSON.stringify(r);
  return [...rows].map((r) => [...r]).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
