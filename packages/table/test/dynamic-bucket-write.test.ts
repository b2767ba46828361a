/**
 * Writing primary-key tables with dynamic buckets (`bucket = -1`): buckets fill up to
 * `dynamic-bucket.target-row-num` in order, keys never move, each bucket written gets a
 * new HASH index file that replaces its old one in the index manifest, data files carry
 * totalBuckets -1, and reads, later writers and compaction all see one bucket per key.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import {
  binaryRowArity,
  binaryRowHash,
  DataTypes,
  decodeBinaryRow,
  decodeHashIndexFile,
  encodeBinaryRow,
  ErrorKind,
  HASH_INDEX_TYPE,
  type IndexManifestEntry,
  isStreamhouseError,
  type Row,
} from "@streamhouse/format";
import { compactTable } from "../src/compact/compact-table.js";
import type { FileStoreTable } from "../src/file-store-table.js";
import { expireSnapshots } from "../src/maintenance/expire-snapshots.js";
import { TableRead } from "../src/read/table-read.js";
import { planSnapshot } from "../src/scan/table-scan.js";
import { TablePaths } from "../src/table-paths.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { type Change, TableWrite } from "../src/write/table-write.js";
import { createTable } from "./write-test-commit.js";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-dynbucket-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);
const F = DataTypes.FIELD;

const FIELDS = [F(0, "id", DataTypes.INT(false)), F(1, "p", DataTypes.STRING(false)), F(2, "v", DataTypes.STRING())];
const KEY_TYPES = [DataTypes.INT(false)];
const PART_TYPES = [DataTypes.STRING(false)];
const keyHash = (id: number): number => binaryRowHash(encodeBinaryRow(KEY_TYPES, [id]));

async function dynamicTable(options: Record<string, string> = {}, partitioned = true): Promise<FileStoreTable> {
  return createTable(io, dir(), FIELDS, {
    primaryKeys: partitioned ? ["id", "p"] : ["id"],
    partitionKeys: partitioned ? ["p"] : [],
    options: { bucket: "-1", "dynamic-bucket.target-row-num": "5", ...options },
  });
}

/** Writes one checkpoint through a fresh writer and the real committer. */
async function writeCommit(table: FileStoreTable, changes: readonly Change[], checkpoint: bigint, user = "writer"): Promise<void> {
  const w = await TableWrite.open(table);
  try {
    await w.writeChanges(changes);
    await new FileStoreCommit(table, user).commit([await w.prepareCommit(checkpoint)]);
  } finally {
    await w.close();
  }
}

const upsert = (id: number, p: string, v: string): Change => ({ kind: "+I", row: { id, p, v } });

/** Per partition value: key id → the buckets holding a live row of it. */
async function bucketsOfKeys(table: FileStoreTable): Promise<Map<string, Map<number, number[]>>> {
  const read = new TableRead(table);
  const out = new Map<string, Map<number, number[]>>();
  for (const split of (await read.plan()).splits) {
    // Unpartitioned tables: all keys under "".
    const [p] = binaryRowArity(split.partition) === 0 ? [""] : (decodeBinaryRow(PART_TYPES, split.partition) as [string]);
    const part = out.get(p) ?? new Map<number, number[]>();
    out.set(p, part);
    for await (const row of read.readSplit(split)) {
      const id = row[0] as number;
      part.set(id, [...(part.get(id) ?? []), split.bucket]);
    }
  }
  return out;
}

async function hashEntries(table: FileStoreTable): Promise<IndexManifestEntry[]> {
  const plan = await planSnapshot(table);
  return (plan?.indexFiles ?? []).filter((e) => e.indexFile.indexType === HASH_INDEX_TYPE);
}

async function hashesOf(table: FileStoreTable, e: IndexManifestEntry): Promise<number[]> {
  return Array.from(decodeHashIndexFile(await io.read(TablePaths.indexFile(table.path, e.indexFile.fileName)))).sort((a, b) => a - b);
}

const sortedHashes = (ids: readonly number[]): number[] => ids.map(keyHash).sort((a, b) => a - b);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe("dynamic-bucket primary-key tables", () => {
  it("fill buckets up to the target in order, one HASH file per bucket, totalBuckets -1", async () => {
    const table = await dynamicTable();
    await writeCommit(table, [...range(0, 12).map((i) => upsert(i, "a", `a${i}`)), upsert(100, "b", "b100")], 1n);

    const plan = (await planSnapshot(table))!;
    expect(plan.files.length).toBeGreaterThan(0);
    for (const e of plan.files) expect(e.totalBuckets).toBe(-1);
    const byBucket = await bucketsOfKeys(table);
    const a = byBucket.get("a")!;
    // Keys in write order: 0..4 → bucket 0, 5..9 → 1, 10..11 → 2.
    for (const id of range(0, 12)) expect(a.get(id), `key ${id}`).toEqual([Math.floor(id / 5)]);
    expect(byBucket.get("b")!.get(100)).toEqual([0]);

    const entries = await hashEntries(table);
    expect(entries.map((e) => `${decodeBinaryRow(PART_TYPES, e.partition)[0]}/${e.bucket}:${e.indexFile.rowCount}`).sort()).toEqual(["a/0:5", "a/1:5", "a/2:2", "b/0:1"]);
    for (const e of entries) {
      const [p] = decodeBinaryRow(PART_TYPES, e.partition) as [string];
      const ids = [...byBucket.get(p)!].filter(([, b]) => b[0] === e.bucket).map(([id]) => id);
      expect(await hashesOf(table, e)).toEqual(sortedHashes(ids));
      expect(e.indexFile.fileName).toMatch(/^index-[0-9a-f-]{36}-\d+$/);
      expect(e.indexFile.fileSize).toBe(BigInt(ids.length * 4));
    }
  });

  it("keeps existing keys in their buckets across writers; new keys fill the open bucket; HASH files are replaced", async () => {
    const table = await dynamicTable();
    await writeCommit(table, range(0, 12).map((i) => upsert(i, "a", `v1-${i}`)), 1n);
    const before = await hashEntries(table);

    // Updates of keys in buckets 0 and 2, a delete in bucket 1, and 5 new keys.
    const changes: Change[] = [upsert(3, "a", "v2-3"), upsert(11, "a", "v2-11"), { kind: "-D", row: { id: 7, p: "a", v: null } }, ...range(12, 17).map((i) => upsert(i, "a", `v2-${i}`))];
    await writeCommit(table, changes, 2n);

    const a = (await bucketsOfKeys(table)).get("a")!;
    for (const id of range(0, 12)) {
      if (id === 7) expect(a.has(7)).toBe(false);
      else expect(a.get(id), `key ${id}`).toEqual([Math.floor(id / 5)]);
    }
    // Bucket 2 had 2 hashes: 12, 13, 14 fill it to 5, then 15, 16 open bucket 3.
    expect([12, 13, 14, 15, 16].map((id) => a.get(id))).toEqual([[2], [2], [2], [3], [3]]);
    const rows = await new TableRead(table).toArray();
    expect(rows.length).toBe(16);
    expect(rows.find((r) => r[0] === 3)).toEqual([3, "a", "v2-3"]);

    const after = await hashEntries(table);
    const summary = after.map((e) => `${e.bucket}:${e.indexFile.rowCount}`).sort();
    // The delete keeps key 7's hash in bucket 1 (Java counts it too).
    expect(summary).toEqual(["0:5", "1:5", "2:5", "3:2"]);
    const name = (es: IndexManifestEntry[], b: number) => es.find((e) => e.bucket === b)!.indexFile.fileName;
    // Buckets whose hash set did not change keep their file; bucket 2's is replaced.
    expect(name(after, 0)).toBe(name(before, 0));
    expect(name(after, 1)).toBe(name(before, 1));
    expect(name(after, 2)).not.toBe(name(before, 2));
    expect(await hashesOf(table, after.find((e) => e.bucket === 2)!)).toEqual(sortedHashes([10, 11, 12, 13, 14]));
  });

  it("one open writer over several checkpoints writes a bucket's HASH file only when it changed", async () => {
    const table = await dynamicTable({}, false);
    const w = await TableWrite.open(table);
    const commit = new FileStoreCommit(table, "streaming");
    await w.write(range(0, 7).map((i) => ({ id: i, p: "x", v: "1" })));
    const c1 = await w.prepareCommit(1n);
    expect(c1.messages.map((m) => [m.bucket, m.totalBuckets, m.dataIncrement.newIndexFiles.map((f) => f.rowCount)]).sort()).toEqual([
      [0, -1, [5n]],
      [1, -1, [2n]],
    ]);
    await commit.commit([c1]);
    await w.write([{ id: 1, p: "x", v: "2" }]);
    const c2 = await w.prepareCommit(2n);
    expect(c2.messages.map((m) => [m.bucket, m.dataIncrement.newIndexFiles.length])).toEqual([[0, 0]]);
    await commit.commit([c2]);
    await w.write([{ id: 9, p: "x", v: "3" }]);
    const c3 = await w.prepareCommit(3n);
    expect(c3.messages.map((m) => [m.bucket, m.dataIncrement.newIndexFiles.map((f) => f.rowCount)])).toEqual([[1, [3n]]]);
    await commit.commit([c3]);
    await w.close();
    const rows: Row[] = await new TableRead(table).toArray();
    expect(rows.map((r) => [r[0], r[2]]).sort((x, y) => (x[0] as number) - (y[0] as number))).toEqual([...range(0, 7), 9].map((i) => [i, i === 1 ? "2" : i === 9 ? "3" : "1"]));
    expect((await hashEntries(table)).map((e) => `${e.bucket}:${e.indexFile.rowCount}`).sort()).toEqual(["0:5", "1:3"]);
  });

  it("compaction rewrites the buckets in place and leaves the HASH index alone", async () => {
    const table = await dynamicTable();
    for (let round = 0; round < 3; round++) await writeCommit(table, range(0, 8).map((i) => upsert(i, "a", `r${round}-${i}`)), BigInt(round + 1));
    const before = await hashEntries(table);
    const result = await compactTable(table, { full: true });
    expect(result.snapshot?.commitKind).toBe("COMPACT");
    const plan = (await planSnapshot(table))!;
    for (const e of plan.files) expect(e.totalBuckets).toBe(-1);
    expect(new Set(plan.files.map((e) => e.bucket))).toEqual(new Set([0, 1]));
    expect(await hashEntries(table)).toEqual(before);
    const rows = await new TableRead(table).toArray();
    expect(rows.map((r) => r[2]).sort()).toEqual(range(0, 8).map((i) => `r2-${i}`).sort());
    // A writer after compaction still finds every key's bucket.
    await writeCommit(table, [upsert(6, "a", "last"), upsert(50, "a", "new")], 10n);
    const a = (await bucketsOfKeys(table)).get("a")!;
    expect(a.get(6)).toEqual([1]);
    expect(a.get(50)).toEqual([1]);
  });

  it("expiring snapshots deletes replaced HASH files and keeps the live ones", async () => {
    const table = await dynamicTable({}, false);
    for (let round = 0; round < 4; round++) await writeCommit(table, range(round * 3, round * 3 + 3).map((i) => upsert(i, "x", `r${round}`)), BigInt(round + 1));
    const live = (await hashEntries(table)).map((e) => e.indexFile.fileName).sort();
    expect(live).toHaveLength(3);
    expect(readdirSync(join(table.path, "index")).length).toBeGreaterThan(3);
    await expireSnapshots(table, { retainMin: 1, retainMax: 1, timeRetainedMs: 0 });
    expect(readdirSync(join(table.path, "index")).sort()).toEqual(live);
    await writeCommit(table, [upsert(0, "x", "again"), upsert(12, "x", "new")], 9n);
    const buckets = (await bucketsOfKeys(table)).get("")!;
    expect(buckets.get(0)).toEqual([0]);
    // 12 keys filled buckets 0 and 1; the 13th opens bucket 2.
    expect(buckets.get(12)).toEqual([2]);
  });

  it("refuses cross-partition upsert and bucket-key with typed errors", async () => {
    // Java allows this schema with bucket = -1 (its KEY_DYNAMIC mode), but our schema
    // decoder refuses a primary key without the partition fields; so the table handle is
    // a valid table's with the primary key narrowed in memory.
    const base = await dynamicTable();
    const cross: FileStoreTable = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as FileStoreTable, base, {
      schema: { ...base.schema, primaryKeys: ["id"] },
    });
    const e1 = await TableWrite.open(cross).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStreamhouseError(e1, ErrorKind.Unsupported), String(e1)).toBe(true);
    expect(String(e1)).toMatch(/cross-partition/);
    const keyed = await dynamicTable({ "bucket-key": "id" });
    const e2 = await TableWrite.open(keyed).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStreamhouseError(e2, ErrorKind.InvalidArgument), String(e2)).toBe(true);
  });
});
