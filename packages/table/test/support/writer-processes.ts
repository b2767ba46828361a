/**
 * Helpers for the real-process writer tests: deterministic input streams and their
 * models, `streamhouse write` processes (through streamhouse-cli.mjs, the built CLI), and
 * reading a table back into the shape of a model.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { LocalFileIO, type SeededRandom } from "@streamhouse/fileio";
import { DataTypes } from "@streamhouse/format";
import { FileStoreTable } from "../../src/file-store-table.js";
import { TableRead } from "../../src/read/table-read.js";
import { createTable } from "../write-test-commit.js";

export const CLI = new URL("./streamhouse-cli.mjs", import.meta.url).pathname;
const io = new LocalFileIO();
const F = DataTypes.FIELD;
const FIELDS = [F(0, "id", DataTypes.BIGINT(false)), F(1, "v", DataTypes.BIGINT()), F(2, "s", DataTypes.STRING())];

export type TableKind = "pk" | "append";

export interface InputRecord {
  readonly kind: "+I" | "+U" | "-D";
  readonly id: number;
  readonly v: number;
  readonly s: string;
}

export async function createTestTable(path: string, kind: TableKind, buckets: number): Promise<void> {
  if (kind === "pk") await createTable(io, path, FIELDS, { primaryKeys: ["id"], options: { bucket: String(buckets) } });
  else await createTable(io, path, FIELDS, { options: { bucket: "-1" } });
}

/**
 * A stream of `count` records: for a primary-key table upserts (+I/+U) and deletes over
 * `keys` = the ids `keyOf(0..keySpace)`; for an append table inserts with unique ids.
 */
export function makeStream(random: SeededRandom, kind: TableKind, count: number, keySpace: number, keyOf: (k: number) => number, tag: string): InputRecord[] {
  const out: InputRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (kind === "append") {
      out.push({ kind: "+I", id: keyOf(i), v: random.nextInt(1_000_000), s: `${tag}-${i}` });
      continue;
    }
    const id = keyOf(random.nextInt(keySpace));
    const kindOf = random.chance(0.15) ? "-D" : random.chance(0.5) ? "+U" : "+I";
    out.push({ kind: kindOf, id, v: i, s: `${tag}-${i}-${random.nextInt(1000)}` });
  }
  return out;
}

export function writeNdjson(path: string, records: readonly InputRecord[]): void {
  writeFileSync(path, records.map((r) => (r.kind === "-D" ? `{"_row_kind":"-D","id":${r.id}}\n` : `{"_row_kind":"${r.kind}","id":${r.id},"v":${r.v},"s":${JSON.stringify(r.s)}}\n`)).join(""));
}

/** A table's content as a model: sorted "id|v|s" lines (a multiset for append tables). */
export function model(kind: TableKind, records: readonly InputRecord[]): string[] {
  if (kind === "append") return records.map((r) => `${r.id}|${r.v}|${r.s}`).sort();
  const map = new Map<number, string>();
  for (const r of records) {
    if (r.kind === "-D") map.delete(r.id);
    else map.set(r.id, `${r.id}|${r.v}|${r.s}`);
  }
  return [...map.values()].sort();
}

export async function readTable(path: string): Promise<string[]> {
  const table = await FileStoreTable.open(io, path);
  const out: string[] = [];
  for await (const row of new TableRead(table).rows()) out.push(`${row[0]}|${row[1] ?? "null"}|${row[2] ?? "null"}`);
  return out.sort();
}

/** The commit users' snapshots: for each, the `streamhouse.write.input-records` of its latest one. */
export async function committedRecords(path: string): Promise<Map<string, number>> {
  const table = await FileStoreTable.open(io, path);
  const out = new Map<string, number>();
  const ids = await table.snapshots.listSnapshotIds();
  for (const id of ids) {
    const s = await table.snapshots.snapshot(id);
    const r = s.properties?.["streamhouse.write.input-records"];
    if (r !== undefined) out.set(s.commitUser, Number(r));
  }
  return out;
}

export interface WriterProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Input offsets of the checkpoints the writer reported committed, in order. */
  acks(): number[];
  stderr(): string;
  readonly exited: Promise<number | null>;
}

export function startWriter(args: readonly string[]): WriterProcess {
  const child = spawn(process.execPath, [CLI, "write", ...args, "--progress", "plain"], { stdio: "pipe" });
  child.stdin.end();
  let err = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    err += d;
  });
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const acks = () => [...err.matchAll(/checkpoint \d+ committed: input records (\d+)/g)].map((m) => Number(m[1]));
  return { child, acks, stderr: () => err, exited };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `test` holds or `exited` settles, whichever is first. */
export async function until(test: () => boolean, exited: Promise<unknown>): Promise<void> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done && !test()) await sleep(5);
}
