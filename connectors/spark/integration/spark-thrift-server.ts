/**
 * The Spark Thrift Server (HiveServer2 protocol, running Spark SQL) with the Paimon
 * catalog on a Hive metastore, started as README.md tells a user to:
 *   spark-submit --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
 *     --conf … spark-internal --hiveconf hive.server2.thrift.port=PORT
 * (the PySpark wheel has bin/spark-submit but not sbin/start-thriftserver.sh).
 *
 * Started in its own process group on a free port; ready when a HiveServer2 session
 * opens and answers a query (bounded wait; the server's exit fails the wait at once).
 * `stop()` signals the group (SIGTERM, then SIGKILL) and waits for the exit; an exit
 * hook kills the group if this process ends first.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensurePaimonSparkInstall, paimonCatalogConf } from "../ensure-paimon-spark.mjs";
import { connectHiveSql } from "./hive-sql-client.js";
import { SMALL_SPARK_CONF } from "./paimon-spark-session.js";
import { killGroup, waitForExit } from "../../../integration/support/processes.mjs";

export const THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2";

export interface StartThriftServerOptions {
  readonly metastoreUri: string;
  /** `file:///…`: the Paimon catalog's warehouse and spark.sql.warehouse.dir. */
  readonly warehouse: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Default 240 s. */
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface SparkThriftServer {
  readonly host: string;
  readonly port: number;
  readonly startupMs: number;
  /** The process group of spark-submit and its JVM. */
  readonly pid: number;
  /** The spark-submit command line it was started with. */
  readonly command: readonly string[];
  logTail(): string;
  stop(): Promise<void>;
}

const LOG_TAIL_CHARS = 16_000;
const HOST = "127.0.0.1";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** The spark-submit arguments that start the server: pure. */
export function thriftServerArgs(conf: Readonly<Record<string, string>>, port: number, host = HOST): string[] {
  return [
    "--master",
    "local[1]",
    "--driver-memory",
    "1g",
    "--name",
    "streamhouse-thrift-server",
    "--class",
    THRIFT_SERVER_CLASS,
    ...Object.entries(conf).flatMap(([k, v]) => ["--conf", `${k}=${v}`]),
    "spark-internal",
    "--hiveconf",
    `hive.server2.thrift.port=${port}`,
    "--hiveconf",
    `hive.server2.thrift.bind.host=${host}`,
  ];
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One readiness probe may take this long: a server that accepts but never answers must not hang the wait. */
const PROBE_TIMEOUT_MS = 30_000;

async function probe(port: number): Promise<void> {
  const client = await connectHiveSql({ host: HOST, port, connectTimeoutMs: 5_000 });
  try {
    await client.query("SELECT 1");
  } finally {
    await client.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function startThriftServer(options: StartThriftServerOptions): Promise<SparkThriftServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const install = await ensurePaimonSparkInstall({ log });
  const port = options.port ?? (await freePort());
  const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;
  const conf = {
    ...SMALL_SPARK_CONF,
    "spark.sql.warehouse.dir": options.warehouse,
    ...paimonCatalogConf({ jar: install.paimonJar, metastoreUri: options.metastoreUri, warehouse: options.warehouse }),
  };
  const submit = join(install.sparkHome, "bin", "spark-submit");
  const args = thriftServerArgs(conf, port);
  // Spark writes scratch files (derby.log, spark-warehouse) to its working directory.
  const cwd = await mkdtemp(join(tmpdir(), "streamhouse-sts-"));
  const started = Date.now();
  const child = spawn(submit, args, {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      JAVA_HOME: install.javaHome,
      SPARK_HOME: install.sparkHome,
      PATH: `${join(install.javaHome, "bin")}:${process.env.PATH ?? ""}`,
      SPARK_LOCAL_IP: HOST,
    },
  });
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  let output = "";
  const keep = (d: unknown) => {
    output = (output + String(d)).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let spawnError: Error | undefined;
  child.once("error", (e) => {
    spawnError = e;
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      killGroup(child, "SIGTERM");
      if (!(await waitForExit(child, 30_000))) {
        killGroup(child, "SIGKILL");
        await waitForExit(child, 5_000);
      }
      // Other members of the group (launcher helpers) may outlive the JVM by a moment.
      for (let i = 0; i < 100 && groupAlive(child); i++) {
        killGroup(child, "SIGKILL");
        await sleep(100);
      }
      await rm(cwd, { recursive: true, force: true });
    })();
    return stopping;
  };

  // Ready when a session opens and answers; bounded, and failing at once if the server died.
  const deadline = started + readyTimeoutMs;
  let lastError = "";
  for (;;) {
    if (spawnError !== undefined || exited(child)) {
      await stop();
      throw new Error(`the Spark Thrift Server exited before it was ready (${spawnError?.message ?? `exit ${child.exitCode ?? child.signalCode}`})\n--- output (tail) ---\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Spark Thrift Server was not ready within ${readyTimeoutMs} ms (last: ${lastError})\n--- output (tail) ---\n${output}`);
    }
    if (output.includes("HiveThriftServer2 started") || output.includes("ThriftBinaryCLIService") || Date.now() - started > 20_000) {
      try {
        await withTimeout(probe(port), PROBE_TIMEOUT_MS, "a HiveServer2 session and SELECT 1");
        break;
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    await sleep(1_000);
  }
  const startupMs = Date.now() - started;
  log(`streamhouse: Spark Thrift Server ready on ${HOST}:${port} in ${(startupMs / 1000).toFixed(1)} s`);
  return { host: HOST, port, pid: child.pid ?? 0, startupMs, command: [submit, ...args], logTail: () => output, stop };
}
