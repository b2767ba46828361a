/**
 * Runs flink_job.py (PyFlink, a local mini cluster in one JVM) for tests: ensure the
 * install (ensure-flink.mjs), start the driver with a job spec, read its NDJSON lines as
 * they come, wait for given events with bounded waits, stop.
 *
 * The driver and the JVM PyFlink starts share one process group; `stop()` signals the
 * group, and an exit hook kills it if the test process dies first.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureFlinkInstall, type FlinkInstall } from "../ensure-flink.mjs";
import { killGroup, waitForExit } from "../../../integration/support/processes.mjs";

export type FlinkStep =
  | { readonly sql: string }
  | {
      readonly changelog: {
        readonly table: string;
        readonly columns: readonly (readonly [string, string])[];
        readonly rows: readonly (readonly [string, readonly unknown[]])[];
      };
    }
  /** Waits for `send()` (the test acts between two steps). */
  | { readonly await: string }
  | { readonly select: string; readonly limit?: number };

export interface FlinkLine {
  readonly event?: string;
  readonly index?: number;
  readonly message?: string;
  readonly flink?: string;
  readonly label?: string;
  readonly kind?: string;
  readonly row?: unknown[];
}

export interface FlinkJob {
  /** Every line so far, in order. */
  readonly lines: readonly FlinkLine[];
  /** Resolves with the first line (from the start) that matches; rejects on exit, error or timeout. */
  waitFor(match: (line: FlinkLine) => boolean, timeoutMs: number, what: string): Promise<FlinkLine>;
  /** Lets a waiting `await` step go on. */
  send(line: string): void;
  /** The change lines so far. */
  changes(): { kind: string; row: unknown[] }[];
  logTail(): string;
  stop(): Promise<void>;
}

const LOG_TAIL_CHARS = 16_000;
const MARKER = "@@streamhouse ";

/** Small JVM, one slot: the machine is shared. */
const SMALL_CLUSTER: Readonly<Record<string, string>> = {
  "parallelism.default": "1",
  "taskmanager.numberOfTaskSlots": "1",
  "taskmanager.memory.managed.size": "64m",
  "taskmanager.memory.network.min": "32m",
  "taskmanager.memory.network.max": "32m",
  "rest.bind-address": "127.0.0.1",
  "rest.address": "127.0.0.1",
};

export function ensureFlink(options: { readonly log?: (line: string) => void } = {}): Promise<FlinkInstall> {
  return ensureFlinkInstall(options);
}

export async function startFlinkJob(
  steps: readonly FlinkStep[],
  options: { readonly config?: Readonly<Record<string, string>>; readonly log?: (line: string) => void; readonly heap?: string } = {},
): Promise<FlinkJob> {
  const install = await ensureFlink(options.log === undefined ? {} : { log: options.log });
  const spec = { jars: install.jars, config: { ...SMALL_CLUSTER, ...options.config }, steps };
  const child = spawn(install.python, [join(import.meta.dirname, "..", "flink_job.py"), JSON.stringify(spec)], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      JAVA_HOME: install.javaHome,
      PATH: `${join(install.javaHome, "bin")}:${process.env.PATH ?? ""}`,
      PYTHONUNBUFFERED: "1",
      // The gateway JVM hosts the whole local cluster; this caps it.
      JAVA_TOOL_OPTIONS: `-Xmx${options.heap ?? "1g"} -XX:ActiveProcessorCount=2`,
    },
  });
  // A driver that died makes writes fail with EPIPE; its exit is reported by waitFor.
  child.stdin?.on("error", () => {});
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-LOG_TAIL_CHARS);
  });
  const lines: FlinkLine[] = [];
  const listeners = new Set<() => void>();
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      const text = out.slice(0, nl);
      out = out.slice(nl + 1);
      // Flink's own log lines share stdout; ours carry the marker.
      if (!text.startsWith(MARKER)) continue;
      lines.push(JSON.parse(text.slice(MARKER.length)) as FlinkLine);
      for (const l of [...listeners]) l();
    }
  });
  let exited: string | null = null;
  child.once("exit", (code, signal) => {
    exited = signal ?? `exit ${code}`;
    for (const l of [...listeners]) l();
  });
  child.once("error", (e) => {
    exited = `spawn error: ${e.message}`;
    for (const l of [...listeners]) l();
  });

  const logTail = () => stderr;
  const waitFor = (match: (line: FlinkLine) => boolean, timeoutMs: number, what: string): Promise<FlinkLine> =>
    new Promise((resolve, reject) => {
      const fail = (why: string) => {
        cleanup();
        const errorLine = lines.find((l) => l.event === "error");
        reject(new Error(`Flink job: ${why} while waiting for ${what}${errorLine ? `: ${errorLine.message}` : ""}\n--- stderr (tail) ---\n${stderr}`));
      };
      const check = () => {
        const hit = lines.find(match);
        if (hit !== undefined) {
          cleanup();
          resolve(hit);
        } else if (lines.some((l) => l.event === "error")) fail("the driver failed");
        else if (exited !== null) fail(`the driver exited (${exited})`);
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      child.stdin?.end();
      if (!(await waitForExit(child, 100))) {
        killGroup(child, "SIGTERM");
        if (!(await waitForExit(child, 10_000))) killGroup(child, "SIGKILL");
      }
      // The gateway JVM is in the same group: make sure it is gone too.
      killGroup(child, "SIGKILL");
    })();
    return stopping;
  };

  return {
    lines,
    waitFor,
    send: (line) => {
      child.stdin?.write(`${line}\n`);
    },
    changes: () => lines.filter((l) => l.kind !== undefined).map((l) => ({ kind: l.kind ?? "", row: l.row ?? [] })),
    logTail,
    stop,
  };
}
