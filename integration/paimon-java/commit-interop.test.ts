/**
 * Our committer between two Java commits: Java writes a table, Streamhouse commits an
 * INSERT OVERWRITE of one partition and a streaming append (data files Java wrote into
 * a scratch table with the same schema, copied over — the committer never reads data
 * files), Java reads the result, then Java commits on top of our snapshots and
 * manifests, and we read Java's.
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { BATCH_COMMIT_IDENTIFIER, decodeBinaryRow, FileKind, type ManifestEntry, partitionPath, partitionValueToString, TableSchemas } from "@streamhouse/format";
import { FileStoreTable, planSnapshot, TableRead } from "@streamhouse/table";
import type { CommitMessage } from "../../packages/table/src/write/commit-message.js";
import { EMPTY_COMPACT_INCREMENT, EMPTY_DATA_INCREMENT } from "../../packages/table/src/write/commit-message.js";
import { FileStoreCommit } from "../../packages/table/src/write/file-store-commit.js";
import { ensurePaimonJava, type JsonRow, type PaimonJava, type SchemaSpec } from "./paimon-java.js";

let peer: PaimonJava;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-commit-interop-"));
  peer = await ensurePaimonJava();
});

afterAll(async () => {
  await peer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const SCHEMA: SchemaSpec = {
  fields: [
    { name: "id", type: "INT NOT NULL" },
    { name: "p", type: "STRING NOT NULL" },
    { name: "v", type: "STRING" },
  ],
  primaryKeys: ["id", "p"],
  partitionKeys: ["p"],
  options: { bucket: "2" },
};

const row = (id: number, p: string, v: string): JsonRow => ({ id, p, v });
const ids = (rows: readonly JsonRow[]): number[] => rows.map((r) => r["id"] as number).sort((a, b) => a - b);

/** The data files a snapshot added, as Java wrote them into `from`. */
async function addedFiles(from: FileStoreTable, snapshotId: number): Promise<ManifestEntry[]> {
  const s = await from.snapshots.snapshot(snapshotId);
  return (await from.manifests.entriesOf([s.deltaManifestList])).filter((e) => e.kind === FileKind.ADD);
}

/** Copies the files into `to` (same partition/bucket directories) and describes them as commit messages. */
function adopt(from: FileStoreTable, to: FileStoreTable, entries: readonly ManifestEntry[]): CommitMessage[] {
  const partFields = TableSchemas.partitionFields(from.schema);
  return entries.map((e) => {
    const values = decodeBinaryRow(
      partFields.map((f) => f.type),
      e.partition,
    );
    const spec = partFields.map((f, i) => [f.name, partitionValueToString(f.type, values[i] ?? null)] as const);
    const rel = `${partitionPath(spec)}bucket-${e.bucket}/${e.file.fileName}`;
    mkdirSync(dirname(join(to.path, rel)), { recursive: true });
    copyFileSync(join(from.path, rel), join(to.path, rel));
    return {
      partition: e.partition,
      bucket: e.bucket,
      totalBuckets: e.totalBuckets,
      dataIncrement: { ...EMPTY_DATA_INCREMENT, newFiles: [e.file] },
      compactIncrement: EMPTY_COMPACT_INCREMENT,
    };
  });
}

describe("commit interop with Java Paimon 2.0", () => {
  test("Java reads our OVERWRITE and APPEND snapshots, then commits on top of them", async () => {
    const warehouse = join(work, "wh");
    await peer.run({
      warehouse,
      database: "db",
      table: "t",
      commitUser: "java-job",
      ops: [
        { op: "create", schema: SCHEMA },
        { op: "write", rows: [row(1, "a", "a1"), row(2, "a", "a2"), row(3, "b", "b3"), row(4, "b", "b4")] },
        { op: "write", rows: [row(5, "a", "a5")] },
      ],
    });
    await peer.run({
      warehouse,
      database: "db",
      table: "scratch",
      ops: [
        { op: "create", schema: SCHEMA },
        { op: "write", rows: [row(10, "a", "new10"), row(11, "a", "new11")] },
        { op: "write", rows: [row(20, "b", "b20")] },
        { op: "write", rows: [row(40, "a", "a40")] },
      ],
    });
    const io = new LocalFileIO();
    const table = await FileStoreTable.open(io, join(warehouse, "db.db", "t"));
    const scratch = await FileStoreTable.open(io, join(warehouse, "db.db", "scratch"));
    expect(await table.snapshots.latestSnapshotId()).toBe(2);

    // 1. INSERT OVERWRITE partition p=a with the files of scratch snapshot 1.
    const committer = new FileStoreCommit(table, "streamhouse-job");
    const [overwrite] = await committer.overwrite({ p: "a" }, { commitIdentifier: BATCH_COMMIT_IDENTIFIER, messages: adopt(scratch, table, await addedFiles(scratch, 1)) });
    expect(overwrite).toMatchObject({ id: 3, commitKind: "OVERWRITE", totalRecordCount: 4, deltaRecordCount: -1 });
    expect(ids(await peer.dump(table.path))).toEqual([3, 4, 10, 11]);
    // Java reads snapshot 2 as it was.
    expect(ids(await peer.dump(table.path, { snapshot: 2 }))).toEqual([1, 2, 3, 4, 5]);

    // 2. A streaming commit (checkpoint 1) of scratch snapshot 2's file into p=b.
    const [append] = await committer.commit([{ commitIdentifier: 1n, watermark: 1_000n, messages: adopt(scratch, table, await addedFiles(scratch, 2)) }]);
    expect(append).toMatchObject({ id: 4, commitKind: "APPEND", totalRecordCount: 5, watermark: 1_000n });
    const rows = await peer.dump(table.path);
    expect(rows).toEqual([row(3, "b", "b3"), row(4, "b", "b4"), row(10, "a", "new10"), row(11, "a", "new11"), row(20, "b", "b20")]);
    // Java's streaming reader sees our snapshots' changes.
    const changes = await peer.dump(table.path, { changesFrom: 4 });
    expect(changes.map((r) => [r["_snapshot"], r["_row_kind"], r["id"]])).toEqual([[4, "+I", 20]]);

    // 3. Java commits on top of our snapshots and manifests: an insert and an update.
    await peer.run({
      warehouse,
      database: "db",
      table: "t",
      commitUser: "java-job",
      ops: [
        { op: "write", rows: [row(30, "a", "a30"), row(3, "b", "b3-updated")], commitIdentifier: 3 },
        // A full compaction rewrites (deletes) the files our snapshots added.
        { op: "compact", full: true, commitIdentifier: 4 },
      ],
    });
    const javaCompacted = await FileStoreTable.open(io, table.path);
    const compactSnapshot = (await javaCompacted.snapshots.latestSnapshot())!;
    expect(compactSnapshot.commitKind).toBe("COMPACT");
    // Java's compaction deleted (rewrote or moved up a level) files that came in through our snapshots.
    const ourFiles = new Set([...(await addedFiles(scratch, 1)), ...(await addedFiles(scratch, 2))].map((e) => e.file.fileName));
    const compactDelta = await javaCompacted.manifests.entriesOf([compactSnapshot.deltaManifestList]);
    expect(compactDelta.filter((e) => e.kind === FileKind.DELETE && ourFiles.has(e.file.fileName)).length).toBeGreaterThan(0);

    // 4. And we commit again on top of Java's compaction (checkpoint 2).
    const [again] = await committer.commit([{ commitIdentifier: 2n, messages: adopt(scratch, table, await addedFiles(scratch, 3)) }]);
    expect(again!.commitKind).toBe("APPEND");
    const after = await peer.dump(table.path);
    expect(after).toEqual([
      row(3, "b", "b3-updated"),
      row(4, "b", "b4"),
      row(10, "a", "new10"),
      row(11, "a", "new11"),
      row(20, "b", "b20"),
      row(30, "a", "a30"),
      row(40, "a", "a40"),
    ]);

    // 5. We read the mixed history, and our filterCommitted finds our own last commit.
    const reopened = await FileStoreTable.open(io, table.path);
    const ours = await new TableRead(reopened).toArray();
    expect(ours.map((r) => `${r[0]}:${r[1]}:${r[2]}`).sort()).toEqual(after.map((r) => `${r["id"]}:${r["p"]}:${r["v"]}`).sort());
    expect((await planSnapshot(reopened))!.files.length).toBeGreaterThanOrEqual(5);
    const restarted = new FileStoreCommit(reopened, "streamhouse-job");
    const pending = await restarted.filterCommitted([2n, 3n].map((id) => ({ commitIdentifier: id, messages: [] })));
    expect(pending.map((c) => c.commitIdentifier)).toEqual([3n]);
    // Our snapshot JSON as written (uuid after version, as Java 2.0 writes it).
    expect(readFileSync(join(table.path, "snapshot", "snapshot-4"), "utf8")).toMatch(/^\{\n {2}"version" : 3,\n {2}"uuid" : "[0-9a-f-]{36}",\n {2}"id" : 4,/);
  });
});
