/**
 * Snapshot expiration on tables written by our TableWrite + FileStoreCommit, with an
 * injected clock: retained snapshots and tags read the rows they read before, no file
 * they reference is deleted, and every file only expired snapshots referenced is gone
 * (the store holds exactly the referenced files afterwards). Consumers block
 * expiration; a crash at every step leaves a readable table that a re-run finishes.
 */
import { describe, expect, it } from "vitest";
import { FaultInjectingFileIO, type FileIO, isCrash, joinPath, MemoryFileIO } from "@streamhouse/fileio";
import { type Snapshot, stringifyJackson } from "@streamhouse/format";
import { FileStoreTable } from "../src/file-store-table.js";
import { dataFilePath } from "../src/read/data-file-reader.js";
import { TableRead } from "../src/read/table-read.js";
import { mergeFileEntries } from "../src/scan/file-entries.js";
import { createTable } from "../src/schema/create-table.js";
import { TablePaths } from "../src/table-paths.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { TableWrite } from "../src/write/table-write.js";
import { expireSnapshots } from "../src/maintenance/expire-snapshots.js";
import { createTag } from "../src/maintenance/tag-manager.js";
import { cleanOrphanFiles } from "../src/maintenance/orphan-files-clean.js";

const PATH = "/wh/db.db/t";
const MINUTE = 60_000;
const T0 = 1_750_000_000_000;

type Row = { id: number; p: string; v: string };

/** Writes commits with a clock it controls; every `overwrite` retires all live files. */
class Harness {
  now = T0;
  private identifier = 1n;
  constructor(readonly io: FileIO) {}

  static async create(io: FileIO, options: Record<string, string> = {}): Promise<Harness> {
    const h = new Harness(io);
    await createTable(io, PATH, { fields: "id INT NOT NULL, p STRING NOT NULL, v STRING", primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "1", ...options } }, { clock: () => h.now });
    return h;
  }

  open(dynamic: Record<string, string> = {}): Promise<FileStoreTable> {
    return FileStoreTable.open(this.io, PATH, dynamic);
  }

  async commit(rows: readonly Row[], overwrite = false): Promise<void> {
    const table = await this.open();
    const w = await TableWrite.open(table, { clock: () => this.now });
    await w.write(rows);
    const c = await w.prepareCommit(this.identifier++);
    await w.close();
    const commit = new FileStoreCommit(table, "writer", { clock: () => this.now, sleep: async () => {} });
    if (overwrite) await commit.overwrite(null, c);
    else await commit.commit([c]);
    this.now += 10 * MINUTE;
  }
}

const rowsOf = (n: number, round: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: (i * 7 + round) % 20, p: i % 2 === 0 ? "a" : "b", v: `r${round}-${i}` }));

async function read(table: FileStoreTable, sel: { snapshotId?: number; tag?: string }): Promise<string[]> {
  if (sel.tag !== undefined) return readTag(table, sel.tag);
  return (await new TableRead(table).toArray(sel)).map((r) => JSON.stringify(r)).sort();
}

/**
 * Rows of a tag whose snapshot may have expired. TableRead resolves a tag to its
 * snapshot id and reads the snapshot file, so the tag file is served in its place.
 */
async function readTag(table: FileStoreTable, name: string): Promise<string[]> {
  const tag = (await table.tag(name))!;
  const snapshotPath = TablePaths.snapshot(table.path, tag.snapshot.id);
  const tagBytes = await table.io.read(TablePaths.tag(table.path, name));
  const inner = table.io;
  const overlay: FileIO = Object.assign(Object.create(inner) as FileIO, {
    read: (p: string) => (p === snapshotPath ? Promise.resolve(tagBytes) : inner.read(p)),
    exists: (p: string) => (p === snapshotPath ? Promise.resolve(true) : inner.exists(p)),
  });
  const view = await FileStoreTable.open(overlay, table.path);
  return (await new TableRead(view).toArray({ snapshotId: tag.snapshot.id })).map((r) => JSON.stringify(r)).sort();
}

/** Every file under the table that is not schema, snapshot, tag or consumer metadata. */
async function storedFiles(io: FileIO, dir: string = PATH): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of await io.list(dir)) {
    if (e.isDirectory) {
      if (dir === PATH && ["schema", "snapshot", "tag", "consumer"].includes(e.name)) continue;
      for (const f of await storedFiles(io, e.path)) out.add(f);
    } else {
      out.add(e.path);
    }
  }
  return out;
}

/** Files a snapshot references, computed independently of the maintenance code. */
async function referencedBy(table: FileStoreTable, s: Snapshot): Promise<Set<string>> {
  const out = new Set<string>();
  const manifest = (n: string) => TablePaths.manifest(table.path, n);
  const manifests: string[] = [];
  for (const list of [s.baseManifestList, s.deltaManifestList, s.changelogManifestList]) {
    if (list === null) continue;
    out.add(manifest(list));
    for (const m of await table.manifests.manifestList(list)) {
      out.add(manifest(m.fileName));
      if (list !== s.changelogManifestList) manifests.push(m.fileName);
    }
  }
  if (s.indexManifest !== null) out.add(manifest(s.indexManifest));
  const entries = (await Promise.all(manifests.map((m) => table.manifests.manifest(m)))).flat();
  for (const e of mergeFileEntries(entries)) out.add(dataFilePath(table.path, table.schema, e, "__DEFAULT_PARTITION__", true));
  return out;
}

async function referencedByAll(table: FileStoreTable): Promise<Set<string>> {
  const out = new Set<string>();
  const snaps: Snapshot[] = [];
  for (const id of await table.snapshots.listSnapshotIds()) snaps.push(await table.snapshots.snapshot(id));
  for (const name of await table.tagNames()) snaps.push((await table.tag(name))!.snapshot);
  for (const s of snaps) for (const p of await referencedBy(table, s)) out.add(p);
  return out;
}

/** Twelve commits; every fourth is an INSERT OVERWRITE. Returns the rows of each snapshot. */
async function twelveCommits(h: Harness): Promise<Map<number, string[]>> {
  const expected = new Map<number, string[]>();
  for (let round = 1; round <= 12; round++) {
    await h.commit(rowsOf(6, round), round % 4 === 0);
    const table = await h.open();
    const id = (await table.snapshots.latestSnapshotId())!;
    expected.set(id, await read(table, { snapshotId: id }));
  }
  // A writer closed with a compaction in flight leaves its output behind (an orphan by
  // design); clear those so the checks below see only what expiration leaves.
  await cleanOrphanFiles(await h.open(), { olderThanMs: 0, clock: () => Date.now() + MINUTE });
  return expected;
}

async function copyStore(from: FileIO, to: FileIO, dir = "/wh"): Promise<void> {
  for (const e of await from.list(dir)) {
    if (e.isDirectory) await copyStore(from, to, e.path);
    else await to.writeIfAbsent(e.path, await from.read(e.path));
  }
}

describe("expireSnapshots", () => {
  it("keeps retained snapshots and tags readable and deletes exactly what only expired snapshots used", async () => {
    const h = await Harness.create(new MemoryFileIO());
    const expected = await twelveCommits(h);
    let table = await h.open();
    expect(await table.snapshots.latestSnapshotId()).toBe(12);
    await createTag(table, "t3", { snapshotId: 3, clock: () => h.now });

    const report = await expireSnapshots(table, { retainMin: 3, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now });
    expect(report.expiredSnapshots).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report.deletedDataFiles.length).toBeGreaterThan(0);
    expect(report.earliest).toBe(10);
    table = await h.open();
    expect(await table.snapshots.listSnapshotIds()).toEqual([10, 11, 12]);
    expect(new TextDecoder().decode(await h.io.read(TablePaths.earliestHint(PATH)))).toBe("10");
    for (const id of [10, 11, 12]) expect(await read(table, { snapshotId: id })).toEqual(expected.get(id));
    expect(await read(table, { tag: "t3" })).toEqual(expected.get(3));

    // The store holds exactly the files the retained snapshots and the tag reference.
    const referenced = await referencedByAll(table);
    const stored = await storedFiles(h.io);
    for (const p of referenced) expect(stored.has(p), `missing ${p}`).toBe(true);
    expect([...stored].filter((p) => !referenced.has(p)), JSON.stringify(report, null, 1)).toEqual([]);
    const orphans = await cleanOrphanFiles(table, { olderThanMs: 0, clock: () => Date.now() + MINUTE });
    expect(orphans.orphanFiles).toEqual([]);

    // Expiring again with the same settings does nothing.
    expect((await expireSnapshots(table, { retainMin: 3, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now })).expiredSnapshots).toEqual([]);
  });

  it("follows num-retained.min/max, time-retained and expire.limit from the table options", async () => {
    const h = await Harness.create(new MemoryFileIO(), { "snapshot.num-retained.min": "2", "snapshot.time-retained": "35 min", "snapshot.expire.limit": "3" });
    const expected = await twelveCommits(h);
    // Snapshot k was committed at T0 + (k-1)*10 min; now = T0 + 120 min.
    let table = await h.open();
    // The limit: 3 per run.
    expect((await expireSnapshots(table, { clock: () => h.now })).expiredSnapshots).toEqual([1, 2, 3]);
    expect((await expireSnapshots(table, { clock: () => h.now })).expiredSnapshots).toEqual([4, 5, 6]);
    // Time: snapshots younger than 35 min (10 at 90 min, 11, 12) stay, though min is 2.
    expect((await expireSnapshots(table, { clock: () => h.now })).expiredSnapshots).toEqual([7, 8, 9]);
    expect((await expireSnapshots(table, { clock: () => h.now })).expiredSnapshots).toEqual([]);
    // Max: at most 2 snapshots, whatever their age (dynamic option, as Java's).
    table = await h.open({ "snapshot.num-retained.max": "2" });
    expect((await expireSnapshots(table, { clock: () => h.now })).expiredSnapshots).toEqual([10]);
    for (const id of [11, 12]) expect(await read(table, { snapshotId: id })).toEqual(expected.get(id));
    // A dry run reports and deletes nothing.
    const before = await storedFiles(h.io);
    const dry = await expireSnapshots(table, { retainMin: 1, timeRetainedMs: 0, dryRun: true, clock: () => h.now });
    expect(dry.expiredSnapshots).toEqual([11]);
    expect(await storedFiles(h.io)).toEqual(before);
    expect(await table.snapshots.listSnapshotIds()).toEqual([11, 12]);
  });

  it("never expires what a consumer still has to read; stale consumers are dropped", async () => {
    let memNow = T0;
    const io = new MemoryFileIO(() => memNow);
    const h = await Harness.create(io);
    const expected = await twelveCommits(h);
    memNow = h.now;
    await io.overwrite(joinPath(PATH, "consumer", "consumer-job1"), new TextEncoder().encode(stringifyJackson({ nextSnapshot: 5 })));
    let table = await h.open();
    const r1 = await expireSnapshots(table, { retainMin: 1, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now });
    expect(r1.expiredSnapshots).toEqual([1, 2, 3, 4]);
    expect(await read(table, { snapshotId: 5 })).toEqual(expected.get(5));

    // Two hours later the consumer has not moved: with consumer.expiration-time = 1 h it is dropped.
    table = await h.open({ "consumer.expiration-time": "1 h" });
    const r2 = await expireSnapshots(table, { retainMin: 1, timeRetainedMs: 0, maxDeletes: 100, clock: () => memNow + 2 * 60 * MINUTE });
    expect(r2.expiredConsumers).toEqual(["job1"]);
    expect(r2.expiredSnapshots).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(await io.exists(joinPath(PATH, "consumer", "consumer-job1"))).toBe(false);
    expect(await read(table, { snapshotId: 12 })).toEqual(expected.get(12));
  });

  it("leaves a readable table after a crash at every third step, and a re-run finishes the job", async () => {
    const base = new MemoryFileIO();
    const h = await Harness.create(base);
    const expected = await twelveCommits(h);
    await createTag(await h.open(), "t6", { snapshotId: 6, clock: () => h.now });
    const settings = { retainMin: 4, timeRetainedMs: 0, maxDeletes: 100, clock: () => h.now };
    let crashes = 0;
    for (let crashAt = 1; ; crashAt += 3) {
      const mem = new MemoryFileIO();
      await copyStore(base, mem);
      const io = new FaultInjectingFileIO(mem, { seed: crashAt });
      const table = await FileStoreTable.open(io, PATH);
      io.restart({ crashAtOperation: crashAt });
      let finished = false;
      try {
        await expireSnapshots(table, settings);
        finished = true;
      } catch (e) {
        if (!isCrash(e)) throw new Error(`crashAt ${crashAt}: ${String(e)}\n${io.describeLog(20)}`);
        crashes++;
      }
      io.restart();
      const reopened = await FileStoreTable.open(io, PATH);
      // Retained snapshots and the tag read as before, whatever happened.
      for (const id of [9, 10, 11, 12]) expect(await read(reopened, { snapshotId: id }), `crashAt ${crashAt}`).toEqual(expected.get(id));
      expect(await read(reopened, { tag: "t6" })).toEqual(expected.get(6));
      expect(await read(reopened, {})).toEqual(expected.get(12));
      if (!finished) await expireSnapshots(reopened, settings);
      expect(await reopened.snapshots.listSnapshotIds()).toEqual([9, 10, 11, 12]);
      const referenced = await referencedByAll(reopened);
      const stored = await storedFiles(mem);
      expect([...stored].filter((p) => !referenced.has(p)), `crashAt ${crashAt}`).toEqual([]);
      if (finished) break;
    }
    expect(crashes).toBeGreaterThan(10);
  });
});
