// `db.table` names in the CLI: create, write and scan a table through the Hive catalog
// on our metastore (started in-process), list and drop; and the filesystem catalog
// chosen with --warehouse.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dropCommand } from "../src/commands/drop.js";
import { listCommand } from "../src/commands/list.js";
import { catalogSelection, DEFAULT_METASTORE, isTableName } from "../src/commands/table-location.js";
import { cli } from "./support/run-cli.js";

const ENV_KEYS = ["STREAMHOUSE_METASTORE", "STREAMHOUSE_WAREHOUSE"] as const;

describe("CLI with db.table names", () => {
  let server: MetastoreHandle;
  let root: string;
  let warehouse: string;
  let uri: string;
  const savedEnv: Partial<Record<string, string>> = {};

  beforeAll(async () => {
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
    root = mkdtempSync(join(tmpdir(), "streamhouse-catalog-cli-"));
    warehouse = join(root, "wh");
    server = await startMetastore({ port: 0, warehouse: join(root, "default-wh"), store: "sqlite::memory:" });
    uri = `thrift://127.0.0.1:${server.port}`;
  });
  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("chooses the catalog from flags, then the environment, then the default metastore", () => {
    for (const k of ENV_KEYS) delete process.env[k];
    expect(catalogSelection()).toEqual({ metastore: DEFAULT_METASTORE });
    expect(DEFAULT_METASTORE).toBe("thrift://127.0.0.1:9083");
    process.env["STREAMHOUSE_WAREHOUSE"] = "/w";
    expect(catalogSelection()).toEqual({ metastore: undefined, warehouse: "/w" });
    process.env["STREAMHOUSE_METASTORE"] = "thrift://h:1";
    expect(catalogSelection()).toEqual({ metastore: "thrift://h:1", warehouse: "/w" });
    expect(catalogSelection({ values: { warehouse: "/x" }, positionals: [] })).toEqual({ metastore: undefined, warehouse: "/x" });
    expect(isTableName("db.t")).toBe(true);
    expect(isTableName("./db.t")).toBe(false);
    expect(isTableName("/tmp/db.t")).toBe(false);
    expect(isTableName("s3://b/db.t")).toBe(false);
  });

  it("creates db.table in the metastore, writes and scans it by name, lists and drops it", async () => {
    const created = await cli("create", "Shop.Orders", "--schema", "id BIGINT NOT NULL, name STRING", "--primary-key", "id", "--bucket", "1", "--metastore", uri, "--warehouse", warehouse);
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toBe(`created shop.orders at ${join(warehouse, "shop.db", "orders")}: 2 columns, primary key (id)\n`);

    const catalog = new HiveCatalog({ uri });
    try {
      const hms = await catalog.findHmsTable({ database: "shop", table: "orders" });
      expect(hms?.sd.location).toBe(`file://${warehouse}/shop.db/orders`);
      expect(hms?.parameters["table_type"]).toBe("PAIMON");
    } finally {
      await catalog.close();
    }

    // write and scan take the catalog from the environment.
    process.env["STREAMHOUSE_METASTORE"] = uri;
    const input = join(root, "rows.ndjson");
    writeFileSync(input, '{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n{"id": 1, "name": "c"}\n');
    const wrote = await cli("write", "shop.orders", "--from", input);
    expect(wrote.err.includes("Error")).toBe(false);
    expect(wrote.code).toBe(0);
    const scanned = await cli("scan", "shop.orders", "--format", "ndjson");
    expect(scanned.code).toBe(0);
    const rows = scanned.out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .sort((a, b) => Number(a["id"]) - Number(b["id"]));
    expect(rows).toEqual([
      { id: 1, name: "c" },
      { id: 2, name: "b" },
    ]);

    expect((await cli("list", "--metastore", uri)).out).toBe("default\nshop\n");
    expect((await cli("list", "shop", "--metastore", uri)).out).toBe("orders\n");
    expect((await cli("list", "shop", "--json")).out).toBe('["orders"]\n');
    const missing = await cli("scan", "shop.nothing");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("NotFound: table shop.nothing does not exist");

    const refused = await cli("drop", "--database", "shop");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("not empty");
    const dropped = await cli("drop", "shop.orders");
    expect(dropped).toEqual({ code: 0, out: "dropped table shop.orders\n", err: "" });
    expect(existsSync(join(warehouse, "shop.db", "orders"))).toBe(false);
    expect((await cli("list", "shop")).out).toBe("");
    expect((await cli("drop", "shop.orders")).code).toBe(1);
    expect((await cli("drop", "shop.orders", "--if-exists")).code).toBe(0);
    expect((await cli("drop", "--database", "shop", "--cascade")).out).toBe("dropped database shop and its tables\n");
    expect((await cli("list")).out).toBe("default\n");
  });

  it("uses the filesystem catalog with --warehouse alone", async () => {
    const fsWarehouse = join(root, "fs-wh");
    const created = await cli("create", "db1.t1", "--schema", "a INT", "--warehouse", fsWarehouse);
    expect(created.code).toBe(0);
    expect(existsSync(join(fsWarehouse, "db1.db", "t1", "schema", "schema-0"))).toBe(true);
    expect((await cli("list", "--warehouse", fsWarehouse)).out).toBe("db1\n");
    expect((await cli("list", "db1", "--warehouse", fsWarehouse)).out).toBe("t1\n");
    process.env["STREAMHOUSE_WAREHOUSE"] = fsWarehouse;
    const described = await cli("describe", "db1.t1");
    expect(described.code).toBe(0);
    expect((await cli("drop", "--database", "db1", "--cascade", "--warehouse", fsWarehouse)).code).toBe(0);
    expect(existsSync(join(fsWarehouse, "db1.db"))).toBe(false);
  });

  it("rejects bad names and misuse with clear errors", async () => {
    expect((await cli("drop", "--metastore", uri)).err).toContain("missing the table to drop");
    expect((await cli("drop", "a.b", "--cascade", "--metastore", uri)).err).toContain("--cascade applies to --database only");
    expect((await cli("drop", "../x", "--metastore", uri)).err).toContain("is not a table name of the form database.table");
    expect((await cli("list", "a", "b", "--metastore", uri)).err).toContain('unexpected argument "b"');
    const badDb = await cli("list", "no-such", "--metastore", uri);
    expect(badDb.err).toContain("invalid database name 'no-such'");
    const noDb = await cli("list", "nodb", "--metastore", uri);
    expect(noDb.err).toContain("database nodb does not exist");
    expect(listCommand.usage).toContain("streamhouse list [database]");
    expect(dropCommand.usage).toContain("--database <db> [--cascade]");
  });
});
