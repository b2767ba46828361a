import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { rowKindToShortString } from "@streamhouse/format";
import { FileStoreTable, StreamScan } from "@streamhouse/table";
import { vectorPath } from "../../format/test/vectors.js";

const MOR = vectorPath("tables", "pk_table_scan_and_read_mor.db", "pk_table_scan_and_read_mor");

/** The operations of the table's README, snapshot by snapshot (snapshot 3 is a compaction). */
const README_CHANGES: Record<number, string[]> = {
  1: ["+I Two roads", "+I Alice 11.1", "+I Bob 12.1", "+I Emily 13.1", "+I Tony 14.1", "+I Alex 16.1", "+I David 17.1", "+I Lucy 14.1", "+I Paul 18.1"],
  2: ["-D Tony 14.1", "+U Alice 19.1"],
  4: ["+I Skye 21", "+I Marco 21.1", "+U Alex 21.2"],
  5: ["+I Skye2 31", "+I Marco2 31.1", "-D Alex 31.2"],
};

const label = (kind: number, row: readonly unknown[]): string =>
  `${rowKindToShortString(kind as 0)} ${String(row[0]).startsWith("Two roads") ? "Two roads" : `${row[0]} ${row[3]}`}`;

describe("streaming scan", () => {
  it("returns each snapshot's changes with their row kinds, as the README wrote them", async () => {
    const table = await FileStoreTable.open(new LocalFileIO(), MOR);
    const got: Record<number, string[]> = {};
    for await (const c of new StreamScan(table).changes({ start: { from: "snapshot", snapshotId: 1 }, stopAtLatest: true })) {
      const row = c.row as unknown[];
      got[c.snapshotId] = [...(got[c.snapshotId] ?? []), label(c.kind, row)];
    }
    for (const v of Object.values(got)) v.sort();
    const want = Object.fromEntries(Object.entries(README_CHANGES).map(([k, v]) => [k, [...v].sort()]));
    expect(got).toEqual(want);
  });

  it("starts with a full read for latest-full, and nothing for latest", async () => {
    const table = await FileStoreTable.open(new LocalFileIO(), MOR);
    const full: string[] = [];
    for await (const c of new StreamScan(table).changes({ start: { from: "latest-full" }, stopAtLatest: true })) full.push(label(c.kind, c.row as unknown[]));
    expect(full).toHaveLength(11);
    expect(full.every((l) => l.startsWith("+I"))).toBe(true);
    let none = 0;
    for await (const _ of new StreamScan(table).changes({ start: { from: "latest" }, stopAtLatest: true })) none++;
    expect(none).toBe(0);
  });

  it("records consumer progress in Java's format and resumes from it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sh-consumer-"));
    try {
      cpSync(MOR, dir, { recursive: true });
      const table = await FileStoreTable.open(new LocalFileIO(), dir);
      const scan = new StreamScan(table);
      const seen: number[] = [];
      for await (const c of scan.changes({ start: { from: "snapshot", snapshotId: 4 }, consumerId: "job-1", stopAtLatest: true })) seen.push(c.snapshotId);
      expect(new Set(seen)).toEqual(new Set([4, 5]));
      expect(await scan.consumerNextSnapshot("job-1")).toBe(6);
      const { readFileSync } = await import("node:fs");
      expect(readFileSync(join(dir, "consumer", "consumer-job-1"), "utf8")).toBe('{\n  "nextSnapshot" : 6\n}');
      // A restarted reader with the same consumer id has nothing left to read.
      let again = 0;
      for await (const _ of scan.changes({ start: { from: "earliest" }, consumerId: "job-1", stopAtLatest: true })) again++;
      expect(again).toBe(0);
      await expect(async () => {
        for await (const _ of scan.changes({ consumerId: "../escape" })) break;
      }).rejects.toThrow(/invalid consumer id/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
