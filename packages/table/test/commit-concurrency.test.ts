import { describe, expect, it } from "vitest";
import { LocalFileIO, MemoryFileIO } from "@streamhouse/fileio";
import { ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileStoreTable } from "@streamhouse/table";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { createTable, dataFile, liveFileNames, message, partitionOf } from "./commit-fixtures.js";

const TABLE = { fields: "id INT, p STRING", partitionKeys: ["p"], options: { bucket: "-1", "commit.min-retry-wait": "1 ms", "commit.max-retry-wait": "20 ms", "commit.max-retries": "50" } };

/** `writers` committers, each committing `commits` checkpoints concurrently with the others. */
async function race(table: FileStoreTable, writers: number, commits: number): Promise<void> {
  const work = Array.from({ length: writers }, async (_, w) => {
    const c = new FileStoreCommit(table, `writer-${w}`);
    for (let i = 1; i <= commits; i++) {
      await c.commit([{ commitIdentifier: BigInt(i), messages: [message({ partition: partitionOf(table, `p${i % 2}`), totalBuckets: -1, newFiles: [dataFile(`data-w${w}-${i}.parquet`)] })] }]);
    }
  });
  await Promise.all(work);
}

async function checkRace(table: FileStoreTable, writers: number, commits: number): Promise<void> {
  const ids = await table.snapshots.listSnapshotIds();
  expect(ids).toEqual(Array.from({ length: writers * commits }, (_, i) => i + 1));
  const seen = new Set<string>();
  for (const id of ids) {
    const s = await table.snapshots.snapshot(id);
    const key = `${s.commitUser}/${s.commitIdentifier}`;
    expect(seen.has(key), `${key} committed twice`).toBe(false);
    seen.add(key);
    expect(s.totalRecordCount).toBe(id);
  }
  const want = [];
  for (let w = 0; w < writers; w++) for (let i = 1; i <= commits; i++) want.push(`data-w${w}-${i}.parquet`);
  expect(await liveFileNames(table)).toEqual(want.sort());
}

describe("concurrent committers", () => {
  it("land every commit exactly once with contiguous snapshot ids (memory)", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", TABLE);
    await race(table, 6, 8);
    await checkRace(table, 6, 8);
  });

  it("land every commit exactly once on the local file system", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sh-commit-race-"));
    try {
      const table = await createTable(new LocalFileIO(), dir, TABLE);
      await race(table, 4, 5);
      await checkRace(table, 4, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("let exactly one of two racing compactions of the same file win", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", TABLE);
    const p = partitionOf(table, "a");
    const f = dataFile("data-1.parquet", { rows: 2 });
    await new FileStoreCommit(table, "w").commit([{ commitIdentifier: 1n, messages: [message({ partition: p, totalBuckets: -1, newFiles: [f] })] }]);
    const results = await Promise.allSettled(
      [1, 2].map((n) =>
        new FileStoreCommit(table, `compactor-${n}`).commit([
          { commitIdentifier: 1n, messages: [message({ partition: p, totalBuckets: -1, compactBefore: [f], compactAfter: [dataFile(`data-c${n}.parquet`, { rows: 2 })] })] },
        ]),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(isStreamhouseError(rejected.reason, ErrorKind.CommitConflict)).toBe(true);
    expect(await table.snapshots.listSnapshotIds()).toEqual([1, 2]);
    expect((await liveFileNames(table)).length).toBe(1);
  });
});
