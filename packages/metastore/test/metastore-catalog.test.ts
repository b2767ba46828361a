// The catalog over the wire, on every store backend (see support/stores.ts).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { database, type Harness, type HmsClient, partition, startHarness, T, table } from "./support/harness.js";
import { releaseStores, storeBackends } from "./support/stores.js";

afterAll(releaseStores);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

describe.each(storeBackends)("on $name", (backend) => {
  let h: Harness;
  let c: HmsClient;

  beforeAll(async () => {
    h = await startHarness({ store: await backend.fresh() });
    c = h.client();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("session and fb303", () => {
    test("set_ugi, status, uuid and config", async () => {
      expect(await c.set_ugi("alice", ["staff"])).toEqual(["staff", "alice"]);
      expect(await c.getStatus()).toBe(2);
      expect(await c.getVersion()).toMatch(/^4\./);
      const uuid = await c.get_metastore_db_uuid();
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(await c.get_metastore_db_uuid()).toBe(uuid);
      expect(await c.get_config_value("hive.metastore.warehouse.dir", "x")).toBe("/tmp/streamhouse-test-warehouse");
      expect(await c.get_config_value("hive.unknown.key", "dflt")).toBe("dflt");
      expect(await rejection(c.get_config_value("java.home", ""))).toBeInstanceOf(T.ConfigValSecurityException);
    });
  });

  describe("databases", () => {
    test("default exists; create, get, list, alter, drop", async () => {
      const dflt = await c.get_database("default");
      expect(dflt.locationUri).toBe("file:///tmp/streamhouse-test-warehouse");
      await c.create_database(database("Sales"));
      const got = await c.get_database("sales");
      expect(got.name).toBe("sales");
      expect(got.locationUri).toBe("file:///tmp/streamhouse-test-warehouse/sales.db");
      expect(got.parameters).toEqual({ k: "v" });
      expect(got.catalogName).toBe("hive");
      expect(await rejection(c.create_database(database("sales")))).toBeInstanceOf(T.AlreadyExistsException);
      expect(await c.get_all_databases()).toEqual(["default", "sales"]);
      expect(await c.get_databases("sa*")).toEqual(["sales"]);
      expect(await c.get_databases("@hive#*")).toEqual(["default", "sales"]);
      got.parameters = { k: "w" };
      await c.alter_database("sales", got);
      expect((await c.get_database("@hive#sales")).parameters).toEqual({ k: "w" });
      await c.drop_database("sales", false, false);
      expect(await rejection(c.get_database("sales"))).toBeInstanceOf(T.NoSuchObjectException);
      expect(await rejection(c.drop_database("default", false, true))).toBeInstanceOf(T.MetaException);
    });

    test("names that could leave the warehouse are rejected", async () => {
      for (const bad of ["..", "a/b", "a\\b", "x\u0000y", "a.b", "", "é/"]) {
        expect(await rejection(c.create_database(database(bad)))).toBeInstanceOf(T.InvalidObjectException);
      }
      expect(await rejection(c.create_table(table("default", "../evil")))).toBeInstanceOf(T.InvalidObjectException);
    });

    test("a non-empty database drops only with cascade", async () => {
      await c.create_database(database("full"));
      await c.create_table(table("full", "t1"));
      expect(await rejection(c.drop_database("full", false, false))).toBeInstanceOf(T.InvalidOperationException);
      await c.drop_database("full", true, true);
      expect(await c.get_all_tables("full")).toEqual([]);
    });
  });

  describe("tables", () => {
    beforeAll(async () => {
      await c.create_database(database("shop"));
    });

    test("create and read back through every lookup", async () => {
      await c.create_table_with_environment_context(table("@hive#shop", "Orders", [], { comment: "all orders" }), new T.EnvironmentContext({ properties: {} }));
      const t = await c.get_table("shop", "orders");
      expect(t.tableName).toBe("orders");
      expect(t.dbName).toBe("shop");
      expect(t.catName).toBe("hive");
      expect(t.sd.location).toBe("file:///tmp/streamhouse-test-warehouse/shop.db/orders");
      expect(t.sd.cols.map((f) => f.name)).toEqual(["id", "name"]);
      expect(Number(t.parameters.transient_lastDdlTime)).toBeGreaterThan(0);
      expect(t.createTime).toBeGreaterThan(0);
      const req = await c.get_table_req(new T.GetTableRequest({ dbName: "shop", tblName: "ORDERS" }));
      expect(req.table.tableName).toBe("orders");
      expect((await c.get_table_objects_by_name("shop", ["orders", "missing"])).map((x) => x.tableName)).toEqual(["orders"]);
      const byReq = await c.get_table_objects_by_name_req(new T.GetTablesRequest({ dbName: "shop", tblNames: ["orders"] }));
      expect(byReq.tables).toHaveLength(1);
      expect(await c.get_tables("shop", "ord*")).toEqual(["orders"]);
      expect(await c.get_tables_by_type("shop", ".*", "EXTERNAL_TABLE")).toEqual(["orders"]);
      expect(await c.get_tables_by_type("shop", ".*", "VIRTUAL_VIEW")).toEqual([]);
      expect(await c.get_all_tables("@hive#shop")).toEqual(["orders"]);
      const meta = await c.get_table_meta("shop", "*", []);
      expect(meta.map((m) => [m.dbName, m.tableName, m.tableType, m.comments])).toEqual([["shop", "orders", "EXTERNAL_TABLE", "all orders"]]);
      expect((await c.get_fields("shop", "orders")).map((f) => f.name)).toEqual(["id", "name"]);
      expect(await rejection(c.get_fields("shop", "missing"))).toBeInstanceOf(T.UnknownTableException);
      expect(await rejection(c.get_table("shop", "missing"))).toBeInstanceOf(T.NoSuchObjectException);
      expect(await rejection(c.create_table(table("shop", "orders")))).toBeInstanceOf(T.AlreadyExistsException);
      // Hive: a table in a missing database is an invalid object.
      expect(await rejection(c.create_table(table("nodb", "x")))).toBeInstanceOf(T.InvalidObjectException);
    });

    test("alter, rename and drop", async () => {
      await c.create_table(table("shop", "items"));
      const t = await c.get_table("shop", "items");
      t.parameters.owner_note = "x";
      await c.alter_table("shop", "items", t);
      expect((await c.get_table("shop", "items")).parameters.owner_note).toBe("x");
      t.tableName = "goods";
      await c.alter_table_with_environment_context("shop", "items", t, new T.EnvironmentContext({ properties: {} }));
      expect(await c.get_all_tables("shop")).toContain("goods");
      expect(await rejection(c.alter_table("shop", "items", t))).toBeInstanceOf(T.InvalidOperationException);
      await c.drop_table("shop", "goods", true);
      expect(await rejection(c.get_table("shop", "goods"))).toBeInstanceOf(T.NoSuchObjectException);
    });

    test("compare-and-set on expected_parameter_value: exactly one of two concurrent alters wins", async () => {
      await c.create_table(table("shop", "iceberg_t", [], { metadata_location: "m0" }));
      const c2 = h.client();
      const base = await c.get_table("shop", "iceberg_t");
      const attempt = (client: HmsClient, next: string) => {
        const t = new T.Table(base as never);
        t.parameters = { ...base.parameters, metadata_location: next };
        const env = new T.EnvironmentContext({ properties: { expected_parameter_key: "metadata_location", expected_parameter_value: "m0" } });
        return client.alter_table_with_environment_context("shop", "iceberg_t", t, env);
      };
      const results = await Promise.allSettled([attempt(c, "m1"), attempt(c2, "m2")]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(T.MetaException);
      expect(String(lost[0]!.reason.message)).toContain("The table has been modified. The parameter value for key 'metadata_location' is");
      expect(["m1", "m2"]).toContain((await c.get_table("shop", "iceberg_t")).parameters.metadata_location);
      // alter_table_req carries the expectation in its own fields.
      const now = await c.get_table("shop", "iceberg_t");
      const stale = new T.AlterTableRequest({ dbName: "shop", tableName: "iceberg_t", table: now } as never);
      stale.expectedParameterKey = "metadata_location";
      stale.expectedParameterValue = "m0";
      expect(await rejection(c.alter_table_req(stale))).toBeInstanceOf(T.MetaException);
    });
  });

  describe("partitions", () => {
    beforeAll(async () => {
      await c.create_table(table("shop", "events", [["dt", "string"], ["hour", "int"]]));
    });

    test("add, get, list, alter, drop", async () => {
      const p = await c.add_partition(partition("shop", "events", ["2024-01-01", "1"]));
      expect(p.sd.location).toBe("file:///tmp/streamhouse-test-warehouse/shop.db/events/dt=2024-01-01/hour=1");
      expect(await c.add_partitions([partition("shop", "events", ["2024-01-01", "2"]), partition("shop", "events", ["2024-01-02", "10"])])).toBe(2);
      const req = new T.AddPartitionsRequest({
        dbName: "shop",
        tblName: "events",
        parts: [partition("shop", "events", ["2024-01-02", "10"]), partition("shop", "events", ["2024/01/03", "3"])],
        ifNotExists: true,
      });
      expect((await c.add_partitions_req(req)).partitions?.map((x) => x.values)).toEqual([["2024/01/03", "3"]]);
      expect(await rejection(c.add_partition(partition("shop", "events", ["2024-01-01", "1"])))).toBeInstanceOf(T.AlreadyExistsException);
      // Values that do not fit the partition keys: MetaException, as Hive answers.
      expect(await rejection(c.add_partition(partition("shop", "events", ["only-one"])))).toBeInstanceOf(T.MetaException);
      await c.append_partition("shop", "events", ["2024-01-04", "4"]);

      expect(await c.get_partition_names("shop", "events", -1)).toEqual([
        "dt=2024%2F01%2F03/hour=3",
        "dt=2024-01-01/hour=1",
        "dt=2024-01-01/hour=2",
        "dt=2024-01-02/hour=10",
        "dt=2024-01-04/hour=4",
      ]);
      expect((await c.get_partition("shop", "events", ["2024/01/03", "3"])).values).toEqual(["2024/01/03", "3"]);
      expect(await rejection(c.get_partition("shop", "events", ["1999-01-01", "0"]))).toBeInstanceOf(T.NoSuchObjectException);
      expect(await c.get_partitions("shop", "events", 2)).toHaveLength(2);
      expect((await c.get_partitions_ps("shop", "events", ["2024-01-01"], -1)).map((x) => x.values[1])).toEqual(["1", "2"]);
      expect(await c.get_partition_names_ps("shop", "events", ["", "10"], -1)).toEqual(["dt=2024-01-02/hour=10"]);
      const byNames = await c.get_partitions_by_names("shop", "events", ["dt=2024-01-01/hour=2", "dt=2024%2F01%2F03/hour=3", "dt=x/hour=0"]);
      expect(byNames.map((x) => x.values)).toEqual([
        ["2024/01/03", "3"],
        ["2024-01-01", "2"],
      ]);
      const byNamesReq = await c.get_partitions_by_names_req(new T.GetPartitionsByNamesRequest({ db_name: "shop", tbl_name: "events", names: ["dt=2024-01-01/hour=1"] }));
      expect(byNamesReq.partitions).toHaveLength(1);

      const q = await c.get_partition("shop", "events", ["2024-01-01", "1"]);
      q.parameters = { numRows: "5" };
      await c.alter_partitions("shop", "events", [q]);
      const q2 = await c.get_partition_by_name("shop", "events", "dt=2024-01-01/hour=1");
      expect(q2.parameters.numRows).toBe("5");
      expect(q2.createTime).toBe(q.createTime);
      expect(await c.drop_partition("shop", "events", ["2024-01-04", "4"], false)).toBe(true);
      expect(await rejection(c.drop_partition("shop", "events", ["2024-01-04", "4"], false))).toBeInstanceOf(T.NoSuchObjectException);
      expect(await c.partition_name_to_vals("dt=2024%2F01%2F03/hour=3")).toEqual(["2024/01/03", "3"]);
      expect(await c.partition_name_to_spec("dt=a/hour=1")).toEqual({ dt: "a", hour: "1" });
    });

    test("get_partitions_by_filter over the wire", async () => {
      const values = async (filter: string) => (await c.get_partitions_by_filter("shop", "events", filter, -1)).map((p) => p.values.join(","));
      expect(await values('dt = "2024-01-01"')).toEqual(["2024-01-01,1", "2024-01-01,2"]);
      expect(await values("hour > 2 and hour < 10")).toEqual(["2024/01/03,3"]);
      expect(await values("hour >= 10 or dt = '2024/01/03'")).toEqual(["2024/01/03,3", "2024-01-02,10"]);
      expect(await c.get_num_partitions_by_filter("shop", "events", "hour in (1, 2)")).toBe(2);
      expect(await rejection(c.get_partitions_by_filter("shop", "events", "nokey = 1", -1))).toBeInstanceOf(T.MetaException);
      expect(await rejection(c.get_partitions_by_filter("shop", "events", "dt = ", -1))).toBeInstanceOf(T.MetaException);
    });
  });

  describe("functions, statistics, locks, notifications", () => {
    test("get_function on a missing function names it in the message", async () => {
      const e = await rejection(c.get_function("default", "my_udf"));
      expect(e).toBeInstanceOf(T.NoSuchObjectException);
      expect(e.message).toContain("my_udf does not exist");
      await c.create_function(
        new T.Function({ functionName: "my_udf", dbName: "default", className: "a.B", ownerName: "x", ownerType: 1, createTime: 0, functionType: 1, resourceUris: [] }),
      );
      expect((await c.get_function("default", "my_udf")).className).toBe("a.B");
      expect((await c.get_all_functions()).functions?.map((f) => f.functionName)).toEqual(["my_udf"]);
    });

    test("table column statistics round-trip", async () => {
      await c.create_table(table("default", "stats_t"));
      const stats = new T.ColumnStatistics({
        statsDesc: new T.ColumnStatisticsDesc({ isTblLevel: true, dbName: "default", tableName: "stats_t" }),
        statsObj: [
          new T.ColumnStatisticsObj({
            colName: "id",
            colType: "bigint",
            statsData: new T.ColumnStatisticsData({ longStats: new T.LongColumnStatsData({ numNulls: 1 as never, numDVs: 7 as never }) }),
          }),
        ],
      });
      expect(await c.update_table_column_statistics(stats)).toBe(true);
      const got = await c.get_table_statistics_req(new T.TableStatsRequest({ dbName: "default", tblName: "stats_t", colNames: ["id"], engine: "hive" }));
      expect(got.tableStats).toHaveLength(1);
      expect(got.tableStats[0]!.statsData.longStats?.numDVs.toNumber()).toBe(7);
      await c.delete_table_column_statistics("default", "stats_t", "id", "hive");
      expect(await rejection(c.get_table_column_statistics("default", "stats_t", "id"))).toBeInstanceOf(T.NoSuchObjectException);
    });

    test("an exclusive table lock makes the next one wait until unlock", async () => {
      const request = () =>
        new T.LockRequest({
          component: [new T.LockComponent({ type: T.LockType.EXCLUSIVE, level: T.LockLevel.TABLE, dbname: "shop", tablename: "events" })],
          user: "u",
          hostname: "h",
        });
      const first = await c.lock(request());
      expect(first.state).toBe(T.LockState.ACQUIRED);
      const second = await c.lock(request());
      expect(second.state).toBe(T.LockState.WAITING);
      expect((await c.show_locks(new T.ShowLocksRequest())).locks).toHaveLength(2);
      expect((await c.check_lock(new T.CheckLockRequest({ lockid: second.lockid }))).state).toBe(T.LockState.WAITING);
      await c.unlock(new T.UnlockRequest({ lockid: first.lockid }));
      expect((await c.check_lock(new T.CheckLockRequest({ lockid: second.lockid }))).state).toBe(T.LockState.ACQUIRED);
      await c.heartbeat(new T.HeartbeatRequest({ lockid: second.lockid } as never));
      await c.unlock(new T.UnlockRequest({ lockid: second.lockid }));
      expect(await rejection(c.unlock(new T.UnlockRequest({ lockid: second.lockid })))).toBeInstanceOf(T.NoSuchLockException);
    });

    test("notification ids are consecutive", async () => {
      const before = (await c.get_current_notificationEventId()).eventId.toNumber();
      await c.create_table(table("default", "notify_t"));
      await c.drop_table("default", "notify_t", false);
      const after = (await c.get_current_notificationEventId()).eventId.toNumber();
      expect(after).toBe(before + 2);
      const all = await c.get_next_notification(new T.NotificationEventRequest({ lastEvent: 0 as never }));
      const ids = all.events.map((e) => e.eventId.toNumber());
      expect(ids).toEqual(ids.map((_, i) => i + 1));
      expect(all.events.slice(-2).map((e) => e.eventType)).toEqual(["CREATE_TABLE", "DROP_TABLE"]);
    });
  });
});
