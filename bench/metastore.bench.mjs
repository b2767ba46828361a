// Metastore: get_table and get_partitions_by_names throughput and latency with 32
// concurrent clients, our server (SQLite store) against Apache's standalone Hive
// Metastore 4.1 (embedded Derby), in the same run with the same data.
//
// Both servers run as child processes (ours: `streamhouse metastore start`; Apache's: the
// JVM from integration/hive-metastore); this process is the load generator only, with
// our generated Thrift client over 32 connections, each a closed loop of one call at a
// time. Apache 4.x removed plain get_table (HIVE-26537), so both are asked get_table_req.
// Set STREAMHOUSE_BENCH_METASTORE_MS to change the measured window per case.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hmsService, hmsTypes as T } from "@streamhouse/metastore";
import thrift from "thrift";
import { startHiveMetastore } from "../integration/hive-metastore/hive-metastore.mjs";
import { fmt } from "./measure.mjs";

const CLIENTS = 32;
const PARTITIONS = 1_000;
const NAMES_PER_CALL = 50;
const WARMUP_MS = 4_000;
const MEASURE_MS = Number(process.env.STREAMHOUSE_BENCH_METASTORE_MS ?? 6_000);
const CLI_MAIN = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));
const TABLE = "bench_t";

function connect(port) {
  const connection = thrift.createConnection("127.0.0.1", port, { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol, max_attempts: 0 });
  const failed = new Promise((_, reject) => {
    connection.on("error", reject);
    connection.on("close", () => reject(new Error("connection closed")));
  });
  failed.catch(() => {});
  return { client: thrift.createClient(hmsService.Client, connection), failed, close: () => connection.end() };
}

/** One call on a fresh connection, failing within `ms`: the readiness probe. */
async function callOnce(port, fn, ms = 5_000) {
  const c = connect(port);
  let timer;
  try {
    return await Promise.race([fn(c.client), c.failed, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), ms)))]);
  } finally {
    clearTimeout(timer);
    c.close();
  }
}

async function startOurs(dir) {
  const child = spawn(process.execPath, [CLI_MAIN, "metastore", "start", "--port", "0", "--store", `sqlite:${join(dir, "metastore.sqlite")}`, "--warehouse", join(dir, "warehouse")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => {
    err = (err + String(d)).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
      const m = /ready on thrift:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    exited.then(() => reject(new Error(`our metastore exited before it was ready: ${err}`)));
  });
  return {
    port,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function fieldSchema(name, type) {
  return new T.FieldSchema({ name, type, comment: "" });
}

function storage(location) {
  return new T.StorageDescriptor({
    cols: [fieldSchema("id", "bigint"), fieldSchema("name", "string"), fieldSchema("amount", "decimal(18,2)"), fieldSchema("ts", "timestamp")],
    location,
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    compressed: false,
    numBuckets: -1,
    serdeInfo: new T.SerDeInfo({ name: "", serializationLib: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", parameters: { "serialization.format": "1" } }),
    bucketCols: [],
    sortCols: [],
    parameters: {},
  });
}

const partitionName = (i) => `dt=d${String(i).padStart(4, "0")}`;

/** The same table and partitions on either server, through the Thrift API. */
async function load(port, dir) {
  const c = connect(port);
  try {
    const location = `file:${join(dir, "data", TABLE)}`;
    const table = new T.Table({
      tableName: TABLE,
      dbName: "default",
      owner: "bench",
      createTime: 0,
      lastAccessTime: 0,
      retention: 0,
      sd: storage(location),
      partitionKeys: [fieldSchema("dt", "string")],
      parameters: { EXTERNAL: "TRUE", "numFiles.note": "benchmark table" },
      viewOriginalText: "",
      viewExpandedText: "",
      tableType: "EXTERNAL_TABLE",
    });
    await Promise.race([c.client.create_table(table), c.failed]);
    for (let from = 0; from < PARTITIONS; from += 100) {
      const parts = [];
      for (let i = from; i < Math.min(PARTITIONS, from + 100); i++) {
        const name = partitionName(i);
        parts.push(
          new T.Partition({
            values: [name.slice(3)],
            dbName: "default",
            tableName: TABLE,
            createTime: 0,
            lastAccessTime: 0,
            sd: storage(`${location}/${name}`),
            parameters: { numRows: String(1000 + i), totalSize: String(100_000 + i) },
          }),
        );
      }
      await Promise.race([c.client.add_partitions(parts), c.failed]);
    }
  } finally {
    c.close();
  }
}

/** Fixed pseudo-random name lists, the same for both servers. */
function nameLists() {
  let s = 42;
  const next = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s;
  };
  return Array.from({ length: 64 }, () => {
    const set = new Set();
    while (set.size < NAMES_PER_CALL) set.add(partitionName(next() % PARTITIONS));
    return [...set];
  });
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** 32 closed-loop clients: warm up, then count calls and their latencies in the window. */
async function measure(port, call) {
  const conns = Array.from({ length: CLIENTS }, () => connect(port));
  try {
    const start = performance.now();
    const windowStart = start + WARMUP_MS;
    const windowEnd = windowStart + MEASURE_MS;
    const latencies = [];
    await Promise.all(
      conns.map(async (c, i) => {
        for (let k = i; ; k += CLIENTS) {
          const t0 = performance.now();
          if (t0 >= windowEnd) return;
          await Promise.race([call(c.client, k), c.failed]);
          const t1 = performance.now();
          if (t0 >= windowStart && t1 <= windowEnd) latencies.push(t1 - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { perSecond: Math.round((latencies.length * 1000) / MEASURE_MS), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), calls: latencies.length };
  } finally {
    for (const c of conns) c.close();
  }
}

function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function runAll(port, lists) {
  const getTable = async (c) => {
    const r = await c.get_table_req(new T.GetTableRequest({ dbName: "default", tblName: TABLE }));
    if (r.table.tableName !== TABLE) throw new Error("wrong table");
  };
  const byNames = async (c, k) => {
    const parts = await c.get_partitions_by_names("default", TABLE, lists[k % lists.length]);
    if (parts.length !== NAMES_PER_CALL) throw new Error(`expected ${NAMES_PER_CALL} partitions, got ${parts.length}`);
  };
  return { getTable: await measure(port, getTable), byNames: await measure(port, byNames) };
}

export default async function run() {
  const dir = mkdtempSync(join(tmpdir(), "streamhouse-bench-metastore-"));
  const lists = nameLists();
  const results = {};
  const rss = {};
  let apacheVersion = "";
  try {
    const ours = await startOurs(join(dir, "ours"));
    try {
      await load(ours.port, join(dir, "ours"));
      results.ours = await runAll(ours.port, lists);
      rss.ours = rssMiB(ours.pid);
    } finally {
      await ours.stop();
    }
    const apache = await startHiveMetastore({
      dataDir: join(dir, "apache"),
      ready: (port) => callOnce(port, (c) => c.get_all_databases()),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    apacheVersion = apache.version;
    try {
      await load(apache.port, join(dir, "apache"));
      results.apache = await runAll(apache.port, lists);
      rss.apache = rssMiB(apache.pid);
    } finally {
      await apache.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const ms = (x) => x.toFixed(2);
  const rows = [];
  const notes = [];
  for (const [key, label] of [
    ["getTable", "get_table_req"],
    ["byNames", `get_partitions_by_names (${NAMES_PER_CALL} of ${fmt(PARTITIONS)})`],
  ]) {
    const o = results.ours[key];
    const a = results.apache[key];
    const ratio = o.perSecond / a.perSecond;
    rows.push([label, "Streamhouse (SQLite)", fmt(o.perSecond), ms(o.p50), ms(o.p99), `${ratio.toFixed(2)}× throughput, p99 ${(a.p99 / o.p99).toFixed(1)}× lower`]);
    rows.push([label, `Apache HMS ${apacheVersion} (Derby)`, fmt(a.perSecond), ms(a.p50), ms(a.p99), ""]);
    notes.push(`${label}: ours/Apache throughput ${ratio.toFixed(2)}× (goal ≥ 3×: ${ratio >= 3 ? "met" : "missed"}); our p99 ${ms(o.p99)} ms (goal ≤ 2 ms: ${o.p99 <= 2 ? "met" : "missed"})`);
  }
  notes.push(`server RSS after the runs: ours ${rss.ours ?? "?"} MiB, Apache ${rss.apache ?? "?"} MiB`);
  notes.push(
    `${CLIENTS} clients share the machine's cores with the server: with one call in flight per client, a call waits behind up to ${CLIENTS - 1} others, so p99 is about ${CLIENTS}× the server's per-call time plus scheduling noise.`,
  );
  return {
    title: "Metastore: catalog reads vs Apache Hive Metastore",
    description: `${CLIENTS} concurrent clients (one connection each, one call at a time) against each server in its own process, load generator in a third; a table with ${fmt(PARTITIONS)} partitions, the same data on both. ${WARMUP_MS / 1000} s warm-up, then ${MEASURE_MS / 1000} s measured per case. Latency in ms, measured by the client.`,
    headers: ["call", "server", "calls/s", "p50 ms", "p99 ms", "ours vs Apache"],
    rows,
    notes,
  };
}
