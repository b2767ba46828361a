// The request-style calls Hive 4.x clients make (create_database_req,
// get_table_names_by_filter, fetch_partition_names_req,
// get_partitions_by_filter_req, drop_partition_req, drop_table_req), over a socket.
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

describe("Hive 4 request calls", () => {
  let h: Harness;
  let c: HmsClient;

  beforeAll(async () => {
    h = await startHarness();
    c = h.client();
  });
  afterAll(async () => {
    await h?.close();
  });

  test("create_database_req creates the database with the request's fields", async () => {
    await c.create_database_req(
      new T.CreateDatabaseRequest({
        databaseName: "Hive4DB",
        description: "made by create_database_req",
        parameters: { team: "lake" },
        ownerName: "alice",
        ownerType: T.PrincipalType.USER,
        catalogName: "hive",
      }),
    );
    const db = await c.get_database("hive4db");
    expect(db.name).toBe("hive4db");
    expect(db.description).toBe("made by create_database_req");
    expect(db.parameters).toEqual({ team: "lake" });
    expect(db.ownerName).toBe("alice");
    expect(db.locationUri).toMatch(/hive4db\.db$/);
    expect(await rejection(c.create_database_req(new T.CreateDatabaseRequest({ databaseName: "hive4db" })))).toBeInstanceOf(T.AlreadyExistsException);
  });

  test("get_table_names_by_filter: empty filter, table names, owner and parameters", async () => {
    await c.create_database_req(new T.CreateDatabaseRequest({ databaseName: "filters" }));
    await c.create_table(table("filters", "events", [], { retention: "30", kind: "fact" }));
    await c.create_table(table("filters", "users", [], { retention: "90" }));
    const other = table("filters", "logs", [], {});
    other.owner = "bob";
    await c.create_table(other);

    const names = async (filter: string, max = -1) => (await c.get_table_names_by_filter("filters", filter, max)).sort();
    expect(await names("")).toEqual(["events", "logs", "users"]);
    expect((await names("", 2)).length).toBe(2);
    // What Hive 4.1's getTables(db, pattern) sends.
    expect(await names('hive_filter_field_tableName__ like "(?i)ev.*"')).toEqual(["events"]);
    expect(await names('hive_filter_field_tableName__ like "(?i).*"')).toEqual(["events", "logs", "users"]);
    expect(await names('hive_filter_field_tableName__ like "(?i)nothing.*"')).toEqual([]);
    expect(await names('hive_filter_field_params__retention = "30"')).toEqual(["events"]);
    expect(await names('hive_filter_field_params__retention = "30" or hive_filter_field_params__retention = "90"')).toEqual(["events", "users"]);
    // Tables without the key never match.
    expect(await names('hive_filter_field_params__retention <> "30"')).toEqual(["users"]);
    expect(await names('hive_filter_field_params__kind like "f.*"')).toEqual(["events"]);
    expect(await names('hive_filter_field_owner__ = "bob"')).toEqual(["logs"]);
    expect(await names("hive_filter_field_last_access__ = 0")).toEqual(["events", "logs", "users"]);

    const unsupported = await rejection(c.get_table_names_by_filter("filters", 'hive_filter_field_nonsense__ = "x"', -1));
    expect(unsupported).toBeInstanceOf(T.MetaException);
    expect(unsupported.message).toMatch(/Unsupported table filter key/);
    expect(await rejection(c.get_table_names_by_filter("filters", "retention = = 3", -1))).toBeInstanceOf(T.MetaException);
    expect(await rejection(c.get_table_names_by_filter("no_such_db", "", -1))).toBeInstanceOf(T.UnknownDBException);
  });

  describe("partitions", () => {
    beforeAll(async () => {
      await c.create_database_req(new T.CreateDatabaseRequest({ databaseName: "parts" }));
      await c.create_table(
        table("parts", "sales", [
          ["dt", "string"],
          ["region", "string"],
        ]),
      );
      for (const [dt, region] of [
        ["2026-01-01", "eu"],
        ["2026-01-02", "eu"],
        ["2026-01-02", "us"],
        ["2026-01-03", "us"],
      ]) {
        await c.add_partition(partition("parts", "sales", [dt as string, region as string]));
      }
    });

    test("fetch_partition_names_req lists names, honoring maxParts", async () => {
      const all = await c.fetch_partition_names_req(new T.PartitionsRequest({ dbName: "parts", tblName: "sales" }));
      expect([...all].sort()).toEqual(["dt=2026-01-01/region=eu", "dt=2026-01-02/region=eu", "dt=2026-01-02/region=us", "dt=2026-01-03/region=us"]);
      expect((await c.fetch_partition_names_req(new T.PartitionsRequest({ dbName: "parts", tblName: "sales", maxParts: 2 }))).length).toBe(2);
      expect(await rejection(c.fetch_partition_names_req(new T.PartitionsRequest({ dbName: "parts", tblName: "nope" })))).toBeInstanceOf(T.NoSuchObjectException);
    });

    test("get_partitions_by_filter_req uses the partition filter grammar", async () => {
      const values = async (filter: string, maxParts = -1) =>
        (await c.get_partitions_by_filter_req(new T.GetPartitionsByFilterRequest({ dbName: "parts", tblName: "sales", filter, maxParts })))
          .map((p) => p.values.join("/"))
          .sort();
      expect(await values("dt = '2026-01-02'")).toEqual(["2026-01-02/eu", "2026-01-02/us"]);
      expect(await values("dt > '2026-01-01' and region = \"us\"")).toEqual(["2026-01-02/us", "2026-01-03/us"]);
      expect(await values("")).toHaveLength(4);
      expect(await values("", 1)).toHaveLength(1);
      expect(await rejection(c.get_partitions_by_filter_req(new T.GetPartitionsByFilterRequest({ dbName: "parts", tblName: "sales", filter: "nokey = 1" })))).toBeInstanceOf(
        T.MetaException,
      );
    });

    test("drop_partition_req drops by values or by name", async () => {
      expect(await c.drop_partition_req(new T.DropPartitionRequest({ dbName: "parts", tblName: "sales", partVals: ["2026-01-01", "eu"], deleteData: false }))).toBe(true);
      expect(await c.drop_partition_req(new T.DropPartitionRequest({ dbName: "parts", tblName: "sales", partName: "dt=2026-01-03/region=us" }))).toBe(true);
      expect([...(await c.get_partition_names("parts", "sales", -1))].sort()).toEqual(["dt=2026-01-02/region=eu", "dt=2026-01-02/region=us"]);
      expect(
        await rejection(c.drop_partition_req(new T.DropPartitionRequest({ dbName: "parts", tblName: "sales", partVals: ["2026-01-01", "eu"] }))),
      ).toBeInstanceOf(T.NoSuchObjectException);
      expect(await rejection(c.drop_partition_req(new T.DropPartitionRequest({ dbName: "parts", tblName: "sales" })))).toBeInstanceOf(T.MetaException);
    });

    test("drop_table_req drops the table and its partitions", async () => {
      await c.drop_table_req(
        new T.DropTableRequest({
          dbName: "parts",
          tableName: "sales",
          deleteData: true,
          envContext: new T.EnvironmentContext({ properties: { ifPurge: "TRUE" } }),
          catalogName: "hive",
        }),
      );
      expect(await c.get_all_tables("parts")).toEqual([]);
      expect(await rejection(c.drop_table_req(new T.DropTableRequest({ dbName: "parts", tableName: "sales" })))).toBeInstanceOf(T.NoSuchObjectException);
      // A table of the same name starts with no partitions.
      await c.create_table(table("parts", "sales", [["dt", "string"]]));
      expect(await c.get_partition_names("parts", "sales", -1)).toEqual([]);
    });
  });
});
