/**
 * Orphan-file cleaning: files a crashed or abandoned writer left (uncommitted data
 * files, stray manifests, temp files) go once older than the threshold; referenced
 * files, young files and files outside the directories the format owns stay.
 */
import { describe, expect, it } from "vitest";
import { joinPath, MemoryFileIO } from "@streamhouse/fileio";
import { FileStoreTable } from "../src/file-store-table.js";
import { TableRead } from "../src/read/table-read.js";
import { createTable } from "../src/schema/create-table.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { TableWrite } from "../src/write/table-write.js";
import { cleanOrphanFiles } from "../src/maintenance/orphan-files-clean.js";

const PATH = "/wh/db.db/t";
const DAY = 86_400_000;

describe("cleanOrphanFiles", () => {
  it("deletes old unreferenced files only, and reads stay correct", async () => {
    let now = 1_750_000_000_000;
    const io = new MemoryFileIO(() => now);
    await createTable(io, PATH, { fields: "id INT NOT NULL, p STRING NOT NULL, v STRING", primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "1" } });
    const table = await FileStoreTable.open(io, PATH);
    const commit = new FileStoreCommit(table, "w", { sleep: async () => {} });
    for (let k = 0; k < 3; k++) {
      const w = await TableWrite.open(await FileStoreTable.open(io, PATH));
      await w.write([{ id: k, p: "a", v: `v${k}` }, { id: k, p: "b", v: `v${k}` }]);
      await commit.commit([await w.prepareCommit(BigInt(k + 1))]);
      await w.close();
    }
    // A writer that died before committing, a stray manifest, a temp file, and files we must not touch.
    const w = await TableWrite.open(table);
    await w.write([{ id: 99, p: "c", v: "lost" }]);
    const lost = (await w.prepareCommit(9n)).messages.flatMap((m) => m.dataIncrement.newFiles.map((f) => joinPath(PATH, "p=c", "bucket-0", f.fileName)));
    await w.close();
    const strays = [...lost, joinPath(PATH, "manifest", "manifest-stray-0"), joinPath(PATH, "p=a", "bucket-0", ".data-x.parquet.tmp")];
    for (const s of strays.slice(1)) await io.writeIfAbsent(s, new Uint8Array([1]));
    const foreign = [joinPath(PATH, "README"), joinPath(PATH, "snapshot", "junk"), joinPath(PATH, "notes", "a.txt")];
    for (const f of foreign) await io.writeIfAbsent(f, new Uint8Array([1]));
    const rows = await new TableRead(table).toArray();

    // Young: nothing deleted by default (1 day).
    now += DAY / 2;
    const young = await cleanOrphanFiles(table, { clock: () => now });
    expect(young.orphanFiles).toEqual([]);
    expect(young.tooYoung).toBe(strays.length);

    now += DAY;
    const dry = await cleanOrphanFiles(table, { clock: () => now, dryRun: true });
    expect(dry.orphanFiles).toEqual([...strays].sort());
    for (const s of strays) expect(await io.exists(s)).toBe(true);

    const done = await cleanOrphanFiles(table, { clock: () => now });
    expect(done.orphanFiles).toEqual([...strays].sort());
    for (const s of strays) expect(await io.exists(s)).toBe(false);
    for (const f of foreign) expect(await io.exists(f)).toBe(true);
    expect(await new TableRead(await FileStoreTable.open(io, PATH)).toArray()).toEqual(rows);
    expect((await cleanOrphanFiles(table, { clock: () => now })).orphanFiles).toEqual([]);
  });
});
