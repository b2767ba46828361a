/**
 * Dynamic-bucket primary-key tables (`bucket = -1`) between Streamhouse and Java Paimon
 * 2.0, both ways. A key's bucket lives in the HASH index; whoever writes next must find
 * it there, or the key lands in a second bucket and readers return it twice. So each
 * step checks: the rows both sides read are the model's (no duplicates), every key lives
 * in exactly one bucket, keys that existed keep their bucket, and every HASH file holds
 * exactly the hashes of its bucket's keys (our key hash is Java's).
 *
 * 1. We create and write (our TableWrite + FileStoreCommit, several commits, updates
 *    and a delete, a small target-row-num so partitions open several buckets) → Java
 *    reads; Java writes into it (its HashBucketAssigner reads our index) → both read;
 *    Java compacts, then we compact → both read.
 * 2. Java creates and writes → we check its HASH files against our hash, continue
 *    writing → both read; Java writes again → both read.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { binaryRowHash, DataTypes, decodeBinaryRow, decodeHashIndexFile, encodeBinaryRow, HASH_INDEX_TYPE } from "@streamhouse/format";
import { compactTable, FileStoreTable, planSnapshot, TableRead } from "@streamhouse/table";
import { FileStoreCommit } from "../../packages/table/src/write/file-store-commit.js";
import { type Change, TableWrite } from "../../packages/table/src/write/table-write.js";
import { createTable } from "../../packages/table/test/write-test-commit.js";
import { ensurePaimonJava, type JsonRow, type PaimonJava, type SchemaSpec } from "./paimon-java.js";

const io = new LocalFileIO();
let peer: PaimonJava;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-dynbucket-interop-"));
  peer = await ensurePaimonJava();
});

afterAll(async () => {
  await peer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const F = DataTypes.FIELD;
const FIELDS = [F(0, "id", DataTypes.INT(false)), F(1, "p", DataTypes.STRING(false)), F(2, "v", DataTypes.STRING())];
const TARGET_ROWS = 20;
const OPTIONS = { bucket: "-1", "dynamic-bucket.target-row-num": String(TARGET_ROWS) };
const SCHEMA: SchemaSpec = {
  fields: [
    { name: "id", type: "INT NOT NULL" },
    { name: "p", type: "STRING NOT NULL" },
    { name: "v", type: "STRING" },
  ],
  primaryKeys: ["id", "p"],
  partitionKeys: ["p"],
  options: OPTIONS,
};

const keyHash = (id: number): number => binaryRowHash(encodeBinaryRow([DataTypes.INT(false)], [id]));

/** The expected table: `p/id` → v. */
type Model = Map<string, string | null>;
const keyOf = (p: string, id: number): string => `${p}/${id}`;

function modelRows(model: Model): string[] {
  return [...model].map(([k, v]) => {
    const [p, id] = k.split("/") as [string, string];
    return JSON.stringify({ id: Number(id), p, v });
  });
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const jsonRows = (rows: readonly JsonRow[]): string[] => sorted(rows.map((r) => JSON.stringify({ id: r["id"], p: r["p"], v: r["v"] })));

async function ourRows(table: FileStoreTable): Promise<string[]> {
  return sorted((await new TableRead(table).toArray()).map((r) => JSON.stringify({ id: r[0], p: r[1], v: r[2] })));
}

/** `p/id` → the buckets holding a live row of the key, read split by split. */
async function bucketsOfKeys(table: FileStoreTable): Promise<Map<string, number[]>> {
  const read = new TableRead(table);
  const out = new Map<string, number[]>();
  for (const split of (await read.plan()).splits) {
    for await (const row of read.readSplit(split)) {
      const k = keyOf(row[1] as string, row[0] as number);
      out.set(k, [...(out.get(k) ?? []), split.bucket]);
    }
  }
  return out;
}

/**
 * Checks the layout of the latest snapshot: one bucket per live key, data files with
 * totalBuckets -1, one HASH file per partition-bucket holding that bucket's key hashes
 * (a superset: deleted keys stay in the index). Returns `p/id` → bucket.
 */
async function checkLayout(table: FileStoreTable): Promise<Map<string, number>> {
  const buckets = await bucketsOfKeys(table);
  const layout = new Map<string, number>();
  for (const [k, bs] of buckets) {
    expect(bs, `key ${k} must live in one bucket`).toHaveLength(1);
    layout.set(k, bs[0]!);
  }
  const plan = (await planSnapshot(table))!;
  for (const e of plan.files) expect(e.totalBuckets).toBe(-1);
  const hashIndex = plan.indexFiles.filter((e) => e.indexFile.indexType === HASH_INDEX_TYPE);
  const seen = new Set<string>();
  for (const e of hashIndex) {
    const [p] = decodeBinaryRow([DataTypes.STRING(false)], e.partition) as [string];
    const where = `${p}/bucket-${e.bucket}`;
    expect(seen.has(where), `one HASH file for ${where}`).toBe(false);
    seen.add(where);
    const hashes = new Set(decodeHashIndexFile(await io.read(join(table.path, "index", e.indexFile.fileName))));
    expect(BigInt(hashes.size)).toBe(e.indexFile.rowCount);
    for (const [k, b] of layout) {
      const [kp, id] = k.split("/") as [string, string];
      if (kp === p && b === e.bucket) expect(hashes.has(keyHash(Number(id))), `hash of ${k} in ${where}`).toBe(true);
    }
  }
  for (const [k, b] of layout) expect(seen.has(`${k.split("/")[0]}/bucket-${b}`), `a HASH file for the bucket of ${k}`).toBe(true);
  return layout;
}

function expectKept(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): void {
  for (const [k, b] of before) if (after.has(k)) expect(after.get(k), `key ${k} keeps its bucket`).toBe(b);
}

async function weWrite(table: FileStoreTable, model: Model, changes: readonly { kind: "+I" | "-D"; p: string; id: number; v: string | null }[], checkpoint: bigint): Promise<void> {
  const w = await TableWrite.open(table);
  try {
    await w.writeChanges(changes.map((c): Change => ({ kind: c.kind, row: { id: c.id, p: c.p, v: c.v } })));
    await new FileStoreCommit(table, "streamhouse").commit([await w.prepareCommit(checkpoint)]);
  } finally {
    await w.close();
  }
  for (const c of changes) {
    if (c.kind === "-D") model.delete(keyOf(c.p, c.id));
    else model.set(keyOf(c.p, c.id), c.v);
  }
}

async function javaWrite(warehouse: string, name: string, model: Model, rows: readonly { p: string; id: number; v: string }[]): Promise<void> {
  await peer.run({ warehouse, database: "db", table: name, ops: [{ op: "write", rows: rows.map((r) => ({ id: r.id, p: r.p, v: r.v })) }] });
  for (const r of rows) model.set(keyOf(r.p, r.id), r.v);
}

async function expectBothRead(table: FileStoreTable, model: Model): Promise<void> {
  const want = sorted(modelRows(model));
  expect(jsonRows(await peer.dump(table.path))).toEqual(want);
  expect(await ourRows(await FileStoreTable.open(io, table.path))).toEqual(want);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const bucketCount = (layout: ReadonlyMap<string, number>, p: string): number => new Set([...layout].filter(([k]) => k.startsWith(`${p}/`)).map(([, b]) => b)).size;

describe("dynamic buckets with Java Paimon 2.0", () => {
  test("Java reads our dynamic-bucket table, and its writes keep our keys in their buckets", async () => {
    const warehouse = join(work, "ours");
    const path = join(warehouse, "db.db", "t");
    let table = await createTable(io, path, FIELDS, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options: OPTIONS });
    const model: Model = new Map();

    // Three commits of ours: 45 + 8 keys, then updates across buckets, a delete and new keys.
    await weWrite(table, model, [...range(0, 45).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a1-${id}` })), ...range(0, 8).map((id) => ({ kind: "+I" as const, p: "b", id, v: `b1-${id}` }))], 1n);
    await weWrite(table, model, [...[0, 19, 20, 39, 44].map((id) => ({ kind: "+I" as const, p: "a", id, v: `a2-${id}` })), { kind: "-D", p: "a", id: 21, v: null }, ...range(45, 60).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a2-${id}` }))], 2n);
    await weWrite(table, model, range(3, 30).map((id) => ({ kind: "+I" as const, p: "b", id, v: `b3-${id}` })), 3n);
    let layout = await checkLayout(table);
    expect(bucketCount(layout, "a")).toBe(3);
    expect(bucketCount(layout, "b")).toBe(2);
    await expectBothRead(table, model);

    // Java upserts keys of every bucket and adds new ones, through its HashBucketAssigner.
    const before = layout;
    await javaWrite(warehouse, "t", model, [...range(0, 70).filter((id) => id % 4 === 0).map((id) => ({ p: "a", id, v: `aj-${id}` })), ...range(0, 35).map((id) => ({ p: "b", id, v: `bj-${id}` }))]);
    table = await FileStoreTable.open(io, path);
    layout = await checkLayout(table);
    expectKept(before, layout);
    await expectBothRead(table, model);

    // We write again after Java: Java's new HASH files must hold our next keys' buckets.
    const beforeOurs = layout;
    await weWrite(table, model, range(50, 80).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a4-${id}` })), 4n);
    layout = await checkLayout(table);
    expectKept(beforeOurs, layout);
    expect(bucketCount(layout, "a")).toBe(4);
    await expectBothRead(table, model);

    // Java's full compaction, then ours: buckets, index and rows stay.
    await peer.run({ warehouse, database: "db", table: "t", ops: [{ op: "compact", full: true }] });
    table = await FileStoreTable.open(io, path);
    expectKept(layout, await checkLayout(table));
    await expectBothRead(table, model);
    await weWrite(table, model, [{ kind: "+I", p: "a", id: 1, v: "after-java-compact" }], 5n);
    const ours = await compactTable(table, { full: true });
    expect(ours.snapshot?.commitKind).toBe("COMPACT");
    expectKept(layout, await checkLayout(table));
    await expectBothRead(table, model);
  });

  test("with deletion vectors: HASH and DELETION_VECTORS index files share the index manifest", async () => {
    // Batch reads skip level-0 files here, so checkLayout sees the compacted keys only;
    // the model comparison after the final full compaction sees them all.
    const warehouse = join(work, "dv");
    const path = join(warehouse, "db.db", "t");
    const options = { ...OPTIONS, "deletion-vectors.enabled": "true" };
    let table = await createTable(io, path, FIELDS, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options });
    const model: Model = new Map();
    await weWrite(table, model, range(0, 30).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a1-${id}` })), 1n);
    await weWrite(table, model, [...range(0, 40).filter((id) => id % 2 === 0).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a2-${id}` })), { kind: "-D", p: "a", id: 5, v: null }], 2n);
    const before = await checkLayout(table);
    await javaWrite(warehouse, "t", model, range(0, 50).filter((id) => id % 3 === 0).map((id) => ({ p: "a", id, v: `aj-${id}` })));
    table = await FileStoreTable.open(io, path);
    const after = await checkLayout(table);
    expectKept(before, after);
    // 20 + 10 keys, 5 more of ours and 5 of Java's fill bucket 1 exactly.
    expect(bucketCount(after, "a")).toBe(2);
    await weWrite(table, model, range(0, 60).filter((id) => id % 5 === 0).map((id) => ({ kind: "+I" as const, p: "a", id, v: `a3-${id}` })), 3n);
    const types = new Set((await planSnapshot(table))!.indexFiles.map((e) => e.indexFile.indexType));
    expect(types).toEqual(new Set([HASH_INDEX_TYPE, "DELETION_VECTORS"]));
    await compactTable(table, { full: true });
    const compacted = await checkLayout(table);
    expectKept(after, compacted);
    expect(bucketCount(compacted, "a")).toBe(3);
    await expectBothRead(table, model);
  });

  test("we continue a dynamic-bucket table Java wrote", async () => {
    const warehouse = join(work, "java");
    const model: Model = new Map();
    await peer.run({ warehouse, database: "db", table: "t", ops: [{ op: "create", schema: SCHEMA }] });
    await javaWrite(warehouse, "t", model, [...range(0, 50).map((id) => ({ p: "x", id, v: `x1-${id}` })), ...range(0, 5).map((id) => ({ p: "y", id, v: `y1-${id}` }))]);
    await javaWrite(warehouse, "t", model, range(10, 60).map((id) => ({ p: "x", id, v: `x2-${id}` })));
    const path = join(warehouse, "db.db", "t");
    let table = await FileStoreTable.open(io, path);
    // Java's HASH files hold exactly our hashes of its keys (checkLayout), one bucket per key.
    let layout = await checkLayout(table);
    expect(bucketCount(layout, "x")).toBe(3);
    await expectBothRead(table, model);

    const before = layout;
    await weWrite(
      table,
      model,
      [...range(0, 80).filter((id) => id % 3 === 0).map((id) => ({ kind: "+I" as const, p: "x", id, v: `x3-${id}` })), { kind: "-D", p: "x", id: 1, v: null }, ...range(0, 30).map((id) => ({ kind: "+I" as const, p: "y", id, v: `y3-${id}` }))],
      1n,
    );
    layout = await checkLayout(table);
    expectKept(before, layout);
    expect(bucketCount(layout, "x")).toBe(4);
    expect(bucketCount(layout, "y")).toBe(2);
    await expectBothRead(table, model);

    const beforeJava = layout;
    await javaWrite(warehouse, "t", model, range(70, 90).map((id) => ({ p: "x", id, v: `x4-${id}` })));
    table = await FileStoreTable.open(io, path);
    layout = await checkLayout(table);
    expectKept(beforeJava, layout);
    await expectBothRead(table, model);
  });
});
