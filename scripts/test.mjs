#!/usr/bin/env node
// `npm test`: installs and builds what is missing, runs the static checks
// (type-check of sources and tests, lint, the dependency rule), then the unit
// tests and the real-engine integration suite with vitest. Ends with one line
// `N passed, N failed` (static checks count as one test each) and writes that line
// to .cache/test-summary.txt for .ci/run.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureReady, root, run } from "./ensure-ready.mjs";

ensureReady();
const bin = (name) => join(root, "node_modules", ".bin", name);
let passed = 0;
let failed = 0;
const check = (label, cmd, args) => {
  const status = run(cmd, args);
  if (status === 0) passed++;
  else {
    failed++;
    console.error(`check failed: ${label}`);
  }
};
check("type-check of tests", bin("tsc"), ["-p", "tsconfig.tests.json"]);
check("lint", bin("biome"), ["check", "."]);
check("dependency rule", process.execPath, [join(root, "scripts", "check-deps.mjs")]);
// The S3 tests run against a real S3 server (moto, from PyPI); install it before the
// tests start so its one-time install is not inside a test's timeout.
check("moto S3 server installed", process.execPath, [join(root, "integration", "s3", "ensure-moto.mjs")]);
// The metastore tests also run on a real PostgreSQL (Debian's package).
check("PostgreSQL installed", process.execPath, [join(root, "integration", "postgres", "ensure-postgres.mjs")]);
// docker/compose.yaml against the Compose schema (Debian's docker-compose, installed on first run).
check("docker compose file valid", process.execPath, [join(root, "docker", "validate-compose.mjs")]);

mkdirSync(join(root, ".cache"), { recursive: true });

/** Runs one vitest suite and adds its counts; a suite that fails to load counts as a failure. */
function vitestPhase(name, args) {
  const report = join(root, ".cache", `vitest-${name}.json`);
  const status = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args]);
  let phaseFailed = 0;
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed += json.numPassedTests;
    // Skipped and todo tests count as failures: nothing here may be skipped.
    phaseFailed += json.numFailedTests + json.numPendingTests + json.numTodoTests;
    phaseFailed += json.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
  } catch {
    phaseFailed++;
  }
  if (status !== 0 && phaseFailed === 0) phaseFailed++;
  failed += phaseFailed;
}

// `npm test -- <vitest args>` runs only the unit tests, filtered; plain `npm test` runs
// the unit tests and then the real-engine integration suite (Java Paimon, Trino, Spark:
// downloaded into ~/.cache/streamhouse on first use). STREAMHOUSE_SKIP_INTEGRATION=1
// leaves the integration suite out for a quick local run; CI never sets it.
const extra = process.argv.slice(2);
vitestPhase("unit", extra);
if (extra.length === 0 && process.env["STREAMHOUSE_SKIP_INTEGRATION"] !== "1") {
  vitestPhase("integration", ["--config", join(root, "integration", "vitest.config.ts")]);
}
const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(root, ".cache", "test-summary.txt"), summary + "\n");
console.log(summary);
process.exit(failed === 0 ? 0 : 1);
