// Issue 5 acceptance: Hive's own metastore client (4.1.x jars from Maven Central, JDK 17)
// runs a scripted conformance sequence against our metastore.
//
// Every step must pass, except those in KNOWN_GAPS: calls the 4.1 client makes that our
// Thrift IDL (thrift/hive_metastore.thrift) does not declare yet, so the server answers
// "Unknown function". Those steps are asserted to fail with exactly that error, so that
// adding the call makes this test fail until the step is taken off the list.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword, type MetastoreHandle, renderScryptHash, startMetastore } from "@streamhouse/metastore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureHiveClient, type HiveClientInstall, runConformance } from "./hive-client.js";

/** Step → the Thrift call our metastore lacks, which the Hive 4.1 client makes in it. */
const KNOWN_GAPS: Readonly<Record<string, string>> = {};

const EXPECTED_STEPS = [
  "connect",
  "getAllDatabases",
  "createDatabase",
  "getDatabase",
  "createTable",
  "getTable",
  "tableExists",
  "getTables ev*",
  "getTables *",
  "getTables nothing*",
  "getAllTables",
  "getTableMeta",
  "alter_table",
  "add_partition",
  "add_partitions",
  "listPartitions",
  "listPartitionNames",
  "getPartitionsByNames",
  "listPartitionsByFilter",
  "dropPartition",
  "updateTableColumnStatistics",
  "getTableColumnStatistics",
  "createFunction",
  "getFunction",
  "getFunction not found",
  "lock/checkLock/unlock",
  "getCurrentNotificationEventId",
  "dropTable",
  "dropDatabase cascade",
];

describe("Hive's own metastore client against Streamhouse's metastore", () => {
  let install: HiveClientInstall;
  let server: MetastoreHandle;
  let warehouse: string;

  beforeAll(async () => {
    install = await ensureHiveClient();
    warehouse = mkdtempSync(join(tmpdir(), "streamhouse-hive-client-"));
    server = await startMetastore({ port: 0, host: "127.0.0.1", warehouse, store: "sqlite::memory:" });
  });

  afterAll(async () => {
    await server?.close();
    if (warehouse !== undefined) rmSync(warehouse, { recursive: true, force: true });
  });

  it("runs the conformance sequence: every step ok but the known gaps", async () => {
    const run = await runConformance({ host: server.host, port: server.port, warehouse, install, timeoutMs: 180_000 });
    const failing = run.steps.filter((s) => !s.ok);
    if (failing.length > 0) {
      console.error(`Hive ${install.hiveVersion} client, failing steps:\n${failing.map((s) => `  ${s.step}: ${s.error ?? "(no message)"}`).join("\n")}`);
    }
    const problems: string[] = [];
    for (const name of EXPECTED_STEPS) {
      const result = run.steps.find((s) => s.step === name);
      const gap = KNOWN_GAPS[name];
      if (result === undefined) problems.push(`${name}: did not run`);
      else if (gap === undefined && !result.ok) problems.push(`${name}: ${result.error ?? "(no message)"}`);
      else if (gap !== undefined && (result.ok || !(result.error ?? "").includes(`Unknown function ${gap}`))) {
        problems.push(`${name}: listed in KNOWN_GAPS (${gap}) but ${result.ok ? "passes: take it off the list" : `fails otherwise: ${result.error}`}`);
      }
    }
    if (problems.length > 0) console.error(`--- client output (tail) ---\n${run.output}`);
    expect(problems.join("\n"), `conformance problems:\n${problems.join("\n")}`).toBe("");
    expect(run.steps.map((s) => s.step)).toEqual(EXPECTED_STEPS);
  });
});

describe("Hive's own metastore client with SASL PLAIN (metastore.client.auth.mode=PLAIN) against --auth plain", () => {
  let install: HiveClientInstall;
  let server: MetastoreHandle;
  let warehouse: string;
  const logs: string[] = [];

  beforeAll(async () => {
    install = await ensureHiveClient();
    warehouse = mkdtempSync(join(tmpdir(), "streamhouse-hive-client-plain-"));
    const usersFile = join(warehouse, "users");
    writeFileSync(usersFile, `hive:${renderScryptHash(await hashPassword("s3cret-Passw0rd"))}\n`, { mode: 0o600 });
    server = await startMetastore({
      port: 0,
      host: "127.0.0.1",
      warehouse,
      store: "sqlite::memory:",
      auth: { mechanism: "PLAIN", users: usersFile },
      log: (m) => logs.push(m),
    });
  });

  afterAll(async () => {
    await server?.close();
    if (warehouse !== undefined) rmSync(warehouse, { recursive: true, force: true });
  });

  it("the right password: the whole conformance sequence passes over the SASL transport", async () => {
    const run = await runConformance({ host: server.host, port: server.port, warehouse, install, timeoutMs: 180_000, plain: { user: "hive", password: "s3cret-Passw0rd" } });
    const failing = run.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.error ?? ""}`);
    expect(failing, run.output).toEqual([]);
    expect(run.steps.map((s) => s.step)).toEqual(EXPECTED_STEPS);
  });

  it("a wrong password or an unknown user: connect fails with the server's refusal, and the server logs it", async () => {
    for (const [user, password] of [
      ["hive", "s3cret-passw0rd"],
      ["nobody", "s3cret-Passw0rd"],
    ] as const) {
      const run = await runConformance({ host: server.host, port: server.port, warehouse, install, timeoutMs: 120_000, plain: { user, password } });
      expect(run.steps.map((s) => s.step), run.output).toEqual(["connect"]);
      const connect = run.steps[0]!;
      expect(connect.ok).toBe(false);
      expect(connect.error ?? "").toContain("Error validating the login");
      expect(logs.some((l) => l.includes(`login refused for user ${user}`))).toBe(true);
    }
  });
});
