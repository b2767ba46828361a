/**
 * Spark 3.5 with Paimon's Spark connector, its Paimon catalog on our metastore, and our
 * table package on the same tables, both ways:
 *
 * - Spark SQL creates a partitioned primary-key table through the metastore, inserts,
 *   upserts and deletes; our reader, opening the table by name through our Hive catalog,
 *   returns exactly Spark's rows, at the latest snapshot and at every earlier one.
 * - Our catalog creates a table and our writer commits several snapshots (inserts,
 *   upserts, deletes); Spark SQL returns exactly our reader's rows, latest and with
 *   time travel (`VERSION AS OF n`) to each earlier snapshot.
 *
 * One Spark session serves the file. Values are compared in canonical form
 * (canonical-rows.ts): decimals, timestamps, strings and nulls exactly.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import type { JsonOut } from "@streamhouse/format";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { FileStoreCommit, type FileStoreTable, TableRead, TableWrite } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SparkSession } from "../../../integration/spark/spark.js";
import { canonicalRows, canonicalSelect } from "./canonical-rows.js";
import { startPaimonSpark } from "./paimon-spark-session.js";

let work: string;
let metastore: MetastoreHandle;
let catalog: HiveCatalog;
let spark: SparkSession;

function progress(line: string): void {
  process.stderr.write(`[spark-paimon] ${line}\n`);
}

beforeAll(async () => {
  const t0 = Date.now();
  work = await mkdtemp(join(tmpdir(), "streamhouse-spark-paimon-"));
  const warehouse = join(work, "warehouse");
  metastore = await startMetastore({ port: 0, warehouse, store: `sqlite:${join(work, "metastore.sqlite")}` });
  const uri = `thrift://127.0.0.1:${metastore.port}`;
  catalog = new HiveCatalog({ uri, warehouse });
  spark = (await startPaimonSpark({ metastoreUri: uri, warehouse: `file://${warehouse}`, log: progress })).session;
  progress(`metastore on ${metastore.port}, Spark ${spark.version}; setup took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}, 20 * 60_000);

afterAll(async () => {
  await spark?.stop();
  await catalog?.close();
  await metastore?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function sql(statement: string): Promise<JsonOut[][]> {
  const started = Date.now();
  try {
    const r = await spark.sql(statement);
    progress(`${((Date.now() - started) / 1000).toFixed(2)} s  ${statement.replace(/\s+/g, " ").slice(0, 110)}`);
    return r.rows as JsonOut[][];
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- Spark stderr (tail) ---\n${spark.logTail()}`);
  }
}

/** Our reader's rows of `table` at a snapshot (default latest), canonical and ordered. */
async function ours(table: FileStoreTable, orderBy: readonly string[], snapshotId?: number): Promise<JsonOut[][]> {
  const rows = await new TableRead(table).toArray(snapshotId === undefined ? {} : { snapshotId });
  return canonicalRows(table.schema.fields, rows, orderBy);
}

describe("Spark 3.5 + Paimon's Spark connector on the Streamhouse metastore", () => {
  test("Spark writes a primary-key table through our metastore; our reader returns the same rows", { timeout: 600_000 }, async () => {
    await sql("CREATE DATABASE paimon.shop");
    await sql(`CREATE TABLE paimon.shop.orders (
      id BIGINT NOT NULL, dt STRING NOT NULL, customer STRING, amount DECIMAL(12, 2), placed TIMESTAMP, qty INT
    ) PARTITIONED BY (dt) TBLPROPERTIES ('primary-key' = 'dt,id', 'bucket' = '2')`);
    await sql(`INSERT INTO paimon.shop.orders VALUES
      (1, '2026-01-01', 'ann', 12.50, TIMESTAMP '2026-01-01 08:15:00.123456', 3),
      (2, '2026-01-01', 'bob', -0.01, TIMESTAMP '2026-01-01 23:59:59.999999', NULL),
      (3, '2026-01-02', NULL, NULL, NULL, 7),
      (4, '2026-01-02', 'dora ünïcødé', 9999999999.99, TIMESTAMP '1999-12-31 00:00:00', 1)`);
    // Upserts: a new version of 1 and 3, and a new key.
    await sql(`INSERT INTO paimon.shop.orders VALUES
      (1, '2026-01-01', 'ann', 13.75, TIMESTAMP '2026-01-01 09:00:00', 4),
      (3, '2026-01-02', 'cy', 0.10, TIMESTAMP '2026-01-02 00:00:00.000001', 7),
      (5, '2026-01-02', 'eve', 5.00, TIMESTAMP '2026-01-02 12:00:00', 2)`);
    await sql("DELETE FROM paimon.shop.orders WHERE id = 2");

    // The table is registered in our metastore; our catalog finds it by name.
    expect(await catalog.listTables("shop")).toEqual(["orders"]);
    const table = await catalog.getTable({ database: "shop", table: "orders" });
    expect(table.schema.primaryKeys).toEqual(["dt", "id"]);
    expect(table.schema.partitionKeys).toEqual(["dt"]);
    const fields = table.schema.fields;
    // How the connector maps Spark's types into the Paimon schema we read.
    expect(fields.map((f) => `${f.name} ${f.type.root}${f.type.nullable ? "" : " NOT NULL"}`)).toEqual([
      "id BIGINT NOT NULL",
      "dt VARCHAR NOT NULL",
      "customer VARCHAR",
      "amount DECIMAL",
      "placed TIMESTAMP_LTZ",
      "qty INT",
    ]);
    const order = ["id"];
    const sparkLatest = await sql(canonicalSelect("paimon.shop.orders", fields, order));
    expect(sparkLatest).toEqual([
      [1, "2026-01-01", "ann", "13.75", "2026-01-01T09:00:00.000000", 4],
      [3, "2026-01-02", "cy", "0.10", "2026-01-02T00:00:00.000001", 7],
      [4, "2026-01-02", "dora ünïcødé", "9999999999.99", "1999-12-31T00:00:00.000000", 1],
      [5, "2026-01-02", "eve", "5.00", "2026-01-02T12:00:00.000000", 2],
    ]);
    expect(await ours(table, order)).toEqual(sparkLatest);

    // Every snapshot Spark committed reads the same with both.
    const latest = await table.snapshots.latestSnapshotId();
    expect(latest).not.toBeNull();
    for (let id = 1; id <= (latest ?? 0); id++) {
      const sparkRows = await sql(canonicalSelect("paimon.shop.orders", fields, order, `VERSION AS OF ${id}`));
      expect(await ours(table, order, id), `snapshot ${id}`).toEqual(sparkRows);
    }
    expect(await ours(table, order, 1)).toEqual([
      [1, "2026-01-01", "ann", "12.50", "2026-01-01T08:15:00.123456", 3],
      [2, "2026-01-01", "bob", "-0.01", "2026-01-01T23:59:59.999999", null],
      [3, "2026-01-02", null, null, null, 7],
      [4, "2026-01-02", "dora ünïcødé", "9999999999.99", "1999-12-31T00:00:00.000000", 1],
    ]);

    // Spark's UPDATE, then a full compaction by Paimon's procedure: our reader merges what they wrote.
    await sql("UPDATE paimon.shop.orders SET qty = qty + 10, customer = upper(customer) WHERE dt = '2026-01-02'");
    await sql("CALL paimon.sys.compact(table => 'shop.orders')");
    const compacted = await catalog.getTable({ database: "shop", table: "orders" });
    const last = await compacted.snapshots.latestSnapshot();
    expect(last?.commitKind).toBe("COMPACT");
    const afterCompaction = [
      [1, "2026-01-01", "ann", "13.75", "2026-01-01T09:00:00.000000", 4],
      [3, "2026-01-02", "CY", "0.10", "2026-01-02T00:00:00.000001", 17],
      [4, "2026-01-02", "DORA ÜNÏCØDÉ", "9999999999.99", "1999-12-31T00:00:00.000000", 11],
      [5, "2026-01-02", "EVE", "5.00", "2026-01-02T12:00:00.000000", 12],
    ];
    expect(await sql(canonicalSelect("paimon.shop.orders", fields, order))).toEqual(afterCompaction);
    expect(await ours(compacted, order)).toEqual(afterCompaction);
    // The snapshot before the compaction still reads the same, at its own files.
    expect(await ours(compacted, order, (last?.id ?? 0) - 1)).toEqual(afterCompaction);
  });

  test("our writer commits upserts and deletes; Spark returns the same rows, with time travel", { timeout: 600_000 }, async () => {
    await catalog.createDatabase("lake", { ignoreIfExists: true });
    const created = await catalog.createTable(
      { database: "lake", table: "accounts" },
      {
        fields: "id BIGINT NOT NULL, region STRING NOT NULL, owner STRING, balance DECIMAL(18, 4), opened TIMESTAMP(6), score DOUBLE",
        primaryKeys: ["region", "id"],
        partitionKeys: ["region"],
        options: { bucket: "2" },
      },
    );
    const committer = new FileStoreCommit(created, "streamhouse-spark-test");
    const commit = async (checkpoint: bigint, write: (w: TableWrite) => Promise<void>): Promise<void> => {
      const table = await catalog.getTable({ database: "lake", table: "accounts" });
      const w = await TableWrite.open(table);
      try {
        await write(w);
        await committer.commit([await w.prepareCommit(checkpoint)]);
      } finally {
        await w.close();
      }
    };
    // Snapshot 1: inserts.
    await commit(1n, (w) =>
      w.write([
        { id: 1, region: "eu", owner: "ann", balance: "100.0000", opened: "2025-03-01T10:00:00.5", score: 1.5 },
        { id: 2, region: "eu", owner: "bob", balance: "-3.1416", opened: "2025-03-02T00:00:00", score: null },
        { id: 3, region: "us", owner: null, balance: null, opened: null, score: -0.25 },
        { id: 4, region: "us", owner: "dan", balance: "12345678901234.5678", opened: "1970-01-01T00:00:00.000001", score: 1e300 },
      ]),
    );
    // Snapshot 2: upserts (a changed row, an update pair, a new key).
    await commit(2n, (w) =>
      w.writeChanges([
        { kind: "+I", row: { id: 1, region: "eu", owner: "ann", balance: "150.2500", opened: "2025-03-01T10:00:00.5", score: 2 } },
        { kind: "-U", row: { id: 3, region: "us", owner: null, balance: null, opened: null, score: -0.25 } },
        { kind: "+U", row: { id: 3, region: "us", owner: "cy", balance: "0.0001", opened: "2025-04-01T12:34:56.789012", score: 0 } },
        { kind: "+I", row: { id: 5, region: "apac", owner: "eve", balance: "7.0000", opened: "2025-05-05T05:05:05", score: 5 } },
      ]),
    );
    // Snapshot 3: deletes.
    await commit(3n, (w) =>
      w.writeChanges([
        { kind: "-D", row: { id: 2, region: "eu", owner: "bob", balance: "-3.1416", opened: "2025-03-02T00:00:00", score: null } },
        { kind: "-D", row: { id: 4, region: "us", owner: "dan", balance: "12345678901234.5678", opened: "1970-01-01T00:00:00.000001", score: 1e300 } },
      ]),
    );
    // Snapshot 4: a deleted key comes back.
    await commit(4n, (w) => w.write([{ id: 2, region: "eu", owner: "bob again", balance: "0.0000", opened: "2026-01-01T00:00:00", score: 9 }]));

    const table = await catalog.getTable({ database: "lake", table: "accounts" });
    expect(await table.snapshots.latestSnapshotId()).toBe(4);
    const fields = table.schema.fields;
    const order = ["id"];
    const expected: Record<number, JsonOut[][]> = {
      1: [
        [1, "eu", "ann", "100.0000", "2025-03-01T10:00:00.500000", 1.5],
        [2, "eu", "bob", "-3.1416", "2025-03-02T00:00:00.000000", null],
        [3, "us", null, null, null, -0.25],
        [4, "us", "dan", "12345678901234.5678", "1970-01-01T00:00:00.000001", 1e300],
      ],
      2: [
        [1, "eu", "ann", "150.2500", "2025-03-01T10:00:00.500000", 2],
        [2, "eu", "bob", "-3.1416", "2025-03-02T00:00:00.000000", null],
        [3, "us", "cy", "0.0001", "2025-04-01T12:34:56.789012", 0],
        [4, "us", "dan", "12345678901234.5678", "1970-01-01T00:00:00.000001", 1e300],
        [5, "apac", "eve", "7.0000", "2025-05-05T05:05:05.000000", 5],
      ],
      3: [
        [1, "eu", "ann", "150.2500", "2025-03-01T10:00:00.500000", 2],
        [3, "us", "cy", "0.0001", "2025-04-01T12:34:56.789012", 0],
        [5, "apac", "eve", "7.0000", "2025-05-05T05:05:05.000000", 5],
      ],
      4: [
        [1, "eu", "ann", "150.2500", "2025-03-01T10:00:00.500000", 2],
        [2, "eu", "bob again", "0.0000", "2026-01-01T00:00:00.000000", 9],
        [3, "us", "cy", "0.0001", "2025-04-01T12:34:56.789012", 0],
        [5, "apac", "eve", "7.0000", "2025-05-05T05:05:05.000000", 5],
      ],
    };
    // Spark finds the table through the metastore, as registered by our catalog.
    expect((await sql("SHOW TABLES IN paimon.lake")).map((r) => r[1])).toEqual(["accounts"]);
    expect(await sql(canonicalSelect("paimon.lake.accounts", fields, order))).toEqual(expected[4]);
    expect(await ours(table, order)).toEqual(expected[4]);
    for (const id of [1, 2, 3, 4]) {
      expect(await sql(canonicalSelect("paimon.lake.accounts", fields, order, `VERSION AS OF ${id}`)), `Spark, snapshot ${id}`).toEqual(expected[id]);
      expect(await ours(table, order, id), `ours, snapshot ${id}`).toEqual(expected[id]);
    }
    // Our TIMESTAMP(6) is Spark's TIMESTAMP_NTZ; DECIMAL keeps precision and scale.
    const described = new Map((await sql("DESCRIBE TABLE paimon.lake.accounts")).map((r) => [r[0], r[1]]));
    expect(described.get("opened")).toBe("timestamp_ntz");
    expect(described.get("balance")).toBe("decimal(18,4)");
    // Spark's filters and aggregates over our files.
    expect(await sql("SELECT region, count(*), CAST(sum(balance) AS STRING) FROM paimon.lake.accounts GROUP BY region ORDER BY region")).toEqual([
      ["apac", 1, "7.0000"],
      ["eu", 2, "150.2500"],
      ["us", 1, "0.0001"],
    ]);
    // A fifth commit with a full compaction: Spark reads our compacted files.
    const table5 = await catalog.getTable({ database: "lake", table: "accounts" });
    const w5 = await TableWrite.open(table5);
    try {
      await w5.write([{ id: 6, region: "eu", owner: "fay", balance: "1.2345", opened: "2026-06-06T06:06:06.666666", score: -1 }]);
      await committer.commit([await w5.prepareCommit(5n, { fullCompaction: true })]);
    } finally {
      await w5.close();
    }
    const expected5 = [...(expected[4] ?? []), [6, "eu", "fay", "1.2345", "2026-06-06T06:06:06.666666", -1]];
    expect(await sql(canonicalSelect("paimon.lake.accounts", fields, order))).toEqual(expected5);
    expect(await ours(await catalog.getTable({ database: "lake", table: "accounts" }), order)).toEqual(expected5);
    expect(await sql(canonicalSelect("paimon.lake.accounts", fields, order, "VERSION AS OF 4"))).toEqual(expected[4]);
    // Spark's snapshots system table lists our commits.
    expect(await sql("SELECT snapshot_id, commit_kind FROM paimon.lake.`accounts$snapshots` ORDER BY snapshot_id")).toEqual([
      [1, "APPEND"],
      [2, "APPEND"],
      [3, "APPEND"],
      [4, "APPEND"],
      [5, "APPEND"],
      [6, "COMPACT"],
    ]);
  });
});
