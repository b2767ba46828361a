/**
 * The Spark Thrift Server on the Paimon catalog over our metastore, queried from
 * TypeScript with the npm `hive-driver` (HiveServer2 protocol): our writer commits a
 * primary-key table (inserts, upserts, deletes); the server's rows equal our reader's,
 * latest and with time travel; a write through the server reaches our reader; and the
 * server stops without leaving a process behind.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import type { JsonOut } from "@streamhouse/format";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { FileStoreCommit, type FileStoreTable, TableRead, TableWrite } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalRows, canonicalSelect } from "./canonical-rows.js";
import { connectHiveSql, type HiveSqlClient } from "./hive-sql-client.js";
import { type SparkThriftServer, startThriftServer } from "./spark-thrift-server.js";

let work: string;
let metastore: MetastoreHandle;
let catalog: HiveCatalog;
let server: SparkThriftServer;
let client: HiveSqlClient;

function progress(line: string): void {
  process.stderr.write(`[spark-thrift-server] ${line}\n`);
}

const ID = { database: "sales", table: "events" };
const ORDER = ["id"];

beforeAll(async () => {
  const t0 = Date.now();
  work = await mkdtemp(join(tmpdir(), "streamhouse-spark-sts-"));
  const warehouse = join(work, "warehouse");
  metastore = await startMetastore({ port: 0, warehouse, store: `sqlite:${join(work, "metastore.sqlite")}` });
  const uri = `thrift://127.0.0.1:${metastore.port}`;
  catalog = new HiveCatalog({ uri, warehouse });

  // Our writer: three commits on a primary-key table, before the server starts.
  await catalog.createDatabase(ID.database);
  const created = await catalog.createTable(ID, {
    fields: "id INT NOT NULL, kind STRING, amount DECIMAL(9, 3), at TIMESTAMP(3), big BIGINT",
    primaryKeys: ["id"],
    options: { bucket: "1" },
  });
  const committer = new FileStoreCommit(created, "streamhouse-sts-test");
  const commit = async (checkpoint: bigint, write: (w: TableWrite) => Promise<void>): Promise<void> => {
    const w = await TableWrite.open(await catalog.getTable(ID));
    try {
      await write(w);
      await committer.commit([await w.prepareCommit(checkpoint)]);
    } finally {
      await w.close();
    }
  };
  await commit(1n, (w) =>
    w.write([
      { id: 1, kind: "click", amount: "1.500", at: "2026-02-01T00:00:00.001", big: 9_007_199_254_740_991n },
      { id: 2, kind: "view", amount: "-0.001", at: "2026-02-01T12:00:00", big: -1n },
      { id: 3, kind: null, amount: null, at: null, big: null },
    ]),
  );
  await commit(2n, (w) =>
    w.writeChanges([
      { kind: "+U", row: { id: 1, kind: "click", amount: "2.250", at: "2026-02-02T00:00:00.999", big: 0n } },
      { kind: "-D", row: { id: 2, kind: "view", amount: "-0.001", at: "2026-02-01T12:00:00", big: -1n } },
    ]),
  );
  await commit(3n, (w) => w.write([{ id: 4, kind: "buy", amount: "999999.999", at: "1970-01-01T00:00:00", big: 42n }]));

  server = await startThriftServer({ metastoreUri: uri, warehouse: `file://${warehouse}`, log: progress });
  client = await connectHiveSql({ host: server.host, port: server.port });
  progress(`metastore on ${metastore.port}, Thrift Server on ${server.port}; setup took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}, 20 * 60_000);

afterAll(async () => {
  await client?.close();
  await server?.stop();
  await catalog?.close();
  await metastore?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function query(statement: string): Promise<JsonOut[][]> {
  const started = Date.now();
  try {
    const r = await client.query(statement);
    progress(`${((Date.now() - started) / 1000).toFixed(2)} s  ${statement.replace(/\s+/g, " ").slice(0, 110)}`);
    return r.rows as JsonOut[][];
  } catch (e) {
    throw new Error(`${(e as Error).message}\n  in: ${statement}\n--- Thrift Server output (tail) ---\n${server.logTail()}`);
  }
}

async function ours(table: FileStoreTable, snapshotId?: number): Promise<JsonOut[][]> {
  const rows = await new TableRead(table).toArray(snapshotId === undefined ? {} : { snapshotId });
  return canonicalRows(table.schema.fields, rows, ORDER);
}

describe("the Spark Thrift Server on the Streamhouse metastore, from hive-driver", () => {
  test("returns the rows our reader returns, latest and at each snapshot", { timeout: 300_000 }, async () => {
    const table = await catalog.getTable(ID);
    const fields = table.schema.fields;
    const latest = await query(canonicalSelect("paimon.sales.events", fields, ORDER));
    expect(latest).toEqual([
      [1, "click", "2.250", "2026-02-02T00:00:00.999", 0],
      [3, null, null, null, null],
      [4, "buy", "999999.999", "1970-01-01T00:00:00.000", 42],
    ]);
    expect(await ours(table)).toEqual(latest);
    for (const id of [1, 2, 3]) {
      const rows = await query(canonicalSelect("paimon.sales.events", fields, ORDER, `VERSION AS OF ${id}`));
      expect(await ours(table, id), `snapshot ${id}`).toEqual(rows);
    }
    expect(await ours(table, 1)).toEqual([
      [1, "click", "1.500", "2026-02-01T00:00:00.001", 9_007_199_254_740_991],
      [2, "view", "-0.001", "2026-02-01T12:00:00.000", -1],
      [3, null, null, null, null],
    ]);
    // The catalog is browsable through the server too.
    expect((await query("SHOW TABLES IN paimon.sales")).map((r) => r[1])).toEqual(["events"]);
  });

  test("a write through the server reaches our reader", { timeout: 300_000 }, async () => {
    await query("INSERT INTO paimon.sales.events VALUES (3, 'late', 3.333, TIMESTAMP '2026-03-03 03:03:03.333', 3), (5, 'new', 0.000, NULL, NULL)");
    const table = await catalog.getTable(ID);
    expect(await table.snapshots.latestSnapshotId()).toBe(4);
    const fields = table.schema.fields;
    const expected: JsonOut[][] = [
      [1, "click", "2.250", "2026-02-02T00:00:00.999", 0],
      [3, "late", "3.333", "2026-03-03T03:03:03.333", 3],
      [4, "buy", "999999.999", "1970-01-01T00:00:00.000", 42],
      [5, "new", "0.000", null, null],
    ];
    expect(await ours(table)).toEqual(expected);
    expect(await query(canonicalSelect("paimon.sales.events", fields, ORDER))).toEqual(expected);
  });

  test("stops cleanly: the process group is gone", { timeout: 120_000 }, async () => {
    await client.close();
    await server.stop();
    expect(server.pid).toBeGreaterThan(0);
    expect(() => process.kill(-server.pid, 0)).toThrow(/ESRCH/);
    await expect(connectHiveSql({ host: server.host, port: server.port, connectTimeoutMs: 2_000 })).rejects.toThrow();
  });
});
