/**
 * System tables: read-only views of one table's metadata and change log, addressed as
 * `<table>$<kind>` the way Paimon names them (`orders$snapshots`). Columns follow
 * Paimon's own system tables (`org.apache.paimon.table.system.*`, release 2.0.0) where
 * one exists, with types Trino's Thrift connector can carry: timestamps TIMESTAMP(3),
 * nested values as STRING holding JSON text.
 *
 * | kind      | rows                                                   | pushed down          |
 * |-----------|--------------------------------------------------------|----------------------|
 * | snapshots | one per snapshot that still exists                     | snapshot_id range    |
 * | files     | live data files of a snapshot (default: the latest)    | snapshot_id range    |
 * | schemas   | one per schema version                                 | schema_id range      |
 * | options   | the latest schema's options, key/value                 | —                    |
 * | changes   | every committed change in snapshot order, as the       | _snapshot_id range   |
 * |           | streaming reader sees it: table columns + _row_kind +  |                      |
 * |           | _snapshot_id                                           |                      |
 *
 * Pushdown is an optimization only: the constraint given to `splits` decides which
 * snapshot (or schema) files are opened at all, and every row a split yields lies in
 * the range, but Trino re-applies its filter anyway. Snapshots that no longer exist —
 * expired before planning, or between planning and reading — are skipped: a range
 * reaching below the earliest snapshot reads from the earliest one.
 *
 * Splits are plain JSON objects (`{"kind": "changes", "from": "3", "to": "6"}`; ids as
 * decimal strings) so a service can hand them to Trino and back; `rows` checks them.
 *
 * Trino's Thrift connector accepts only names matching `[a-z][a-z0-9_]*`, so the
 * service (names.ts) serves `t$changes` as `t__changes` and `_row_kind` /
 * `_snapshot_id` as `row_kind` / `snapshot_id`; the names here stay Paimon's.
 */
import { type DataField, ErrorKind, type Row, StreamhouseError } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";
import { openChangesTable } from "./changes-table.js";
import { openFilesTable } from "./files-table.js";
import { openOptionsTable } from "./options-table.js";
import { openSchemasTable } from "./schemas-table.js";
import { openSnapshotsTable } from "./snapshots-table.js";

export type SystemTableKind = "snapshots" | "files" | "schemas" | "options" | "changes";

export const SYSTEM_TABLE_KINDS: readonly SystemTableKind[] = ["snapshots", "files", "schemas", "options", "changes"];

/** Separates a table name from its system table kind, as in Paimon (`Catalog.SYSTEM_TABLE_SPLITTER`). */
export const SYSTEM_TABLE_SEPARATOR = "$";

/** A range of one integer column's values; a missing bound is unbounded. */
export interface ColumnRange {
  readonly low?: { readonly value: bigint; readonly inclusive: boolean };
  readonly high?: { readonly value: bigint; readonly inclusive: boolean };
}

export interface SystemTable {
  /** The columns, in row order (Paimon fields; ids from 0). */
  readonly columns: readonly DataField[];
  /** JSON-serialisable split payloads covering the rows the constraint can match. */
  splits(constraint: ReadonlyMap<string, ColumnRange>): Promise<readonly unknown[]>;
  /** The rows of one split, values in TableRead's representation, in `columns` order. */
  rows(split: unknown): AsyncIterable<Row>;
}

/**
 * `orders$snapshots` → `{ table: "orders", kind: "snapshots" }`; null for a name
 * without the separator (a plain table). The kind is matched without regard to case
 * (Trino lower-cases names). Throws NotFound for an unknown kind, Unsupported for
 * Paimon's branch form `t$branch_b$files`, InvalidArgument for an empty table name.
 */
export function parseSystemTableName(name: string): { readonly table: string; readonly kind: SystemTableKind } | null {
  const at = name.indexOf(SYSTEM_TABLE_SEPARATOR);
  if (at < 0) return null;
  const table = name.slice(0, at);
  const suffix = name.slice(at + 1);
  if (table === "") {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `"${name}" names no table before "${SYSTEM_TABLE_SEPARATOR}"`, { context: { table: name } });
  }
  if (suffix.includes(SYSTEM_TABLE_SEPARATOR)) {
    throw new StreamhouseError(ErrorKind.Unsupported, `"${name}": system tables of branches are not supported`, { context: { table: name } });
  }
  const kind = SYSTEM_TABLE_KINDS.find((k) => k === suffix.toLowerCase());
  if (kind === undefined) {
    throw new StreamhouseError(ErrorKind.NotFound, `"${table}" has no system table "${suffix}" (there are: ${SYSTEM_TABLE_KINDS.join(", ")})`, {
      context: { table: name },
    });
  }
  return { table, kind };
}

/** The system table `kind` of `table`; reads nothing until `splits` is called. */
export async function openSystemTable(table: FileStoreTable, kind: SystemTableKind): Promise<SystemTable> {
  switch (kind) {
    case "snapshots":
      return openSnapshotsTable(table);
    case "files":
      return openFilesTable(table);
    case "schemas":
      return openSchemasTable(table);
    case "options":
      return openOptionsTable(table);
    case "changes":
      return openChangesTable(table);
    default:
      throw new StreamhouseError(ErrorKind.NotFound, `unknown system table kind "${String(kind)}" (there are: ${SYSTEM_TABLE_KINDS.join(", ")})`, {
        context: { table: table.path },
      });
  }
}
