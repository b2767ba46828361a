// The Hive catalog against our own metastore, started in-process on an ephemeral port
// with an in-memory SQLite store: real sockets, real Thrift, real directories.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryFileIO } from "@streamhouse/fileio";
import { ErrorKind, parseFieldList, StreamhouseError } from "@streamhouse/format";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { FileStoreCommit } from "@streamhouse/table";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CommitLock, catalogFromOptions, HiveCatalog, HiveCommitLock, hmsTypes as T } from "../src/index.js";

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof StreamhouseError ? e.kind : `not a StreamhouseError: ${String(e)}`;
  }
}

const FIELDS =
  "id BIGINT NOT NULL, dt STRING NOT NULL, flag BOOLEAN, tiny TINYINT, small SMALLINT, i INT, f FLOAT, d DOUBLE, " +
  "price DECIMAL(12, 2), c CHAR(3), vc VARCHAR(20), long_vc VARCHAR(70000), b BYTES, day DATE, t TIME, ts TIMESTAMP(3), ltz TIMESTAMP(6) WITH LOCAL TIME ZONE, " +
  "tags ARRAY<STRING>, attrs MAP<STRING, INT>, bag MULTISET<INT>, addr ROW<city STRING, zip INT>";

describe("HiveCatalog against Streamhouse's metastore", () => {
  let server: MetastoreHandle;
  let root: string;
  let warehouse: string;
  let catalog: HiveCatalog;
  const NOW_MS = 1_760_000_123_456;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "streamhouse-hive-catalog-"));
    server = await startMetastore({ port: 0, host: "127.0.0.1", warehouse: join(root, "metastore-default"), store: "sqlite::memory:" });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    warehouse = mkdtempSync(join(root, "wh-"));
    catalog = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}`, warehouse, owner: "alice", clock: () => NOW_MS });
  });
  afterEach(async () => {
    for (const db of await catalog.listDatabases()) if (db !== "default") await catalog.dropDatabase(db, { cascade: true });
    await catalog.close();
  });

  it("creates databases at <warehouse>/<db>.db and maps metastore exceptions to kinds", async () => {
    await catalog.createDatabase("Shop", { comment: "the shop" });
    const db = await catalog.getDatabase("shop");
    expect(db.locationUri).toBe(`file://${warehouse}/shop.db`);
    expect(db.description).toBe("the shop");
    expect(existsSync(join(warehouse, "shop.db"))).toBe(true);
    expect(await catalog.listDatabases()).toEqual(["default", "shop"]);
    expect(await catalog.databaseExists("SHOP")).toBe(true);
    expect(await catalog.databaseExists("nope")).toBe(false);
    expect(await kindOf(catalog.createDatabase("shop"))).toBe(ErrorKind.AlreadyExists);
    await catalog.createDatabase("shop", { ignoreIfExists: true });
    expect(await kindOf(catalog.getDatabase("nope"))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.listTables("nope"))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.dropDatabase("nope"))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.createDatabase("../x"))).toBe(ErrorKind.InvalidArgument);
  });

  it("registers a table exactly as Paimon's HiveCatalog does", async () => {
    await catalog.createDatabase("shop");
    const table = await catalog.createTable(
      { database: "shop", table: "Orders" },
      { fields: parseFieldList(FIELDS).map((f) => (f.name === "id" ? { ...f, description: "the key" } : f)), primaryKeys: ["id", "dt"], partitionKeys: ["dt"], options: { bucket: "2", "file.format": "parquet" }, comment: "all orders" },
    );
    const location = `file://${warehouse}/shop.db/orders`;
    expect(table.path).toBe(join(warehouse, "shop.db", "orders"));
    expect(readdirSync(join(table.path, "schema"))).toEqual(["schema-0"]);

    const hms = await catalog.findHmsTable({ database: "shop", table: "orders" });
    expect(hms).not.toBeNull();
    const t = hms as NonNullable<typeof hms>;
    expect(t.tableName).toBe("orders");
    expect(t.dbName).toBe("shop");
    expect(t.owner).toBe("alice");
    expect(t.createTime).toBe(Math.floor(NOW_MS / 1000));
    expect(t.lastAccessTime).toBe(Math.floor(NOW_MS / 1000));
    expect(t.retention).toBe(2147483647);
    expect(t.tableType).toBe("MANAGED_TABLE");
    expect(t.partitionKeys).toEqual([]);
    // The metastore adds the DDL time, as Hive's does; everything else is ours.
    const { transient_lastDdlTime: ddlTime, ...parameters } = t.parameters;
    expect(ddlTime).toMatch(/^\d+$/);
    expect(parameters).toEqual({
      bucket: "2",
      "file.format": "parquet",
      "primary-key": "id,dt",
      partition: "dt",
      "bucket-key": "id",
      comment: "all orders",
      table_type: "PAIMON",
      storage_handler: "org.apache.paimon.hive.PaimonStorageHandler",
    });
    expect(t.sd.location).toBe(location);
    expect(t.sd.inputFormat).toBe("org.apache.paimon.hive.mapred.PaimonInputFormat");
    expect(t.sd.outputFormat).toBe("org.apache.paimon.hive.mapred.PaimonOutputFormat");
    expect(t.sd.serdeInfo.serializationLib).toBe("org.apache.paimon.hive.PaimonSerDe");
    expect(t.sd.serdeInfo.parameters).toEqual({});
    expect(t.sd.cols.map((c) => [c.name, c.type])).toEqual([
      ["id", "bigint"],
      ["dt", "string"],
      ["flag", "boolean"],
      ["tiny", "tinyint"],
      ["small", "smallint"],
      ["i", "int"],
      ["f", "float"],
      ["d", "double"],
      ["price", "decimal(12,2)"],
      ["c", "char(3)"],
      ["vc", "varchar(20)"],
      ["long_vc", "string"],
      ["b", "binary"],
      ["day", "date"],
      ["t", "string"],
      ["ts", "timestamp"],
      ["ltz", "timestamp"],
      ["tags", "array<string>"],
      ["attrs", "map<string,int>"],
      ["bag", "map<int,int>"],
      ["addr", "struct<city:string,zip:int>"],
    ]);
    expect(t.sd.cols[0]?.comment).toBe("the key");

    expect(await catalog.tableLocation({ database: "shop", table: "orders" })).toBe(location);
    expect(await catalog.tableExists({ database: "SHOP", table: "ORDERS" })).toBe(true);
    const opened = await catalog.getTable({ database: "shop", table: "orders" }, { "ignore-delete": "true" });
    expect(opened.schema.fields.length).toBe(21);
    expect(opened.options.get("ignore-delete")).toBe("true");
  });

  it("puts partition columns into the metastore's partition keys with metastore.partitioned-table=true", async () => {
    await catalog.createDatabase("shop");
    await catalog.createTable(
      { database: "shop", table: "events" },
      { fields: "id BIGINT, dt STRING, hr INT", partitionKeys: ["dt", "hr"], options: { "metastore.partitioned-table": "true" } },
    );
    const t = await catalog.findHmsTable({ database: "shop", table: "events" });
    expect(t?.partitionKeys.map((c) => [c.name, c.type])).toEqual([
      ["dt", "string"],
      ["hr", "int"],
    ]);
    expect(t?.sd.cols.map((c) => c.name)).toEqual(["id"]);
    expect(t?.parameters["partition"]).toBe("dt,hr");
    expect(t?.parameters["bucket-key"]).toBeUndefined();
  });

  it("lists only Paimon tables and treats other tables as absent", async () => {
    await catalog.createDatabase("mixed");
    await catalog.createTable({ database: "mixed", table: "p1" }, { fields: "a INT" });
    const hiveTable = new T.Table({
      tableName: "plain",
      dbName: "mixed",
      owner: "x",
      createTime: 0,
      lastAccessTime: 0,
      retention: 0,
      sd: new T.StorageDescriptor({
        cols: [new T.FieldSchema({ name: "a", type: "int", comment: "" })],
        location: "",
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        compressed: false,
        numBuckets: -1,
        serdeInfo: new T.SerDeInfo({ name: "", serializationLib: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", parameters: {} }),
        bucketCols: [],
        sortCols: [],
        parameters: {},
      }),
      partitionKeys: [],
      parameters: {},
      viewOriginalText: "",
      viewExpandedText: "",
      tableType: "MANAGED_TABLE",
    });
    await catalog.client.call("create_table", (c) => c.create_table(hiveTable));
    expect(await catalog.listTables("mixed")).toEqual(["p1"]);
    expect(await catalog.tableExists({ database: "mixed", table: "plain" })).toBe(false);
    expect(await kindOf(catalog.getTable({ database: "mixed", table: "plain" }))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.dropTable({ database: "mixed", table: "plain" }))).toBe(ErrorKind.NotFound);
    expect(await kindOf(catalog.createTable({ database: "mixed", table: "plain" }, { fields: "a INT" }))).toBe(ErrorKind.AlreadyExists);
    expect(await kindOf(catalog.dropDatabase("mixed"))).toBe(ErrorKind.InvalidArgument);
  });

  it("drops the registration, then the directory", async () => {
    await catalog.createDatabase("shop");
    const table = await catalog.createTable({ database: "shop", table: "t" }, { fields: "a INT" });
    expect(existsSync(table.path)).toBe(true);
    await catalog.dropTable({ database: "shop", table: "t" });
    expect(existsSync(table.path)).toBe(false);
    expect(await catalog.findHmsTable({ database: "shop", table: "t" })).toBeNull();
    expect(await kindOf(catalog.dropTable({ database: "shop", table: "t" }))).toBe(ErrorKind.NotFound);
    await catalog.dropTable({ database: "shop", table: "t" }, { ignoreIfNotExists: true });
    expect(await kindOf(catalog.tableLocation({ database: "shop", table: "t" }))).toBe(ErrorKind.NotFound);
  });

  it("removes the written schema when the registration fails", async () => {
    await catalog.createDatabase("shop");
    // VARIANT has no Hive column type: schema-0 is written, then the registration fails.
    expect(await kindOf(catalog.createTable({ database: "shop", table: "v" }, { fields: "a INT, v VARIANT" }))).toBe(ErrorKind.Unsupported);
    expect(existsSync(join(warehouse, "shop.db", "v"))).toBe(false);
    expect(await catalog.findHmsTable({ database: "shop", table: "v" })).toBeNull();
    expect(await kindOf(catalog.createTable({ database: "nodb", table: "t" }, { fields: "a INT" }))).toBe(ErrorKind.NotFound);
  });

  it("drops a database with its tables on cascade", async () => {
    await catalog.createDatabase("gone");
    const t = await catalog.createTable({ database: "gone", table: "t" }, { fields: "a INT" });
    await catalog.dropDatabase("gone", { cascade: true });
    expect(existsSync(t.path)).toBe(false);
    expect(await catalog.databaseExists("gone")).toBe(false);
  });

  it("takes the metastore's EXCLUSIVE table lock and releases it, also after a failure", async () => {
    await catalog.createDatabase("shop");
    await catalog.createTable({ database: "shop", table: "t" }, { fields: "a INT" });
    const id = { database: "shop", table: "t" };
    expect(await catalog.commitLock(id)).toBeNull();
    const locking = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}`, lockEnabled: true });
    const other = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}` });
    try {
      const lock = (await locking.commitLock(id)) as CommitLock;
      expect(lock).toBeInstanceOf(HiveCommitLock);
      const sleeps: number[] = [];
      const contender = new HiveCommitLock(other.client, id, { acquireTimeoutMs: 300, checkMaxSleepMs: 200, sleep: async (ms) => void sleeps.push(ms) });
      const inside = await lock.runExclusive(async () => {
        const shown = await other.client.call("show_locks", (c) => c.show_locks(new T.ShowLocksRequest({ dbname: "shop", tablename: "t" })));
        const held = shown.locks.map((l) => [l.dbname, l.tablename, l.type, l.state]);
        // While held, another holder waits and gives up at the timeout.
        const started = Date.now();
        const failed = await kindOf(new HiveCommitLock(other.client, id, { acquireTimeoutMs: 300, checkMaxSleepMs: 100 }).runExclusive(async () => "never"));
        return { held, failed, waitedMs: Date.now() - started };
      });
      expect(inside.held).toEqual([["shop", "t", T.LockType.EXCLUSIVE, T.LockState.ACQUIRED]]);
      expect(inside.failed).toBe(ErrorKind.CommitConflict);
      expect(inside.waitedMs).toBeGreaterThanOrEqual(300);
      // The waiting request was released: the lock is free now.
      expect(await contender.runExclusive(async () => 42)).toBe(42);
      expect(sleeps).toEqual([]);
      await expect(lock.runExclusive(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await contender.runExclusive(async () => "free again")).toBe("free again");
      const after = await other.client.call("show_locks", (c) => c.show_locks(new T.ShowLocksRequest({ dbname: "shop", tablename: "t" })));
      expect(after.locks ?? []).toEqual([]);
    } finally {
      await locking.close();
      await other.close();
    }
  });

  it("publishes a snapshot under the lock through FileStoreCommit", async () => {
    await catalog.createDatabase("shop");
    await catalog.createTable({ database: "shop", table: "t" }, { fields: "a INT" });
    const locking = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}`, lockEnabled: true });
    try {
      const id = { database: "shop", table: "t" };
      const lock = (await locking.commitLock(id)) as CommitLock;
      let held = 0;
      const counted: CommitLock = {
        runExclusive: (fn) =>
          lock.runExclusive(() => {
            held += 1;
            return fn();
          }),
      };
      const table = await locking.getTable(id);
      const commit = new FileStoreCommit(table, "lock-test", { lock: counted, ignoreEmptyCommit: false });
      const snapshots = await commit.commitBatch([]);
      expect(snapshots.map((s) => s.id)).toEqual([1]);
      expect(held).toBe(1);
      expect((await (await locking.getTable(id)).snapshots.latestSnapshot())?.id).toBe(1);
    } finally {
      await locking.close();
    }
  });

  it("locks by default for tables on an object store", async () => {
    const io = new MemoryFileIO();
    const s3 = new HiveCatalog({ uri: `thrift://127.0.0.1:${server.port}`, warehouse: "s3://bucket/wh", io });
    try {
      await s3.createDatabase("objects");
      const t = await s3.createTable({ database: "objects", table: "t" }, { fields: "a INT" });
      expect(t.path).toBe("s3://bucket/wh/objects.db/t");
      expect(await io.exists("s3://bucket/wh/objects.db/t/schema/schema-0")).toBe(true);
      expect(await s3.commitLock({ database: "objects", table: "t" })).toBeInstanceOf(HiveCommitLock);
      await s3.dropDatabase("objects", { cascade: true });
      expect(await io.exists("s3://bucket/wh/objects.db/t/schema/schema-0")).toBe(false);
    } finally {
      await s3.close();
    }
  });

  it("is what catalogFromOptions picks for a metastore URI", async () => {
    const c = catalogFromOptions({ metastore: `thrift://127.0.0.1:${server.port}`, warehouse });
    try {
      expect(c).toBeInstanceOf(HiveCatalog);
      await c.createDatabase("viaf");
      await c.createTable({ database: "viaf", table: "t" }, { fields: "a INT" });
      expect(await c.listTables("viaf")).toEqual(["t"]);
      expect(existsSync(join(warehouse, "viaf.db", "t", "schema", "schema-0"))).toBe(true);
    } finally {
      await c.close();
    }
  });
});
