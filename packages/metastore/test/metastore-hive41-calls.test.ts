// Calls Hive 4.1 clients make that older ones do not, over a socket: catalogs,
// alter_database_req, truncate_table(_req), append_partition_req,
// add_partitions_pspec and exchange_partition(s), with the exceptions Hive's
// own client suites expect of them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Harness, type HmsClient, partition, startHarness, T, table } from "./support/harness.js";

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

describe("Hive 4.1 calls", () => {
  let h: Harness;
  let c: HmsClient;
  let warehouse: string;

  beforeAll(async () => {
    warehouse = mkdtempSync(join(tmpdir(), "streamhouse-hive41-"));
    h = await startHarness({ warehouse });
    c = h.client();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(warehouse, { recursive: true, force: true });
  });

  test("catalogs: create (with its default database), get, list, alter, drop", async () => {
    expect((await c.get_catalogs()).names).toEqual(["hive"]);
    expect((await c.get_catalog(new T.GetCatalogRequest({ name: "hive" }))).catalog.locationUri).toBe(`file://${warehouse}`);
    const location = `file://${warehouse}/cat_one`;
    await c.create_catalog(new T.CreateCatalogRequest({ catalog: new T.Catalog({ name: "Cat_One", locationUri: location, description: "first" }) }));
    expect(existsSync(join(warehouse, "cat_one"))).toBe(true);
    expect((await c.get_catalogs()).names).toEqual(["cat_one", "hive"]);
    const got = (await c.get_catalog(new T.GetCatalogRequest({ name: "cat_one" }))).catalog;
    expect([got.name, got.description, got.locationUri, got.createTime! > 0]).toEqual(["cat_one", "first", location, true]);
    expect(await c.get_databases("@cat_one#")).toEqual(["default"]);
    expect((await c.get_database("@cat_one#default")).locationUri).toBe(location);

    expect(await rejection(c.create_catalog(new T.CreateCatalogRequest({ catalog: new T.Catalog({ name: "cat_one", locationUri: location }) })))).toBeInstanceOf(
      T.AlreadyExistsException,
    );
    expect(await rejection(c.create_catalog(new T.CreateCatalogRequest({ catalog: new T.Catalog({ name: "bad/name", locationUri: location }) })))).toBeInstanceOf(
      T.InvalidObjectException,
    );
    expect(await rejection(c.create_catalog(new T.CreateCatalogRequest({ catalog: new T.Catalog({ name: "nopath" } as never) })))).toBeInstanceOf(T.InvalidObjectException);
    expect(await rejection(c.get_catalog(new T.GetCatalogRequest({ name: "nope" })))).toBeInstanceOf(T.NoSuchObjectException);

    await c.alter_catalog(new T.AlterCatalogRequest({ name: "cat_one", newCat: new T.Catalog({ name: "cat_one", locationUri: `${location}2`, description: "moved" }) }));
    const altered = (await c.get_catalog(new T.GetCatalogRequest({ name: "cat_one" }))).catalog;
    expect([altered.description, altered.locationUri]).toEqual(["moved", `${location}2`]);
    expect(await rejection(c.alter_catalog(new T.AlterCatalogRequest({ name: "cat_one", newCat: new T.Catalog({ name: "other", locationUri: location }) })))).toBeInstanceOf(
      T.InvalidOperationException,
    );
    expect(await rejection(c.alter_catalog(new T.AlterCatalogRequest({ name: "nope", newCat: new T.Catalog({ name: "nope", locationUri: location }) })))).toBeInstanceOf(
      T.NoSuchObjectException,
    );

    // A database in a catalog goes under the catalog's location; one in a missing catalog is refused.
    await c.create_database(new T.Database({ name: "inner", catalogName: "cat_one", parameters: {} } as never));
    expect((await c.get_database("@cat_one#inner")).locationUri).toBe(`${location}2/inner.db`);
    expect(await rejection(c.create_database(new T.Database({ name: "lost", catalogName: "no_such", parameters: {} } as never)))).toBeInstanceOf(
      T.InvalidObjectException,
    );

    expect(await rejection(c.drop_catalog(new T.DropCatalogRequest({ name: "cat_one" })))).toBeInstanceOf(T.InvalidOperationException);
    await c.drop_database("@cat_one#inner", true, false);
    await c.create_table(Object.assign(table("default", "t"), { catName: "cat_one" }));
    expect(await rejection(c.drop_catalog(new T.DropCatalogRequest({ name: "cat_one" })))).toBeInstanceOf(T.InvalidOperationException);
    await c.drop_table_req(new T.DropTableRequest({ catalogName: "cat_one", dbName: "default", tableName: "t", deleteData: true }));
    await c.drop_catalog(new T.DropCatalogRequest({ name: "cat_one" }));
    expect((await c.get_catalogs()).names).toEqual(["hive"]);
    expect(await rejection(c.drop_catalog(new T.DropCatalogRequest({ name: "cat_one" })))).toBeInstanceOf(T.NoSuchObjectException);
    expect(await rejection(c.drop_catalog(new T.DropCatalogRequest({ name: "hive" })))).toBeInstanceOf(T.MetaException);
  });

  test("alter_database_req changes the database named by oldDbName", async () => {
    await c.create_database(new T.Database({ name: "altered", description: "before", parameters: {} } as never));
    await c.alter_database_req(new T.AlterDatabaseRequest({ oldDbName: "altered", newDb: new T.Database({ name: "altered", description: "after", parameters: { a: "b" } } as never) }));
    const db = await c.get_database("altered");
    expect([db.description, db.parameters]).toEqual(["after", { a: "b" }]);
    expect(await rejection(c.alter_database_req(new T.AlterDatabaseRequest({ oldDbName: "missing", newDb: new T.Database({ name: "missing" } as never) })))).toBeInstanceOf(
      T.NoSuchObjectException,
    );
  });

  test("truncate_table(_req): data files go, hidden files and directories stay, basic statistics become 0", async () => {
    await c.create_database(new T.Database({ name: "trunc", parameters: {} } as never));
    const plain = table("trunc", "plain", [], { numRows: "5", totalSize: "100", other: "x" });
    plain.tableType = "MANAGED_TABLE";
    await c.create_table(plain);
    const dir = join(warehouse, "trunc.db", "plain");
    writeFileSync(join(dir, "data.txt"), "1\n");
    writeFileSync(join(dir, ".hidden"), "");
    mkdirSync(join(dir, "sub"));
    await c.truncate_table("trunc", "plain", null as never);
    expect(readdirSync(dir)).toEqual([".hidden"]);
    expect((await c.get_table("trunc", "plain")).parameters).toMatchObject({ numRows: "0", totalSize: "0", other: "x" });

    const parted = table("trunc", "parted", [["p", "string"]]);
    parted.tableType = "MANAGED_TABLE";
    await c.create_table(parted);
    for (const v of ["a", "b"]) {
      await c.add_partition(partition("trunc", "parted", [v]));
      writeFileSync(join(warehouse, "trunc.db", "parted", `p=${v}`, "f"), v);
    }
    await c.truncate_table_req(new T.TruncateTableRequest({ dbName: "trunc", tableName: "parted", partNames: ["p=a"] }));
    expect(readdirSync(join(warehouse, "trunc.db", "parted", "p=a"))).toEqual([]);
    expect(readdirSync(join(warehouse, "trunc.db", "parted", "p=b"))).toEqual(["f"]);
    // Skipping data deletion (what Hive asks for ACID tables) keeps the files.
    await c.truncate_table_req(
      new T.TruncateTableRequest({ dbName: "trunc", tableName: "parted", environmentContext: new T.EnvironmentContext({ properties: { truncateSkipDataDeletion: "true" } }) }),
    );
    expect(readdirSync(join(warehouse, "trunc.db", "parted", "p=b"))).toEqual(["f"]);
    expect(await rejection(c.truncate_table("trunc", "missing", null as never))).toBeInstanceOf(T.MetaException);
    expect(await rejection(c.truncate_table("trunc", "parted", ["p=zzz"]))).toBeInstanceOf(T.MetaException);
  });

  test("append_partition_req by values and by name", async () => {
    await c.create_database(new T.Database({ name: "app", parameters: {} } as never));
    await c.create_table(table("app", "t", [["y", "string"], ["m", "string"]]));
    const byValues = await c.append_partition_req(new T.AppendPartitionsRequest({ dbName: "app", tableName: "t", partVals: ["2024", "1"] }));
    expect(byValues.values).toEqual(["2024", "1"]);
    const byName = await c.append_partition_req(new T.AppendPartitionsRequest({ dbName: "app", tableName: "t", name: "y=2024/m=2" }));
    expect(byName.values).toEqual(["2024", "2"]);
    expect(await c.get_partition_names("app", "t", -1)).toEqual(["y=2024/m=1", "y=2024/m=2"]);
    expect(await rejection(c.append_partition_req(new T.AppendPartitionsRequest({ dbName: "app", tableName: "t", partVals: ["2024", "1"] })))).toBeInstanceOf(
      T.AlreadyExistsException,
    );
    expect(await rejection(c.append_partition_req(new T.AppendPartitionsRequest({ dbName: "app", tableName: "nope", partVals: ["1", "2"] })))).toBeInstanceOf(
      T.InvalidObjectException,
    );
    expect(await rejection(c.append_partition_req(new T.AppendPartitionsRequest({ dbName: "app", tableName: "t" })))).toBeInstanceOf(T.MetaException);
  });

  test("add_partitions_pspec: a list of partitions, and partitions sharing one storage descriptor", async () => {
    await c.create_database(new T.Database({ name: "spec", parameters: {} } as never));
    await c.create_table(table("spec", "t", [["p", "string"]]));
    const listed = new T.PartitionSpec({
      dbName: "spec",
      tableName: "t",
      rootPath: "",
      partitionList: new T.PartitionListComposingSpec({ partitions: [partition("spec", "t", ["a"]), partition("spec", "t", ["b"])] }),
    });
    expect(await c.add_partitions_pspec([listed])).toBe(2);
    const sd = (await c.get_table("spec", "t")).sd;
    sd.location = "file:///data/shared";
    const shared = new T.PartitionSpec({
      dbName: "spec",
      tableName: "t",
      rootPath: "",
      sharedSDPartitionSpec: new T.PartitionSpecWithSharedSD({
        sd,
        partitions: [new T.PartitionWithoutSD({ values: ["c"], createTime: 0, lastAccessTime: 0, relativePath: "/p=c", parameters: { k: "v" } })],
      }),
    });
    expect(await c.add_partitions_pspec([shared])).toBe(1);
    const p = await c.get_partition("spec", "t", ["c"]);
    expect([p.sd.location, p.parameters.k]).toEqual(["file:///data/shared/p=c", "v"]);
    expect(await c.add_partitions_pspec([])).toBe(0);
    expect(await rejection(c.add_partitions_pspec([listed]))).toBeInstanceOf(T.AlreadyExistsException);
    const noTable = new T.PartitionSpec({ dbName: "spec", tableName: "nope", rootPath: "", partitionList: new T.PartitionListComposingSpec({ partitions: [partition("spec", "nope", ["x"])] }) });
    expect(await rejection(c.add_partitions_pspec([noTable]))).toBeInstanceOf(T.InvalidObjectException);
    const mixed = new T.PartitionSpec({ dbName: "spec", tableName: "t", rootPath: "", partitionList: new T.PartitionListComposingSpec({ partitions: [partition("spec", "other", ["x"])] }) });
    expect(await rejection(c.add_partitions_pspec([mixed]))).toBeInstanceOf(T.MetaException);
  });

  test("exchange_partition(s) move partitions and their directory between tables", async () => {
    await c.create_database(new T.Database({ name: "ex", parameters: {} } as never));
    for (const name of ["src", "dst"]) {
      const t = table("ex", name, [["y", "string"], ["m", "string"]]);
      t.tableType = "MANAGED_TABLE";
      await c.create_table(t);
    }
    for (const [y, m] of [["2023", "1"], ["2024", "1"], ["2024", "2"]] as const) {
      await c.add_partition(partition("ex", "src", [y, m]));
      writeFileSync(join(warehouse, "ex.db", "src", `y=${y}`, `m=${m}`, "f"), `${y}-${m}`);
    }
    const moved = await c.exchange_partitions({ y: "2024" }, "ex", "src", "ex", "dst");
    expect(moved.map((p) => p.values).sort()).toEqual([["2024", "1"], ["2024", "2"]]);
    expect(await c.get_partition_names("ex", "src", -1)).toEqual(["y=2023/m=1"]);
    expect(await c.get_partition_names("ex", "dst", -1)).toEqual(["y=2024/m=1", "y=2024/m=2"]);
    expect((await c.get_partition("ex", "dst", ["2024", "1"])).sd.location).toBe(`file://${warehouse}/ex.db/dst/y=2024/m=1`);
    expect(readdirSync(join(warehouse, "ex.db", "dst", "y=2024", "m=2"))).toEqual(["f"]);
    expect(existsSync(join(warehouse, "ex.db", "src", "y=2024"))).toBe(false);

    const one = await c.exchange_partition({ y: "2023", m: "1" }, "ex", "src", "ex", "dst");
    expect(one.values).toEqual(["2023", "1"]);
    expect(await rejection(c.exchange_partition({ y: "1999" }, "ex", "src", "ex", "dst"))).toBeInstanceOf(T.MetaException);
    await c.add_partition(partition("ex", "src", ["2024", "1"]));
    expect(await rejection(c.exchange_partitions({ y: "2024" }, "ex", "src", "ex", "dst"))).toBeInstanceOf(T.MetaException);
    await c.create_table(table("ex", "other", [["z", "string"]]));
    expect(await rejection(c.exchange_partitions({ y: "2024" }, "ex", "src", "ex", "other"))).toBeInstanceOf(T.MetaException);
    // Hive answers every failure of an exchange with MetaException, a missing table too.
    expect(await rejection(c.exchange_partitions({ y: "2024" }, "ex", "src", "ex", "missing"))).toBeInstanceOf(T.MetaException);
    // The values must name leading keys: one directory moves whole.
    expect(await rejection(c.exchange_partitions({ m: "1" }, "ex", "src", "ex", "dst"))).toBeInstanceOf(T.MetaException);
    expect(await rejection(c.exchange_partitions({}, "ex", "src", "ex", "dst"))).toBeInstanceOf(T.MetaException);
  });

  test("alter_function replaces, renames, and answers bad input with MetaException", async () => {
    await c.create_database(new T.Database({ name: "fn", parameters: {} } as never));
    const fn = (name: string, className: string) =>
      new T.Function({ functionName: name, dbName: "fn", className, ownerName: "me", ownerType: T.PrincipalType.USER, createTime: 0, functionType: T.FunctionType.JAVA, resourceUris: [] });
    await c.create_function(fn("f1", "a.B"));
    await c.alter_function("fn", "f1", fn("f2", "c.D"));
    expect(await c.get_functions("fn", "*")).toEqual(["f2"]);
    expect((await c.get_function("fn", "f2")).className).toBe("c.D");
    expect(await rejection(c.alter_function("fn", "nope", fn("nope", "x.Y")))).toBeInstanceOf(T.MetaException);
    const noClass = fn("f2", "x");
    noClass.className = null as never;
    expect(await rejection(c.alter_function("fn", "f2", noClass))).toBeInstanceOf(T.MetaException);
    expect(await rejection(c.create_function(noClass))).toBeInstanceOf(T.InvalidObjectException);
    const noType = fn("f3", "x.Y");
    noType.functionType = null as never;
    expect(await rejection(c.create_function(noType))).toBeInstanceOf(T.MetaException);
  });

  test("rename_partition(_req) gives a partition new values and moves its default directory", async () => {
    await c.create_database(new T.Database({ name: "ren", parameters: {} } as never));
    const t = table("ren", "t", [["p", "string"]]);
    t.tableType = "MANAGED_TABLE";
    await c.create_table(t);
    await c.add_partition(partition("ren", "t", ["a"]));
    await c.add_partition(partition("ren", "t", ["b"]));
    writeFileSync(join(warehouse, "ren.db", "t", "p=a", "f"), "a");
    const renamed = await c.get_partition("ren", "t", ["a"]);
    renamed.values = ["z"];
    await c.rename_partition("ren", "t", ["a"], renamed);
    expect(await c.get_partition_names("ren", "t", -1)).toEqual(["p=b", "p=z"]);
    expect((await c.get_partition("ren", "t", ["z"])).sd.location).toBe(`file://${warehouse}/ren.db/t/p=z`);
    expect(readdirSync(join(warehouse, "ren.db", "t", "p=z"))).toEqual(["f"]);
    const again = await c.get_partition("ren", "t", ["z"]);
    again.values = ["b"];
    expect(await rejection(c.rename_partition_req(new T.RenamePartitionRequest({ dbName: "ren", tableName: "t", partVals: ["z"], newPart: again })))).toBeInstanceOf(
      T.InvalidOperationException,
    );
    expect(await rejection(c.rename_partition("ren", "t", ["nope"], again))).toBeInstanceOf(T.InvalidOperationException);
    const elsewhere = partition("ren", "other", ["y"]);
    expect(await rejection(c.rename_partition("ren", "t", ["z"], elsewhere))).toBeInstanceOf(T.MetaException);
  });

  test("partitions as PartitionSpecs, and partial specifications must name 1 to n values", async () => {
    await c.create_database(new T.Database({ name: "ps", parameters: {} } as never));
    await c.create_table(table("ps", "t", [["a", "string"], ["b", "string"]]));
    for (const v of [["1", "x"], ["2", "y"]]) await c.add_partition(partition("ps", "t", v));
    const [spec] = await c.get_partitions_pspec("ps", "t", -1);
    expect([spec?.dbName, spec?.tableName, spec?.partitionList?.partitions.map((p) => p.values)]).toEqual(["ps", "t", [["1", "x"], ["2", "y"]]]);
    const [filtered] = await c.get_part_specs_by_filter("ps", "t", 'a = "2"', -1);
    expect(filtered?.partitionList?.partitions.map((p) => p.values)).toEqual([["2", "y"]]);
    expect(await rejection(c.get_partitions_pspec("ps", "nope", -1))).toBeInstanceOf(T.NoSuchObjectException);
    expect((await c.get_partitions_ps("ps", "t", ["2"], -1)).map((p) => p.values)).toEqual([["2", "y"]]);
    expect(await rejection(c.get_partitions_ps("ps", "t", [], -1))).toBeInstanceOf(T.MetaException);
    expect(await rejection(c.get_partition_names_ps("ps", "t", ["1", "x", "extra"], -1))).toBeInstanceOf(T.MetaException);
    const values = await c.get_partition_values(
      new T.PartitionValuesRequest({ dbName: "ps", tblName: "t", partitionKeys: [new T.FieldSchema({ name: "b", type: "string", comment: "" })] }),
    );
    expect(values.partitionValues.map((r) => r.row)).toEqual([["x"], ["y"]]);
    expect(
      await rejection(c.get_partition_values(new T.PartitionValuesRequest({ dbName: "ps", tblName: "nope", partitionKeys: [new T.FieldSchema({ name: "b", type: "string", comment: "" })] }))),
    ).toBeInstanceOf(T.MetaException);
    // The request form without values lists every partition.
    const all = await c.get_partitions_ps_with_auth_req(new T.GetPartitionsPsWithAuthRequest({ dbName: "ps", tblName: "t" }));
    expect(all.partitions.length).toBe(2);
    // alter may not move a partition to another table.
    const moved = partition("ps", "other", ["1", "x"]);
    expect(await rejection(c.alter_partition("ps", "t", moved))).toBeInstanceOf(T.MetaException);
  });
});
