/**
 * Tables Streamhouse writes WITH compaction, read by Java Paimon 2.0: universal
 * compaction in the writer, deletion vectors (32- and 64-bit), each changelog producer
 * (input, lookup, full-compaction) and the dedicated compaction job. For every snapshot
 * Java's rows must equal ours, and Java's streaming change dump (what a Paimon
 * streaming reader gets per snapshot) must equal our StreamScan's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { DELETION_VECTORS_INDEX_TYPE } from "@streamhouse/format";
import { FileStoreTable, planSnapshot, StreamScan, TableRead } from "@streamhouse/table";
import { compactTable } from "../../packages/table/src/compact/compact-table.js";
import { createPkTable, type Model, openWriter, randomChanges, SeededRandom } from "../../packages/table/test/compact-support.js";
import { changesBySnapshot, changeToJson, type JsonRow, multiset, rowToJson } from "../../packages/table/test/support/rows-json.js";
import { ensurePaimonJava, type PaimonJava } from "./paimon-java.js";

let java: PaimonJava;
let work: string;
const io = new LocalFileIO();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-compact-interop-"));
  java = await ensurePaimonJava();
});

afterAll(async () => {
  await java?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const CASES: Record<string, Record<string, string>> = {
  universal: { bucket: "2", "num-sorted-run.compaction-trigger": "3", "num-sorted-run.stop-trigger": "4" },
  "deletion vectors": { "deletion-vectors.enabled": "true", "num-sorted-run.compaction-trigger": "3" },
  "deletion vectors (bitmap64)": { "deletion-vectors.enabled": "true", "deletion-vectors.bitmap64": "true", "num-sorted-run.compaction-trigger": "3" },
  "changelog input": { "changelog-producer": "input", "num-sorted-run.compaction-trigger": "3" },
  "changelog lookup": { "changelog-producer": "lookup", "num-sorted-run.compaction-trigger": "3" },
  "changelog lookup + deletion vectors": { "changelog-producer": "lookup", "deletion-vectors.enabled": "true", bucket: "2" },
  "changelog full-compaction": { "changelog-producer": "full-compaction", "full-compaction.delta-commits": "2" },
};

async function compareWithJava(path: string): Promise<{ snapshots: number; changes: number }> {
  const table = await FileStoreTable.open(io, path);
  const fields = table.schema.fields;
  const read = new TableRead(table);
  const ids = await table.snapshots.listSnapshotIds();
  for (const id of ids) {
    const ours = multiset((await read.toArray({ snapshotId: id })).map((r) => rowToJson(fields, r)));
    expect(ours, `snapshot ${id}`).toEqual(multiset(await java.dump(path, { snapshot: id })));
  }
  const theirs = changesBySnapshot(await java.dump(path, { changesFrom: ids[0]!, changesTo: ids[ids.length - 1]! }));
  const changes: JsonRow[] = [];
  for await (const c of new StreamScan(table).changes({ start: { from: "snapshot", snapshotId: ids[0]! }, stopAtLatest: true })) changes.push(changeToJson(fields, c));
  const ours = changesBySnapshot(changes);
  let count = 0;
  for (const id of ids) {
    expect(ours[String(id)] ?? [], `changes of snapshot ${id}`).toEqual(theirs[String(id)] ?? []);
    count += (ours[String(id)] ?? []).length;
  }
  return { snapshots: ids.length, changes: count };
}

describe("Java Paimon reads tables Streamhouse compacted", () => {
  for (const [name, options] of Object.entries(CASES)) {
    test(name, async () => {
      const path = join(work, "wh", "db.db", name.replace(/[^a-z0-9]+/g, "_"));
      const table = await createPkTable(io, path, options);
      const w = await openWriter(table);
      const random = new SeededRandom(name.length * 7919);
      const model: Model = new Map();
      const kinds: string[] = [];
      for (let round = 1; round <= 10; round++) {
        for (const s of await w.checkpoint(randomChanges(random, model, 40, 12, round))) kinds.push(s.commitKind);
      }
      await w.close();
      expect(kinds).toContain("COMPACT");
      const t = await FileStoreTable.open(io, path);
      if (options["deletion-vectors.enabled"] === "true") {
        // Some snapshot hides rows with a vector (a later full compaction may drop them all).
        let vectors = 0;
        for (const id of await t.snapshots.listSnapshotIds()) {
          const plan = await planSnapshot(t, id);
          for (const e of plan!.indexFiles) if (e.indexFile.indexType === DELETION_VECTORS_INDEX_TYPE) vectors += e.indexFile.deletionVectorRanges?.length ?? 0;
        }
        expect(vectors).toBeGreaterThan(0);
      }
      const { changes } = await compareWithJava(path);
      if (options["changelog-producer"] !== undefined) expect(changes).toBeGreaterThan(0);
      // Our rows equal the model too (so Java agreeing means both are right).
      const rows = multiset((await new TableRead(t).toArray()).map((r) => rowToJson(t.schema.fields, r)));
      expect(rows).toEqual(multiset([...model.values()].map((r) => rowToJson(t.schema.fields, r))));
    });
  }

  test("the dedicated compaction job on a write-only table with deletion vectors", async () => {
    const path = join(work, "wh", "db.db", "job");
    const table = await createPkTable(io, path, { "write-only": "true", "deletion-vectors.enabled": "true", "changelog-producer": "lookup" });
    const w = await openWriter(table);
    const random = new SeededRandom(99);
    const model: Model = new Map();
    for (let round = 1; round <= 4; round++) {
      await w.checkpoint(randomChanges(random, model, 30, 10, round));
      if (round % 2 === 0) expect((await compactTable(await FileStoreTable.open(io, path))).snapshot?.commitKind).toBe("COMPACT");
    }
    await w.close();
    await compactTable(await FileStoreTable.open(io, path), { full: true });
    await compareWithJava(path);
  });
});
