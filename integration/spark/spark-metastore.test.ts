/**
 * Spark 3.5 (PySpark, Hive support: its built-in Hive 2.3.9 metastore client) against our
 * metastore: databases, a Parquet datasource table, a partitioned Hive-format table with
 * static and dynamic partition inserts, a query whose partition pruning must go through our
 * get_partitions_by_filter (Spark silently falls back to listing every partition when that
 * call fails, so the test checks the call, its filter, its answer and the files read), and
 * drops that delete managed data.
 *
 * One Spark session serves the file; it reaches the metastore through a call recorder.
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type CallRecorder, startCallRecorder } from "../trino/hms-call-recorder.js";
import { type SparkSession, startSpark } from "./spark.js";

let work: string;
let metastore: MetastoreHandle;
let recorder: CallRecorder;
let spark: SparkSession;

function progress(line: string): void {
  process.stderr.write(`[spark-metastore] ${line}\n`);
}

beforeAll(async () => {
  const t0 = Date.now();
  work = await mkdtemp(join(tmpdir(), "streamhouse-spark-hms-"));
  metastore = await startMetastore({ port: 0, warehouse: join(work, "warehouse"), store: `sqlite:${join(work, "metastore.sqlite")}` });
  recorder = await startCallRecorder(metastore);
  spark = await startSpark({ metastoreUri: recorder.uri, warehouse: `file://${join(work, "warehouse")}`, log: progress });
  progress(`metastore on ${metastore.port}, Spark ${spark.version}; setup took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  progress(`session start called: ${recorder.methods().join(", ")}`);
}, 20 * 60_000);

afterAll(async () => {
  await spark?.stop();
  await recorder?.close();
  await metastore?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function sql(statement: string): Promise<unknown[][]> {
  const started = Date.now();
  const before = recorder.calls.length;
  try {
    const r = await spark.sql(statement);
    const calls = recorder.calls.slice(before).map((c) => c.method);
    progress(`${((Date.now() - started) / 1000).toFixed(2)} s  ${statement.replace(/\s+/g, " ").slice(0, 90)}  [${[...new Set(calls)].join(" ")}]`);
    return r.rows as unknown[][];
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- metastore calls: ${JSON.stringify(recorder.calls.slice(before).slice(-20))}\n--- Spark stderr (tail) ---\n${spark.logTail()}`);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function refusedCalls() {
  return recorder.calls.filter((c) => c.reply?.kind === "application");
}

describe("Spark 3.5 on the Streamhouse metastore", () => {
  test("databases and a parquet datasource table", { timeout: 180_000 }, async () => {
    await sql("CREATE DATABASE shop");
    expect(await isDirectory(join(work, "warehouse", "shop.db"))).toBe(true);
    expect((await sql("SHOW DATABASES")).map((r) => r[0]).sort()).toEqual(["default", "shop"]);
    await sql("CREATE TABLE shop.items (id BIGINT, name STRING) USING parquet");
    await sql("INSERT INTO shop.items VALUES (1, 'apple'), (2, 'pear')");
    await sql("INSERT INTO shop.items VALUES (3, 'plum')");
    expect(await sql("SELECT id, name FROM shop.items ORDER BY id")).toEqual([
      [1, "apple"],
      [2, "pear"],
      [3, "plum"],
    ]);
    expect((await sql("SHOW TABLES IN shop")).map((r) => r[1])).toEqual(["items"]);
  });

  test("partitioned Hive table: inserts, partitions, pruning through get_partitions_by_filter", { timeout: 300_000 }, async () => {
    const tableDir = join(work, "warehouse", "shop.db", "orders");
    await sql("CREATE TABLE shop.orders (id BIGINT, amount DOUBLE) PARTITIONED BY (day STRING) STORED AS PARQUET");
    await sql("INSERT INTO shop.orders PARTITION (day = '2026-01-01') VALUES (1, 9.5), (2, 3.0)");
    await sql("INSERT INTO shop.orders PARTITION (day) VALUES (3, 7.25, '2026-01-02'), (4, 1.0, '2026-01-03')");
    await sql("INSERT INTO shop.orders PARTITION (day = '2026-01-02') VALUES (5, 0.75)");
    expect((await sql("SHOW PARTITIONS shop.orders")).map((r) => r[0])).toEqual(["day=2026-01-01", "day=2026-01-02", "day=2026-01-03"]);
    expect((await readdir(tableDir)).filter((f) => f.startsWith("day=")).sort()).toEqual(["day=2026-01-01", "day=2026-01-02", "day=2026-01-03"]);
    expect(await sql("SELECT id, amount, day FROM shop.orders ORDER BY id")).toEqual([
      [1, 9.5, "2026-01-01"],
      [2, 3.0, "2026-01-01"],
      [3, 7.25, "2026-01-02"],
      [4, 1.0, "2026-01-03"],
      [5, 0.75, "2026-01-02"],
    ]);

    const pruned = "SELECT sum(amount), count(*) FROM shop.orders WHERE day = '2026-01-02'";
    const before = recorder.calls.length;
    expect(await sql(pruned)).toEqual([[8.0, 2]]);
    const calls = recorder.calls.slice(before);
    const byFilter = calls.filter((c) => c.method === "get_partitions_by_filter");
    progress(`pruning: ${JSON.stringify(byFilter.map((c) => ({ filter: c.args[3], reply: c.reply?.kind })))}`);
    // The query's partitions came from our filter evaluation, not from a listing of all.
    expect(byFilter.length).toBeGreaterThanOrEqual(1);
    for (const c of byFilter) {
      expect(c.reply?.kind).toBe("result");
      expect(c.args[3]).toMatch(/day\s*=\s*"2026-01-02"/);
    }
    expect(calls.filter((c) => ["get_partitions", "get_partition_names", "get_partitions_with_auth"].includes(c.method))).toEqual([]);
    const files = await spark.inputFiles(pruned);
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const f of files) expect(f).toContain("/orders/day=2026-01-02/");

    // A range predicate, evaluated by our filter grammar too.
    expect(await sql("SELECT count(*) FROM shop.orders WHERE day >= '2026-01-02'")).toEqual([[3]]);
    await sql("ALTER TABLE shop.orders DROP PARTITION (day = '2026-01-03')");
    expect((await sql("SHOW PARTITIONS shop.orders")).map((r) => r[0])).toEqual(["day=2026-01-01", "day=2026-01-02"]);
    expect(await isDirectory(join(tableDir, "day=2026-01-03"))).toBe(false);
  });

  test("drops delete managed data", { timeout: 180_000 }, async () => {
    await sql("DROP TABLE shop.orders");
    expect(await isDirectory(join(work, "warehouse", "shop.db", "orders"))).toBe(false);
    await sql("DROP TABLE shop.items");
    expect((await sql("SHOW TABLES IN shop")).length).toBe(0);
    await sql("DROP DATABASE shop");
    expect((await sql("SHOW DATABASES")).map((r) => r[0])).toEqual(["default"]);
    expect(await isDirectory(join(work, "warehouse", "shop.db"))).toBe(false);
    const refused = refusedCalls();
    progress(`metastore methods Spark called: ${recorder.methods().join(", ")}`);
    progress(`refused (Spark fell back): ${JSON.stringify([...new Set(refused.map((c) => `${c.method}: ${c.reply?.message}`))])}`);
    expect(refused).toEqual([]);
  });
});
