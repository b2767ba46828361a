// `streamhouse up` as a real process: ready lines and the next step on stdout, JSON logs
// on stderr, /health and /metrics (request counts and latencies per method of the
// metastore and the connector service, and commits/compactions/files of the warehouse's
// tables), and a clean stop on SIGINT/SIGTERM.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { connect } from "../../../connectors/trino/test/support/tables.js";
import { saslConnect } from "../../metastore/test/support/sasl-client.js";
import { nextStep } from "../src/commands/up.js";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-up-"));
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Up {
  readonly child: ChildProcessWithoutNullStreams;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<number | null>;
}

function startUp(cwd: string, args: string[]): Up {
  const child = spawn(process.execPath, [MAIN, "up", "--port", "0", "--http-port", "0", "--trino-port", "0", ...args], { cwd });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  child.stderr.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function waitFor(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", input: "" });

describe("streamhouse up", () => {
  it("serves the metastore with /health and /metrics, logs JSON lines, and stops cleanly on SIGTERM", async () => {
    const cwd = mkdtempSync(join(tmp, "a-"));
    const up = startUp(cwd, ["--no-trino", "--log-format", "json"]);
    await waitFor(() => up.out().includes("Ctrl-C stops."), `the ready lines (stderr: ${up.err()})`);
    const metastore = /^metastore ready on thrift:\/\/127\.0\.0\.1:(\d+) \(warehouse (.+)\)$/m.exec(up.out());
    const http = /^health on (http:\/\/127\.0\.0\.1:\d+)\/health, metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/m.exec(up.out());
    expect(metastore, up.out()).not.toBeNull();
    expect(http, up.out()).not.toBeNull();
    const warehouse = metastore![2]!;
    expect(warehouse).toBe(join(cwd, "streamhouse-data", "warehouse"));
    expect(existsSync(join(cwd, "streamhouse-data", "metastore.sqlite"))).toBe(true);
    const base = http![1]!;

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", services: [{ name: "metastore", address: `127.0.0.1:${metastore![1]}`, serving: true }] });
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    // A table in the warehouse, three commits: two writes, then a full compaction.
    const table = join(warehouse, "orders");
    expect(cli(["create", table, "--schema", "id BIGINT NOT NULL, v STRING", "--primary-key", "id", "--bucket", "1"], cwd).status).toBe(0);
    for (const input of ['{"id":1,"v":"a"}\n{"id":2,"v":"b"}\n', '{"id":2,"v":"c"}\n']) {
      const write = spawnSync(process.execPath, [MAIN, "write", table, "--progress", "none"], { cwd, encoding: "utf8", input });
      expect(write.status, write.stderr).toBe(0);
    }
    const compact = cli(["compact", table, "--full"], cwd);
    expect(compact.status, compact.stderr).toBe(0);
    // Two metastore calls: one answered, one answered with NoSuchObjectException.
    const uri = `thrift://127.0.0.1:${metastore![1]}`;
    expect(cli(["list", "--metastore", uri], cwd).stdout).toBe("default\n");
    expect(cli(["describe", "nodb.t", "--metastore", uri], cwd).status).toBe(1);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("# TYPE streamhouse_metastore_request_duration_seconds histogram");
    expect(metrics).toContain('streamhouse_metastore_requests_total{method="get_all_databases",outcome="ok"} 1\n');
    expect(metrics).toContain('streamhouse_metastore_request_duration_seconds_bucket{method="get_all_databases",le="+Inf"} 1\n');
    expect(metrics).toMatch(/^streamhouse_metastore_requests_total\{method="get_table\w*",outcome="error"\} 1$/m);
    expect(metrics).toMatch(/^streamhouse_metastore_store_transactions_total\{outcome="ok"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^streamhouse_metastore_store_transaction_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(metrics).toContain("streamhouse_tables 1\n");
    expect(metrics).toContain('streamhouse_table_commits_total{table="default.orders"} 3\n');
    expect(metrics).toContain('streamhouse_table_compactions_total{table="default.orders"} 1\n');
    expect(metrics).toContain('streamhouse_table_files{table="default.orders"} 1\n');
    expect(metrics).toContain('streamhouse_table_records{table="default.orders"} 2\n');
    expect(metrics).toMatch(/^streamhouse_http_requests_total\{path="\/health",code="200"\} 1$/m);

    up.child.kill("SIGTERM");
    expect(await up.exited).toBe(0);
    const logs = up
      .err()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; message: string; time: string });
    expect(logs.map((l) => l.message)).toEqual(
      expect.arrayContaining(["metastore started", "http endpoint started", "SIGTERM received: shutting down", "metastore stopped", "http endpoint stopped"]),
    );
    // Stopped in reverse order of start.
    const messages = logs.map((l) => l.message);
    expect(messages.indexOf("http endpoint stopped")).toBeLessThan(messages.indexOf("metastore stopping"));
    expect((await fetch(`${base}/health`).catch(() => null)) === null).toBe(true);
  });

  it("runs the Trino connector service beside the metastore, logs plain lines by default, and stops on SIGINT", async () => {
    const cwd = mkdtempSync(join(tmp, "b-"));
    const up = startUp(cwd, []);
    await waitFor(() => up.out().includes("Ctrl-C stops."), `the ready lines (stderr: ${up.err()})`);
    const trinoPort = /^trino connector service ready on 127\.0\.0\.1:(\d+)$/m.exec(up.out())?.[1];
    expect(trinoPort, up.out()).toBeDefined();
    expect(up.out()).toContain(`  connector.name=trino_thrift\n  trino.thrift.client.addresses=127.0.0.1:${trinoPort}\n`);
    const base = /^health on (http:\/\/127\.0\.0\.1:\d+)\/health/m.exec(up.out())![1]!;
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string; services: { name: string; serving: boolean }[] };
    expect(health.status).toBe("ok");
    expect(health.services.map((s) => [s.name, s.serving])).toEqual([
      ["metastore", true],
      ["trino", true],
    ]);
    const conn = await connect(Number(trinoPort));
    try {
      expect(await conn.client.trinoListSchemaNames()).toEqual(["default"]);
    } finally {
      conn.close();
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("# TYPE streamhouse_trino_rows_served_total counter\nstreamhouse_trino_rows_served_total 0\n");
    expect(metrics).toContain('streamhouse_trino_requests_total{method="trinoListSchemaNames",outcome="ok"} 1\n');
    expect(metrics).toContain('streamhouse_trino_request_duration_seconds_count{method="trinoListSchemaNames"} 1\n');
    // The service's catalog asked the metastore for the databases on that call.
    expect(metrics).toContain('streamhouse_metastore_requests_total{method="get_all_databases",outcome="ok"} 1\n');
    up.child.kill("SIGINT");
    expect(await up.exited).toBe(0);
    const lines = up.err().trim().split("\n");
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN) {1,2}\S/);
    expect(lines.some((l) => / INFO {2}trino connector service stopped$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/INFO {2}metastore stopped$/);
  });

  it("fails with one line when a port is taken, and with a usage error on bad flags", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const cwd = mkdtempSync(join(tmp, "c-"));
      const r = spawnSync(process.execPath, [MAIN, "up", "--port", String(port), "--no-trino"], { cwd, encoding: "utf8" });
      expect(r.status).toBe(1);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("streamhouse up:"));
      expect(errors).toEqual([expect.stringMatching(/^streamhouse up: Io: cannot listen on 127\.0\.0\.1:\d+/)]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
    expect(cli(["up", "--log-format", "xml"], tmp).status).toBe(2);
    expect(cli(["up", "--port", "70000"], tmp).status).toBe(2);
    expect(cli(["up", "extra"], tmp).status).toBe(2);
    const help = cli(["up", "--help"], tmp);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: streamhouse up /);
  });

  it("requires SASL PLAIN logins from a users file with --auth plain --users FILE", async () => {
    const cwd = mkdtempSync(join(tmp, "d-"));
    const users = join(cwd, "users");
    const added = spawnSync(process.execPath, [MAIN, "metastore", "user", "add", "alice", "--users", users], { cwd, encoding: "utf8", input: "wonderland\n" });
    expect(added.status, added.stderr).toBe(0);
    const up = startUp(cwd, ["--no-trino", "--auth", "plain", "--users", users, "--log-format", "json"]);
    await waitFor(() => up.out().includes("Ctrl-C stops."), `the ready lines (stderr: ${up.err()})`);
    const port = Number(/^metastore ready on thrift:\/\/127\.0\.0\.1:(\d+)/m.exec(up.out())![1]);
    const refused = await saslConnect(port, "alice", "looking-glass");
    expect(refused.ok).toBe(false);
    const accepted = await saslConnect(port, "alice", "wonderland");
    expect(accepted.ok).toBe(true);
    if (accepted.ok) {
      expect(await accepted.client.get_all_databases()).toEqual(["default"]);
      accepted.close();
    }
    const started = up
      .err()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { message: string; auth?: string })
      .find((l) => l.message === "metastore started");
    expect(started?.auth).toBe("plain");
    up.child.kill("SIGTERM");
    expect(await up.exited).toBe(0);

    // Misuse is one line and exit 2: a users file without --auth, --auth without one, and
    // --auth beside the connector service, whose metastore client cannot log in.
    for (const [args, message] of [
      [["--users", users, "--no-trino"], "--users is for --auth plain"],
      [["--auth", "plain", "--no-trino"], "--auth plain needs --users FILE"],
      [["--auth", "kerberos", "--users", users, "--no-trino"], '--auth supports only "plain"'],
      [["--auth", "plain", "--users", users], "--auth plain needs --no-trino"],
    ] as const) {
      const r = cli(["up", ...args], cwd);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.split("\n")).toEqual([expect.stringContaining(message), ""]);
    }
  });

  it("prints the Trino catalog lines to paste, and the query command when a Trino is configured", () => {
    const text = nextStep("127.0.0.1:7779", undefined);
    expect(text).toContain("\n  connector.name=trino_thrift\n  trino.thrift.client.addresses=127.0.0.1:7779\n");
    expect(text).toContain("streamhouse query --server http://<trino-host>:8080");
    expect(nextStep("127.0.0.1:7779", "http://trino:8080")).toMatch(/streamhouse query "SHOW TABLES FROM streamhouse\.default" {3}\(Trino at http:\/\/trino:8080\)/);
  });
});
