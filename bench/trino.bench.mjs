// Trino: scan + aggregate over a primary-key table through our Thrift connector service
// (merge-on-read of the table as written: 5 sorted runs per bucket, never compacted)
// against Trino's own Hive connector reading the same rows as plain Parquet — a fully
// compacted copy of the table whose data files are registered in our metastore as an
// external Hive table. Same Trino, same run, the query alternating between the two.
// Then freshness: commit → visible to the next Trino query, p50/p99.
//
// STREAMHOUSE_TRINO_BENCH_ROWS sets the input rows (default 10,000,000; the table is the
// read benchmark's, cached under ~/.cache/streamhouse/bench);
// STREAMHOUSE_TRINO_BENCH_DECODE_THREADS the service's Parquet decode workers (default 2).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FilesystemCatalog } from "@streamhouse/catalog";
import { LocalFileIO } from "@streamhouse/fileio";
import { startMetastore } from "@streamhouse/metastore";
import { compactTable, FileStoreCommit, FileStoreTable, planSnapshot, TableWrite } from "@streamhouse/table";
import { startTrinoService } from "@streamhouse/trino";
import { trinoThriftCatalog } from "../integration/trino/thrift-catalog.mjs";
import { startTrino } from "../integration/trino/trino-server.mjs";
import { fmt } from "./measure.mjs";
import { ensureReadTable } from "./read-table.mjs";

const ROWS = Number(process.env.STREAMHOUSE_TRINO_BENCH_ROWS ?? 10_000_000);
const PARAMS = { rows: ROWS, runs: 5, buckets: 4, keySpace: Math.round(ROWS * 0.4), seed: 1 };
const ROUNDS = 3;
const DECODE_THREADS = Number(process.env.STREAMHOUSE_TRINO_BENCH_DECODE_THREADS ?? 2);
const FRESHNESS_SAMPLES = 30;
const QUERY = (table) => `SELECT count(*), sum(qty), sum(price), max(name) FROM ${table}`;

const log = (line) => process.stderr.write(`trino bench: ${line}\n`);
const loadAverage = () => execFileSync("uptime", { encoding: "utf8" }).trim().replace(/^.*load average:\s*/, "");

/** A fully compacted copy of the table, cached beside it; returns its live data files. */
async function compactedCopy(warehouse) {
  const dir = `${warehouse}-compacted`;
  const table = join(dir, "db.db", "t");
  if (!existsSync(join(dir, "compacted.json"))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(warehouse, tmp, { recursive: true });
    const started = Date.now();
    const t = await FileStoreTable.open(new LocalFileIO(), join(tmp, "db.db", "t"));
    const r = await compactTable(t, { full: true });
    writeFileSync(join(tmp, "compacted.json"), JSON.stringify({ seconds: (Date.now() - started) / 1000, filesBefore: r.filesBefore, filesAfter: r.filesAfter }));
    renameSync(tmp, dir);
    log(`compacted copy: ${r.filesBefore} → ${r.filesAfter} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const t = await FileStoreTable.open(new LocalFileIO(), table);
  const plan = await planSnapshot(t);
  // Plain Parquet for Hive: the compacted files, hard-linked into one directory.
  const plain = join(dir, "plain");
  rmSync(plain, { recursive: true, force: true });
  mkdirSync(plain);
  for (const e of plan.files) linkSync(join(table, `bucket-${e.bucket}`, e.file.fileName), join(plain, e.file.fileName));
  return { warehouse: dir, plain, files: plan.files.length, rows: plan.files.reduce((n, e) => n + Number(e.file.rowCount), 0) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export default async function run() {
  const { table: tableDir } = await ensureReadTable(PARAMS);
  const warehouse = join(tableDir, "..", "..");
  const plain = await compactedCopy(warehouse);
  const work = mkdtempSync(join(tmpdir(), "streamhouse-trino-bench-"));
  const catalog = new FilesystemCatalog(new LocalFileIO(), warehouse);
  const compactedCatalog = new FilesystemCatalog(new LocalFileIO(), plain.warehouse);
  const freshCatalog = new FilesystemCatalog(new LocalFileIO(), join(work, "fresh"));
  // Parquet decoded on 2 worker threads (the read benchmark's fastest row reader).
  const service = await startTrinoService({ catalog, port: 0, decodeThreads: DECODE_THREADS });
  const compactedService = await startTrinoService({ catalog: compactedCatalog, port: 0, decodeThreads: DECODE_THREADS });
  const freshService = await startTrinoService({ catalog: freshCatalog, port: 0 });
  const metastore = await startMetastore({ port: 0, warehouse: join(work, "hive"), store: `sqlite:${join(work, "metastore.sqlite")}` });
  let trino;
  try {
    trino = await startTrino({
      catalogs: {
        sh: trinoThriftCatalog(service.port),
        shc: trinoThriftCatalog(compactedService.port),
        fresh: trinoThriftCatalog(freshService.port),
        hive: { "connector.name": "hive", "hive.metastore.uri": `thrift://127.0.0.1:${metastore.port}`, "fs.hadoop.enabled": "true" },
      },
      maxHeap: "2G",
      log,
    });
    await trino.query(`CREATE SCHEMA hive.bench WITH (location = 'file://${join(work, "hive", "bench")}')`);
    await trino.query(
      `CREATE TABLE hive.bench.plain (id bigint, name varchar, price double, qty integer) WITH (external_location = 'file://${plain.plain}', format = 'PARQUET')`,
    );
    const loadBefore = loadAverage();
    // CPU of this process (the services, their decode workers, the metastore) per query.
    const cpu = { ours: [], oursCompacted: [], hive: [] };
    const timed = async (sql, cpuOf) => {
      const t0 = Date.now();
      const c0 = process.cpuUsage();
      const r = await trino.query(sql);
      const c = process.cpuUsage(c0);
      cpuOf?.push((c.user + c.system) / 1e6);
      return { ms: Date.now() - t0, row: r.rows[0] };
    };
    // Warm both paths (JIT, Trino's metadata caches), then alternate.
    const ours = [];
    const oursCompacted = [];
    const hive = [];
    const oursWarm = await timed(QUERY("sh.db.t"));
    const hiveWarm = await timed(QUERY("hive.bench.plain"));
    await timed(QUERY("shc.db.t"));
    if (JSON.stringify(oursWarm.row.slice(0, 2)) !== JSON.stringify(hiveWarm.row.slice(0, 2))) {
      throw new Error(`the two paths disagree: ours ${JSON.stringify(oursWarm.row)}, hive ${JSON.stringify(hiveWarm.row)}`);
    }
    const filesBefore = service.stats().filesOpened;
    for (let i = 0; i < ROUNDS; i++) {
      ours.push((await timed(QUERY("sh.db.t"), cpu.ours)).ms);
      hive.push((await timed(QUERY("hive.bench.plain"), cpu.hive)).ms);
      oursCompacted.push((await timed(QUERY("shc.db.t"), cpu.oursCompacted)).ms);
    }
    const filesPerQuery = (service.stats().filesOpened - filesBefore) / ROUNDS;
    const loadAfter = loadAverage();

    // Freshness: one row per commit, then the next query must count it.
    const fresh = await freshCatalog.createDatabase("f").then(() =>
      freshCatalog.createTable({ database: "f", table: "t" }, { fields: "id BIGINT NOT NULL", primaryKeys: ["id"], options: { bucket: "1" } }),
    );
    const lags = [];
    for (let i = 1; i <= FRESHNESS_SAMPLES; i++) {
      const w = await TableWrite.open(fresh);
      await w.write([{ id: i }]);
      const c = new FileStoreCommit(fresh, "trino-bench");
      await c.commit([await w.prepareCommit(BigInt(i))]);
      await w.close();
      const committed = Date.now();
      for (;;) {
        const n = Number((await trino.query("SELECT count(*) FROM fresh.f.t")).rows[0][0]);
        if (n >= i) break;
      }
      lags.push(Date.now() - committed);
    }
    lags.sort((a, b) => a - b);

    const best = (xs) => Math.min(...xs);
    const merged = Number(oursWarm.row[0]);
    const ratio = best(ours) / best(hive);
    return {
      title: "Trino: scan + aggregate through our connector vs Hive on plain Parquet",
      description:
        `Trino ${trino.version} (one node, 2 GB heap) runs \`${QUERY("…")}\` over a primary-key table (id BIGINT key; name STRING, price DOUBLE, qty INT) written by Java Paimon: ` +
        `${fmt(PARAMS.rows)} input rows in 5 sorted runs per bucket (${PARAMS.buckets} buckets, never compacted), ${fmt(merged)} merged rows. ` +
        `Ours: the \`trino_thrift\` connector calling our service (merge-on-read in Node with \`decodeThreads: ${DECODE_THREADS}\`, pages encoded straight from the decoded Arrow buffers). Hive: Trino's Hive connector over a fully compacted copy ` +
        `of the same table (${plain.files} Parquet files, ${fmt(plain.rows)} rows) registered in our metastore as an external table. Best of ${ROUNDS} runs each, alternating, after one warm-up each.`,
      headers: ["path", "best", "runs", "merged rows/s", "vs Hive"],
      rows: [
        ["ours: trino_thrift → Streamhouse service (merge-on-read)", `${(best(ours) / 1000).toFixed(2)} s`, ours.map((m) => (m / 1000).toFixed(2)).join(", "), fmt(Math.round((merged * 1000) / best(ours))), `${ratio.toFixed(2)}× the time`],
        [
          "ours on the compacted copy (no merge: the connector's transfer cost)",
          `${(best(oursCompacted) / 1000).toFixed(2)} s`,
          oursCompacted.map((m) => (m / 1000).toFixed(2)).join(", "),
          fmt(Math.round((merged * 1000) / best(oursCompacted))),
          `${(best(oursCompacted) / best(hive)).toFixed(2)}× the time`,
        ],
        ["Trino Hive connector on compacted plain Parquet", `${(best(hive) / 1000).toFixed(2)} s`, hive.map((m) => (m / 1000).toFixed(2)).join(", "), fmt(Math.round((merged * 1000) / best(hive))), "1.00×"],
        [`freshness: commit → visible to the next Trino query (${FRESHNESS_SAMPLES} commits)`, `p50 ${percentile(lags, 50)} ms`, `p99 ${percentile(lags, 99)} ms`, "", ""],
      ],
      notes: [
        `goal: ours ≤ 1.5× Hive's time; measured ${ratio.toFixed(2)}×`,
        `data files opened by the service per query: ${filesPerQuery}`,
        `CPU seconds of the Node process (service + decode workers) per query — ours: ${cpu.ours.map((c) => c.toFixed(2)).join(", ")}; ours compacted: ${cpu.oursCompacted.map((c) => c.toFixed(2)).join(", ")}; during Hive's: ${cpu.hive.map((c) => c.toFixed(2)).join(", ")}`,
        `freshness samples (ms, sorted): ${lags.join(", ")}`,
        `machine load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`,
      ],
    };
  } finally {
    await trino?.stop();
    await service.close();
    await compactedService.close();
    await freshService.close();
    await metastore.close();
    await catalog.close();
    await compactedCatalog.close();
    await freshCatalog.close();
    rmSync(work, { recursive: true, force: true });
  }
}

