/**
 * Rows from two readers made comparable exactly: our reader's values as their JSON
 * form (valueToJson: BIGINT as a number when safe, DECIMAL as its string with every
 * scale digit, TIMESTAMP(p) as ISO-8601 with p fraction digits, DATE as YYYY-MM-DD),
 * and Spark SQL asked to produce that same form — decimals and dates cast to strings,
 * timestamps formatted — so no float, time-zone or driver conversion stands between
 * the two. Pure: SQL text in, rows out.
 */
import { type DataField, type JsonOut, type Row, valueToJson } from "@streamhouse/format";

function quote(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** The SQL expression that yields a column the way valueToJson writes it. */
export function canonicalExpression(field: DataField): string {
  const col = quote(field.name);
  switch (field.type.root) {
    case "DECIMAL":
    case "DATE":
      return `CAST(${col} AS STRING)`;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      const p = field.type.precision;
      return `date_format(${col}, "yyyy-MM-dd'T'HH:mm:ss${p > 0 ? `.${"S".repeat(p)}` : ""}")`;
    }
    default:
      return col;
  }
}

/** `SELECT <every column, canonical> FROM <table> [<suffix>]`, ordered by the given columns. */
export function canonicalSelect(table: string, fields: readonly DataField[], orderBy: readonly string[], suffix = ""): string {
  const columns = fields.map((f) => `${canonicalExpression(f)} AS ${quote(f.name)}`).join(", ");
  const order = orderBy.map(quote).join(", ");
  return `SELECT ${columns} FROM ${table}${suffix === "" ? "" : ` ${suffix}`} ORDER BY ${order}`;
}

/** Our rows in their JSON form, ordered like canonicalSelect's ORDER BY (ascending, by the named columns). */
export function canonicalRows(fields: readonly DataField[], rows: readonly Row[], orderBy: readonly string[]): JsonOut[][] {
  const out = rows.map((r) => fields.map((f, i) => valueToJson(f.type, r[i] ?? null)));
  const keys = orderBy.map((name) => {
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0) throw new Error(`no column ${name}`);
    return i;
  });
  return out.sort((a, b) => {
    for (const k of keys) {
      const c = compareJson(a[k] ?? null, b[k] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
}

function compareJson(a: JsonOut, b: JsonOut): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : 1;
}
