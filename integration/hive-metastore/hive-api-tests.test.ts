// Issue 5: Apache Hive's own metastore API test suites (the client suites of
// hive-standalone-metastore-server's tests jar, Cluster parameter) against our metastore.
// We do not pass them all: this records how many pass, and fails when fewer do (a
// regression) or when suites stop running. When a change makes more pass, raise
// PASSED_AT_LEAST to the new count printed by the run.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiTestResult, type ApiTestsInstall, ensureApiTests, runApiTests } from "./hive-api-tests.js";

/** Measured on 2026-11-21 with the 4.0.1 tests jar: 629 of 871 (see the table the run prints). */
const PASSED_AT_LEAST = 629;
/**
 * Distinct tests (of the Cluster parameter, plus suite-level failures) the run reports;
 * fewer means suites did not run. A test that fails twice (its body and its @After)
 * is reported twice, so results are counted per test: it passes when none of its failed.
 */
const RUN_AT_LEAST = 871;

let install: ApiTestsInstall;
let server: MetastoreHandle;
let dir: string;

beforeAll(async () => {
  install = await ensureApiTests();
  dir = mkdtempSync(join(tmpdir(), "streamhouse-hive-api-tests-"));
  server = await startMetastore({ port: 0, host: "127.0.0.1", warehouse: join(dir, "warehouse"), store: "sqlite::memory:" });
});

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

it("Hive's metastore client suites: at least as many pass as last measured", async () => {
  const run = await runApiTests({ host: server.host, port: server.port, warehouse: join(dir, "warehouse"), workDir: dir, install, timeoutMs: 40 * 60_000 });
  const byTest = new Map<string, ApiTestResult>();
  for (const r of run.results) {
    const id = `${r.suite}\u0000${r.test}`;
    const seen = byTest.get(id);
    if (seen === undefined || (seen.ok && !r.ok)) byTest.set(id, r);
  }
  const tests = [...byTest.values()];
  const bySuite = new Map<string, { passed: number; failed: number }>();
  for (const r of tests) {
    const name = r.suite.replace(/^.*\./, "");
    const s = bySuite.get(name) ?? { passed: 0, failed: 0 };
    if (r.ok) s.passed++;
    else s.failed++;
    bySuite.set(name, s);
  }
  const passed = tests.filter((r) => r.ok).length;
  const lines = [...bySuite].sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => `  ${n.padEnd(40)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(4)} failed`);
  console.log(`Hive ${install.testsVersion} metastore client suites (Cluster) against Streamhouse: ${passed} of ${tests.length} passed\n${lines.join("\n")}`);
  // For picking what to fix next: every failed test with its error, one JSON object per line.
  const failuresFile = process.env.STREAMHOUSE_HIVE_API_FAILURES;
  if (failuresFile !== undefined && failuresFile !== "") {
    writeFileSync(failuresFile, run.results.filter((r) => !r.ok).map((r) => `${JSON.stringify(r)}\n`).join(""));
  }
  expect(run.summary, run.output).toBeDefined();
  expect(tests.length, run.output).toBeGreaterThanOrEqual(RUN_AT_LEAST);
  expect(passed).toBeGreaterThanOrEqual(PASSED_AT_LEAST);
});
