import { describe, expect, it } from "vitest";
import { type FileIO, MemoryFileIO } from "@streamhouse/fileio";
import {
  BATCH_COMMIT_IDENTIFIER,
  decodeManifestList,
  ErrorKind,
  type IndexFileMeta,
  isStreamhouseError,
  type Snapshot,
  StreamhouseError,
} from "@streamhouse/format";
import { type FileStoreTable, planSnapshot } from "@streamhouse/table";
import type { Committable } from "../src/write/commit-message.js";
import { EMPTY_COMPACT_INCREMENT } from "../src/write/commit-message.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { createTable, dataFile, keyOf, liveFileNames, message, noSleep, partitionOf, tickingClock } from "./commit-fixtures.js";

const PK_TABLE = {
  fields: "id INT NOT NULL, p STRING NOT NULL, v STRING",
  primaryKeys: ["p", "id"],
  partitionKeys: ["p"],
  options: { bucket: "2" },
};

async function pkTable(io: FileIO = new MemoryFileIO()): Promise<FileStoreTable> {
  return createTable(io, "/wh/db.db/t", PK_TABLE);
}

function committer(table: FileStoreTable, user = "user-1"): FileStoreCommit {
  return new FileStoreCommit(table, user, { clock: tickingClock(), sleep: noSleep });
}

const text = async (io: FileIO, path: string) => new TextDecoder().decode(await io.read(path));

describe("FileStoreCommit: the snapshot chain", () => {
  it("publishes APPEND then COMPACT snapshots with Java's fields and counts", async () => {
    const io = new MemoryFileIO();
    const table = await pkTable(io);
    const a = partitionOf(table, "a");
    const b = partitionOf(table, "b");
    const c = committer(table);
    const f1 = dataFile("data-1.parquet", { rows: 3, minKey: keyOf(table, 1), maxKey: keyOf(table, 3) });
    const f2 = dataFile("data-2.parquet", { rows: 5, minKey: keyOf(table, 1), maxKey: keyOf(table, 5) });
    const log1 = dataFile("changelog-1.parquet", { rows: 3 });
    const first = await c.commit(
      [
        {
          commitIdentifier: 1n,
          watermark: 100n,
          messages: [message({ partition: a, bucket: 0, totalBuckets: 2, newFiles: [f1], changelogFiles: [log1] }), message({ partition: b, bucket: 1, totalBuckets: 2, newFiles: [f2] })],
        },
      ],
      { properties: { origin: "test" } },
    );
    expect(first.map((s) => [s.id, s.commitKind, s.commitIdentifier])).toEqual([[1, "APPEND", 1n]]);
    const s1 = first[0]!;
    expect(s1).toMatchObject({
      version: 3,
      schemaId: 0,
      commitUser: "user-1",
      totalRecordCount: 8,
      deltaRecordCount: 8,
      changelogRecordCount: 3,
      watermark: 100n,
      properties: { origin: "test" },
      nextRowId: 0,
      indexManifest: null,
    });
    expect(s1.baseManifestList).toMatch(/^manifest-list-[0-9a-f-]{36}-\d+$/);
    expect(s1.baseManifestListSize).toBe((await io.read(`/wh/db.db/t/manifest/${s1.baseManifestList}`)).length);
    expect(s1.deltaManifestListSize).toBe((await io.read(`/wh/db.db/t/manifest/${s1.deltaManifestList}`)).length);
    const deltaMetas = decodeManifestList(await io.read(`/wh/db.db/t/manifest/${s1.deltaManifestList}`), "delta");
    expect(deltaMetas).toHaveLength(1);
    expect(deltaMetas[0]!.fileName).toMatch(/^manifest-[0-9a-f-]{36}-\d+$/);
    expect(deltaMetas[0]).toMatchObject({ numAddedFiles: 2n, numDeletedFiles: 0n, minBucket: 0, maxBucket: 1, minLevel: 0, maxLevel: 0, schemaId: 0n });

    // The JSON is Java's: pretty-printed, uuid right after version, no nulls.
    const json = await text(io, "/wh/db.db/t/snapshot/snapshot-1");
    expect(json.startsWith('{\n  "version" : 3,\n  "uuid" : "')).toBe(true);
    expect(json).not.toContain("null");
    expect(json).toContain('"commitIdentifier" : 1,');
    expect(await text(io, "/wh/db.db/t/snapshot/LATEST")).toBe("1");

    // Checkpoint 2: a new file, and a compaction of f1 into a level-5 file.
    const f3 = dataFile("data-3.parquet", { rows: 2, minKey: keyOf(table, 7), maxKey: keyOf(table, 8) });
    const f1c = dataFile("data-1c.parquet", { rows: 3, level: 5, minKey: keyOf(table, 1), maxKey: keyOf(table, 3) });
    const second = await c.commit([
      {
        commitIdentifier: 2n,
        messages: [
          {
            ...message({ partition: a, bucket: 0, totalBuckets: 2, newFiles: [f3] }),
            compactIncrement: { ...EMPTY_COMPACT_INCREMENT, compactBefore: [f1], compactAfter: [f1c] },
          },
        ],
      },
    ]);
    expect(second.map((s) => [s.id, s.commitKind, s.commitIdentifier])).toEqual([
      [2, "APPEND", 2n],
      [3, "COMPACT", 2n],
    ]);
    expect(second[0]).toMatchObject({ totalRecordCount: 10, deltaRecordCount: 2, changelogRecordCount: null, watermark: 100n, properties: null });
    expect(second[1]).toMatchObject({ totalRecordCount: 10, deltaRecordCount: 0, watermark: 100n });
    expect(second[1]!.timeMillis).toBeGreaterThan(second[0]!.timeMillis);

    // A smaller watermark does not move the table's watermark back.
    const third = await c.commit([{ commitIdentifier: 3n, watermark: 50n, messages: [message({ partition: b, bucket: 1, totalBuckets: 2, newFiles: [dataFile("data-4.parquet")] })] }]);
    expect(third[0]!.watermark).toBe(100n);

    expect(await liveFileNames(table, 1)).toEqual(["data-1.parquet", "data-2.parquet"]);
    expect(await liveFileNames(table, 2)).toEqual(["data-1.parquet", "data-2.parquet", "data-3.parquet"]);
    expect(await liveFileNames(table, 3)).toEqual(["data-1c.parquet", "data-2.parquet", "data-3.parquet"]);
    expect(await liveFileNames(table)).toEqual(["data-1c.parquet", "data-2.parquet", "data-3.parquet", "data-4.parquet"]);
    const plan = await planSnapshot(table);
    expect(plan!.files.find((e) => e.file.fileName === "data-1c.parquet")).toMatchObject({ bucket: 0, totalBuckets: 2, partition: a });
    expect(await text(io, "/wh/db.db/t/snapshot/LATEST")).toBe("4");
  });

  it("skips empty commits and commits batch jobs with Long.MAX_VALUE", async () => {
    const table = await pkTable();
    const c = committer(table, "batch-user");
    expect(await c.commit([{ commitIdentifier: 1n, messages: [] }])).toEqual([]);
    expect(await table.snapshots.latestSnapshotId()).toBeNull();
    const [s] = await c.commitBatch([message({ partition: partitionOf(table, "a"), totalBuckets: 2, newFiles: [dataFile("data-b.parquet")] })]);
    expect(s).toMatchObject({ id: 1, commitIdentifier: BATCH_COMMIT_IDENTIFIER, commitKind: "APPEND" });
    const forced = new FileStoreCommit(table, "u", { ignoreEmptyCommit: false, sleep: noSleep });
    const [empty] = await forced.commit([{ commitIdentifier: 1n, messages: [] }]);
    expect(empty).toMatchObject({ id: 2, deltaRecordCount: 0, totalRecordCount: 1 });
  });

  it("filters what the commit user already committed, so a restarted job re-commits exactly once", async () => {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const committables: Committable[] = [1n, 2n, 3n].map((id) => ({
      commitIdentifier: id,
      messages: [message({ partition: a, totalBuckets: 2, newFiles: [dataFile(`data-${id}.parquet`)] })],
    }));
    await committer(table, "job").commit(committables.slice(0, 2));
    // Another user's later commit does not hide ours.
    await committer(table, "other").commit([{ commitIdentifier: 9n, messages: [message({ partition: a, totalBuckets: 2, newFiles: [dataFile("data-o.parquet")] })] }]);

    const restarted = committer(table, "job");
    const pending = await restarted.filterCommitted(committables);
    expect(pending.map((c) => c.commitIdentifier)).toEqual([3n]);
    await restarted.commit(pending);
    expect(await restarted.filterCommitted(committables)).toEqual([]);
    expect(await committer(table, "nobody").filterCommitted(committables)).toHaveLength(3);
    expect(await liveFileNames(table)).toEqual(["data-1.parquet", "data-2.parquet", "data-3.parquet", "data-o.parquet"]);
    await expect(restarted.filterCommitted([committables[1]!, committables[0]!])).rejects.toThrow(/sorted/);
  });

  it("keeps index files in the index manifest and reuses it while they do not change", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", { fields: "id INT NOT NULL, v STRING", primaryKeys: ["id"], options: { bucket: "-1" } });
    const hash = (name: string): IndexFileMeta => ({ indexType: "HASH", fileName: name, fileSize: 8n, rowCount: 2n, deletionVectorRanges: null, externalPath: null, globalIndex: null });
    const part = partitionOf(table);
    const c = committer(table);
    const withIndex = (id: bigint, data: string, newIndex: IndexFileMeta[], deleted: IndexFileMeta[] = []): Committable => {
      const m = message({ partition: part, bucket: 0, totalBuckets: -1, newFiles: [dataFile(data)] });
      return { commitIdentifier: id, messages: [{ ...m, dataIncrement: { ...m.dataIncrement, newIndexFiles: newIndex, deletedIndexFiles: deleted } }] };
    };
    const [s1] = await c.commit([withIndex(1n, "data-1.parquet", [hash("index-1")])]);
    expect(s1!.indexManifest).toMatch(/^index-manifest-[0-9a-f-]{36}-0$/);
    const [s2] = await c.commit([withIndex(2n, "data-2.parquet", [])]);
    expect(s2!.indexManifest).toBe(s1!.indexManifest);
    const [s3] = await c.commit([withIndex(3n, "data-3.parquet", [hash("index-2")], [hash("index-1")])]);
    expect(s3!.indexManifest).not.toBe(s1!.indexManifest);
    const plan = await planSnapshot(table);
    expect(plan!.indexFiles.map((e) => e.indexFile.fileName)).toEqual(["index-2"]);
  });
});

describe("FileStoreCommit: conflicts", () => {
  it("refuses to delete a file that is no longer live (files conflict), without retrying", async () => {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const f1 = dataFile("data-1.parquet", { rows: 4 });
    await committer(table, "writer").commit([{ commitIdentifier: 1n, messages: [message({ partition: a, totalBuckets: 2, newFiles: [f1] })] }]);
    const compaction = (out: string): Committable => ({
      commitIdentifier: 2n,
      messages: [message({ partition: a, totalBuckets: 2, compactBefore: [f1], compactAfter: [dataFile(out, { rows: 4, level: 5 })] })],
    });
    await committer(table, "compactor-1").commit([compaction("data-c1.parquet")]);
    const loser = committer(table, "compactor-2");
    const error = await loser.commit([compaction("data-c2.parquet")]).catch((e: unknown) => e);
    expect(isStreamhouseError(error, ErrorKind.CommitConflict)).toBe(true);
    expect((error as StreamhouseError).retryable).toBe(false);
    expect((error as StreamhouseError).message).toMatch(/files conflict.*data-1\.parquet/);
    expect(await table.snapshots.latestSnapshotId()).toBe(2);
    expect(await liveFileNames(table)).toEqual(["data-c1.parquet"]);
  });

  it("refuses a bucket count change except in an overwrite", async () => {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const c = committer(table);
    await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: a, totalBuckets: 2, newFiles: [dataFile("data-1.parquet")] })] }]);
    const rescaled = { commitIdentifier: 2n, messages: [message({ partition: a, totalBuckets: 3, newFiles: [dataFile("data-2.parquet")] })] };
    await expect(c.commit([rescaled])).rejects.toMatchObject({ kind: ErrorKind.CommitConflict, message: expect.stringMatching(/total buckets .* from 2 to 3/) });
    // Another partition may have its own count; an overwrite may rescale.
    await c.commit([{ commitIdentifier: 3n, messages: [message({ partition: partitionOf(table, "b"), totalBuckets: 3, newFiles: [dataFile("data-3.parquet")] })] }]);
    await c.overwrite({ p: "a" }, rescaled);
    expect(await liveFileNames(table)).toEqual(["data-2.parquet", "data-3.parquet"]);
  });

  it("refuses overlapping key ranges in a level ≥ 1 of a bucket", async () => {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const k = (n: number) => keyOf(table, n);
    const level1 = (name: string, lo: number, hi: number) => dataFile(name, { level: 1, minKey: k(lo), maxKey: k(hi) });
    const c = committer(table);
    await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: a, totalBuckets: 2, compactAfter: [level1("data-1.parquet", 1, 10)] })] }]);
    // Adjacent ranges are fine, in another bucket anything is fine.
    await c.commit([{ commitIdentifier: 2n, messages: [message({ partition: a, totalBuckets: 2, compactAfter: [level1("data-2.parquet", 11, 20)] })] }]);
    await c.commit([{ commitIdentifier: 3n, messages: [message({ partition: a, bucket: 1, totalBuckets: 2, compactAfter: [level1("data-3.parquet", 5, 15)] })] }]);
    // Keys compare by value: 9 < 10 < 100 although their bytes do not sort that way.
    const overlap = { commitIdentifier: 4n, messages: [message({ partition: a, totalBuckets: 2, compactAfter: [level1("data-4.parquet", 20, 100)] })] };
    await expect(c.commit([overlap])).rejects.toMatchObject({ kind: ErrorKind.CommitConflict, message: expect.stringMatching(/LSM conflict/) });
    await c.commit([{ commitIdentifier: 5n, messages: [message({ partition: a, totalBuckets: 2, compactAfter: [level1("data-5.parquet", 21, 300)] })] }]);
  });

  it("refuses a commit that adds a file twice or deletes and re-adds it", async () => {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const f = dataFile("data-1.parquet");
    const c = committer(table);
    await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: a, totalBuckets: 2, newFiles: [f] })] }]);
    await expect(c.commit([{ commitIdentifier: 2n, messages: [message({ partition: a, totalBuckets: 2, newFiles: [f] })] }])).rejects.toMatchObject({
      kind: ErrorKind.CommitConflict,
    });
    await expect(
      c.commit([{ commitIdentifier: 3n, messages: [message({ partition: a, totalBuckets: 2, deletedFiles: [f], newFiles: [f] })] }]),
    ).rejects.toMatchObject({ kind: ErrorKind.CommitConflict });
  });
});

describe("FileStoreCommit: INSERT OVERWRITE", () => {
  async function twoPartitions() {
    const table = await pkTable();
    const a = partitionOf(table, "a");
    const b = partitionOf(table, "b");
    const c = committer(table);
    await c.commit([
      {
        commitIdentifier: 1n,
        messages: [
          message({ partition: a, bucket: 0, totalBuckets: 2, newFiles: [dataFile("data-a0.parquet", { rows: 2 })] }),
          message({ partition: a, bucket: 1, totalBuckets: 2, newFiles: [dataFile("data-a1.parquet", { rows: 3 })] }),
          message({ partition: b, bucket: 0, totalBuckets: 2, newFiles: [dataFile("data-b0.parquet", { rows: 4 })] }),
        ],
      },
    ]);
    return { table, a, b, c };
  }

  it("replaces every live file of a static partition and nothing else", async () => {
    const { table, a, c } = await twoPartitions();
    const k = (n: number) => keyOf(table, n);
    const [s] = await c.overwrite(
      { p: "a" },
      { commitIdentifier: BATCH_COMMIT_IDENTIFIER, messages: [message({ partition: a, totalBuckets: 2, newFiles: [dataFile("data-new.parquet", { rows: 1, minKey: k(1), maxKey: k(1) })] })] },
    );
    expect(s).toMatchObject({ id: 2, commitKind: "OVERWRITE", deltaRecordCount: -4, totalRecordCount: 5 });
    expect(await liveFileNames(table)).toEqual(["data-b0.parquet", "data-new.parquet"]);
    // Like Java's overwrite upgrade, a bucket whose new files do not overlap goes to the top level.
    const plan = await planSnapshot(table);
    expect(plan!.files.find((e) => e.file.fileName === "data-new.parquet")!.file.level).toBe(5);
    await expect(
      c.overwrite({ p: "a" }, { commitIdentifier: 5n, messages: [message({ partition: partitionOf(table, "b"), totalBuckets: 2, newFiles: [dataFile("x.parquet")] })] }),
    ).rejects.toMatchObject({ kind: ErrorKind.InvalidArgument });
  });

  it("overwrites the whole table, or only the partitions written (dynamic)", async () => {
    const { table, b, c } = await twoPartitions();
    await c.overwrite("dynamic", { commitIdentifier: 2n, messages: [message({ partition: b, totalBuckets: 2, newFiles: [dataFile("data-b-new.parquet")] })] });
    expect(await liveFileNames(table)).toEqual(["data-a0.parquet", "data-a1.parquet", "data-b-new.parquet"]);
    const [truncate] = await c.overwrite(null, { commitIdentifier: 3n, messages: [] });
    expect(truncate).toMatchObject({ commitKind: "OVERWRITE", totalRecordCount: 0 });
    expect(await liveFileNames(table)).toEqual([]);
  });

  it("turns an append that deletes files into an OVERWRITE snapshot, as Java does", async () => {
    const { table, a, c } = await twoPartitions();
    const [s] = await c.commit([{ commitIdentifier: 2n, messages: [message({ partition: a, totalBuckets: 2, deletedFiles: [dataFile("data-a0.parquet", { rows: 2 })] })] }]);
    expect(s).toMatchObject({ commitKind: "OVERWRITE", deltaRecordCount: -2 });
    expect(await liveFileNames(table)).toEqual(["data-a1.parquet", "data-b0.parquet"]);
  });
});

/** A FileIO whose writes of chosen paths fail once after taking effect, or before. */
class FlakyFileIO extends MemoryFileIO {
  readonly failures: { readonly match: RegExp; readonly after: boolean; remaining: number }[] = [];
  override async writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    const f = this.failures.find((x) => x.remaining > 0 && x.match.test(path));
    if (f === undefined) return super.writeIfAbsent(path, data);
    f.remaining--;
    const result = f.after ? await super.writeIfAbsent(path, data) : false;
    throw new StreamhouseError(ErrorKind.Io, `flaky write of ${path} (${f.after ? "after" : "before"})`, { retryable: true, context: { result: String(result) } });
  }
  override async overwrite(path: string, data: Uint8Array): Promise<void> {
    if (path.endsWith("/LATEST")) throw new StreamhouseError(ErrorKind.Io, "hint write fails", { retryable: true });
    return super.overwrite(path, data);
  }
}

describe("FileStoreCommit: ambiguous failures", () => {
  it("finds its own snapshot after an error that followed the write, and never commits twice", async () => {
    const io = new FlakyFileIO();
    const table = await pkTable(io);
    io.failures.push({ match: /snapshot-1$/, after: true, remaining: 1 });
    const c = committer(table);
    const snapshots: Snapshot[] = await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: partitionOf(table, "a"), totalBuckets: 2, newFiles: [dataFile("data-1.parquet")] })] }]);
    expect(snapshots.map((s) => s.id)).toEqual([1]);
    expect(await table.snapshots.listSnapshotIds()).toEqual([1]);
    expect(await liveFileNames(table)).toEqual(["data-1.parquet"]);
  });

  it("retries a failed manifest write, deletes that attempt's files, and survives a failed LATEST hint", async () => {
    const io = new FlakyFileIO();
    const table = await pkTable(io);
    // The second manifest list of the first attempt fails after it was written; the
    // second attempt's first manifest list fails before.
    io.failures.push({ match: /manifest-list-.*-1$/, after: true, remaining: 1 }, { match: /manifest-list-.*-2$/, after: false, remaining: 1 });
    const c = committer(table);
    const [s] = await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: partitionOf(table, "a"), totalBuckets: 2, newFiles: [dataFile("data-1.parquet")] })] }]);
    expect(s!.id).toBe(1);
    expect(await io.exists("/wh/db.db/t/snapshot/LATEST")).toBe(false);
    // Only the published snapshot's metadata remains (base list, delta list, delta manifest).
    const left = (await io.list("/wh/db.db/t/manifest")).map((f) => f.name);
    expect(left.sort()).toEqual([s!.baseManifestList, s!.deltaManifestList, ...decodeManifestList(await io.read(`/wh/db.db/t/manifest/${s!.deltaManifestList}`), "d").map((m) => m.fileName)].sort());
  });

  it("gives up after commit.max-retries with a retryable error", async () => {
    const io = new FlakyFileIO();
    const table = await createTable(io, "/wh/db.db/t", PK_TABLE, { "commit.max-retries": "2" });
    io.failures.push({ match: /snapshot-1$/, after: false, remaining: 100 });
    const waits: number[] = [];
    const c = new FileStoreCommit(table, "u", { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    await expect(c.commit([{ commitIdentifier: 1n, messages: [message({ partition: partitionOf(table, "a"), totalBuckets: 2, newFiles: [dataFile("d.parquet")] })] }])).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/after 2 retries/),
    });
    expect(waits).toEqual([10, 20]);
  });
});
