/**
 * Golden rows for the Java-written vector tables (../shared/vectors/paimon-java/tables),
 * as Java Paimon 2.0.0 reads them through our peer: the merged rows at every snapshot
 * and the change stream over all snapshots. The unit test
 * packages/table/test/vector-rows.test.ts compares our reader with them, without Java.
 *
 * Each table is copied to a temporary directory first: Java reads the copy, the shared
 * vectors are never opened for writing.
 *
 * What the rows mean, explicitly:
 * - `snapshots[N]`: the rows of snapshot N in the table's LATEST schema (the peer's
 *   `latestSchema` dump: `copyWithoutTimeTravel` + `scan.snapshot-id`, old files evolved
 *   by field id) — what our `TableRead.toArray({snapshotId: N})` returns.
 * - `snapshotsInOwnSchema[N]`: only for snapshots whose schema is not the latest: Java's
 *   time-travel read (`scan.snapshot-id` through `copy`), rows in schema `schemaId`.
 *   Kept so a reader can see both, and the README's "recall with schema-K" claims can
 *   be checked against the schema they name.
 * - `changes`: what Java's streaming reader (`scan.mode = from-snapshot` at the earliest
 *   snapshot) gets, snapshot by snapshot, each row with `_snapshot` and `_row_kind`, in
 *   the latest schema — what our `StreamScan.changes` returns.
 *
 * Run it through vitest (the integration config): integration/paimon-java/vector-fixtures.test.ts
 * checks the committed fixtures against Java, and rewrites them when
 * STREAMHOUSE_WRITE_VECTOR_FIXTURES=1 (see README.md).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { JsonRow, PaimonJava } from "./paimon-java.js";

const repoRoot = resolve(import.meta.dirname, "../..");

export const VECTOR_TABLES_DIR = join(
  process.env["STREAMHOUSE_VECTORS"] ?? join(repoRoot, "..", "shared", "vectors", "paimon-java"),
  "tables",
);
export const VECTOR_ROWS_DIR = join(repoRoot, "packages", "table", "test", "fixtures", "vector-rows");
export const FIXTURE_SOURCE = "Java Paimon 2.0.0 via integration/paimon-java";

export interface VectorRowsFixture {
  readonly source: string;
  readonly table: string;
  /** The latest schema id: every row below is in this schema unless said otherwise. */
  readonly schemaId: number;
  readonly columns: readonly string[];
  /** Where Java, the table's README and Streamhouse disagree (written by hand, see NOTES). */
  readonly notes: readonly string[];
  readonly snapshots: Readonly<Record<string, readonly JsonRow[]>>;
  readonly snapshotsInOwnSchema?: Readonly<Record<string, { readonly schemaId: number; readonly rows: readonly JsonRow[] }>>;
  readonly changes: readonly JsonRow[];
}

/**
 * Our reading of each table's README against what Java returns; an entry for every
 * table, empty when the three agree.
 */
export const NOTES: Readonly<Record<string, readonly string[]>> = {
  append_09: [],
  append_10: [],
  append_complex_data: [
    "README writes one DECIMAL(23, 5) value as -0.00000; a decimal has no negative zero, Java and Streamhouse read 0.00000.",
  ],
  append_table_with_alter_table: [],
  append_with_empty_partition: [],
  parquet_append_table: [
    "README gives the TIMESTAMP(9) column f11 as bare integers (71000 …) without a unit; Java and Streamhouse both read them as nanoseconds: 1970-01-01T00:00:00.000071000.",
  ],
  pk_dv_index_not_in_data_no_external: [
    "Deletion vectors: a batch read leaves level-0 files out (Java's DataTableBatchScan, CoreOptions.batchScanSkipLevel0), so APPEND snapshot 1 reads empty and APPEND snapshot 3 reads as snapshot 2; the README's 'merge of all operations up to snapshot N' holds only at the COMPACT snapshots 2 and 4.",
  ],
  pk_table_nested_type: [
    "README lists rows 1005-1007 with col1.f2 = [4, null, 5] and col2 = [[4, 4], [104, 104]] (copied from row 1004); the data files hold [5, null, 6] / [[5, 5], [105, 105]], [6, null, 7] / [[6, 6], [106, 106]] and [7, null, 8] / [[7, 7], [107, 107]], as Java and Streamhouse read them.",
  ],
  pk_table_scan_and_read_dv: [
    "Deletion vectors: level-0 files are invisible to batch reads, so snapshot 1 reads empty, snapshot 3 as snapshot 2, and snapshots 5 and 6 (APPEND, never compacted) as snapshot 4; the README's 'merge of all operations up to snapshot N' holds only at the COMPACT snapshots 2 and 4.",
  ],
  pk_table_scan_and_read_first_row: [
    "first-row engine: batch reads leave level-0 files out (CoreOptions.batchScanSkipLevel0: deletion vectors OR first-row), so snapshots 1 and 2 read empty and snapshots 4 and 5 (APPEND, never compacted) read as the COMPACT snapshot 3; the README's rule expects their rows. Streamhouse read level-0 files here until this fixture (fixed in packages/table/src/read/table-read.ts).",
    "At snapshot 3 the first row per key wins (Alice 11.1, Alex 16.1) and the delete of Tony is ignored (ignore-delete = true), as the README's merge engine says.",
  ],
  pk_table_scan_and_read_mor: [],
  pk_table_with_mor: [
    "The README does not mention the table option sequence.field = s0,s1, which decides snapshot 2's merge: (0, 1, 0, 0) keeps banana/you and (1, 0, 0, 0) keeps car/later over the later writes abandon/new_you and car/again. Its 'Recall with schema-4' rows agree with Java.",
    "README says 'Recall with schema-4', but its rows are in the shape of the latest schema (schema-7: v0 INT, v1 STRING, s0 BYTES), which is what `snapshots` holds; schema-4 still has v0 DOUBLE and v1 BOOLEAN.",
  ],
};

/** Every `<name>.db/<name>` table directory under tables/, sorted by name. */
export function vectorTables(): { name: string; dir: string }[] {
  return readdirSync(VECTOR_TABLES_DIR)
    .filter((d) => d.endsWith(".db"))
    .sort()
    .map((d) => ({ name: d.slice(0, -3), dir: join(VECTOR_TABLES_DIR, d, d.slice(0, -3)) }));
}

function numbered(dir: string, prefix: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => Number(f.slice(prefix.length)))
    .sort((a, b) => a - b);
}

/** Asks Java for the rows of one vector table, read from a temporary copy. */
export async function vectorRowsFixture(java: PaimonJava, name: string, dir: string): Promise<VectorRowsFixture> {
  const work = mkdtempSync(join(tmpdir(), `streamhouse-vector-${name}-`));
  try {
    const copy = join(work, name);
    cpSync(dir, copy, { recursive: true });
    const schemaIds = numbered(join(copy, "schema"), "schema-");
    const latestSchemaId = schemaIds[schemaIds.length - 1]!;
    const latestSchema = JSON.parse(readFileSync(join(copy, "schema", `schema-${latestSchemaId}`), "utf8")) as { fields: { name: string }[] };
    const snapshotIds = numbered(join(copy, "snapshot"), "snapshot-");
    const snapshots: Record<string, JsonRow[]> = {};
    const own: Record<string, { schemaId: number; rows: JsonRow[] }> = {};
    for (const id of snapshotIds) {
      snapshots[String(id)] = await java.dump(copy, { snapshot: id, latestSchema: true });
      const snapshot = JSON.parse(readFileSync(join(copy, "snapshot", `snapshot-${id}`), "utf8")) as { schemaId: number };
      if (snapshot.schemaId !== latestSchemaId) own[String(id)] = { schemaId: snapshot.schemaId, rows: await java.dump(copy, { snapshot: id }) };
    }
    const changes = snapshotIds.length === 0 ? [] : await java.dump(copy, { changesFrom: snapshotIds[0]!, changesTo: snapshotIds[snapshotIds.length - 1]! });
    return {
      source: FIXTURE_SOURCE,
      table: name,
      schemaId: latestSchemaId,
      columns: latestSchema.fields.map((f) => f.name),
      notes: NOTES[name] ?? [],
      snapshots,
      ...(Object.keys(own).length > 0 ? { snapshotsInOwnSchema: own } : {}),
      changes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The fixture as text: one row per line, so a diff shows rows. */
export function formatFixture(f: VectorRowsFixture): string {
  const rows = (rs: readonly JsonRow[], indent: string): string =>
    rs.length === 0 ? "[]" : `[\n${rs.map((r) => `${indent}  ${JSON.stringify(r)}`).join(",\n")}\n${indent}]`;
  const lines: string[] = [
    `  "source": ${JSON.stringify(f.source)}`,
    `  "table": ${JSON.stringify(f.table)}`,
    `  "schemaId": ${f.schemaId}`,
    `  "columns": ${JSON.stringify(f.columns)}`,
    `  "notes": ${f.notes.length === 0 ? "[]" : `[\n${f.notes.map((n) => `    ${JSON.stringify(n)}`).join(",\n")}\n  ]`}`,
    `  "snapshots": {\n${Object.entries(f.snapshots)
      .map(([id, rs]) => `    ${JSON.stringify(id)}: ${rows(rs, "    ")}`)
      .join(",\n")}\n  }`,
  ];
  if (f.snapshotsInOwnSchema !== undefined) {
    lines.push(
      `  "snapshotsInOwnSchema": {\n${Object.entries(f.snapshotsInOwnSchema)
        .map(([id, s]) => `    ${JSON.stringify(id)}: {\n      "schemaId": ${s.schemaId},\n      "rows": ${rows(s.rows, "      ")}\n    }`)
        .join(",\n")}\n  }`,
    );
  }
  lines.push(`  "changes": ${rows(f.changes, "  ")}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}
