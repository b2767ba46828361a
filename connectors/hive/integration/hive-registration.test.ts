// What Hive's Paimon connector needs from a registration, checked through Hive's own
// metastore client (Hive 4.1 jars, JDK 17): (a) a table our HiveCatalog registered in our
// metastore reads back with Paimon's parameters, format classes, serde, Hive column types
// and location; (b) our HiveCatalog against Apache's Hive Metastore 4.1 creates, lists,
// opens and drops a table, and Hive's client sees the same registration there.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog, HmsClient } from "@streamhouse/catalog";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { ensureRegistrationCheck, type HiveRegistration, readRegistration, type RegistrationCheckInstall } from "./read-registration.js";

// hive-metastore.mjs has no declaration file; a non-literal specifier keeps tsc from
// looking for one, and the shape used is declared here.
const hiveMetastoreModule = "../../../integration/hive-metastore/hive-metastore.mjs";
interface StartOptions {
  readonly dataDir: string;
  readonly heap: string;
  readonly ready: (port: number) => Promise<void>;
}
interface ApacheHms {
  readonly port: number;
  stop(): Promise<void>;
  logTail(): string;
}

const DEFINITION = {
  fields: "id BIGINT NOT NULL, dt STRING NOT NULL, amount DECIMAL(10, 2), tags ARRAY<STRING>, at TIMESTAMP(3)",
  primaryKeys: ["id", "dt"],
  partitionKeys: ["dt"],
  options: { bucket: "2" },
  comment: "orders by day",
};

/** What paimon-hive-connector and Trino's Paimon connector look for. */
function expectPaimonRegistration(
  r: HiveRegistration,
  location: string,
  metastore: { tableType?: string; added?: Record<string, string>; ignored?: string[] } = {},
): void {
  expect(r.tableType).toBe(metastore.tableType ?? "MANAGED_TABLE");
  expect(r.inputFormat).toBe("org.apache.paimon.hive.mapred.PaimonInputFormat");
  expect(r.outputFormat).toBe("org.apache.paimon.hive.mapred.PaimonOutputFormat");
  expect(r.serde).toBe("org.apache.paimon.hive.PaimonSerDe");
  expect(r.serdeParameters).toEqual({});
  expect(r.location.replace(/^file:(\/\/)?/, "")).toBe(location);
  expect(r.retention).toBe(2147483647);
  expect(r.owner).toBe("hive-check");
  const { transient_lastDdlTime: _ddl, ...parameters } = r.parameters;
  for (const k of metastore.ignored ?? []) delete parameters[k];
  expect(parameters).toEqual({
    ...metastore.added,
    bucket: "2",
    "primary-key": "id,dt",
    partition: "dt",
    "bucket-key": "id",
    comment: "orders by day",
    table_type: "PAIMON",
    storage_handler: "org.apache.paimon.hive.PaimonStorageHandler",
  });
  expect(r.columns.map(([n, t]) => [n, t])).toEqual([
    ["id", "bigint"],
    ["dt", "string"],
    ["amount", "decimal(10,2)"],
    ["tags", "array<string>"],
    ["at", "timestamp"],
  ]);
  expect(r.partitionKeys).toEqual([]);
}

describe("Hive's metastore client reads our Paimon registrations", () => {
  let install: RegistrationCheckInstall;
  let root: string;

  beforeAll(async () => {
    install = await ensureRegistrationCheck();
    root = mkdtempSync(join(tmpdir(), "streamhouse-hive-registration-"));
  });
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  describe("(a) on Streamhouse's metastore", () => {
    let server: MetastoreHandle;
    beforeAll(async () => {
      server = await startMetastore({ port: 0, host: "127.0.0.1", warehouse: join(root, "ours-default"), store: "sqlite::memory:" });
    });
    afterAll(async () => {
      await server?.close();
    });

    it("sees Paimon's parameters, formats, serde, Hive types and location", async () => {
      const warehouse = join(root, "ours");
      const catalog = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}`, warehouse, owner: "hive-check" });
      try {
        await catalog.createDatabase("shop");
        const table = await catalog.createTable({ database: "shop", table: "orders" }, DEFINITION);
        const r = await readRegistration(install, `127.0.0.1:${server.port}`, "shop", "orders");
        expect(r.db).toBe("shop");
        expect(r.table).toBe("orders");
        expectPaimonRegistration(r, table.path);
      } finally {
        await catalog.close();
      }
    });
  });

  describe("(b) on Apache's Hive Metastore 4.1", () => {
    let hms: ApacheHms | undefined;
    beforeAll(async () => {
      const dataDir = join(root, "apache");
      mkdirSync(dataDir, { recursive: true });
      const { startHiveMetastore } = (await import(hiveMetastoreModule)) as { startHiveMetastore(options: StartOptions): Promise<ApacheHms> };
      hms = await startHiveMetastore({
        dataDir,
        heap: "512m",
        ready: async (port: number) => {
          const probe = new HmsClient({ uri: `thrift://127.0.0.1:${port}`, connectTimeoutMs: 2_000, callTimeoutMs: 10_000 });
          try {
            await probe.call("get_all_databases", (c) => c.get_all_databases());
          } finally {
            await probe.close();
          }
        },
      });
    });
    afterAll(async () => {
      await hms?.stop();
    });

    it("creates, lists, opens and drops a table through HiveCatalog", async () => {
      const port = hms?.port ?? 0;
      const warehouse = join(root, "apache-wh");
      const catalog = new HiveCatalog({ uri: `thrift://127.0.0.1:${port}`, warehouse, owner: "hive-check" });
      try {
        await catalog.createDatabase("shop");
        expect(await catalog.listDatabases()).toContain("shop");
        const created = await catalog.createTable({ database: "shop", table: "orders" }, DEFINITION);
        expect(await catalog.listTables("shop")).toEqual(["orders"]);
        expect(await catalog.tableExists({ database: "shop", table: "orders" })).toBe(true);
        const opened = await catalog.getTable({ database: "shop", table: "orders" });
        expect(opened.path).toBe(created.path);
        expect(opened.schema.primaryKeys).toEqual(["id", "dt"]);
        // No lock round trip here: the harness's Derby schema is made by DataNucleus
        // (autoCreateAll), which does not create Hive's transaction tables (HIVE_LOCKS), so
        // Apache's `lock` fails with "Table/View 'HIVE_LOCKS' does not exist".
        const r = await readRegistration(install, `127.0.0.1:${port}`, "shop", "orders");
        // Hive 4's metastore turns every managed non-transactional table into an external
        // one marked for purge, and adds file statistics.
        expectPaimonRegistration(r, created.path, {
          tableType: "EXTERNAL_TABLE",
          added: { EXTERNAL: "TRUE", TRANSLATED_TO_EXTERNAL: "TRUE", "external.table.purge": "TRUE" },
          ignored: ["numFiles", "numFilesErasureCoded", "totalSize"],
        });
        await catalog.dropTable({ database: "shop", table: "orders" });
        expect(await catalog.listTables("shop")).toEqual([]);
        expect(existsSync(created.path)).toBe(false);
        await catalog.dropDatabase("shop");
      } catch (e) {
        console.error(`Apache HMS log tail:\n${hms?.logTail() ?? ""}`);
        throw e;
      } finally {
        await catalog.close();
      }
    });
  });
});
