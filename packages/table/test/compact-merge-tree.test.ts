import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { FileSource } from "@streamhouse/format";
import { compactTable } from "../src/compact/compact-table.js";
import { planSnapshot } from "../src/scan/table-scan.js";
import { TableWrite } from "../src/write/table-write.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { createPkTable, type Model, openWriter, randomChanges, readRows, reopen, SeededRandom, sortedRows } from "./compact-support.js";
import { createTable } from "./write-test-commit.js";
import { DataTypes } from "@streamhouse/format";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-compact-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);

/** Sorted runs per bucket of the latest snapshot. */
async function runsPerBucket(table: Awaited<ReturnType<typeof createPkTable>>): Promise<number[]> {
  const plan = await planSnapshot(await reopen(table));
  const byBucket = new Map<number, { l0: number; levels: Set<number> }>();
  for (const e of plan?.files ?? []) {
    const b = byBucket.get(e.bucket) ?? { l0: 0, levels: new Set<number>() };
    if (e.file.level === 0) b.l0++;
    else b.levels.add(e.file.level);
    byBucket.set(e.bucket, b);
  }
  return [...byBucket.values()].map((b) => b.l0 + b.levels.size);
}

describe("merge-tree compaction in the writer", () => {
  it("keeps reads equal to the model over many small commits, with sorted runs bounded by the stop trigger", async () => {
    const table = await createPkTable(io, dir(), { bucket: "2", "num-sorted-run.compaction-trigger": "3", "num-sorted-run.stop-trigger": "4" });
    const w = await openWriter(table);
    const random = new SeededRandom(7);
    const model: Model = new Map();
    let compactSnapshots = 0;
    for (let round = 1; round <= 25; round++) {
      const snaps = await w.checkpoint(randomChanges(random, model, 40, 12, round));
      compactSnapshots += snaps.filter((s) => s.commitKind === "COMPACT").length;
      expect(await readRows(await reopen(table)), `round ${round}`).toEqual(sortedRows(model.values()));
      for (const runs of await runsPerBucket(table)) expect(runs, `round ${round}`).toBeLessThanOrEqual(4);
    }
    expect(compactSnapshots).toBeGreaterThan(3);
    const plan = await planSnapshot(await reopen(table));
    expect(plan!.files.some((e) => e.file.level > 0 && e.file.fileSource === FileSource.COMPACT)).toBe(true);
    await w.close();
    // A new writer restores the levels and goes on.
    const w2 = await openWriter(await reopen(table), "writer-2");
    for (let round = 26; round <= 30; round++) {
      await w2.checkpoint(randomChanges(random, model, 40, 12, round));
      expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    }
    await w2.close();
  });

  it("full compaction leaves one run in the last level and drops deletes there", async () => {
    const table = await createPkTable(io, dir(), { "num-sorted-run.compaction-trigger": "10" });
    const w = await openWriter(table);
    const random = new SeededRandom(3);
    const model: Model = new Map();
    for (let round = 1; round <= 6; round++) await w.checkpoint(randomChanges(random, model, 30, 10, round));
    const snaps = await w.checkpoint([], { fullCompaction: true });
    expect(snaps.map((s) => s.commitKind)).toEqual(["COMPACT"]);
    const plan = await planSnapshot(await reopen(table));
    const maxLevel = table.options.numLevels() - 1;
    expect(plan!.files.every((e) => e.file.level === maxLevel)).toBe(true);
    expect(plan!.files.every((e) => e.file.deleteRowCount === 0n)).toBe(true);
    expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    await w.close();
  });

  it("write-only writers do not compact; compactTable does, as one COMPACT snapshot", async () => {
    const path = dir();
    const table = await createPkTable(io, path, { "write-only": "true", "num-sorted-run.compaction-trigger": "2" });
    const w = await openWriter(table);
    const random = new SeededRandom(11);
    const model: Model = new Map();
    for (let round = 1; round <= 6; round++) {
      const snaps = await w.checkpoint(randomChanges(random, model, 30, 10, round));
      expect(snaps.map((s) => s.commitKind)).toEqual(["APPEND"]);
    }
    await w.close();
    expect(await runsPerBucket(table)).toEqual([6]);
    const picked = await compactTable(await reopen(table));
    expect(picked.snapshot?.commitKind).toBe("COMPACT");
    expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    expect((await runsPerBucket(table))[0]).toBeLessThan(6);
    // (the picked compaction may already have been a full one: size amplification)
    await compactTable(await reopen(table), { full: true });
    expect(await runsPerBucket(table)).toEqual([1]);
    expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    // Nothing left to do.
    expect((await compactTable(await reopen(table), { full: true })).snapshot).toBeNull();
  });

  it("compactTable compacts only the partitions asked for", async () => {
    const F = DataTypes.FIELD;
    const table = await createTable(io, dir(), [F(0, "id", DataTypes.INT(false)), F(1, "p", DataTypes.STRING(false)), F(2, "v", DataTypes.STRING())], {
      primaryKeys: ["id", "p"],
      partitionKeys: ["p"],
      options: { bucket: "1", "write-only": "true" },
    });
    const write = await TableWrite.open(table);
    const commit = new FileStoreCommit(table, "u");
    for (let i = 1; i <= 3; i++) {
      await write.write([{ id: i, p: "a", v: `a${i}` }, { id: i, p: "b", v: `b${i}` }]);
      await commit.commit([await write.prepareCommit(BigInt(i))]);
    }
    await write.close();
    const r = await compactTable(await reopen(table), { full: true, partitions: [{ p: "a" }] });
    expect(r.buckets).toBe(1);
    const plan = await planSnapshot(await reopen(table));
    const levels = (p: string) => plan!.files.filter((e) => Buffer.from(e.partition).toString("latin1").includes(p)).map((e) => e.file.level);
    expect(levels("a")).toEqual([table.options.numLevels() - 1]);
    expect(levels("b")).toEqual([0, 0, 0]);
    await expect(compactTable(await reopen(table), { partitions: [{ nope: "x" }] })).rejects.toThrow(/not a partition column/);
  });

  it("append tables merge small files into bigger ones", async () => {
    const F = DataTypes.FIELD;
    const path = dir();
    const table = await createTable(io, path, [F(0, "id", DataTypes.INT(false)), F(1, "v", DataTypes.STRING())], {
      options: { bucket: "-1", "compaction.min.file-num": "3" },
    });
    const write = await TableWrite.open(table);
    const commit = new FileStoreCommit(table, "u");
    const expected: unknown[][] = [];
    for (let i = 1; i <= 8; i++) {
      const rows = Array.from({ length: 5 }, (_, j) => ({ id: i * 10 + j, v: `v${i}` }));
      expected.push(...rows.map((r) => [r.id, r.v]));
      await write.write(rows);
      await commit.commit([await write.prepareCommit(BigInt(i))]);
    }
    const full = await write.prepareCommit(100n, { fullCompaction: true });
    await commit.commit([full]);
    await write.close();
    const plan = await planSnapshot(await reopen(table));
    expect(plan!.files.length).toBe(1);
    expect(plan!.files[0]!.file.fileSource).toBe(FileSource.COMPACT);
    // Row order is kept.
    expect(await readRows(await reopen(table))).toEqual(expected);
    expect(readdirSync(join(path, "bucket-0")).length).toBeGreaterThan(1);
  });
});
