/**
 * The table-management commands: create, describe, snapshots, alter, tag, expire,
 * rollback. They are run through main.ts's runCli (help, usage errors with exit
 * code 2, other errors as one line with exit code 1), on a local table written with
 * our TableWrite + FileStoreCommit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { FileStoreCommit, FileStoreTable, TableRead, TableWrite } from "@streamhouse/table";
import { cli } from "./support/run-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "streamhouse-cli-maint-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const io = new LocalFileIO();

async function commit(path: string, rows: Record<string, unknown>[], id: bigint): Promise<void> {
  const table = await FileStoreTable.open(io, path);
  const w = await TableWrite.open(table);
  await w.write(rows);
  await new FileStoreCommit(table, "cli-test").commit([await w.prepareCommit(id)]);
  await w.close();
}

const oneLine = (r: { err: string }) => expect(r.err.trim().split("\n")).toHaveLength(1);

describe("table management commands", () => {
  const path = join(tmp, "db.db", "t");

  it("create, then refuse a second create and bad schemas", async () => {
    const r = await cli("create", path, "--schema", "id BIGINT NOT NULL, p STRING, name STRING", "--primary-key", "id,p", "--partition", "p", "--bucket", "2", "--option", "snapshot.num-retained.min=1", "--comment", "people");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toMatch(/created .*: 3 columns, primary key \(id, p\), partitioned by \(p\)/);
    const again = await cli("create", path, "--schema", "id INT");
    expect(again.code).toBe(1);
    oneLine(again);
    expect(again.err).toMatch(/AlreadyExists: a table already exists/);
    const bad = await cli("create", join(tmp, "bad"), "--schema", "id INT, p STRING", "--primary-key", "id", "--partition", "p");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/InvalidArgument: schema: partition key "p" must be part of the primary key/);
    expect((await cli("create", join(tmp, "bad"))).code).toBe(2);
    expect((await cli("create", join(tmp, "bad"), "--schema", "id INT", "--bucket", "x")).code).toBe(2);
    expect((await cli("create", "--help")).out).toMatch(/^usage: streamhouse create <table-dir\|db\.table> --schema/);
  });

  it("describe and snapshots show the schema and each commit", async () => {
    for (let k = 1; k <= 4; k++) await commit(path, [{ id: BigInt(k), p: k % 2 === 0 ? "a" : "b", name: `n${k}` }], BigInt(k));
    const d = await cli("describe", path);
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/keys {7}primary key \(id, p\)/);
    expect(d.out).toMatch(/bucket {5}2 on \(id\)/);
    expect(d.out).toMatch(/snapshots {2}1\.\.4; latest APPEND at .*, 4 records/);
    expect(d.out).toMatch(/0\s+\| id\s+\| BIGINT NOT NULL/);
    const json = JSON.parse((await cli("describe", path, "--json")).out) as { primaryKeys: string[]; snapshots: { latest: number }; comment: string };
    expect(json).toMatchObject({ primaryKeys: ["id", "p"], snapshots: { latest: 4 }, comment: "people" });
    const s = await cli("snapshots", path);
    expect(s.out.trim().split("\n")).toHaveLength(6);
    expect(s.out).toMatch(/4\s+\| APPEND\s+\| \S+\s+\| 4\s+\| 1\s+\| 0\s+\| cli-test\s+\| 4/);
    const sj = JSON.parse((await cli("snapshots", path, "--json")).out) as { id: number; commitIdentifier: string }[];
    expect(sj.map((x) => x.id)).toEqual([1, 2, 3, 4]);
    expect(sj[3]!.commitIdentifier).toBe("4");
    const missing = await cli("describe", join(tmp, "nope"));
    expect(missing.code).toBe(1);
    oneLine(missing);
  });

  it("alter adds, renames, retypes, drops and sets options", async () => {
    expect((await cli("alter", path, "add-column", "age INT", "--after", "id", "--comment", "years")).out).toMatch(/schema 1, 4 columns/);
    expect((await cli("alter", path, "rename-column", "name", "full_name")).code).toBe(0);
    expect((await cli("alter", path, "modify-column", "age", "BIGINT")).code).toBe(0);
    expect((await cli("alter", path, "set", "snapshot.time-retained=1 min", "tag.automatic-creation=none")).code).toBe(0);
    expect((await cli("alter", path, "unset", "tag.automatic-creation")).code).toBe(0);
    expect((await cli("alter", path, "comment", "people v2")).code).toBe(0);
    const table = await FileStoreTable.open(io, path);
    expect(table.schema.id).toBe(6);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "age", "p", "full_name"]);
    expect(table.schema.options["snapshot.time-retained"]).toBe("1 min");
    expect((await new TableRead(table).toArray()).length).toBe(4);
    const dropPk = await cli("alter", path, "drop-column", "id");
    expect(dropPk.code).toBe(1);
    expect(dropPk.err).toMatch(/Unsupported: partition or primary-key column "id" cannot be dropped/);
    oneLine(dropPk);
    const bucket = await cli("alter", path, "set", "bucket=4");
    expect(bucket.err).toMatch(/Unsupported: changing "bucket"/);
    expect((await cli("alter", path, "frobnicate")).code).toBe(2);
    expect((await cli("alter", path, "add-column", "x NOPE")).code).toBe(2);
    expect((await cli("alter", path, "drop-column", "full_name")).code).toBe(0);
  });

  it("tag, expire and rollback", async () => {
    expect((await cli("tag", path, "create", "first", "--snapshot", "1")).out).toBe("created tag first at snapshot 1\n");
    expect((await cli("tag", path, "create", "keep", "--retain", "1 d")).out).toMatch(/created tag keep at snapshot 4, retained for 1 d/);
    expect((await cli("tag", path, "create", "first")).err).toMatch(/AlreadyExists: tag "first" already exists/);
    expect((await cli("tag", path, "create", "bad", "--retain", "soon")).code).toBe(2);
    const list = await cli("tag", path, "list");
    expect(list.out).toMatch(/first\s+\| 1\s+\|.*\| forever/);
    expect(list.out).toMatch(/keep\s+\| 4\s+\|.*\| 86400 s/);
    expect((await cli("tag", path, "expire")).out).toBe("no tag has expired\n");
    expect((await cli("tag", path)).code).toBe(2);

    const dry = await cli("expire", path, "--retain-min", "1", "--older-than", "0 s", "--dry-run");
    expect(dry.out).toMatch(/^would expire snapshots 1\.\.3 \(3\)/);
    expect((await cli("snapshots", path, "--json")).out).toContain('"id": 1');
    const ex = await cli("expire", path, "--retain-min", "1", "--older-than", "0 s");
    expect(ex.out).toMatch(/^expired snapshots 1\.\.3 \(3\); deleted \d+ data files, 0 changelog files, \d+ metadata files; earliest snapshot 4/);
    expect((await cli("expire", path, "--retain-min", "0")).code).toBe(2);
    expect((await cli("expire", path, "--older-than", "later")).code).toBe(2);

    await commit(path, [{ id: 9n, p: "a", age: 1n }], 5n);
    const rb = await cli("rollback", path, "--to-snapshot", "4");
    expect(rb.out).toBe(`rolled back to snapshot 4: removed snapshots 5..5 and ${rb.out.match(/and (\d+) files/)![1]} files\n`);
    expect((await new TableRead(await FileStoreTable.open(io, path)).toArray()).length).toBe(4);
    const toTag = await cli("rollback", path, "--to-tag", "first");
    expect(toTag.out).toMatch(/rolled back to snapshot 1: removed snapshots 4\.\.4, tags keep/);
    expect((await new TableRead(await FileStoreTable.open(io, path)).toArray()).length).toBe(1);
    expect((await cli("rollback", path)).code).toBe(2);
    expect((await cli("rollback", path, "--to-snapshot", "1", "--to-tag", "first")).code).toBe(2);
    const noSnap = await cli("rollback", path, "--to-snapshot", "9");
    expect(noSnap.code).toBe(1);
    oneLine(noSnap);
    expect((await cli("tag", path, "delete", "first")).out).toMatch(/deleted tag first \(snapshot 1\)/);
    expect((await cli("tag", path, "delete", "first")).err).toMatch(/NotFound: tag "first" does not exist/);
    expect((await cli("tag", path, "list")).out).toBe("no tags\n");
  });
});
