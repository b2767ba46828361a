import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFileIO, MemoryFileIO } from "@streamhouse/fileio";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalogFromOptions, DATABASE_PLACEHOLDER, FilesystemCatalog } from "../src/index.js";

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof StreamhouseError ? e.kind : `not a StreamhouseError: ${String(e)}`;
  }
}

const definition = { fields: "id BIGINT NOT NULL, name STRING", primaryKeys: ["id"], options: { bucket: "1" } };

describe("FilesystemCatalog on a local warehouse", () => {
  let warehouse: string;
  let catalog: FilesystemCatalog;

  beforeEach(() => {
    warehouse = mkdtempSync(join(tmpdir(), "streamhouse-fs-catalog-"));
    catalog = new FilesystemCatalog(new LocalFileIO(), warehouse);
  });
  afterEach(() => rmSync(warehouse, { recursive: true, force: true }));

  it("creates, lists and drops databases as <db>.db directories", async () => {
    expect(await catalog.listDatabases()).toEqual([]);
    await catalog.createDatabase("Sales");
    await catalog.createDatabase("hr");
    expect(readdirSync(warehouse).sort()).toEqual(["hr.db", "sales.db"]);
    expect(readdirSync(join(warehouse, "sales.db"))).toEqual([]);
    expect(await catalog.listDatabases()).toEqual(["hr", "sales"]);
    expect(await catalog.databaseExists("SALES")).toBe(true);
    expect(await kindOf(catalog.createDatabase("sales"))).toBe(ErrorKind.AlreadyExists);
    await catalog.createDatabase("sales", { ignoreIfExists: true });
    await catalog.dropDatabase("hr");
    expect(await catalog.listDatabases()).toEqual(["sales"]);
    expect(await kindOf(catalog.dropDatabase("hr"))).toBe(ErrorKind.NotFound);
    await catalog.dropDatabase("hr", { ignoreIfNotExists: true });
  });

  it("creates a table at <warehouse>/<db>.db/<table>, opens, lists and drops it", async () => {
    await catalog.createDatabase("shop");
    const created = await catalog.createTable({ database: "shop", table: "Orders" }, definition);
    expect(created.path).toBe(join(warehouse, "shop.db", "orders"));
    expect(readdirSync(join(warehouse, "shop.db", "orders", "schema"))).toEqual(["schema-0"]);
    expect(await catalog.listTables("shop")).toEqual(["orders"]);
    expect(await catalog.tableExists({ database: "shop", table: "orders" })).toBe(true);
    expect(await catalog.tableLocation({ database: "shop", table: "ORDERS" })).toBe(join(warehouse, "shop.db", "orders"));
    const opened = await catalog.getTable({ database: "shop", table: "orders" }, { "ignore-delete": "true" });
    expect(opened.schema.primaryKeys).toEqual(["id"]);
    expect(opened.options.get("ignore-delete")).toBe("true");
    expect(await kindOf(catalog.createTable({ database: "shop", table: "orders" }, definition))).toBe(ErrorKind.AlreadyExists);
    const again = await catalog.createTable({ database: "shop", table: "orders" }, definition, { ignoreIfExists: true });
    expect(again.schema.id).toBe(0);
    expect(await catalog.commitLock({ database: "shop", table: "orders" })).toBeNull();
    await catalog.dropTable({ database: "shop", table: "orders" });
    expect(readdirSync(join(warehouse, "shop.db"))).toEqual([]);
    expect(await catalog.tableExists({ database: "shop", table: "orders" })).toBe(false);
    expect(await kindOf(catalog.getTable({ database: "shop", table: "orders" }))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.dropTable({ database: "shop", table: "orders" }))).toBe(ErrorKind.NotFound);
    await catalog.dropTable({ database: "shop", table: "orders" }, { ignoreIfNotExists: true });
  });

  it("lists only directories with a schema as tables", async () => {
    await catalog.createDatabase("shop");
    await catalog.createTable({ database: "shop", table: "t1" }, definition);
    const io = new LocalFileIO();
    await io.writeIfAbsent(join(warehouse, "shop.db", "not_a_table", "data.txt"), new Uint8Array(1));
    await io.writeIfAbsent(join(warehouse, "shop.db", "stray-file"), new Uint8Array(1));
    await io.writeIfAbsent(join(warehouse, "not-a-db", "x"), new Uint8Array(1));
    expect(await catalog.listTables("shop")).toEqual(["t1"]);
    expect(await catalog.listDatabases()).toEqual(["shop"]);
  });

  it("refuses to drop a non-empty database without cascade", async () => {
    await catalog.createDatabase("shop");
    await catalog.createTable({ database: "shop", table: "t1" }, definition);
    expect(await kindOf(catalog.dropDatabase("shop"))).toBe(ErrorKind.InvalidArgument);
    expect(await catalog.databaseExists("shop")).toBe(true);
    await catalog.dropDatabase("shop", { cascade: true });
    expect(readdirSync(warehouse)).toEqual([]);
  });

  it("needs the database before a table and rejects hostile names", async () => {
    expect(await kindOf(catalog.createTable({ database: "nodb", table: "t" }, definition))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.listTables("nodb"))).toBe(ErrorKind.NotFound);
    await catalog.createDatabase("shop");
    for (const table of ["../x", "", "a/b", "..", "t$snapshots"]) {
      expect(await kindOf(catalog.createTable({ database: "shop", table }, definition))).toBe(ErrorKind.InvalidArgument);
    }
    for (const database of ["../etc", "", "x/y"]) expect(await kindOf(catalog.createDatabase(database))).toBe(ErrorKind.InvalidArgument);
    expect(readdirSync(warehouse)).toEqual(["shop.db"]);
    expect(readdirSync(join(warehouse, "shop.db"))).toEqual([]);
  });

  it("is what catalogFromOptions picks for a warehouse alone", async () => {
    const c = catalogFromOptions({ warehouse });
    expect(c).toBeInstanceOf(FilesystemCatalog);
    expect(c.description).toBe(`filesystem ${warehouse}`);
    expect(() => catalogFromOptions({})).toThrow(StreamhouseError);
  });
});

describe("FilesystemCatalog on an object store", () => {
  it("keeps a placeholder so that an empty database exists", async () => {
    const io = new MemoryFileIO();
    const catalog = new FilesystemCatalog(io, "s3://bucket/warehouse");
    await catalog.createDatabase("db");
    expect(await io.exists(`s3://bucket/warehouse/db.db/${DATABASE_PLACEHOLDER}`)).toBe(true);
    expect(await catalog.listDatabases()).toEqual(["db"]);
    expect(await catalog.listTables("db")).toEqual([]);
    await catalog.createTable({ database: "db", table: "t" }, definition);
    expect(await catalog.listTables("db")).toEqual(["t"]);
    await catalog.dropDatabase("db", { cascade: true });
    expect(await catalog.listDatabases()).toEqual([]);
  });
});
