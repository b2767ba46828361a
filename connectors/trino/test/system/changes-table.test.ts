import { afterAll, describe, expect, it } from "vitest";
import { type Row, StreamhouseError } from "@streamhouse/format";
import type { FileIO } from "@streamhouse/fileio";
import { createTable, expireSnapshots } from "@streamhouse/table";
import { openSystemTable } from "../../src/system/system-tables.js";
import {
  between,
  createPkTable,
  insert,
  local,
  loggingIO,
  manifestFilesRead,
  openWriter,
  readAll,
  remove,
  reopen,
  snapshotFilesRead,
  tempDir,
  upsert,
} from "./system-support.js";

const tmp = tempDir("sh-sys-changes-");
afterAll(() => tmp.remove());
let n = 0;

/** One checkpoint per entry: upserts and deletes of two keys, then a key inserted and updated in one checkpoint. */
const CHECKPOINTS = [[insert(1, "a"), insert(2, "b")], [upsert(1, "a2")], [remove(2)], [insert(3, "c"), upsert(3, "c2")], [remove(1)]];

const show = (r: Row): string => `${r[3]} ${r[2]} ${r[0]},${r[1]}`;

/** `_snapshot_id _row_kind id,v` of every change, in the order read. */
const EXPECTED: Record<string, string[]> = {
  // the delta files: the writer's input merged per key within a checkpoint, as written
  none: ["1 +I 1,a", "1 +I 2,b", "2 +U 1,a2", "3 -D 2,null", "4 +U 3,c2", "5 -D 1,null"],
  // the changelog files: the input as it came
  input: ["1 +I 1,a", "1 +I 2,b", "2 +U 1,a2", "3 -D 2,null", "4 +I 3,c", "4 +U 3,c2", "5 -D 1,null"],
  // the changelog of each checkpoint's compaction (the even COMPACT snapshots), against the previous state
  lookup: ["2 +I 1,a", "2 +I 2,b", "4 -U 1,a", "4 +U 1,a2", "6 -D 2,b", "8 +I 3,c2", "10 -D 1,a2"],
};

async function writeTable(producer: string) {
  const options: Record<string, string> = producer === "none" ? {} : { "changelog-producer": producer };
  const table = await createPkTable(tmp.path(`t${n++}`), options);
  const w = await openWriter(table);
  for (const c of CHECKPOINTS) await w.checkpoint(c);
  await w.close();
  return reopen(table);
}

describe("t$changes", () => {
  for (const producer of ["none", "input", "lookup"]) {
    it(`returns exactly the committed row-kind sequence (changelog-producer ${producer})`, async () => {
      const table = await writeTable(producer);
      const changes = await openSystemTable(table, "changes");
      expect(changes.columns.map((c) => c.name)).toEqual(["id", "v", "_row_kind", "_snapshot_id"]);
      const rows = await readAll(changes);
      expect(rows.map(show)).toEqual(EXPECTED[producer]);
      expect(rows.every((r) => typeof r[3] === "bigint")).toBe(true);
    });
  }

  it("reads only the snapshots inside a pushed-down _snapshot_id range", async () => {
    const written = await writeTable("none");
    const io = loggingIO();
    const table = await reopen(written, io);
    const changes = await openSystemTable(table, "changes");
    const splits = await changes.splits(new Map([["_snapshot_id", between(2, 4)]]));
    expect(splits).toEqual([{ kind: "changes", from: "2", to: "4" }]);
    // planning lists the snapshot directory and opens no snapshot
    expect(snapshotFilesRead(io)).toEqual([]);
    const rows: Row[] = [];
    for (const s of splits) for await (const r of changes.rows(s)) rows.push(r);
    expect(rows.map(show)).toEqual(["2 +U 1,a2", "3 -D 2,null", "4 +U 3,c2"]);
    expect(snapshotFilesRead(io)).toEqual([2, 3, 4]);
    // only the delta manifest lists of 2..4 and their manifests
    const wanted = new Set<string>();
    for (const id of [2, 3, 4]) {
      const s = await written.snapshots.snapshot(id);
      wanted.add(s.deltaManifestList);
      for (const m of await written.manifests.manifestList(s.deltaManifestList)) wanted.add(m.fileName);
    }
    expect(manifestFilesRead(io)).toEqual([...wanted].sort());
  });

  it("treats exclusive and open bounds exactly, and an empty range as no splits", async () => {
    const table = await writeTable("none");
    const changes = await openSystemTable(table, "changes");
    const ids = async (range: Parameters<typeof between>) => [...new Set((await readAll(changes, new Map([["_snapshot_id", between(...range)]]))).map((r) => r[3]))];
    expect(await ids([undefined, 2])).toEqual([1n, 2n]);
    expect(await ids([4, undefined])).toEqual([4n, 5n]);
    const exclusive = { low: { value: 1n, inclusive: false }, high: { value: 3n, inclusive: false } };
    expect([...new Set((await readAll(changes, new Map([["_snapshot_id", exclusive]]))).map((r) => r[3]))]).toEqual([2n]);
    expect(await changes.splits(new Map([["_snapshot_id", between(4, 3)]]))).toEqual([]);
    expect(await changes.splits(new Map([["_snapshot_id", between(6, 100)]]))).toEqual([]);
    // a range on a table column is Trino's to apply: accepted, not pushed down
    expect((await readAll(changes, new Map([["id", between(1, 1)]]))).length).toBe(EXPECTED["none"]!.length);
  });

  it("skips snapshots expired before planning and between planning and reading", async () => {
    const table = await writeTable("none");
    const changes = await openSystemTable(table, "changes");
    const splits = await changes.splits(new Map([["_snapshot_id", between(1, 5)]]));
    const report = await expireSnapshots(table, { retainMin: 3, retainMax: 3, timeRetainedMs: 0 });
    expect(report.expiredSnapshots).toEqual([1, 2]);
    const rows: Row[] = [];
    for (const s of splits) for await (const r of changes.rows(s)) rows.push(r);
    expect(rows.map(show)).toEqual(["3 -D 2,null", "4 +U 3,c2", "5 -D 1,null"]);
    // planned after the expiration: the range starts at the earliest snapshot left
    expect(await readAll(changes, new Map([["_snapshot_id", between(0, 3)]]))).toHaveLength(1);
  });

  it("skips a snapshot that expires between the existence check and the read", async () => {
    const written = await writeTable("none");
    // Expiration racing the reader: snapshot 1 vanishes right after the reader saw it exists.
    const racing: FileIO = Object.assign(Object.create(local) as FileIO, {
      async exists(path: string) {
        const there = await local.exists(path);
        if (there && path.endsWith("/snapshot/snapshot-1")) await local.delete(path);
        return there;
      },
    });
    const changes = await openSystemTable(await reopen(written, racing), "changes");
    const rows = await readAll(changes, new Map([["_snapshot_id", between(1, 2)]]));
    expect(rows.map(show)).toEqual(["2 +U 1,a2"]);
  });

  it("gives an append table's rows as +I", async () => {
    const table = await createTable(local, tmp.path(`t${n++}`), { fields: "a INT, b STRING" });
    const w = await openWriter(table);
    await w.checkpoint([
      { kind: "+I", row: { a: 1, b: "x" } },
      { kind: "+I", row: { a: 2, b: null } },
    ]);
    await w.checkpoint([{ kind: "+I", row: { a: 3, b: "z" } }]);
    await w.close();
    const rows = await readAll(await openSystemTable(await reopen(table), "changes"));
    expect(rows).toEqual([
      [1, "x", "+I", 1n],
      [2, null, "+I", 1n],
      [3, "z", "+I", 2n],
    ]);
  });

  it("rejects malformed splits and constraints with typed errors", async () => {
    const table = await writeTable("none");
    const changes = await openSystemTable(table, "changes");
    const drain = async (split: unknown) => {
      for await (const _ of changes.rows(split)) {
      }
    };
    for (const bad of [null, "1", { kind: "snapshots", from: "1", to: "2" }, { kind: "changes", from: "x", to: "2" }, { kind: "changes", from: "3", to: "2" }, { kind: "changes", from: 1, to: 2 }]) {
      await expect(drain(bad), JSON.stringify(bad)).rejects.toMatchObject({ kind: "InvalidArgument" });
    }
    await expect(changes.splits(new Map([["nope", between(1, 2)]]))).rejects.toBeInstanceOf(StreamhouseError);
    await expect(changes.splits(new Map([["_row_kind", between(1, 2)]]))).rejects.toMatchObject({ kind: "InvalidArgument" });
    await expect(changes.splits(new Map([["_snapshot_id", { low: { value: 1, inclusive: true } } as never]]))).rejects.toMatchObject({ kind: "InvalidArgument" });
  });
});
