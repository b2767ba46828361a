import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemoryFileIO } from "@streamhouse/fileio";
import { type DataFileMeta, decodeManifestList, type ManifestFileMeta } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";
import type { Committable } from "../src/write/commit-message.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { createTable, dataFile, liveFileNames, message, noSleep, partitionOf, tickingClock } from "./commit-fixtures.js";

const APPEND_TABLE = { fields: "id INT, p STRING", partitionKeys: ["p"], options: { bucket: "-1" } };

async function baseList(table: FileStoreTable, snapshotId?: number): Promise<ManifestFileMeta[]> {
  const s = snapshotId === undefined ? await table.snapshots.latestSnapshot() : await table.snapshots.snapshot(snapshotId);
  return decodeManifestList(await table.io.read(`${table.path}/manifest/${s!.baseManifestList}`), "base");
}

/**
 * Runs `n` commits; commit i adds a file to partition p<i % 3>, and every 4th commit
 * also compacts the oldest live file of that partition into a new one. Returns the
 * expected live file names after each snapshot.
 */
async function churn(table: FileStoreTable, n: number): Promise<Map<number, string[]>> {
  const c = new FileStoreCommit(table, "churn", { clock: tickingClock(), sleep: noSleep });
  const live = new Map<string, DataFileMeta & { readonly part: string }>();
  const expected = new Map<number, string[]>();
  for (let i = 1; i <= n; i++) {
    const part = `p${i % 3}`;
    const p = partitionOf(table, part);
    const added = dataFile(`data-${i}.parquet`, { rows: i });
    const committable: Committable = { commitIdentifier: BigInt(i), messages: [message({ partition: p, totalBuckets: -1, newFiles: [added] })] };
    const snaps = await c.commit([committable]);
    live.set(added.fileName, { ...added, part });
    expected.set(snaps[0]!.id, [...live.keys()].sort());
    if (i % 4 === 0) {
      const victim = [...live.values()].find((f) => f.part === part)!;
      const after = dataFile(`data-${i}-c.parquet`, { rows: Number(victim.rowCount) });
      const [s] = await c.commit([{ commitIdentifier: BigInt(i) * 1000n, messages: [message({ partition: p, totalBuckets: -1, compactBefore: [victim], compactAfter: [after] })] }]);
      live.delete(victim.fileName);
      live.set(after.fileName, { ...after, part });
      expected.set(s!.id, [...live.keys()].sort());
    }
  }
  return expected;
}

describe("manifest merging", () => {
  it("merges the base list once 30 small manifests pile up, without changing what is live", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", APPEND_TABLE);
    const expected = await churn(table, 44);
    const counts: number[] = [];
    for (const id of [...expected.keys()].sort((a, b) => a - b)) {
      counts.push((await baseList(table, id)).length);
      expect(await liveFileNames(table, id), `snapshot ${id}`).toEqual(expected.get(id));
    }
    // Snapshot n's base holds the n-1 manifests before it until 30 of them are merged into one.
    expect(counts.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(counts[30]).toBe(1);
    expect(Math.max(...counts.slice(30))).toBeLessThan(30);
    // The merged manifest dropped the ADD/DELETE pairs of compacted files.
    const merged = (await baseList(table, 31))[0]!;
    expect(merged.numDeletedFiles).toBe(0n);
    expect(merged.numAddedFiles).toBe(BigInt(expected.get(30)!.length));
  });

  it("rolls manifests at manifest.target-file-size and merges runs that reach it", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", { ...APPEND_TABLE, options: { ...APPEND_TABLE.options, "manifest.target-file-size": "4 kb" } });
    const c = new FileStoreCommit(table, "roll", { sleep: noSleep });
    const files = Array.from({ length: 300 }, (_, i) => dataFile(`data-${createHash("sha256").update(String(i)).digest("hex")}.parquet`, { rows: i + 1 }));
    const [s] = await c.commit([{ commitIdentifier: 1n, messages: [message({ partition: partitionOf(table, "a"), totalBuckets: -1, newFiles: files })] }]);
    const delta = decodeManifestList(await table.io.read(`/t/manifest/${s!.deltaManifestList}`), "delta");
    expect(delta.length).toBeGreaterThan(2);
    for (const m of delta.slice(0, -1)) expect(Number(m.fileSize)).toBeGreaterThanOrEqual(4096);
    expect(delta.reduce((n, m) => n + m.numAddedFiles, 0n)).toBe(300n);
    const names = files.map((f) => f.fileName).sort();
    expect(await liveFileNames(table)).toEqual(names);
    // Next commit: the base list merges runs of manifests that reach 4 KB (each already does: kept as is).
    await c.commit([{ commitIdentifier: 2n, messages: [message({ partition: partitionOf(table, "b"), totalBuckets: -1, newFiles: [dataFile("data-b.parquet")] })] }]);
    expect((await baseList(table)).map((m) => m.fileName)).toEqual(delta.map((m) => m.fileName));
    expect(await liveFileNames(table)).toEqual([...names, "data-b.parquet"].sort());
  });

  it("fully compacts manifests above the threshold: deletes applied, no DELETE entries left", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", {
      ...APPEND_TABLE,
      options: { ...APPEND_TABLE.options, "manifest.full-compaction-threshold-size": "6 kb" },
    });
    const expected = await churn(table, 12);
    const last = Math.max(...expected.keys());
    for (const [id, names] of expected) expect(await liveFileNames(table, id), `snapshot ${id}`).toEqual(names);
    const base = await baseList(table, last);
    expect(base.every((m) => m.numDeletedFiles === 0n)).toBe(true);
    expect(base.length).toBeLessThan(last - 1);
  });
});
