import { afterAll, describe, expect, it } from "vitest";
import { DataTypes, Timestamps } from "@streamhouse/format";
import { alterTable, SchemaChanges } from "@streamhouse/table";
import { openSystemTable } from "../../src/system/system-tables.js";
import { between, createPkTable, loggingIO, readAll, reopen, tempDir } from "./system-support.js";

const tmp = tempDir("sh-sys-schemas-");
afterAll(() => tmp.remove());

async function alteredTable(name: string) {
  const table = await createPkTable(tmp.path(name), { "snapshot.num-retained.max": "70" });
  await alterTable(table, [SchemaChanges.addColumn("n", DataTypes.BIGINT(), { description: "count" }), SchemaChanges.setOption("changelog-producer", "input"), SchemaChanges.updateComment("hello")], {
    clock: () => 1_700_000_123_456,
  });
  return table;
}

describe("t$schemas", () => {
  it("shows every schema version after an ALTER, keys and options as JSON text", async () => {
    const table = await alteredTable("shown");
    const schemas = await openSystemTable(await reopen(table), "schemas");
    expect(schemas.columns.map((c) => c.name)).toEqual(["schema_id", "fields", "partition_keys", "primary_keys", "options", "comment", "update_time"]);
    const rows = await readAll(schemas);
    expect(rows.map((r) => r[0])).toEqual([0n, 1n]);
    const [before, after] = rows as [(typeof rows)[number], (typeof rows)[number]];
    expect(JSON.parse(String(before[1]))).toEqual([
      { id: 0, name: "id", type: "INT NOT NULL" },
      { id: 1, name: "v", type: "STRING" },
    ]);
    expect(JSON.parse(String(after[1]))).toEqual([
      { id: 0, name: "id", type: "INT NOT NULL" },
      { id: 1, name: "v", type: "STRING" },
      { id: 2, name: "n", type: "BIGINT", description: "count" },
    ]);
    expect([after[2], after[3], after[5]]).toEqual(["[]", '["id"]', "hello"]);
    expect(JSON.parse(String(after[4]))).toEqual({ "snapshot.num-retained.max": "70", bucket: "1", "changelog-producer": "input" });
    expect(JSON.parse(String(before[4]))).toEqual({ "snapshot.num-retained.max": "70", bucket: "1" });
    expect(before[5]).toBeNull();
    expect(before[6]).toEqual(Timestamps.fromMillis(1_700_000_000_000));
    expect(after[6]).toEqual(Timestamps.fromMillis(1_700_000_123_456));
  });

  it("reads only the schema files inside a pushed-down schema_id range", async () => {
    const table = await alteredTable("pruned");
    const io = loggingIO();
    const schemas = await openSystemTable(await reopen(table, io), "schemas");
    const schemaFilesRead = () => io.log.filter((e) => e.op === "read" && /\/schema\/schema-0$/.test(e.path)).length;
    expect((await readAll(schemas, new Map([["schema_id", between(1, 1)]]))).map((r) => r[0])).toEqual([1n]);
    expect(schemaFilesRead()).toBe(0);
    expect(await schemas.splits(new Map([["schema_id", between(5, 9)]]))).toEqual([]);
  });
});

describe("t$options", () => {
  it("lists the latest schema's options by key, also through a handle opened before the ALTER", async () => {
    const table = await createPkTable(tmp.path("o"), { "snapshot.num-retained.max": "70" });
    const options = await openSystemTable(table, "options");
    expect(options.columns.map((c) => c.name)).toEqual(["key", "value"]);
    expect(await readAll(options)).toEqual([
      ["bucket", "1"],
      ["snapshot.num-retained.max", "70"],
    ]);
    await alterTable(table, [SchemaChanges.setOption("changelog-producer", "lookup"), SchemaChanges.removeOption("snapshot.num-retained.max")]);
    expect(await readAll(options)).toEqual([
      ["bucket", "1"],
      ["changelog-producer", "lookup"],
    ]);
    await expect(options.splits(new Map([["key", between(1, 2)]]))).rejects.toMatchObject({ kind: "InvalidArgument" });
    await expect(
      (async () => {
        for await (const _ of options.rows({ kind: "files", from: "1", to: "1" })) {
        }
      })(),
    ).rejects.toMatchObject({ kind: "InvalidArgument" });
  });
});
