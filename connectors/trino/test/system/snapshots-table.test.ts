import { afterAll, describe, expect, it } from "vitest";
import { Timestamps } from "@streamhouse/format";
import { openSystemTable } from "../../src/system/system-tables.js";
import { between, createPkTable, insert, loggingIO, openWriter, readAll, remove, reopen, snapshotFilesRead, tempDir, upsert } from "./system-support.js";

const tmp = tempDir("sh-sys-snapshots-");
afterAll(() => tmp.remove());

async function writeTable(changelogProducer?: string) {
  const table = await createPkTable(tmp.path(changelogProducer ?? "plain"), changelogProducer === undefined ? {} : { "changelog-producer": changelogProducer });
  const w = await openWriter(table);
  for (const c of [[insert(1, "a"), insert(2, "b")], [upsert(1, "a2")], [remove(2)], [insert(3, "c")], [remove(1)]]) await w.checkpoint(c);
  await w.close();
  return reopen(table);
}

describe("t$snapshots", () => {
  it("shows every snapshot as its file holds it", async () => {
    const table = await writeTable("lookup");
    const snapshots = await openSystemTable(table, "snapshots");
    expect(snapshots.columns.map((c) => `${c.name} ${c.type.root}${c.type.nullable ? "" : "!"}`)).toEqual([
      "snapshot_id BIGINT!",
      "schema_id BIGINT!",
      "commit_user VARCHAR!",
      "commit_identifier BIGINT!",
      "commit_kind VARCHAR!",
      "commit_time TIMESTAMP!",
      "base_manifest_list VARCHAR!",
      "delta_manifest_list VARCHAR!",
      "changelog_manifest_list VARCHAR",
      "total_record_count BIGINT",
      "delta_record_count BIGINT",
      "changelog_record_count BIGINT",
      "watermark BIGINT",
    ]);
    const rows = await readAll(snapshots);
    expect(rows.map((r) => `${r[0]} ${r[4]}`)).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1} ${i % 2 === 0 ? "APPEND" : "COMPACT"}`));
    for (const r of rows) {
      const s = await table.snapshots.snapshot(Number(r[0]));
      expect(r).toEqual([
        BigInt(s.id),
        BigInt(s.schemaId),
        "system-tables-test",
        s.commitIdentifier,
        s.commitKind,
        Timestamps.fromMillis(s.timeMillis),
        s.baseManifestList,
        s.deltaManifestList,
        s.changelogManifestList,
        BigInt(s.totalRecordCount),
        BigInt(s.deltaRecordCount),
        s.changelogRecordCount === null ? null : BigInt(s.changelogRecordCount),
        s.watermark,
      ]);
    }
    // the lookup producer's changelog hangs off the COMPACT snapshots
    expect(rows.filter((r) => r[8] !== null).map((r) => Number(r[0]) % 2)).toContain(0);
  });

  it("reads only the snapshot files inside a pushed-down snapshot_id range", async () => {
    const written = await writeTable();
    const io = loggingIO();
    const snapshots = await openSystemTable(await reopen(written, io), "snapshots");
    const rows = await readAll(snapshots, new Map([["snapshot_id", { low: { value: 3n, inclusive: false } }]]));
    expect(rows.map((r) => r[0])).toEqual([4n, 5n]);
    expect(snapshotFilesRead(io)).toEqual([4, 5]);
    expect(await readAll(snapshots, new Map([["snapshot_id", between(9, 12)]]))).toEqual([]);
    expect((await readAll(snapshots, new Map([["schema_id", between(0, 0)]]))).length).toBe(5);
  });
});
