import { afterAll, describe, expect, it } from "vitest";
import { DataTypes, Timestamps } from "@streamhouse/format";
import { alterTable, compactTable, createTable, inspectTable, SchemaChanges, type WriteChange } from "@streamhouse/table";
import { openSystemTable } from "../../src/system/system-tables.js";
import { between, local, loggingIO, manifestFilesRead, openWriter, readAll, reopen, snapshotFilesRead, tempDir } from "./system-support.js";

const tmp = tempDir("sh-sys-files-");
afterAll(() => tmp.remove());

const COLUMNS = [
  "partition",
  "bucket",
  "file_path",
  "file_format",
  "schema_id",
  "level",
  "record_count",
  "file_size_in_bytes",
  "min_key",
  "max_key",
  "null_value_counts",
  "min_value_stats",
  "max_value_stats",
  "min_sequence_number",
  "max_sequence_number",
  "creation_time",
  "delete_row_count",
  "file_source",
  "first_row_id",
  "write_cols",
  "snapshot_id",
];

/** A partitioned two-bucket table: two appends, a full compaction, an ALTER, one more append (4 snapshots). */
async function writeTable() {
  const table = await createTable(local, tmp.path("orders"), {
    fields: "day STRING NOT NULL, id INT NOT NULL, v STRING",
    primaryKeys: ["day", "id"],
    partitionKeys: ["day"],
    options: { bucket: "2" },
  });
  const w = await openWriter(table);
  const row = (day: string, id: number, v: string | null): WriteChange => ({ kind: "+I", row: { day, id, v } });
  await w.checkpoint([row("d1", 1, "a"), row("d1", 2, "b"), row("d2", 3, "c"), row("d2", 4, null)]);
  await w.checkpoint([row("d1", 1, "a2"), row("d2", 5, "e")]);
  await w.close();
  expect((await compactTable(await reopen(table), { full: true })).snapshot?.commitKind).toBe("COMPACT");
  const altered = await reopen(table);
  await alterTable(altered, [SchemaChanges.addColumn("n", DataTypes.BIGINT()), SchemaChanges.renameColumn("v", "value")]);
  const w2 = await openWriter(await reopen(table));
  await w2.checkpoint([{ kind: "+I", row: { day: "d1", id: 9, value: "z", n: 7n } }]);
  await w2.close();
  return reopen(table);
}

const tablePromise = writeTable();

describe("t$files", () => {
  it("lists the latest snapshot's live files as inspectTable does", async () => {
    const table = await tablePromise;
    const files = await openSystemTable(table, "files");
    expect(files.columns.map((c) => c.name)).toEqual(COLUMNS);
    const latest = (await table.snapshots.latestSnapshotId())!;
    const rows = await readAll(files);
    const report = await inspectTable(table);
    expect(rows).toHaveLength(report.files.length);
    expect(report.files.length).toBeGreaterThan(2);
    rows.forEach((r, i) => {
      const f = report.files[i]!;
      const col = (name: string) => r[COLUMNS.indexOf(name)];
      expect(col("partition")).toBe(JSON.stringify(f.partition));
      expect(col("bucket")).toBe(f.bucket);
      expect(String(col("file_path")).endsWith(`/day=${f.partition["day"]}/bucket-${f.bucket}/${f.fileName}`)).toBe(true);
      expect(col("file_format")).toBe("parquet");
      expect(col("schema_id")).toBe(BigInt(f.schemaId));
      expect(col("level")).toBe(f.level);
      expect(col("record_count")).toBe(BigInt(f.rowCount));
      expect(col("file_size_in_bytes")).toBe(BigInt(f.fileSize));
      expect(col("min_key")).toBe(JSON.stringify(f.minKey));
      expect(col("max_key")).toBe(JSON.stringify(f.maxKey));
      expect(col("min_sequence_number")).toBe(BigInt(f.minSequenceNumber));
      expect(col("max_sequence_number")).toBe(BigInt(f.maxSequenceNumber));
      expect(col("snapshot_id")).toBe(BigInt(latest));
    });
    // value statistics under today's names: v is now "value", n (added later) has none in old files
    const stat = (r: (typeof rows)[number], name: string) => JSON.parse(String(r[COLUMNS.indexOf(name)]));
    for (const r of rows) expect(Object.keys(stat(r, "min_value_stats"))).toEqual(["day", "id", "value", "n"]);
    const compacted = rows.find((r) => r[COLUMNS.indexOf("min_key")] === JSON.stringify({ id: 4 }))!;
    expect(compacted[COLUMNS.indexOf("level")]).toBe(5);
    expect(stat(compacted, "min_value_stats")).toEqual({ day: "d2", id: 4, value: "e", n: null });
    expect(stat(compacted, "max_value_stats")).toEqual({ day: "d2", id: 5, value: "e", n: null });
    expect(stat(compacted, "null_value_counts")).toEqual({ day: 0, id: 0, value: 1, n: null });
    expect(compacted[COLUMNS.indexOf("file_source")]).toBe("COMPACT");
    const fresh = rows.find((r) => r[COLUMNS.indexOf("schema_id")] === 1n)!;
    expect(JSON.parse(String(fresh[COLUMNS.indexOf("max_value_stats")]))).toEqual({ day: "d1", id: 9, value: "z", n: 7 });
    expect(fresh[COLUMNS.indexOf("file_source")]).toBe("APPEND");
    expect(fresh[COLUMNS.indexOf("creation_time")]).toMatchObject({ nanoOfMillis: 0 });
    expect(Timestamps.toString(fresh[COLUMNS.indexOf("creation_time")] as never, 3)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("chooses the snapshot by snapshot_id, reading only that snapshot and its manifests", async () => {
    const written = await tablePromise;
    const io = loggingIO();
    const table = await reopen(written, io);
    const files = await openSystemTable(table, "files");
    const splits = await files.splits(new Map([["snapshot_id", between(2, 2)]]));
    expect(splits).toEqual([{ kind: "files", from: "2", to: "2" }]);
    const rows = [];
    for (const s of splits) for await (const r of files.rows(s)) rows.push(r);
    const report = await inspectTable(written, 2);
    expect(rows.map((r) => String(r[2]).slice(String(r[2]).lastIndexOf("/") + 1))).toEqual(report.files.map((f) => f.fileName));
    expect(rows.every((r) => r[20] === 2n)).toBe(true);
    expect(snapshotFilesRead(io)).toEqual([2]);
    const s2 = await written.snapshots.snapshot(2);
    const wanted = new Set([s2.baseManifestList, s2.deltaManifestList]);
    for (const list of [s2.baseManifestList, s2.deltaManifestList]) for (const m of await written.manifests.manifestList(list)) wanted.add(m.fileName);
    expect(manifestFilesRead(io)).toEqual([...wanted].sort());
  });

  it("gives every snapshot of a range its own split, and nothing for an empty table", async () => {
    const table = await tablePromise;
    const files = await openSystemTable(table, "files");
    const splits = await files.splits(new Map([["snapshot_id", between(1, 3)]]));
    expect(splits).toEqual([1, 2, 3].map((id) => ({ kind: "files", from: String(id), to: String(id) })));
    const perSnapshot = new Map<bigint, number>();
    for (const r of await readAll(files, new Map([["snapshot_id", between(1, 3)]]))) perSnapshot.set(r[20] as bigint, (perSnapshot.get(r[20] as bigint) ?? 0) + 1);
    for (const id of [1, 2, 3]) expect(perSnapshot.get(BigInt(id))).toBe((await inspectTable(table, id)).files.length);
    // a range without bounds (`snapshot_id IS NOT NULL`) is no choice: the latest snapshot
    expect(await files.splits(new Map([["snapshot_id", {}]]))).toEqual([{ kind: "files", from: "4", to: "4" }]);
    const empty = await createTable(local, tmp.path("empty"), { fields: "a INT" });
    expect(await (await openSystemTable(empty, "files")).splits(new Map())).toEqual([]);
  });
});
