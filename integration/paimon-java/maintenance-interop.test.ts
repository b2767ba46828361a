/**
 * Maintenance interop with Java Paimon 2.0: Java reads tables after our schema
 * changes, snapshot expiration, tags and rollback (latest, time travel, tags), and we
 * read, expire and roll back tables Java altered and tagged — then Java reads those.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { DataTypes } from "@streamhouse/format";
import { FileStoreTable, TableRead } from "@streamhouse/table";
import { FileStoreCommit } from "../../packages/table/src/write/file-store-commit.js";
import { TableWrite } from "../../packages/table/src/write/table-write.js";
import { alterTable } from "../../packages/table/src/schema/alter-table.js";
import { createTable } from "../../packages/table/src/schema/create-table.js";
import { SchemaChanges as C } from "../../packages/table/src/schema/schema-change.js";
import { expireSnapshots } from "../../packages/table/src/maintenance/expire-snapshots.js";
import { cleanOrphanFiles } from "../../packages/table/src/maintenance/orphan-files-clean.js";
import { rollbackTo } from "../../packages/table/src/maintenance/rollback.js";
import { createTag, listTags } from "../../packages/table/src/maintenance/tag-manager.js";
import { ensurePaimonJava, type JsonRow, type PaimonJava } from "./paimon-java.js";

let peer: PaimonJava;
let work: string;
const io = new LocalFileIO();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-maint-interop-"));
  peer = await ensurePaimonJava();
});

afterAll(async () => {
  await peer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Our rows as Java's dump shows them: {id, v[, n]} sorted by id. */
async function ours(path: string, sel: { snapshotId?: number; tag?: string } = {}): Promise<JsonRow[]> {
  const table = await FileStoreTable.open(io, path);
  const names = table.schema.fields.map((f) => f.name);
  const rows = await new TableRead(table).toArray(sel);
  return rows
    .map((r) => Object.fromEntries(names.map((n, i) => [n, typeof r[i] === "bigint" ? Number(r[i]) : (r[i] as JsonRow[string])])))
    .sort((a, b) => (a["id"] as number) - (b["id"] as number));
}

const norm = (rows: readonly JsonRow[]): JsonRow[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && /^-?\d+$/.test(v) && k === "n" ? Number(v) : v]))).sort((a, b) => (a["id"] as number) - (b["id"] as number));

describe("Java reads what our maintenance leaves", () => {
  test("after alter, expiration with a tag, and rollback", async () => {
    const path = join(work, "wh", "db.db", "ours");
    await createTable(io, path, { fields: "id INT NOT NULL, v STRING", primaryKeys: ["id"], options: { bucket: "2" } });
    let now = Date.now() - 3_600_000;
    let identifier = 1n;
    const write = async (rows: JsonRow[], overwrite = false) => {
      const table = await FileStoreTable.open(io, path);
      const w = await TableWrite.open(table);
      await w.write(rows as Record<string, never>[]);
      const c = await w.prepareCommit(identifier++);
      await w.close();
      const commit = new FileStoreCommit(table, "ours", { clock: () => now });
      if (overwrite) await commit.overwrite(null, c);
      else await commit.commit([c]);
      now += 60_000;
    };
    for (let k = 1; k <= 6; k++) await write([{ id: k, v: `a${k}` }, { id: k + 10, v: `b${k}` }], k === 4);
    await createTag(await FileStoreTable.open(io, path), "t2", { snapshotId: 2 });
    await alterTable(await FileStoreTable.open(io, path), [C.addColumn("n", DataTypes.BIGINT()), C.renameColumn("v", "value")]);
    await write([{ id: 100, value: "new", n: 7n } as unknown as JsonRow]);
    let table = await FileStoreTable.open(io, path);
    const report = await expireSnapshots(table, { retainMin: 3, timeRetainedMs: 0, maxDeletes: 100 });
    expect(report.expiredSnapshots).toEqual([1, 2, 3, 4]);
    expect((await cleanOrphanFiles(table, { olderThanMs: 0, clock: () => Date.now() + 1000 })).orphanFiles).toEqual([]);

    expect(norm(await peer.dump(path))).toEqual(await ours(path));
    expect(norm(await peer.dump(path, { snapshot: 5 }))).toEqual([
      { id: 4, v: "a4" },
      { id: 5, v: "a5" },
      { id: 14, v: "b4" },
      { id: 15, v: "b5" },
    ]);
    // The tag's snapshot expired; Java reads it from the tag file, files intact.
    expect(norm(await peer.dump(path, { tag: "t2" }))).toEqual([
      { id: 1, v: "a1" },
      { id: 2, v: "a2" },
      { id: 11, v: "b1" },
      { id: 12, v: "b2" },
    ]);

    await rollbackTo(table, { snapshotId: 6 });
    table = await FileStoreTable.open(io, path);
    expect(await table.snapshots.latestSnapshotId()).toBe(6);
    const javaRows = norm(await peer.dump(path));
    expect(javaRows).toEqual(await ours(path));
    expect(javaRows.map((r) => r["id"])).toEqual([4, 5, 6, 14, 15, 16]);
    // Rollback to the expired tag: the snapshot file comes back from the tag.
    await rollbackTo(table, { tag: "t2" });
    expect(norm(await peer.dump(path))).toEqual(await ours(path));
    expect((await peer.dump(path)).map((r) => r["id"])).toEqual([1, 2, 11, 12]);
  });
});

describe("we read and maintain what Java altered and tagged", () => {
  test("Java's alter and tags; our expiration and rollback; Java reads again", async () => {
    const warehouse = join(work, "wh2");
    const path = join(warehouse, "db.db", "java");
    const rows = (k: number): JsonRow[] => [
      { id: k, v: `a${k}` },
      { id: k + 10, v: `b${k}` },
    ];
    await peer.run({
      warehouse,
      database: "db",
      table: "java",
      ops: [
        { op: "create", schema: { fields: [{ name: "id", type: "INT NOT NULL" }, { name: "v", type: "STRING" }], primaryKeys: ["id"], options: { bucket: "1" } } },
        { op: "write", rows: rows(1) },
        { op: "write", rows: rows(2) },
        { op: "tag", name: "j2", snapshot: 2 },
        { op: "alter", changes: [{ addColumn: { name: "n", type: "INT" } }, { setOption: { key: "snapshot.num-retained.min", value: "1" } }] },
        { op: "write", rows: [{ id: 3, v: "c", n: 5 }] },
        { op: "write", rows: [{ id: 4, v: "d", n: 6 }] },
      ],
    });
    let table = await FileStoreTable.open(io, path);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "v", "n"]);
    expect((await listTags(table)).map((t) => [t.name, t.tag.snapshot.id])).toEqual([["j2", 2]]);
    expect(await ours(path, { tag: "j2" })).toEqual(norm(await peer.dump(path, { tag: "j2", latestSchema: true })));
    expect(await ours(path)).toEqual(norm(await peer.dump(path)));

    const report = await expireSnapshots(table, { timeRetainedMs: 0, maxDeletes: 100 });
    expect(report.expiredSnapshots).toEqual([1, 2, 3]);
    expect(norm(await peer.dump(path))).toEqual(await ours(path));
    expect(norm(await peer.dump(path, { tag: "j2" }))).toEqual([
      { id: 1, v: "a1" },
      { id: 2, v: "a2" },
      { id: 11, v: "b1" },
      { id: 12, v: "b2" },
    ]);
    await rollbackTo(table, { tag: "j2" });
    table = await FileStoreTable.open(io, path);
    expect(await table.snapshots.listSnapshotIds()).toEqual([2]);
    expect((await peer.dump(path)).map((r) => r["id"])).toEqual([1, 2, 11, 12]);
    // Java keeps writing on top of our rollback.
    await peer.run({ warehouse, database: "db", table: "java", ops: [{ op: "write", rows: [{ id: 50, v: "z", n: 1 }] }] });
    expect(await ours(path)).toEqual(norm(await peer.dump(path)));
  });
});
