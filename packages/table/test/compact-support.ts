/**
 * Shared by the compaction tests: a primary-key table written commit by commit through
 * the real TableWrite and FileStoreCommit, beside a Map model of its rows.
 */
import type { FileIO } from "@streamhouse/fileio";
import { SeededRandom } from "@streamhouse/fileio";
import { DataTypes, type Row, rowKindToShortString, type Snapshot } from "@streamhouse/format";
import { FileStoreTable } from "../src/file-store-table.js";
import { TableRead } from "../src/read/table-read.js";
import { StreamScan } from "../src/stream/stream-scan.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { type Change, TableWrite } from "../src/write/table-write.js";
import { createTable } from "./write-test-commit.js";

const F = DataTypes.FIELD;
export const FIELDS = [F(0, "id", DataTypes.INT(false)), F(1, "v", DataTypes.STRING()), F(2, "n", DataTypes.BIGINT())];

export type Model = Map<number, Row>;

export async function createPkTable(io: FileIO, path: string, options: Record<string, string>): Promise<FileStoreTable> {
  return createTable(io, path, FIELDS, { primaryKeys: ["id"], options: { bucket: "1", ...options } });
}

/** A checkpoint of random upserts and deletes over `keys` keys, applied to `model`. */
export function randomChanges(random: SeededRandom, model: Model, keys: number, count: number, round: number): Change[] {
  const out: Change[] = [];
  for (let i = 0; i < count; i++) {
    const id = random.nextInt(keys);
    if (random.chance(0.2)) {
      const old = model.get(id);
      out.push({ kind: "-D", row: { id, v: null, n: null } });
      if (old !== undefined) model.delete(id);
    } else {
      const row: Row = [id, `r${round}-${i}`, BigInt(round * 1000 + i)];
      out.push({ kind: "+I", row: { id, v: row[1], n: row[2] } });
      model.set(id, row);
    }
  }
  return out;
}

export function sortedRows(rows: Iterable<Row>): Row[] {
  return [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));
}

export async function readRows(table: FileStoreTable): Promise<Row[]> {
  return sortedRows(await new TableRead(table).toArray());
}

export function label(kind: number, row: Row): string {
  return `${rowKindToShortString(kind as 0)} ${row.map((v) => String(v)).join(",")}`;
}

/** The changes a streaming reader gets from `snapshots`, as sorted labels. */
export async function streamedChanges(table: FileStoreTable, snapshots: readonly Snapshot[]): Promise<string[]> {
  const scan = new StreamScan(table);
  const out: string[] = [];
  for (const s of snapshots) for await (const c of scan.snapshotChanges(s.id)) out.push(label(c.kind, c.row));
  return out.sort();
}

/** Model changes from `before` to `after` as a lookup producer reports them (-U/+U even when equal). */
export function diffLabels(before: Model, after: Model, options: { skipEqual: boolean; touched?: readonly Change[] }): string[] {
  const out: string[] = [];
  const ids = options.touched === undefined ? new Set([...before.keys(), ...after.keys()]) : new Set(options.touched.map((c) => (c.row as { id: number }).id));
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b === undefined && a !== undefined) out.push(label(0, a));
    else if (b !== undefined && a === undefined) out.push(label(3, b));
    else if (b !== undefined && a !== undefined) {
      if (options.skipEqual && label(0, a) === label(0, b)) continue;
      out.push(label(1, b), label(2, a));
    }
  }
  return out.sort();
}

export function inputLabels(changes: readonly Change[]): string[] {
  const kinds: Record<string, number> = { "+I": 0, "-U": 1, "+U": 2, "-D": 3 };
  return changes.map((c) => {
    const r = c.row as { id: number; v: string | null; n: bigint | null };
    return label(kinds[c.kind as string]!, [r.id, r.v, r.n]);
  }).sort();
}

export interface Writer {
  readonly write: TableWrite;
  readonly commit: FileStoreCommit;
  /** Writes one checkpoint and commits it; returns its snapshots. */
  checkpoint(changes: readonly Change[], options?: { fullCompaction?: boolean }): Promise<Snapshot[]>;
  close(): Promise<void>;
}

export async function openWriter(table: FileStoreTable, user = "writer"): Promise<Writer> {
  const write = await TableWrite.open(table);
  const commit = new FileStoreCommit(table, user);
  let id = 0n;
  return {
    write,
    commit,
    async checkpoint(changes, options = {}) {
      if (changes.length > 0) await write.writeChanges(changes);
      const c = await write.prepareCommit(++id, options);
      return commit.commit([c]);
    },
    close: () => write.close(),
  };
}

export async function reopen(table: FileStoreTable): Promise<FileStoreTable> {
  return FileStoreTable.open(table.io, table.path);
}

export { SeededRandom };
