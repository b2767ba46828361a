/**
 * Table metrics computed from the warehouse on each scrape: for every table found under
 * it (the metastore's layout: `<warehouse>/<table>` for the default database,
 * `<warehouse>/<db>.db/<table>` for the others; a table is a directory with a `schema/`
 * directory) the commits (the latest snapshot id: ids only grow), the compactions, the
 * live data files and the records of the latest snapshot.
 *
 * Snapshots expire, so compactions are counted incrementally: each scrape reads only
 * the snapshots committed since the previous one, and a table's first scrape counts the
 * COMPACT snapshots still retained. The live-file count plans the latest snapshot and is
 * kept until the next commit.
 */
import type { FileIO } from "@streamhouse/fileio";
import { ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { FileStoreTable, planSnapshot } from "@streamhouse/table";
import type { MetricsRegistry } from "./metrics-registry.js";

interface TableState {
  lastSnapshotId: number;
  compactions: number;
  files: number;
  records: number;
}

/** Bounds the walk of a warehouse a user filled with other things. */
const ENTRIES_MAX = 10_000;

export class TableMetrics {
  private readonly tables = new Map<string, TableState>();

  constructor(
    private readonly io: FileIO,
    private readonly warehouse: string,
  ) {}

  /** Refreshes the `streamhouse_table_*` families of `registry`. */
  async collect(registry: MetricsRegistry): Promise<void> {
    const found = await this.findTables();
    for (const name of ["streamhouse_table_commits_total", "streamhouse_table_compactions_total", "streamhouse_table_files", "streamhouse_table_records"]) registry.clear(name);
    registry.set("streamhouse_tables", "Tables found in the warehouse.", "gauge", {}, found.length);
    for (const { name, path } of found) {
      let state: TableState | null;
      try {
        state = await this.refresh(path);
      } catch (e) {
        // A table being created or dropped while we look: skip it this time.
        if (isStreamhouseError(e)) continue;
        throw e;
      }
      if (state === null) continue;
      const labels = { table: name };
      registry.set("streamhouse_table_commits_total", "Commits (snapshots) of the table: its latest snapshot id.", "counter", labels, state.lastSnapshotId);
      registry.set("streamhouse_table_compactions_total", "COMPACT snapshots of the table (retained when first seen, then every new one).", "counter", labels, state.compactions);
      registry.set("streamhouse_table_files", "Live data files in the table's latest snapshot.", "gauge", labels, state.files);
      registry.set("streamhouse_table_records", "Records in the table's latest snapshot (before merging).", "gauge", labels, state.records);
    }
  }

  private async refresh(path: string): Promise<TableState | null> {
    const table = await FileStoreTable.open(this.io, path);
    const latest = await table.snapshots.latestSnapshotId();
    if (latest === null) return null;
    let state = this.tables.get(path);
    if (state !== undefined && state.lastSnapshotId === latest) return state;
    const earliest = (await table.snapshots.earliestSnapshotId()) ?? 1;
    const from = Math.max(earliest, state === undefined ? earliest : state.lastSnapshotId + 1);
    let compactions = state?.compactions ?? 0;
    for (let id = from; id <= latest; id++) {
      try {
        if ((await table.snapshots.snapshot(id)).commitKind === "COMPACT") compactions++;
      } catch (e) {
        if (!isStreamhouseError(e, ErrorKind.NotFound)) throw e; // expired meanwhile
      }
    }
    const plan = await planSnapshot(table, latest);
    state = { lastSnapshotId: latest, compactions, files: plan?.files.length ?? 0, records: Number(plan?.snapshot.totalRecordCount ?? 0) };
    this.tables.set(path, state);
    return state;
  }

  /** Table directories one or two levels below the warehouse, with their `db.table` names. */
  private async findTables(): Promise<{ name: string; path: string }[]> {
    const out: { name: string; path: string }[] = [];
    let seen = 0;
    for (const entry of await this.io.list(this.warehouse)) {
      if (!entry.isDirectory || ++seen > ENTRIES_MAX) continue;
      if (entry.name.endsWith(".db")) {
        const db = entry.name.slice(0, -".db".length);
        for (const t of await this.io.list(entry.path)) {
          if (t.isDirectory && ++seen <= ENTRIES_MAX && (await this.isTable(t.path))) out.push({ name: `${db}.${t.name}`, path: t.path });
        }
      } else if (await this.isTable(entry.path)) {
        out.push({ name: `default.${entry.name}`, path: entry.path });
      }
    }
    return out;
  }

  private async isTable(path: string): Promise<boolean> {
    return (await this.io.list(`${path}/schema`)).some((f) => f.name.startsWith("schema-"));
  }
}
