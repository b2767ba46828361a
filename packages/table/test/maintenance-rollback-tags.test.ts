/**
 * Tags (create, list, delete, expire by retention) and rollback to a snapshot or a
 * tag, on tables written by our TableWrite + FileStoreCommit: rows read after each
 * step are those of the snapshot rolled back to, files nothing references any more
 * are gone, writing continues after a rollback, and a crash at any step of a rollback
 * leaves a readable table.
 */
import { describe, expect, it } from "vitest";
import { FaultInjectingFileIO, type FileIO, isCrash, MemoryFileIO } from "@streamhouse/fileio";
import { ErrorKind, isStreamhouseError, type Snapshot } from "@streamhouse/format";
import { FileStoreTable } from "../src/file-store-table.js";
import { TableRead } from "../src/read/table-read.js";
import { createTable } from "../src/schema/create-table.js";
import { TablePaths } from "../src/table-paths.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { TableWrite } from "../src/write/table-write.js";
import { expireSnapshots } from "../src/maintenance/expire-snapshots.js";
import { liveDataFiles, metadataFiles } from "../src/maintenance/file-references.js";
import { rollbackTo } from "../src/maintenance/rollback.js";
import { createTag, deleteTag, expireTags, listTags } from "../src/maintenance/tag-manager.js";

const PATH = "/wh/db.db/t";
const MINUTE = 60_000;
const T0 = 1_750_000_000_000;

class Harness {
  now = T0;
  private identifier = 1n;
  constructor(readonly io: FileIO) {}

  static async create(io: FileIO): Promise<Harness> {
    const h = new Harness(io);
    await createTable(io, PATH, { fields: "id INT NOT NULL, v STRING", primaryKeys: ["id"], options: { bucket: "2" } }, { clock: () => h.now });
    return h;
  }

  open(): Promise<FileStoreTable> {
    return FileStoreTable.open(this.io, PATH);
  }

  /** One commit of ids [from, from+n) with value tag `v`; `overwrite` replaces everything. */
  async commit(from: number, n: number, v: string, overwrite = false): Promise<number> {
    const table = await this.open();
    const w = await TableWrite.open(table);
    await w.write(Array.from({ length: n }, (_, i) => ({ id: from + i, v })));
    const c = await w.prepareCommit(this.identifier++);
    await w.close();
    const commit = new FileStoreCommit(table, "writer", { clock: () => this.now, sleep: async () => {} });
    const [s] = overwrite ? await commit.overwrite(null, c) : await commit.commit([c]);
    this.now += 10 * MINUTE;
    return s!.id;
  }
}

async function read(table: FileStoreTable, snapshotId?: number): Promise<string[]> {
  return (await new TableRead(table).toArray(snapshotId === undefined ? {} : { snapshotId })).map((r) => JSON.stringify(r)).sort();
}

async function allFiles(io: FileIO, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await io.list(dir)) {
    if (e.isDirectory) out.push(...(await allFiles(io, e.path)));
    else out.push(e.path);
  }
  return out;
}

/** Data and manifest files on disk that no snapshot and no tag references. */
async function unreferenced(table: FileStoreTable): Promise<string[]> {
  const used = new Set<string>();
  const snaps: Snapshot[] = [];
  for (const id of await table.snapshots.listSnapshotIds()) snaps.push(await table.snapshots.snapshot(id));
  for (const { tag } of await listTags(table)) snaps.push(tag.snapshot);
  for (const s of snaps) {
    for (const p of await liveDataFiles(table, s)) used.add(p);
    for (const p of (await metadataFiles(table, s)).paths) used.add(p);
  }
  return (await allFiles(table.io, PATH)).filter((p) => !/\/(schema|snapshot|tag|consumer)\//.test(p) && !used.has(p));
}

async function sixCommits(h: Harness): Promise<Map<number, string[]>> {
  const expected = new Map<number, string[]>();
  for (let k = 1; k <= 6; k++) {
    const id = await h.commit(k * 3, 5, `v${k}`, k === 4);
    expected.set(id, await read(await h.open(), id));
  }
  return expected;
}

describe("tags", () => {
  it("creates, lists, refuses duplicates and bad names, and deletes", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const table0 = await h.open();
    await expect(createTag(table0, "empty")).rejects.toMatchObject({ kind: ErrorKind.NotFound });
    await sixCommits(h);
    const table = await h.open();
    await createTag(table, "latest");
    await createTag(table, "two", { snapshotId: 2, timeRetainedMs: 3_600_000, clock: () => h.now });
    expect((await listTags(table)).map((t) => [t.name, t.tag.snapshot.id, t.tag.timeRetainedSeconds])).toEqual([
      ["two", 2, 3600],
      ["latest", 6, null],
    ]);
    await expect(createTag(table, "two")).rejects.toMatchObject({ kind: ErrorKind.AlreadyExists });
    await expect(createTag(table, "42")).rejects.toMatchObject({ kind: ErrorKind.InvalidArgument });
    await expect(createTag(table, "a/b")).rejects.toMatchObject({ kind: ErrorKind.InvalidArgument });
    await expect(createTag(table, "x", { snapshotId: 99 })).rejects.toMatchObject({ kind: ErrorKind.NotFound });
    await expect(deleteTag(table, "nope")).rejects.toMatchObject({ kind: ErrorKind.NotFound });
    expect((await deleteTag(table, "latest")).deletedFiles).toEqual([]);
    expect((await listTags(table)).map((t) => t.name)).toEqual(["two"]);
  });

  it("expires tags past their retention and deletes files only an expired tag kept", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const expected = await sixCommits(h);
    const table = await h.open();
    await createTag(table, "short", { snapshotId: 2, timeRetainedMs: 30 * MINUTE, clock: () => h.now });
    await createTag(table, "forever", { snapshotId: 3, clock: () => h.now });
    await expireSnapshots(table, { retainMin: 2, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now });
    expect(await table.snapshots.listSnapshotIds()).toEqual([5, 6]);
    // Snapshot 2's files (retired by the overwrite at 4) are still there for the tag.
    expect(await unreferenced(table)).toEqual([]);
    expect(await expireTags(table, { clock: () => h.now + 10 * MINUTE })).toEqual([]);
    expect(await expireTags(table, { clock: () => h.now + 31 * MINUTE })).toEqual(["short"]);
    expect((await listTags(table)).map((t) => t.name)).toEqual(["forever"]);
    // Files of snapshot 2 that "forever" (snapshot 3) still uses stay; the rest went.
    expect(await unreferenced(table)).toEqual([]);
    for (const id of [5, 6]) expect(await read(table, id)).toEqual(expected.get(id));
    // Deleting the last tag of an expired snapshot removes everything only it kept.
    const report = await deleteTag(table, "forever");
    expect(report.deletedFiles.length).toBeGreaterThan(0);
    expect(await unreferenced(table)).toEqual([]);
    expect(await read(table)).toEqual(expected.get(6));
  });
});

describe("rollbackTo", () => {
  it("rolls back to a snapshot, drops newer tags and files, and writing continues", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const expected = await sixCommits(h);
    let table = await h.open();
    await createTag(table, "t2", { snapshotId: 2 });
    await createTag(table, "t5", { snapshotId: 5 });
    const report = await rollbackTo(table, { snapshotId: 3 });
    expect(report.removedSnapshots).toEqual([6, 5, 4]);
    expect(report.removedTags).toEqual(["t5"]);
    table = await h.open();
    expect(await table.snapshots.latestSnapshotId()).toBe(3);
    expect(new TextDecoder().decode(await h.io.read(TablePaths.latestHint(PATH)))).toBe("3");
    expect(await read(table)).toEqual(expected.get(3));
    expect(await unreferenced(table)).toEqual([]);

    const id = await h.commit(100, 2, "after");
    expect(id).toBe(4);
    const rows = await read(await h.open());
    expect(rows).toEqual([...expected.get(3)!, JSON.stringify([100, "after"]), JSON.stringify([101, "after"])].sort());
    await expect(rollbackTo(table, { snapshotId: 42 })).rejects.toMatchObject({ kind: ErrorKind.NotFound });
    await expect(rollbackTo(table, { tag: "nope" })).rejects.toMatchObject({ kind: ErrorKind.NotFound });
  });

  it("rolls back to a tag whose snapshot has expired", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const expected = await sixCommits(h);
    let table = await h.open();
    await createTag(table, "t2", { snapshotId: 2 });
    await expireSnapshots(table, { retainMin: 2, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now });
    expect(await table.snapshots.listSnapshotIds()).toEqual([5, 6]);
    await rollbackTo(table, { tag: "t2" });
    table = await h.open();
    expect(await table.snapshots.listSnapshotIds()).toEqual([2]);
    expect(await table.snapshots.earliestSnapshotId()).toBe(2);
    expect(await read(table)).toEqual(expected.get(2));
    expect(await unreferenced(table)).toEqual([]);
    expect(await h.commit(50, 1, "x")).toBe(3);
  });

  it("leaves a readable table after a crash at any step; a re-run completes it", async () => {
    for (let crashAt = 1; ; crashAt++) {
      const mem = new MemoryFileIO();
      const h = await Harness.create(mem);
      const expected = await sixCommits(h);
      const io = new FaultInjectingFileIO(mem, { seed: crashAt });
      const table = await FileStoreTable.open(io, PATH);
      io.restart({ crashAtOperation: crashAt });
      let finished = false;
      try {
        await rollbackTo(table, { snapshotId: 2 });
        finished = true;
      } catch (e) {
        if (!isCrash(e)) throw e;
      }
      io.restart();
      const reopened = await FileStoreTable.open(io, PATH);
      const latest = (await reopened.snapshots.latestSnapshotId())!;
      expect(await read(reopened), `crashAt ${crashAt}`).toEqual(expected.get(latest));
      if (!finished) await rollbackTo(reopened, { snapshotId: 2 });
      expect(await read(reopened)).toEqual(expected.get(2));
      if (finished) {
        expect(await unreferenced(reopened)).toEqual([]);
        break;
      }
    }
  });

  it("refuses an unknown tag and reports typed errors", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const table = await h.open();
    const e = await rollbackTo(table, { snapshotId: 1 }).catch((x: unknown) => x);
    expect(isStreamhouseError(e, ErrorKind.NotFound)).toBe(true);
  });
});
