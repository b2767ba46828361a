/**
 * Rows and changes as JSON, for comparing our reader with Java Paimon's (the peer in
 * integration/paimon-java emits the same conventions: value-json.ts). Comparisons are
 * order-insensitive but otherwise exact: each row becomes one canonical JSON string
 * (object keys sorted at every level, arrays kept in order), and rows compare as sorted
 * lists — multisets, so duplicates count.
 */
import { type DataField, type JsonOut, type Row, rowKindToShortString, valueToJson } from "@streamhouse/format";
import type { Change } from "@streamhouse/table";

export type JsonRow = { [column: string]: JsonOut };

/** A row of `fields` keyed by field name. */
export function rowToJson(fields: readonly DataField[], row: Row): JsonRow {
  const out: JsonRow = {};
  fields.forEach((f, i) => {
    out[f.name] = valueToJson(f.type, row[i] ?? null);
  });
  return out;
}

/** A change as the peer's change dumps write it: `_snapshot`, `_row_kind`, then the columns. */
export function changeToJson(fields: readonly DataField[], c: Change): JsonRow {
  return { _snapshot: c.snapshotId, _row_kind: rowKindToShortString(c.kind), ...rowToJson(fields, c.row) };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function canonical(row: unknown): string {
  return JSON.stringify(sortKeys(row));
}

/** Rows as a sorted list of canonical JSON strings: equal lists ⇔ equal multisets. */
export function multiset(rows: readonly unknown[]): string[] {
  return rows.map(canonical).sort();
}

/** Changes grouped by `_snapshot`, each group a multiset (see `multiset`). */
export function changesBySnapshot(changes: readonly JsonRow[]): Record<string, string[]> {
  const out = new Map<string, unknown[]>();
  for (const c of changes) {
    const id = String(c["_snapshot"]);
    const group = out.get(id);
    if (group === undefined) out.set(id, [c]);
    else group.push(c);
  }
  return Object.fromEntries([...out].map(([k, v]) => [k, multiset(v)]));
}
