// Write: upserts/s into a primary-key table (4 buckets) and rows/s into an append table,
// ours (TableWrite + FileStoreCommit, a commit every COMMIT_EVERY rows, whatever
// compaction the writer does by default) against Java Paimon 2.0.0 doing the same in its
// own JVM (the peer's "writeBench" command), in the same run. Both sides generate the
// same rows in-process from the same 32-bit generator (mulberry32; see WriteBench.java),
// so neither side pays for parsing input. Each side warms up first (a smaller write into a
// scratch table in the same process / JVM), then writes the measured table.
// Our writer runs in a child process of its own (this file with `measure` arguments), so
// its peak RSS is its own. Sizes: STREAMHOUSE_BENCH_WRITE_ROWS (default 10,000,000),
// STREAMHOUSE_BENCH_WRITE_COMMIT_EVERY (default 1,000,000).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, perSecond } from "./measure.mjs";
import { ensurePaimonJavaInstall } from "../integration/paimon-java/ensure-paimon-java.mjs";

const here = fileURLToPath(import.meta.url);
const ROWS = Number(process.env.STREAMHOUSE_BENCH_WRITE_ROWS ?? 10_000_000);
const COMMIT_EVERY = Number(process.env.STREAMHOUSE_BENCH_WRITE_COMMIT_EVERY ?? 1_000_000);
const KEY_SPACE = Math.max(1, Math.floor(ROWS * 0.4));
const WARM_ROWS = Math.min(1_000_000, Math.ceil(ROWS / 5));
const BUCKETS = 4;
const SEED = 1;
const JAVA_ARGS = ["-Xmx4g", "-XX:+UseParallelGC"];
const BATCH_ROWS = 4096;

const FIELDS = [
  { name: "id", type: "BIGINT NOT NULL" },
  { name: "name", type: "STRING" },
  { name: "price", type: "DOUBLE" },
  { name: "qty", type: "INT" },
];
const tableOptions = (kind) => (kind === "pk" ? { bucket: String(BUCKETS) } : { bucket: "-1" });

/** mulberry32: the same 32-bit sequence as WriteBench.Mulberry32. */
function mulberry32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// ------------------------------------------------------------------ our side (child process)

async function createOurTable(lib, path, kind) {
  const { io, format, table } = lib;
  const F = format.DataTypes.FIELD;
  const T = format.DataTypes;
  const fields = [F(0, "id", T.BIGINT(false)), F(1, "name", T.STRING()), F(2, "price", T.DOUBLE()), F(3, "qty", T.INT())];
  const schema = {
    version: format.SCHEMA_VERSION,
    id: 0,
    fields,
    highestFieldId: 3,
    partitionKeys: [],
    primaryKeys: kind === "pk" ? ["id"] : [],
    options: tableOptions(kind),
    comment: null,
    timeMillis: Date.now(),
  };
  await io.writeIfAbsent(table.TablePaths.schema(path, 0), new TextEncoder().encode(format.encodeTableSchema(schema)));
  return table.FileStoreTable.open(io, path);
}

async function ourWrite(lib, path, kind, rows, keySpace) {
  const t = await createOurTable(lib, path, kind);
  const write = await lib.table.TableWrite.open(t);
  const commit = new lib.table.FileStoreCommit(t, "write-bench");
  const next = mulberry32(SEED);
  let commits = 0;
  let batch = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows; i++) {
    const id = next() % keySpace;
    const name = `user-${id}-${next() % 1_000_000}`;
    const price = (next() / 4294967296) * 1000;
    const qty = next() % 1_000_000;
    batch.push([BigInt(id), name, price, qty]);
    const boundary = (i + 1) % COMMIT_EVERY === 0 || i + 1 === rows;
    if (batch.length === BATCH_ROWS || boundary) {
      await write.write(batch);
      batch = [];
    }
    if (boundary) {
      commits++;
      await commit.commit([await write.prepareCommit(BigInt(commits))]);
    }
  }
  await write.close();
  return { elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, commits };
}

async function measureOurs(kind, dir) {
  const dist = (p) => pathToFileURL(join(here, "..", "..", "packages", p, "dist", "index.js")).href;
  const [fileio, format, table] = await Promise.all([import(dist("fileio")), import(dist("format")), import(dist("table"))]);
  const lib = { io: new fileio.LocalFileIO(), format, table };
  await ourWrite(lib, join(dir, "warm"), kind, WARM_ROWS, Math.max(1, Math.floor(WARM_ROWS * 0.4)));
  rmSync(join(dir, "warm"), { recursive: true, force: true });
  globalThis.gc?.();
  const r = await ourWrite(lib, join(dir, "t"), kind, ROWS, KEY_SPACE);
  return { ...r, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

if (process.argv[1] === here && process.argv[2] === "measure") {
  const [kind, dir] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await measureOurs(kind, dir)));
  process.exit(0);
}

// ------------------------------------------------------------------ the benchmark

function runOurs(kind, dir) {
  const r = spawnSync(process.execPath, ["--expose-gc", here, "measure", kind, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`our ${kind} write failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

async function runJava(peer, kind, warehouse, name) {
  await peer.run({ warehouse, database: "db", table: name, ops: [{ op: "create", schema: { fields: FIELDS, primaryKeys: kind === "pk" ? ["id"] : [], options: tableOptions(kind) } }] });
  return join(warehouse, "db.db", name);
}

function dirStats(path) {
  let bytes = 0;
  let files = 0;
  const walk = (p) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q);
      else if (e.name.endsWith(".parquet")) {
        bytes += statSync(q).size;
        files++;
      }
    }
  };
  walk(path);
  return { bytes, files };
}

const loadAverage = () => execFileSync("uptime", { encoding: "utf8" }).trim().replace(/^.*load average:\s*/, "");

export default async function run() {
  const root = mkdtempSync(join(tmpdir(), "streamhouse-write-bench-"));
  const loadBefore = loadAverage();
  const results = {};
  try {
    for (const kind of ["pk", "append"]) {
      const oursDir = join(root, `ours-${kind}`);
      mkdirSync(oursDir, { recursive: true });
      const ours = runOurs(kind, oursDir);
      ours.files = dirStats(join(oursDir, "t"));

      const peer = await startPeer(JAVA_ARGS);
      let java;
      let counts;
      try {
        const warehouse = join(root, `java-${kind}`);
        const warm = await runJava(peer, kind, warehouse, "warm");
        await javaWrite(peer, warm, Math.min(WARM_ROWS, ROWS), Math.max(1, Math.floor(WARM_ROWS * 0.4)));
        rmSync(warm, { recursive: true, force: true });
        const table = await runJava(peer, kind, warehouse, "t");
        java = await javaWrite(peer, table, ROWS, KEY_SPACE);
        java.peakRssMiB = peer.peakRssMiB();
        java.files = dirStats(table);
        // Both tables, read by Java: the same rows, whoever wrote them.
        counts = { ours: (await peer.count(join(oursDir, "t"))).rows, java: (await peer.count(table)).rows };
      } finally {
        await peer.close();
      }
      if (counts.ours !== counts.java) throw new Error(`${kind}: Java reads ${counts.ours} rows from our table, ${counts.java} from its own`);
      results[kind] = { ours, java, rows: counts.java };
      rmSync(join(root, `java-${kind}`), { recursive: true, force: true });
      rmSync(oursDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const loadAfter = loadAverage();
  const line = (label, m, vsJava) => [
    label,
    fmt(perSecond(ROWS, m.elapsedMs)),
    `${(m.elapsedMs / 1000).toFixed(2)} s`,
    `${m.commits}`,
    `${m.files.files} files, ${(m.files.bytes / 2 ** 20).toFixed(0)} MiB`,
    m.peakHeapBytes === undefined ? `${m.peakRssMiB} MiB RSS` : `${m.peakRssMiB} MiB JVM RSS, ${Math.round(m.peakHeapBytes / 2 ** 20)} MiB heap`,
    vsJava,
  ];
  const ratio = (ours, java) => `${(java.elapsedMs / ours.elapsedMs).toFixed(2)}×`;
  const { pk, append } = results;
  return {
    title: "Write (streaming upserts and appends)",
    description:
      `${fmt(ROWS)} rows (id BIGINT, name STRING, price DOUBLE, qty INT) generated in-process from one seeded generator, the same rows on both sides, ` +
      `a commit every ${fmt(COMMIT_EVERY)} rows. Primary-key table: ids drawn from ${fmt(KEY_SPACE)} keys (upserts; ${fmt(pk.rows)} rows after merging), ${BUCKETS} buckets, default options (compaction as each writer does it by default). ` +
      "Append table: bucket -1 (unaware), default options. Throughput over input rows, time from the first row to the last commit; each side after a warm-up write of " +
      `${fmt(WARM_ROWS)} rows in the same process/JVM. "vs Java" is our throughput relative to Java's: above 1× is faster.`,
    headers: ["writer", "rows/s", "time", "commits", "data files at the end", "peak memory", "vs Java"],
    rows: [
      line("ours: TableWrite + FileStoreCommit, primary-key table (upserts)", pk.ours, ratio(pk.ours, pk.java)),
      line("Java Paimon 2.0.0: StreamTableWrite + commit, primary-key table", pk.java, "1.00×"),
      line("ours: append table", append.ours, ratio(append.ours, append.java)),
      line("Java Paimon 2.0.0: append table", append.java, "1.00×"),
    ],
    notes: [
      `machine load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`,
      `peak memory: ours is the writer process's peak RSS (warm-up included); Java is the JVM's peak RSS (VmHWM, warm-up included) and its heap pools' peak use during the measured write (JVM flags ${JAVA_ARGS.join(" ")}, C2 JIT)`,
      "Java compacts in background threads while it writes and waits for compaction only at the last commit; check: Java reads the same number of rows from both tables",
    ],
  };
}

/**
 * A Java Paimon peer JVM (`serve`) with a generic call: bench/paimon-peer.mjs knows only
 * run and count. Replies are matched to requests one at a time.
 */
async function startPeer(jvmArgs) {
  const install = await ensurePaimonJavaInstall({ log: (l) => process.stderr.write(`${l}\n`) });
  const child = spawn(install.java, ["-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.logFile=System.err", ...jvmArgs, "-cp", install.classpath, install.mainClass, "serve"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-8000);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const r = await lines.next();
    return r.done ? null : r.value;
  };
  if ((await nextLine()) !== '{"ready":true}') throw new Error(`the Java Paimon peer did not start:\n${stderr}`);
  const call = async (request) => {
    child.stdin.write(`${JSON.stringify(request)}\n`);
    const line = await nextLine();
    if (line === null) throw new Error(`the Java Paimon peer exited during ${request.cmd}:\n${stderr}`);
    const reply = JSON.parse(line);
    if (!reply.ok) throw new Error(`Java Paimon ${request.cmd} failed: ${reply.error}\n${reply.trace ?? ""}`);
    return reply;
  };
  return {
    call,
    run: async (script) => (await call({ cmd: "run", script })).log,
    count: async (table) => (await call({ cmd: "count", table })).count,
    peakRssMiB() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      return m === null ? null : Math.round(Number(m[1]) / 1024);
    },
    close: () =>
      new Promise((resolve) => {
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once("close", () => resolve());
        child.stdin.end();
      }),
  };
}

async function javaWrite(peer, table, rows, keySpace) {
  const r = await peer.call({ cmd: "writeBench", table, rows, keySpace, commitEvery: COMMIT_EVERY, seed: SEED });
  return { ...r.writeBench };
}
