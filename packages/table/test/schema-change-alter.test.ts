/**
 * createTable and alterTable: Paimon's validation rules, field ids for added columns,
 * option rules once a table has data, concurrent changes re-applied on the new latest
 * schema, and reads across schema versions of data written before and after.
 */
import { describe, expect, it } from "vitest";
import { MemoryFileIO } from "@streamhouse/fileio";
import { DataTypes, decodeTableSchema, ErrorKind, parseDataType } from "@streamhouse/format";
import { FileStoreTable } from "../src/file-store-table.js";
import { TableRead } from "../src/read/table-read.js";
import { alterTable, applySchemaChanges } from "../src/schema/alter-table.js";
import { createTable, newTableSchema } from "../src/schema/create-table.js";
import { SchemaChanges as C } from "../src/schema/schema-change.js";
import { TablePaths } from "../src/table-paths.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { TableWrite } from "../src/write/table-write.js";

const PATH = "/wh/db.db/t";
const T = 1_750_000_000_000;

function invalid(def: Parameters<typeof newTableSchema>[0]): string {
  try {
    newTableSchema(def, T);
  } catch (e) {
    return (e as { kind: string }).kind;
  }
  return "ok";
}

describe("createTable", () => {
  it("writes schema-0 as Paimon does, once", async () => {
    const io = new MemoryFileIO();
    const table = await createTable(io, PATH, { fields: "id BIGINT, p STRING, r ROW<a INT, b STRING>", primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2" }, comment: "c" }, { clock: () => T });
    const s = decodeTableSchema(new TextDecoder().decode(await io.read(TablePaths.schema(PATH, 0))));
    expect(s.fields.map((f) => [f.id, f.name, f.type.nullable])).toEqual([
      [0, "id", false],
      [1, "p", false],
      [2, "r", true],
    ]);
    expect(s.highestFieldId).toBe(4);
    expect(s).toMatchObject({ version: 3, id: 0, comment: "c", timeMillis: T, partitionKeys: ["p"], primaryKeys: ["id", "p"] });
    expect(table.schema).toEqual(s);
    await expect(createTable(io, PATH, { fields: "id INT" })).rejects.toMatchObject({ kind: ErrorKind.AlreadyExists });
  });

  it("moves primary-key and partition options into the key lists", () => {
    const s = newTableSchema({ fields: "id INT, p STRING", options: { "primary-key": "id,p", partition: "p", bucket: "1" } }, T);
    expect(s.primaryKeys).toEqual(["id", "p"]);
    expect(s.partitionKeys).toEqual(["p"]);
    expect(s.options).toEqual({ bucket: "1" });
  });

  it("refuses what Paimon refuses", () => {
    const ok = { fields: "id INT, p STRING, v STRING" };
    expect(invalid({ ...ok, primaryKeys: ["id"], options: { bucket: "1" } })).toBe("ok");
    expect(invalid({ ...ok, primaryKeys: ["id"], partitionKeys: ["p"] })).toBe(ErrorKind.InvalidArgument); // partition ⊄ PK
    expect(invalid({ ...ok, primaryKeys: ["p"], partitionKeys: ["p"] })).toBe(ErrorKind.InvalidArgument); // PK = partition
    expect(invalid({ ...ok, primaryKeys: ["nope"] })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ fields: "id INT, id STRING" })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ fields: "_SEQUENCE_NUMBER BIGINT" })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ fields: "id INT NOT NULL, x" })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { bucket: "2" } })).toBe(ErrorKind.InvalidArgument); // append + bucket needs bucket-key
    expect(invalid({ ...ok, options: { bucket: "2", "bucket-key": "v" } })).toBe("ok");
    expect(invalid({ ...ok, partitionKeys: ["p"], options: { bucket: "2", "bucket-key": "p" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, primaryKeys: ["id"], options: { bucket: "2", "bucket-key": "v" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { "bucket-key": "v" } })).toBe(ErrorKind.InvalidArgument); // bucket -1
    expect(invalid({ ...ok, primaryKeys: ["id"], options: { "merge-engine": "newest" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { "changelog-producer": "input" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, primaryKeys: ["id"], options: { "sequence.field": "nope" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { bucket: "0" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { "snapshot.num-retained.min": "5", "snapshot.num-retained.max": "2" } })).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ...ok, options: { "file.format": "xls" } })).toBe(ErrorKind.InvalidArgument);
  });
});

describe("alterTable", () => {
  const base = newTableSchema({ fields: "id INT, p STRING, v STRING, n BIGINT", primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "1", "fields.v.aggregate-function": "last_value" } }, T);
  const apply = (changes: Parameters<typeof applySchemaChanges>[1], hasSnapshots = true) => applySchemaChanges(base, changes, { hasSnapshots, timeMillis: T + 1 });
  const kindOf = (f: () => unknown): string => {
    try {
      f();
      return "ok";
    } catch (e) {
      return (e as { kind: string }).kind;
    }
  };

  it("adds columns with new ids, nested ids after them, where asked", () => {
    const s = apply([C.addColumn("r", parseDataType("ROW<a INT, b ARRAY<ROW<c INT>>>")), C.addColumn("f", DataTypes.INT(), { move: { type: "first" } }), C.addColumn("x", DataTypes.STRING(), { move: { type: "after", column: "id" } })]);
    expect(s.id).toBe(1);
    expect(s.fields.map((f) => `${f.id}:${f.name}`)).toEqual(["8:f", "0:id", "9:x", "1:p", "2:v", "3:n", "4:r"]);
    const r = s.fields.find((f) => f.name === "r")!.type;
    expect(r.root === "ROW" && r.fields.map((f) => f.id)).toEqual([5, 6]);
    expect(s.highestFieldId).toBe(9);
    expect(kindOf(() => apply([C.addColumn("id", DataTypes.INT())]))).toBe(ErrorKind.AlreadyExists);
    expect(kindOf(() => apply([C.addColumn("z", DataTypes.INT(false))]))).toBe(ErrorKind.InvalidArgument);
    expect(kindOf(() => apply([C.addColumn("z", DataTypes.INT(), { move: { type: "after", column: "nope" } })]))).toBe(ErrorKind.NotFound);
  });

  it("renames, drops and retypes as Paimon allows", () => {
    const renamed = apply([C.renameColumn("id", "key"), C.renameColumn("v", "value")]);
    expect(renamed.primaryKeys).toEqual(["key", "p"]);
    expect(renamed.options["fields.value.aggregate-function"]).toBe("last_value");
    expect(renamed.fields.map((f) => f.id)).toEqual([0, 1, 2, 3]);
    expect(kindOf(() => apply([C.renameColumn("p", "q")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.renameColumn("v", "n")]))).toBe(ErrorKind.AlreadyExists);
    expect(kindOf(() => apply([C.renameColumn("nope", "x")]))).toBe(ErrorKind.NotFound);
    expect(apply([C.dropColumn("n")]).fields.map((f) => f.name)).toEqual(["id", "p", "v"]);
    expect(kindOf(() => apply([C.dropColumn("id")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.dropColumn("p")]))).toBe(ErrorKind.Unsupported);
    const widened = apply([C.updateColumnType("n", DataTypes.DECIMAL(20, 0))]);
    expect(widened.fields[3]!.type).toEqual(DataTypes.DECIMAL(20, 0));
    expect(kindOf(() => apply([C.updateColumnType("n", DataTypes.ARRAY(DataTypes.INT()))]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.updateColumnType("n", DataTypes.BIGINT(false))]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.updateColumnType("id", DataTypes.BIGINT(false))]))).toBe(ErrorKind.Unsupported);
    expect(apply([C.updateColumnType("n", DataTypes.INT(false), true)]).fields[3]!.type).toEqual(DataTypes.INT());
    expect(apply([C.updateColumnComment("v", "the value")]).fields[2]!.description).toBe("the value");
    expect(apply([C.updateComment("table")]).comment).toBe("table");
  });

  it("guards options once the table has data", () => {
    expect(apply([C.setOption("bucket", "4")], false).options["bucket"]).toBe("4");
    expect(kindOf(() => apply([C.setOption("bucket", "4")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.removeOption("bucket")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.setOption("merge-engine", "first-row")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.setOption("deletion-vectors.enabled", "true")]))).toBe(ErrorKind.Unsupported);
    expect(kindOf(() => apply([C.setOption("merge-engine", "nope")], false))).toBe(ErrorKind.InvalidArgument);
    expect(kindOf(() => apply([C.setOption("primary-key", "id")], false))).toBe(ErrorKind.Unsupported);
    expect(apply([C.setOption("snapshot.num-retained.min", "3"), C.removeOption("fields.v.aggregate-function")]).options).toEqual({ bucket: "1", "snapshot.num-retained.min": "3" });
    expect(kindOf(() => apply([]))).toBe(ErrorKind.InvalidArgument);
  });

  it("publishes schema-(N+1), re-applies on a concurrent change, and reads old and new rows", async () => {
    const io = new MemoryFileIO();
    let table = await createTable(io, PATH, { fields: "id INT NOT NULL, v STRING", primaryKeys: ["id"], options: { bucket: "1" } });
    const write = async (rows: Record<string, unknown>[], id: bigint) => {
      const t = await FileStoreTable.open(io, PATH);
      const w = await TableWrite.open(t);
      await w.write(rows);
      await new FileStoreCommit(t, "w").commit([await w.prepareCommit(id)]);
      await w.close();
    };
    await write([{ id: 1, v: "a" }], 1n);
    // A concurrent alter takes schema-1 between our read and our write: ours becomes schema-2.
    const realWrite = io.writeIfAbsent.bind(io);
    let raced = false;
    io.writeIfAbsent = async (path, data) => {
      if (!raced && path === TablePaths.schema(PATH, 1)) {
        raced = true;
        await alterTable(table, [C.addColumn("other", DataTypes.INT())]);
      }
      return realWrite(path, data);
    };
    const s = await alterTable(table, [C.addColumn("extra", DataTypes.BIGINT()), C.renameColumn("v", "value")]);
    expect(s.id).toBe(2);
    expect(s.fields.map((f) => `${f.id}:${f.name}`)).toEqual(["0:id", "1:value", "2:other", "3:extra"]);
    // A change that no longer applies on the new latest fails with its own error.
    await expect(alterTable(table, [C.addColumn("other", DataTypes.INT())])).rejects.toMatchObject({ kind: ErrorKind.AlreadyExists });
    table = await FileStoreTable.open(io, PATH);
    expect(table.schema.id).toBe(2);
    await write([{ id: 2, value: "b", other: 7, extra: 9n }], 2n);
    const rows = await new TableRead(await FileStoreTable.open(io, PATH)).toArray();
    expect(rows).toEqual([
      [1, "a", null, null],
      [2, "b", 7, 9n],
    ]);
    await expect(alterTable(await FileStoreTable.open(io, PATH), [C.dropColumn("id")])).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
  });
});
