// Metastore: get_table and get_partitions_by_names throughput and latency with 32
// concurrent clients, our server (SQLite store) against Apache's standalone Hive
// Metastore 4.1 (embedded Derby), in the same run with the same data.
//
// Both servers run as child processes (ours: `streamhouse metastore start`; Apache's: the
// JVM from integration/hive-metastore). The load comes from 4 more processes (this file
// forked with WORKER_FLAG), 8 connections each, every connection a closed loop of one
// call at a time. A client must not be the bottleneck it measures: requests are encoded
// once up front, and a reply is read as a message — its bytes walked to find where it
// ends and checked to be a result of the expected shape (a struct, or a list of 50
// structs) — without building objects from it. Apache 4.x removed plain get_table
// (HIVE-26537), so both are asked get_table_req.
// STREAMHOUSE_BENCH_METASTORE_MS changes the measured window per case;
// STREAMHOUSE_BENCH_METASTORE_PROCESSES and _CLIENTS_PER_PROCESS the load's shape.
import { fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hmsService, hmsTypes as T } from "@streamhouse/metastore";
import thrift from "thrift";
import { startHiveMetastore } from "../integration/hive-metastore/hive-metastore.mjs";
import { fmt } from "./measure.mjs";

const CLIENT_PROCESSES = Number(process.env.STREAMHOUSE_BENCH_METASTORE_PROCESSES ?? 4);
const CLIENTS_PER_PROCESS = Number(process.env.STREAMHOUSE_BENCH_METASTORE_CLIENTS_PER_PROCESS ?? 8);
const CLIENTS = CLIENT_PROCESSES * CLIENTS_PER_PROCESS;
const WORKER_FLAG = "--metastore-load-worker";
const WORKER_READY_MS = 30_000;
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

// ---------------------------------------------------------------- the load, in worker processes

const { Type, MessageType } = thrift.Thrift;

/** One TBinaryProtocol CALL message, encoded once: `writeArgs` writes the argument struct's fields. */
function encodeCall(name, writeArgs) {
  let bytes;
  const transport = new thrift.TBufferedTransport(undefined, (msg) => {
    bytes = Buffer.from(msg);
  });
  const out = new thrift.TBinaryProtocol(transport);
  out.writeMessageBegin(name, MessageType.CALL, 1);
  out.writeStructBegin(`${name}_args`);
  writeArgs(out);
  out.writeFieldStop();
  out.writeStructEnd();
  out.writeMessageEnd();
  out.flush();
  return bytes;
}

/** The requests of a case, as bytes; a call k sends requests[k % length]. */
function requestsFor(kind, lists) {
  if (kind === "getTable") {
    const req = new T.GetTableRequest({ dbName: "default", tblName: TABLE });
    return [
      encodeCall("get_table_req", (out) => {
        out.writeFieldBegin("req", Type.STRUCT, 1);
        req.write(out);
        out.writeFieldEnd();
      }),
    ];
  }
  return lists.map((names) =>
    encodeCall("get_partitions_by_names", (out) => {
      out.writeFieldBegin("db_name", Type.STRING, 1);
      out.writeString("default");
      out.writeFieldEnd();
      out.writeFieldBegin("tbl_name", Type.STRING, 2);
      out.writeString(TABLE);
      out.writeFieldEnd();
      out.writeFieldBegin("names", Type.LIST, 3);
      out.writeListBegin(Type.STRING, names.length);
      for (const n of names) out.writeString(n);
      out.writeListEnd();
      out.writeFieldEnd();
    }),
  );
}

const FIXED_WIDTH = { 2: 1, 3: 1, 4: 8, 6: 2, 8: 4, 10: 8 };

/** The offset after the value of Thrift type `type` at `at`, or -1 when `buf` ends first. */
function skipValue(buf, at, type) {
  const fixed = FIXED_WIDTH[type];
  if (fixed !== undefined) return at + fixed <= buf.length ? at + fixed : -1;
  if (type === Type.STRING) return at + 4 <= buf.length && at + 4 + buf.readInt32BE(at) <= buf.length ? at + 4 + buf.readInt32BE(at) : -1;
  if (type === Type.STRUCT) {
    for (;;) {
      if (at >= buf.length) return -1;
      const fieldType = buf[at];
      if (fieldType === Type.STOP) return at + 1;
      if (at + 3 > buf.length) return -1;
      at = skipValue(buf, at + 3, fieldType);
      if (at < 0) return -1;
    }
  }
  if (type === Type.MAP) {
    if (at + 6 > buf.length) return -1;
    const [k, v, n] = [buf[at], buf[at + 1], buf.readInt32BE(at + 2)];
    at += 6;
    for (let i = 0; i < n && at >= 0; i++) {
      at = skipValue(buf, at, k);
      if (at >= 0) at = skipValue(buf, at, v);
    }
    return at;
  }
  if (type === Type.LIST || type === Type.SET) {
    if (at + 5 > buf.length) return -1;
    const [e, n] = [buf[at], buf.readInt32BE(at + 1)];
    at += 5;
    const width = FIXED_WIDTH[e];
    if (width !== undefined) return at + n * width <= buf.length ? at + n * width : -1;
    for (let i = 0; i < n && at >= 0; i++) at = skipValue(buf, at, e);
    return at;
  }
  throw new Error(`unknown Thrift type ${type} in a reply`);
}

/**
 * Where the reply message at the start of `buf` ends (-1: not all there yet), and what
 * its result is: the type of field 0 and, for a list, its element type and size.
 * Anything but a REPLY whose result is field 0 throws: the benchmark counts only answers.
 */
function readReply(buf) {
  if (buf.length < 8) return { end: -1 };
  const nameEnd = 8 + buf.readInt32BE(4);
  if (buf.length < nameEnd + 4 + 3) return { end: -1 };
  if (buf[3] !== MessageType.REPLY) throw new Error(`a ${buf[3] === MessageType.EXCEPTION ? "TApplicationException" : `message of type ${buf[3]}`} instead of a reply`);
  const fieldAt = nameEnd + 4;
  const end = skipValue(buf, fieldAt, Type.STRUCT);
  if (end < 0) return { end };
  const type = buf[fieldAt];
  if (type === Type.STOP || buf.readInt16BE(fieldAt + 1) !== 0) throw new Error("the reply is an exception");
  return type === Type.LIST ? { end, type, elementType: buf[fieldAt + 3], size: buf.readInt32BE(fieldAt + 4) } : { end, type };
}

/** Checks a reply's result has the shape the case asks for. */
function checkResult(kind, r) {
  if (kind === "getTable" ? r.type !== Type.STRUCT : r.type !== Type.LIST || r.elementType !== Type.STRUCT || r.size !== NAMES_PER_CALL) {
    throw new Error(`unexpected ${kind} result: ${JSON.stringify(r)}`);
  }
}

/** A connection sending one request at a time and resolving each call when its whole reply is in. */
function rawConnection(port) {
  const socket = net.connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  let chunks = [];
  let pending;
  const fail = (e) => {
    const p = pending;
    pending = undefined;
    p?.reject(e);
  };
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  socket.on("data", (data) => {
    if (pending === undefined) return fail(new Error("bytes with no call in flight"));
    chunks.push(data);
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks = [buf];
    let reply;
    try {
      reply = readReply(buf);
    } catch (e) {
      return fail(e);
    }
    if (reply.end < 0) return;
    if (reply.end !== buf.length) return fail(new Error("bytes after the reply"));
    chunks = [];
    const p = pending;
    pending = undefined;
    p.resolve(reply);
  });
  const connected = new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return {
    connected,
    call: (bytes) =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(bytes);
      }),
    close: () => socket.destroy(),
  };
}

const nowEpochMs = () => performance.timeOrigin + performance.now();

/** A worker process: connects, says ready, runs its closed loops in the window it is given, returns latencies. */
async function worker() {
  const { port, kind, clients, offset } = JSON.parse(process.argv[3]);
  const requests = requestsFor(kind, nameLists());
  const conns = Array.from({ length: clients }, () => rawConnection(port));
  try {
    await Promise.all(conns.map((c) => c.connected));
    const go = new Promise((resolve) => process.once("message", resolve));
    process.send({ ready: true });
    const { windowStart, windowEnd } = await go;
    const latencies = [];
    await Promise.all(
      conns.map(async (c, i) => {
        for (let k = offset + i; ; k += CLIENTS) {
          const t0 = nowEpochMs();
          if (t0 >= windowEnd) return;
          checkResult(kind, await c.call(requests[k % requests.length]));
          const t1 = nowEpochMs();
          if (t0 >= windowStart && t1 <= windowEnd) latencies.push(t1 - t0);
        }
      }),
    );
    await new Promise((resolve) => process.send({ latencies }, resolve));
  } finally {
    for (const c of conns) c.close();
  }
}

/**
 * CLIENTS closed-loop clients in CLIENT_PROCESSES processes: all connect, then
 * warm up together and count calls and their latencies in one window.
 */
async function measure(port, kind) {
  const self = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: CLIENT_PROCESSES }, (_, w) =>
    fork(self, [WORKER_FLAG, JSON.stringify({ port, kind, clients: CLIENTS_PER_PROCESS, offset: w * CLIENTS_PER_PROCESS })], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    }),
  );
  const exited = workers.map((child) => new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))));
  try {
    const messages = workers.map((child, w) => {
      const queue = [];
      const waiters = [];
      child.on("message", (m) => (waiters.length > 0 ? waiters.shift()(m) : queue.push(m)));
      const next = (ms) =>
        queue.length > 0
          ? Promise.resolve(queue.shift())
          : Promise.race([
              new Promise((resolve) => waiters.push(resolve)),
              exited[w].then(({ code, signal }) => Promise.reject(new Error(`load worker ${w} exited (${signal ?? code}) before answering`))),
              ...(ms === undefined ? [] : [new Promise((_, reject) => setTimeout(() => reject(new Error(`load worker ${w} not ready in ${ms} ms`)), ms).unref())]),
            ]);
      return { next };
    });
    await Promise.all(messages.map((m) => m.next(WORKER_READY_MS)));
    const windowStart = nowEpochMs() + WARMUP_MS;
    const windowEnd = windowStart + MEASURE_MS;
    for (const child of workers) child.send({ windowStart, windowEnd });
    const results = await Promise.all(messages.map((m) => m.next()));
    const latencies = results.flatMap((r) => r.latencies);
    latencies.sort((a, b) => a - b);
    return { perSecond: Math.round((latencies.length * 1000) / MEASURE_MS), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), calls: latencies.length };
  } finally {
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(exited);
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

/** Both cases, after one fully decoded call each checks the server answers what the byte-level reader cannot see. */
async function runAll(port, lists) {
  await callOnce(port, async (c) => {
    const r = await c.get_table_req(new T.GetTableRequest({ dbName: "default", tblName: TABLE }));
    if (r.table.tableName !== TABLE) throw new Error("wrong table");
    const parts = await c.get_partitions_by_names("default", TABLE, lists[0]);
    if (parts.length !== NAMES_PER_CALL || parts.some((p) => p.tableName !== TABLE)) throw new Error("wrong partitions");
  });
  return { getTable: await measure(port, "getTable"), byNames: await measure(port, "byNames") };
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
    `${CLIENTS} clients (${CLIENT_PROCESSES} processes × ${CLIENTS_PER_PROCESS}) share the machine's cores with the server: with one call in flight per client, a call waits behind up to ${CLIENTS - 1} others, so p99 is about ${CLIENTS}× the server's per-call time plus scheduling noise. Clients send pre-encoded requests and walk each reply's bytes to its end without decoding it into objects, so their own cost per call is small next to either server's.`,
  );
  return {
    title: "Metastore: catalog reads vs Apache Hive Metastore",
    description: `${CLIENTS} concurrent clients (one connection each, one call at a time, in ${CLIENT_PROCESSES} load processes) against each server in its own process; a table with ${fmt(PARTITIONS)} partitions, the same data on both. ${WARMUP_MS / 1000} s warm-up, then ${MEASURE_MS / 1000} s measured per case. Latency in ms, measured by the client.`,
    headers: ["call", "server", "calls/s", "p50 ms", "p99 ms", "ours vs Apache"],
    rows,
    notes,
  };
}

if (process.argv[2] === WORKER_FLAG && process.send !== undefined) {
  worker().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`metastore load worker: ${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
