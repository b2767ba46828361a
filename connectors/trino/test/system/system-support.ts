/**
 * Shared by the system-table tests: tables written through the real TableWrite and
 * FileStoreCommit in a temp directory, read through an IO that logs every call (a
 * FaultInjectingFileIO that injects nothing), and a reader that drains a system
 * table the way the Trino service does: splits, a JSON round trip, rows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FaultInjectingFileIO, type FileIO, LocalFileIO } from "@streamhouse/fileio";
import type { Row, Snapshot } from "@streamhouse/format";
import { createTable, FileStoreCommit, FileStoreTable, TableWrite, type WriteChange } from "@streamhouse/table";
import type { ColumnRange, SystemTable } from "../../src/system/system-tables.js";

export const local = new LocalFileIO();

export function tempDir(prefix: string): { readonly path: (name: string) => string; readonly remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { path: (name) => join(root, name), remove: () => rmSync(root, { recursive: true, force: true }) };
}

export const PK_COLUMNS = "id INT NOT NULL, v STRING";

export async function createPkTable(path: string, options: Record<string, string> = {}): Promise<FileStoreTable> {
  return createTable(local, path, { fields: PK_COLUMNS, primaryKeys: ["id"], options: { bucket: "1", ...options } }, { clock: () => 1_700_000_000_000 });
}

export interface Writer {
  /** Writes one checkpoint and commits it; returns the snapshots it made. */
  checkpoint(changes: readonly WriteChange[]): Promise<Snapshot[]>;
  close(): Promise<void>;
}

export async function openWriter(table: FileStoreTable): Promise<Writer> {
  const write = await TableWrite.open(table);
  const commit = new FileStoreCommit(table, "system-tables-test");
  let checkpointId = 0n;
  return {
    async checkpoint(changes) {
      if (changes.length > 0) await write.writeChanges(changes);
      return commit.commit([await write.prepareCommit(++checkpointId)]);
    },
    close: () => write.close(),
  };
}

export const upsert = (id: number, v: string): WriteChange => ({ kind: "+U", row: { id, v } });
export const insert = (id: number, v: string): WriteChange => ({ kind: "+I", row: { id, v } });
export const remove = (id: number): WriteChange => ({ kind: "-D", row: { id, v: null } });

/** A logging IO over the local disk: `io.log` lists every call. */
export function loggingIO(): FaultInjectingFileIO {
  return new FaultInjectingFileIO(local, { seed: 1, logEntriesMax: 1_000_000 });
}

export async function reopen(table: FileStoreTable, io: FileIO = local): Promise<FileStoreTable> {
  return FileStoreTable.open(io, table.path);
}

/** Every row of `system` under `constraint`, split after split; splits pass through JSON as they would through Trino. */
export async function readAll(system: SystemTable, constraint: ReadonlyMap<string, ColumnRange> = new Map()): Promise<Row[]> {
  const out: Row[] = [];
  for (const split of await system.splits(constraint)) {
    for await (const row of system.rows(JSON.parse(JSON.stringify(split)))) out.push(row);
  }
  return out;
}

/** `{ low, high }` of an inclusive range; undefined leaves a side open. */
export function between(low: number | undefined, high: number | undefined): ColumnRange {
  return {
    ...(low === undefined ? {} : { low: { value: BigInt(low), inclusive: true } }),
    ...(high === undefined ? {} : { high: { value: BigInt(high), inclusive: true } }),
  };
}

/** Snapshot ids whose snapshot file `io` read. */
export function snapshotFilesRead(io: FaultInjectingFileIO): number[] {
  const ids = new Set<number>();
  for (const e of io.log) {
    const m = /\/snapshot\/snapshot-(\d+)$/.exec(e.path);
    if (m !== null && (e.op === "read" || e.op === "exists" || e.op === "stat")) ids.add(Number(m[1]));
  }
  return [...ids].sort((a, b) => a - b);
}

/** Names of files under manifest/ that `io` read. */
export function manifestFilesRead(io: FaultInjectingFileIO): string[] {
  return [...new Set(io.log.filter((e) => e.op === "read" && /\/manifest\/[^/]+$/.test(e.path)).map((e) => e.path.slice(e.path.lastIndexOf("/") + 1)))].sort();
}
