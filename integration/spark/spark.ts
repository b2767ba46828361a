/**
 * A Spark SQL session with Hive support for tests: ensure (install PySpark once, see
 * ensure-spark.mjs), start one local session against a metastore, run statements one at a
 * time, stop. One JVM serves a whole test file; each statement's metastore calls can be
 * told apart because the test waits for every answer before sending the next statement.
 *
 * The session is spark_session_driver.py in its own process group. `stop()` closes its
 * stdin (the driver stops Spark and exits), then signals the group; if this process dies,
 * the closed pipe ends the driver and PySpark's gateway JVM with it, and an exit hook kills
 * the group as a last resort.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureSparkInstall, type SparkInstall } from "./ensure-spark.mjs";
import { killGroup, waitForExit } from "../support/processes.mjs";

export interface StartSparkOptions {
  /** `thrift://HOST:PORT` of the metastore. */
  readonly metastoreUri: string;
  /** spark.sql.warehouse.dir: where CREATE DATABASE puts databases without a location. */
  readonly warehouse: string;
  /** More Spark configuration. */
  readonly conf?: Readonly<Record<string, string>>;
  /** How long to wait for the session (default 180 s). */
  readonly readyTimeoutMs?: number;
  /** How long one statement may take (default 120 s). */
  readonly statementTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface SparkSession {
  readonly version: string;
  readonly startupMs: number;
  /** Runs one statement; rejects with Spark's message when it fails. */
  sql(statement: string): Promise<{ readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }>;
  /** The files a query reads (Dataset.inputFiles), after partition pruning. */
  inputFiles(query: string): Promise<readonly string[]>;
  /** The last lines the JVM and Python wrote to stderr. */
  logTail(): string;
  stop(): Promise<void>;
}

const MARKER = "@@streamhouse ";
const LOG_TAIL_CHARS = 12_000;

type Reply = { ok: boolean; error?: string; ready?: boolean; version?: string; columns?: string[]; rows?: unknown[][]; files?: string[] };

/** Installs PySpark into the cache if missing (see ensure-spark.mjs). */
export function ensureSpark(options: { readonly log?: (line: string) => void } = {}): Promise<SparkInstall> {
  return ensureSparkInstall(options);
}

export async function startSpark(options: StartSparkOptions): Promise<SparkSession> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const install = await ensureSpark({ log });
  const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
  const statementTimeoutMs = options.statementTimeoutMs ?? 120_000;
  const conf = {
    "spark.hadoop.hive.metastore.uris": options.metastoreUri,
    "spark.sql.warehouse.dir": options.warehouse,
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "1",
    // Hive-format tables: dynamic partition inserts without a static partition column.
    "spark.hadoop.hive.exec.dynamic.partition.mode": "nonstrict",
    ...options.conf,
  };
  const started = Date.now();
  const child = spawn(install.python, [join(import.meta.dirname, "spark_session_driver.py"), JSON.stringify(conf)], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      JAVA_HOME: install.javaHome,
      PATH: `${join(install.javaHome, "bin")}:${process.env.PATH ?? ""}`,
      PYTHONUNBUFFERED: "1",
      // The driver JVM starts before the session's configuration applies: size it here.
      PYSPARK_SUBMIT_ARGS: "--driver-memory 1g pyspark-shell",
      SPARK_LOCAL_IP: "127.0.0.1",
    },
  });
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-LOG_TAIL_CHARS);
  });

  // Replies arrive in order, one per request.
  const waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  let exitError: Error | undefined;
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (!line.startsWith(MARKER)) continue;
      waiting.shift()?.resolve(JSON.parse(line.slice(MARKER.length)) as Reply);
    }
  });
  child.once("exit", (code, signal) => {
    exitError = new Error(`the Spark driver exited (${signal ?? `exit ${code}`})\n--- stderr (tail) ---\n${stderr}`);
    for (const w of waiting.splice(0)) w.reject(exitError);
  });
  child.once("error", (e) => {
    exitError = new Error(`cannot start the Spark driver: ${e.message}`);
    for (const w of waiting.splice(0)) w.reject(exitError);
  });

  const next = (timeoutMs: number, what: string): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      if (exitError !== undefined) {
        reject(exitError);
        return;
      }
      const timer = setTimeout(() => {
        reject(new Error(`Spark did not answer within ${timeoutMs} ms: ${what}\n--- stderr (tail) ---\n${stderr}`));
      }, timeoutMs);
      waiting.push({
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      child.stdin?.end();
      if (!(await waitForExit(child, 30_000))) {
        killGroup(child, "SIGTERM");
        if (!(await waitForExit(child, 5_000))) killGroup(child, "SIGKILL");
      }
      // The gateway JVM is in the same group; it exits with its parent, but make sure.
      killGroup(child, "SIGKILL");
    })();
    return stopping;
  };

  let version: string;
  try {
    const ready = await next(readyTimeoutMs, "session start");
    if (!ready.ok || ready.version === undefined) throw new Error(`the Spark session did not start: ${ready.error ?? "no version"}`);
    version = ready.version;
  } catch (e) {
    await stop();
    throw e;
  }
  const startupMs = Date.now() - started;
  log(`streamhouse: Spark ${version} session ready in ${(startupMs / 1000).toFixed(1)} s`);

  // One statement at a time, so each one's metastore calls can be attributed to it.
  let queue: Promise<unknown> = Promise.resolve();
  const request = (body: Record<string, unknown>, what: string): Promise<Reply> => {
    const run = queue.then(async () => {
      const reply = next(statementTimeoutMs, what);
      child.stdin?.write(`${JSON.stringify(body)}\n`);
      const r = await reply;
      if (!r.ok) throw new Error(`Spark failed: ${r.error}\n  in: ${what}`);
      return r;
    });
    queue = run.catch(() => {});
    return run;
  };

  return {
    version,
    startupMs,
    sql: async (statement) => {
      const r = await request({ sql: statement }, statement);
      return { columns: r.columns ?? [], rows: r.rows ?? [] };
    },
    inputFiles: async (query) => (await request({ sql: query, inputFiles: true }, query)).files ?? [],
    logTail: () => stderr,
    stop,
  };
}
