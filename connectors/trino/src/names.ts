/**
 * Names as Trino's Thrift connector accepts them. Trino validates every schema, table
 * and column name it receives against `^[a-z][a-z0-9_]*$` (its `NameValidationUtils`,
 * release 476) and fails the whole response otherwise; a table name it cannot
 * validate it never sends (it reports "table not found" itself). So:
 *
 * - column names are lower-cased, other characters become `_`, and leading
 *   non-letters are dropped (`_row_kind` → `row_kind`, `Order-Id` → `order_id`); two
 *   columns of one table that end up with the same name make the table Unsupported;
 * - databases and tables whose names cannot be served are left out of listings;
 * - system tables, `t$snapshots` in Paimon, are served as `t__snapshots` (the `$`
 *   form is accepted too, for clients other than Trino).
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

const VALID = /^[a-z][a-z0-9_]*$/;

export function isTrinoName(name: string): boolean {
  return VALID.test(name);
}

/** The name a column is served under. */
export function trinoColumnName(name: string): string {
  const lowered = name.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const trimmed = lowered.replace(/^[^a-z]+/, "");
  return trimmed === "" ? "col" : trimmed;
}

/** Served names of `names`, in order; Unsupported if two collide. */
export function trinoColumnNames(names: readonly string[], table: string): string[] {
  const out = names.map(trinoColumnName);
  const seen = new Map<string, string>();
  out.forEach((n, i) => {
    const previous = seen.get(n);
    if (previous !== undefined) {
      throw new StreamhouseError(ErrorKind.Unsupported, `columns "${previous}" and "${names[i]}" of ${table} are both served to Trino as "${n}"`, {
        context: { table, column: n },
      });
    }
    seen.set(n, names[i]!);
  });
  return out;
}

/** Separators of a system table's name: Paimon's `$`, and `__` for Trino. */
export const SYSTEM_TABLE_SEPARATORS = ["$", "__"] as const;

/** Splits `t__kind` / `t$kind` into base table and suffix at the last separator; null if none. */
export function splitSystemName(name: string): { readonly table: string; readonly suffix: string } | null {
  for (const sep of SYSTEM_TABLE_SEPARATORS) {
    const i = name.lastIndexOf(sep);
    if (i > 0 && i + sep.length < name.length) return { table: name.slice(0, i), suffix: name.slice(i + sep.length) };
  }
  return null;
}
