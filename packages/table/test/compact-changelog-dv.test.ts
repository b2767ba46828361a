import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { DELETION_VECTORS_INDEX_TYPE, decodeDvIndexFile } from "@streamhouse/format";
import { compactTable } from "../src/compact/compact-table.js";
import { planSnapshot } from "../src/scan/table-scan.js";
import {
  createPkTable,
  diffLabels,
  inputLabels,
  type Model,
  openWriter,
  randomChanges,
  readRows,
  reopen,
  SeededRandom,
  sortedRows,
  streamedChanges,
} from "./compact-support.js";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-compact-cl-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);

describe("deletion vectors", () => {
  it("marks older versions deleted instead of rewriting them; reads equal the model after every commit", async () => {
    const path = dir();
    const table = await createPkTable(io, path, { "deletion-vectors.enabled": "true", "num-sorted-run.compaction-trigger": "3", bucket: "2" });
    const w = await openWriter(table);
    const random = new SeededRandom(21);
    const model: Model = new Map();
    let sawVectors = false;
    for (let round = 1; round <= 20; round++) {
      const snaps = await w.checkpoint(randomChanges(random, model, 50, 10, round));
      // Data becomes visible with the commit's compaction: level 0 is read by nobody.
      expect(snaps.map((s) => s.commitKind)).toEqual(["APPEND", "COMPACT"]);
      const t = await reopen(table);
      expect(await readRows(t), `round ${round}`).toEqual(sortedRows(model.values()));
      const plan = await planSnapshot(t);
      expect(plan!.files.every((e) => e.file.level > 0)).toBe(true);
      const dvs = plan!.indexFiles.filter((e) => e.indexFile.indexType === DELETION_VECTORS_INDEX_TYPE);
      expect(new Set(dvs.map((e) => e.bucket)).size).toBe(dvs.length); // one index file per bucket
      for (const e of dvs) {
        const live = new Set(plan!.files.filter((f) => f.bucket === e.bucket).map((f) => f.file.fileName));
        for (const r of e.indexFile.deletionVectorRanges ?? []) expect(live.has(r.dataFileName)).toBe(true);
        const decoded = decodeDvIndexFile(await io.read(join(path, "index", e.indexFile.fileName)));
        expect(decoded.length).toBe(e.indexFile.deletionVectorRanges?.length);
        if (decoded.some((d) => d.vector.cardinality > 0)) sawVectors = true;
      }
    }
    expect(sawVectors).toBe(true);
    await w.close();
  });

  it("keeps level-0 files invisible until compaction (write-only), then compactTable shows them", async () => {
    const table = await createPkTable(io, dir(), { "deletion-vectors.enabled": "true" });
    const w = await openWriter(table);
    const random = new SeededRandom(5);
    const model: Model = new Map();
    await w.checkpoint(randomChanges(random, model, 20, 15, 1));
    const visible = await readRows(await reopen(table));
    expect(visible).toEqual(sortedRows(model.values()));
    await w.close();
    // a write-only writer on the same table: its level-0 files stay invisible
    const wo = await createWriteOnly(table);
    const before = new Map(model);
    const snaps = await wo.checkpoint(randomChanges(random, model, 20, 15, 2));
    expect(snaps.map((s) => s.commitKind)).toEqual(["APPEND"]);
    expect(await readRows(await reopen(table))).toEqual(sortedRows(before.values()));
    await wo.close();
    const r = await compactTable(await reopen(table));
    expect(r.snapshot?.commitKind).toBe("COMPACT");
    expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
  });
});

async function createWriteOnly(table: Awaited<ReturnType<typeof createPkTable>>) {
  const { FileStoreTable } = await import("../src/file-store-table.js");
  return openWriter(await FileStoreTable.open(table.io, table.path, { "write-only": "true" }), "write-only");
}

describe("changelog producers", () => {
  it("input: the writer's input records become the changelog, per checkpoint", async () => {
    const path = dir();
    const table = await createPkTable(io, path, { "changelog-producer": "input", "num-sorted-run.compaction-trigger": "3" });
    const w = await openWriter(table);
    const random = new SeededRandom(9);
    const model: Model = new Map();
    for (let round = 1; round <= 8; round++) {
      const changes = randomChanges(random, model, 30, 10, round);
      const snaps = await w.checkpoint(changes);
      expect(await streamedChanges(await reopen(table), snaps), `round ${round}`).toEqual(inputLabels(changes));
      expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    }
    await w.close();
    expect(readdirSync(join(path, "bucket-0")).some((f) => /^changelog-[0-9a-f-]{36}-\d+\.parquet$/.test(f))).toBe(true);
  });

  for (const dv of [false, true]) {
    it(`lookup${dv ? " with deletion vectors" : ""}: -U/+U, +I, -D against the previous checkpoint`, async () => {
      const table = await createPkTable(io, dir(), {
        "changelog-producer": "lookup",
        "num-sorted-run.compaction-trigger": "3",
        ...(dv ? { "deletion-vectors.enabled": "true" } : {}),
      });
      const w = await openWriter(table);
      const random = new SeededRandom(dv ? 31 : 13);
      const model: Model = new Map();
      for (let round = 1; round <= 15; round++) {
        const before = new Map(model);
        const changes = randomChanges(random, model, 30, 10, round);
        const snaps = await w.checkpoint(changes);
        expect(await streamedChanges(await reopen(table), snaps), `round ${round}`).toEqual(diffLabels(before, model, { skipEqual: false, touched: changes }));
        expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
      }
      await w.close();
    });
  }

  it("full-compaction: the diff between consecutive full compactions, every delta-commits", async () => {
    const table = await createPkTable(io, dir(), { "changelog-producer": "full-compaction", "full-compaction.delta-commits": "2", "num-sorted-run.compaction-trigger": "50" });
    const w = await openWriter(table);
    const random = new SeededRandom(17);
    const model: Model = new Map();
    let last = new Map(model);
    for (let round = 1; round <= 10; round++) {
      const snaps = await w.checkpoint(randomChanges(random, model, 25, 8, round));
      const got = await streamedChanges(await reopen(table), snaps);
      if (round % 2 === 0) {
        expect(got, `round ${round}`).toEqual(diffLabels(last, model, { skipEqual: true }));
        last = new Map(model);
      } else {
        expect(got, `round ${round}`).toEqual([]);
      }
      expect(await readRows(await reopen(table))).toEqual(sortedRows(model.values()));
    }
    await w.close();
  });
});
