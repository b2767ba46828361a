// `db.table` names in the CLI: create, write and scan a table through the Hive catalog
// on our metastore (started in-process), list and drop; and the filesystem catalog
// chosen with --warehouse.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import type { Command } from "@streamhouse/cli";
import { runCli } from "@streamhouse/cli";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dropCommand } from "../src/commands/drop.js";
import { listCommand } from "../src/commands/list.js";
import { catalogSelection, DEFAULT_METASTORE, isTableName } from "../src/commands/table-location.js";

interface Result {
  code: number;
  out: string;
  err: string;
}

const sink = () => {
  const o = {
    text: "",
    write: (t: string) => {
      o.text += t;
    },
  };
  return o;
};

async function cli(...argv: string[]): Promise<Result> {
  const out = sink();
  const err = sink();
  const code = await runCli(argv, out, err);
  return { code, out: out.text, err: err.text };
}

/** Runs a command the way runCli does (list and drop are registered by the lead in main.ts). */
async function run(command: Command, ...args: string[]): Promise<Result> {
  const out = sink();
  const err = sink();
  try {
    await command.run({ args, out, err });
    return { code: 0, out: out.text, err: err.text };
  } catch (e) {
    return { code: 1, out: out.text, err: `${e instanceof Error ? e.message : String(e)}\n` };
  }
}

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

    expect((await run(listCommand, "--metastore", uri)).out).toBe("default\nshop\n");
    expect((await run(listCommand, "shop", "--metastore", uri)).out).toBe("orders\n");
    expect((await run(listCommand, "shop", "--json")).out).toBe('["orders"]\n');
    const missing = await cli("scan", "shop.nothing");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("NotFound: table shop.nothing does not exist");

    const refused = await run(dropCommand, "--database", "shop");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("not empty");
    const dropped = await run(dropCommand, "shop.orders");
    expect(dropped).toEqual({ code: 0, out: "dropped table shop.orders\n", err: "" });
    expect(existsSync(join(warehouse, "shop.db", "orders"))).toBe(false);
    expect((await run(listCommand, "shop")).out).toBe("");
    expect((await run(dropCommand, "shop.orders")).code).toBe(1);
    expect((await run(dropCommand, "shop.orders", "--if-exists")).code).toBe(0);
    expect((await run(dropCommand, "--database", "shop", "--cascade")).out).toBe("dropped database shop and its tables\n");
    expect((await run(listCommand)).out).toBe("default\n");
  });

  it("uses the filesystem catalog with --warehouse alone", async () => {
    const fsWarehouse = join(root, "fs-wh");
    const created = await cli("create", "db1.t1", "--schema", "a INT", "--warehouse", fsWarehouse);
    expect(created.code).toBe(0);
    expect(existsSync(join(fsWarehouse, "db1.db", "t1", "schema", "schema-0"))).toBe(true);
    expect((await run(listCommand, "--warehouse", fsWarehouse)).out).toBe("db1\n");
    expect((await run(listCommand, "db1", "--warehouse", fsWarehouse)).out).toBe("t1\n");
    process.env["STREAMHOUSE_WAREHOUSE"] = fsWarehouse;
    const described = await cli("describe", "db1.t1");
    expect(described.code).toBe(0);
    expect((await run(dropCommand, "--database", "db1", "--cascade", "--warehouse", fsWarehouse)).code).toBe(0);
    expect(existsSync(join(fsWarehouse, "db1.db"))).toBe(false);
  });

  it("rejects bad names and misuse with clear errors", async () => {
    expect((await run(dropCommand, "--metastore", uri)).err).toContain("missing the table to drop");
    expect((await run(dropCommand, "a.b", "--cascade", "--metastore", uri)).err).toContain("--cascade applies to --database only");
    expect((await run(dropCommand, "../x", "--metastore", uri)).err).toContain("is not a table name of the form database.table");
    expect((await run(listCommand, "a", "b", "--metastore", uri)).err).toContain('unexpected argument "b"');
    const badDb = await run(listCommand, "no-such", "--metastore", uri);
    expect(badDb.err).toContain("invalid database name 'no-such'");
    const noDb = await run(listCommand, "nodb", "--metastore", uri);
    expect(noDb.err).toContain("database nodb does not exist");
    expect(listCommand.usage).toContain("streamhouse list [database]");
    expect(dropCommand.usage).toContain("--database <db> [--cascade]");
  });
});
