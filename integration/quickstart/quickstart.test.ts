/**
 * The README's quick start, as a new user runs it on a fresh clone: `git clone`, then the
 * README's two commands — `npm start` in the background (it installs, builds and runs
 * `streamhouse up`) and `npm test` — and in between the CLI through `npm start -- …`:
 * create a table in the metastore `up` serves, write 100,000 rows, read them back with
 * `scan` and through a real Trino (its trino_thrift catalog pointed at the connector
 * service `up` started), and with `query`. Ctrl-C (SIGINT to the process group, as a
 * terminal sends it) stops everything.
 *
 * What is cloned: the committed HEAD of this repository (or STREAMHOUSE_QUICKSTART_REPO,
 * any git URL or path). The shared folder (golden vectors) is linked beside the clone as
 * `../shared`, where the README expects it.
 *
 * Ports: `up` listens on 9083/7779/9464 by default, which a developer's own `npm start`
 * may hold; the test moves them with STREAMHOUSE_METASTORE_PORT, STREAMHOUSE_TRINO_SERVICE_PORT
 * and STREAMHOUSE_HTTP_PORT, and points the CLI at its metastore with STREAMHOUSE_METASTORE.
 *
 * `npm test` inside the suite cannot run the suite again (it would recurse): it runs in
 * the clone with STREAMHOUSE_SKIP_INTEGRATION=1 and a filter naming the CLI's help test,
 * so the clone's static checks (type-check, lint, dependency rule) and one unit file run
 * and its summary line must say "0 failed".
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trinoThriftCatalog } from "../trino/thrift-catalog.js";
import { startTrino, type TrinoServer } from "../trino/trino.js";

const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SOURCE = process.env["STREAMHOUSE_QUICKSTART_REPO"] ?? REPO_ROOT;
const SHARED = resolve(REPO_ROOT, "..", "shared");
const ROWS = 100_000;
/** npm install (the SQLite driver compiles from source) and the first build on a busy 2-core machine. */
const START_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 10 * 60_000;

let work: string;
let clone: string;
let up: ChildProcess | null = null;
let upLog: string;
let trino: TrinoServer | null = null;
const ports = { metastore: 0, trino: 0, http: 0 };

function progress(line: string): void {
  process.stderr.write(`[quickstart] ${line}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

/** The environment of a user's shell: none of this test runner's own variables. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|npm_|NODE_OPTIONS$|INIT_CWD$|STREAMHOUSE_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** What the CLI needs to find the `up` of this test (instead of thrift://127.0.0.1:9083). */
const cliEnv = () => userEnv({ STREAMHOUSE_METASTORE: `thrift://127.0.0.1:${ports.metastore}` });

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = COMMAND_TIMEOUT_MS, cwd = clone): Promise<Ran> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} ${args.join(" ")} timed out after ${timeoutMs} ms\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** `npm start -- <args>`, as the README shows it. */
async function streamhouse(...args: string[]): Promise<Ran> {
  const r = await run("npm", ["start", "--", ...args], cliEnv());
  expect(r.code, `npm start -- ${args.join(" ")}\n${r.stderr.slice(-4000)}`).toBe(0);
  return r;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals npm start's process group as a terminal would; resolves with how npm exited. */
async function stopUp(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null } | "timeout"> {
  const child = up;
  if (child === null || child.pid === undefined) return "timeout";
  up = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, sig) => r({ code, signal: sig }));
  });
  process.kill(-child.pid, signal);
  const outcome = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
  // The group (npm, scripts/start.mjs, the CLI) must be gone: nothing left behind.
  const deadline = Date.now() + 15_000;
  while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(child.pid)) {
    process.kill(-child.pid, "SIGKILL");
    throw new Error(`the npm start process group outlived ${signal}`);
  }
  return outcome;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "streamhouse-quickstart-"));
  clone = join(work, "streamhouse");
  if (existsSync(SHARED)) symlinkSync(SHARED, join(work, "shared"));
  progress(`cloning ${SOURCE} into ${clone}`);
  const cloned = await run("git", ["clone", "--quiet", SOURCE, clone], userEnv(), 5 * 60_000, work).catch((e: Error) => ({ code: 1, stdout: "", stderr: e.message }));
  if (cloned.code !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
  ports.metastore = await freePort();
  ports.trino = await freePort();
  ports.http = await freePort();

  // README command 1, in the background.
  upLog = join(work, "npm-start.log");
  const fd = openSync(upLog, "w");
  const t0 = Date.now();
  up = spawn("npm", ["start"], {
    cwd: clone,
    detached: true,
    stdio: ["ignore", fd, fd],
    env: userEnv({
      STREAMHOUSE_METASTORE_PORT: String(ports.metastore),
      STREAMHOUSE_TRINO_SERVICE_PORT: String(ports.trino),
      STREAMHOUSE_HTTP_PORT: String(ports.http),
    }),
  });
  closeSync(fd);
  const exited = new Promise<never>((_, reject) => up!.once("exit", (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${readFileSync(upLog, "utf8").slice(-6000)}`))));
  exited.catch(() => {});
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!readFileSync(upLog, "utf8").includes("Ctrl-C stops.")) {
    if (Date.now() > deadline) throw new Error(`npm start was not ready in ${START_TIMEOUT_MS} ms:\n${readFileSync(upLog, "utf8").slice(-6000)}`);
    await Promise.race([new Promise((r) => setTimeout(r, 1000)), exited]);
  }
  progress(`npm start ready in ${((Date.now() - t0) / 1000).toFixed(0)} s (install, build, up)`);
}, START_TIMEOUT_MS + 10 * 60_000);

afterAll(async () => {
  await trino?.stop();
  if (up !== null) await stopUp("SIGKILL").catch(() => {});
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the README quick start on a fresh clone", () => {
  it("npm start serves the metastore, the Trino connector service and /health", async () => {
    const log = readFileSync(upLog, "utf8");
    expect(log).toContain(`metastore ready on thrift://127.0.0.1:${ports.metastore} (warehouse ${join(clone, "streamhouse-data", "warehouse")})`);
    expect(log).toContain(`trino connector service ready on 127.0.0.1:${ports.trino}`);
    expect(log).toContain(`  connector.name=trino_thrift\n  trino.thrift.client.addresses=127.0.0.1:${ports.trino}\n`);
    const health = await fetch(`http://127.0.0.1:${ports.http}/health`);
    expect(health.status).toBe(200);
  });

  it("creates a table, writes 100,000 rows with the CLI, and reads them back with scan, tail, Trino and query", async () => {
    await streamhouse("create", "quickstart.orders", "--schema", "id BIGINT NOT NULL, customer STRING, amount DECIMAL(10, 2), day DATE NOT NULL", "--primary-key", "id,day", "--partition", "day", "--bucket", "2");
    expect((await streamhouse("list")).stdout.split("\n")).toContain("quickstart");
    expect((await streamhouse("list", "quickstart")).stdout.split("\n")).toContain("orders");

    let cents = 0n;
    const lines: string[] = [];
    for (let id = 1; id <= ROWS; id++) {
      const amount = BigInt((id * 37) % 100_000);
      cents += amount;
      lines.push(JSON.stringify({ id, customer: `c${id % 97}`, amount: `${amount / 100n}.${String(amount % 100n).padStart(2, "0")}`, day: `2025-11-${String(20 + (id % 5)).padStart(2, "0")}` }));
    }
    writeFileSync(join(clone, "orders.ndjson"), `${lines.join("\n")}\n`);
    const t0 = Date.now();
    const wrote = await streamhouse("write", "quickstart.orders", "--from", "orders.ndjson", "--checkpoint-interval", "40000");
    progress(`write: ${wrote.stdout.trim().split("\n").at(-1)} (${Date.now() - t0} ms with npm start)`);
    expect(wrote.stdout).toMatch(/wrote 100,000 rows in 3 checkpoints \(snapshots 1–3\)/);

    const scanned = jsonLines((await streamhouse("scan", "quickstart.orders", "--format", "ndjson")).stdout);
    expect(scanned).toHaveLength(ROWS);
    expect(new Set(scanned.map((r) => r["id"])).size).toBe(ROWS);
    const scannedCents = scanned.reduce((sum, r) => sum + BigInt(String(r["amount"]).replace(".", "")), 0n);
    expect(scannedCents).toBe(cents);

    const tailed = jsonLines((await streamhouse("tail", "quickstart.orders", "--from", "earliest", "--stop-at-latest", "--limit", "5")).stdout);
    expect(tailed).toHaveLength(5);
    expect(tailed.every((r) => r["_row_kind"] === "+I")).toBe(true);

    const metrics = await (await fetch(`http://127.0.0.1:${ports.http}/metrics`)).text();
    expect(metrics).toContain('streamhouse_table_commits_total{table="quickstart.orders"} 3\n');

    trino = await startTrino({ catalogs: { streamhouse: trinoThriftCatalog(ports.trino) }, maxHeap: "1G", log: progress });
    // Trino's Thrift connector has no DECIMAL type: the service hands decimals over as varchar.
    const viaTrino = await trino.query("SELECT count(*), count(DISTINCT id), sum(CAST(amount AS DECIMAL(12, 2))) FROM streamhouse.quickstart.orders");
    expect(viaTrino.rows).toEqual([[ROWS, ROWS, `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`]]);

    const queried = await streamhouse("query", "SELECT day, count(*) AS orders FROM streamhouse.quickstart.orders GROUP BY day ORDER BY day", "--server", trino.url);
    expect(queried.stdout).toContain("day        | orders\n-----------+-------\n2025-11-20 | 20000\n");
    expect(queried.stdout).toContain("(5 rows)");
    const failed = await run("npm", ["start", "--", "query", "SELECT nope FROM streamhouse.quickstart.orders", "--server", trino.url], cliEnv());
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/^streamhouse query: InvalidArgument: Trino COLUMN_NOT_FOUND: .*nope.* \(query \S+\)$/m);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops cleanly on Ctrl-C, and npm test runs in the clone", async () => {
    const outcome = await stopUp("SIGINT");
    // npm, in the same process group, gets the SIGINT too and may report it as its own
    // exit; what matters is that the CLI shut down cleanly and everything is gone.
    expect(outcome === "timeout" ? outcome : outcome.code === 0 || outcome.signal === "SIGINT").toBe(true);
    const log = readFileSync(upLog, "utf8");
    expect(log).toMatch(/INFO {2}SIGINT received: shutting down/);
    expect(log).toMatch(/INFO {2}metastore stopped\n/);

    // README command 2, without the integration suite (see the header).
    const tested = await run("npm", ["test", "--", "packages/cli/test/help.test.ts"], userEnv({ STREAMHOUSE_SKIP_INTEGRATION: "1" }), 30 * 60_000);
    const summary = tested.stdout.trim().split("\n").at(-1) ?? "";
    progress(`npm test in the clone: ${summary}`);
    expect(summary, tested.stderr.slice(-4000)).toMatch(/^\d+ passed, 0 failed$/);
    expect(tested.code).toBe(0);
  });
});
