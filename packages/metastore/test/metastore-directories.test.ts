// Directories behind catalog objects on a local warehouse (src/warehouse-dirs.ts): created
// with databases, tables and partitions; deleted with managed tables and partitions when the
// client asks; never touched outside the warehouse.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hmsService, type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import thrift from "thrift";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { localPathOf, managedPathOf, qualifyWarehouse } from "../src/warehouse-dirs.js";
import { database, partition, T, table } from "./support/harness.js";

type HmsClient = InstanceType<typeof hmsService.Client>;

let work: string;
let warehouse: string;
let server: MetastoreHandle;
let connection: thrift.Connection;
let c: HmsClient;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-dirs-"));
  warehouse = join(work, "warehouse");
  server = await startMetastore({ port: 0, warehouse, store: "sqlite::memory:" });
  connection = thrift.createConnection(server.host, server.port, { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol });
  connection.on("error", () => {});
  c = thrift.createClient(hmsService.Client, connection) as HmsClient;
});

afterAll(async () => {
  connection?.end();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

function managed(db: string, name: string, keys: [string, string][] = [], parameters: Record<string, string> = {}) {
  const t = table(db, name, keys, parameters);
  t.tableType = "MANAGED_TABLE";
  return t;
}

describe("locations", () => {
  test("an absolute warehouse is qualified as a file: URI; local paths are recognized", () => {
    expect(qualifyWarehouse("/data/wh/")).toBe("file:///data/wh");
    expect(qualifyWarehouse("/")).toBe("file:///");
    expect(qualifyWarehouse("s3://bucket/wh/")).toBe("s3://bucket/wh");
    expect(localPathOf("file:/a/b")).toBe("/a/b");
    expect(localPathOf("file:///a/b")).toBe("/a/b");
    expect(localPathOf("/a/b")).toBe("/a/b");
    expect(localPathOf("file://host/a/b")).toBeUndefined();
    expect(localPathOf("s3://bucket/a")).toBeUndefined();
    expect(managedPathOf("file:///wh/db.db/t", "/wh")).toBe("/wh/db.db/t");
    expect(managedPathOf("/wh/db.db/../../etc", "/wh")).toBeUndefined();
    expect(managedPathOf("/wh", "/wh")).toBeUndefined();
    expect(managedPathOf("/whx/t", "/wh")).toBeUndefined();
    expect(managedPathOf("/wh/t", undefined)).toBeUndefined();
  });
});

describe("directories", () => {
  test("created with a database, a table and its partitions", async () => {
    await c.create_database(database("shop"));
    const db = await c.get_database("shop");
    expect(db.locationUri).toBe(`file://${warehouse}/shop.db`);
    expect(existsSync(join(warehouse, "shop.db"))).toBe(true);
    await c.create_table(managed("shop", "orders", [["day", "string"]]));
    expect(existsSync(join(warehouse, "shop.db", "orders"))).toBe(true);
    await c.add_partitions([partition("shop", "orders", ["2026-01-01"]), partition("shop", "orders", ["a/b"])]);
    expect(existsSync(join(warehouse, "shop.db", "orders", "day=2026-01-01"))).toBe(true);
    expect(existsSync(join(warehouse, "shop.db", "orders", "day=a%2Fb"))).toBe(true);
  });

  test("a managed partition's data goes with it only when the client asks", async () => {
    await c.add_partitions([partition("shop", "orders", ["2026-01-02"])]);
    await c.drop_partition("shop", "orders", ["2026-01-02"], false);
    expect(existsSync(join(warehouse, "shop.db", "orders", "day=2026-01-02"))).toBe(true);
    await c.drop_partition("shop", "orders", ["2026-01-01"], true);
    expect(existsSync(join(warehouse, "shop.db", "orders", "day=2026-01-01"))).toBe(false);
  });

  test("a managed table's data goes with it; an external table's stays unless purgeable", async () => {
    await c.drop_table("shop", "orders", true);
    expect(existsSync(join(warehouse, "shop.db", "orders"))).toBe(false);
    await c.create_table(table("shop", "ext"));
    await c.drop_table("shop", "ext", true);
    expect(existsSync(join(warehouse, "shop.db", "ext"))).toBe(true);
    await c.create_table(table("shop", "purged", [], { "external.table.purge": "TRUE" }));
    await c.drop_table_with_environment_context("shop", "purged", true, new T.EnvironmentContext({ properties: {} }));
    expect(existsSync(join(warehouse, "shop.db", "purged"))).toBe(false);
    await c.create_table(managed("shop", "kept"));
    await c.drop_table("shop", "kept", false);
    expect(existsSync(join(warehouse, "shop.db", "kept"))).toBe(true);
  });

  test("a database directory goes only when empty", async () => {
    await c.drop_database("shop", true, true);
    expect(existsSync(join(warehouse, "shop.db"))).toBe(true); // ext/ and kept/ are still there
    await c.create_database(database("tmp"));
    await c.drop_database("tmp", true, false);
    expect(existsSync(join(warehouse, "tmp.db"))).toBe(false);
  });

  test("nothing outside the warehouse is created or deleted", async () => {
    const outside = join(work, "outside");
    const d = database("away");
    d.locationUri = `file://${outside}/away.db`;
    await c.create_database(d);
    expect(existsSync(join(outside, "away.db"))).toBe(false);
    const t = managed("away", "t");
    t.sd.location = `${warehouse}/../outside/t`;
    await c.create_table(t);
    expect(existsSync(join(outside, "t"))).toBe(false);
    mkdirSync(join(outside, "t"), { recursive: true });
    writeFileSync(join(outside, "t", "data"), "keep me");
    await c.drop_table("away", "t", true);
    expect(existsSync(join(outside, "t", "data"))).toBe(true);
  });
});
