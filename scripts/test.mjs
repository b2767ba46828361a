#!/usr/bin/env node
// `npm test`: installs and builds what is missing, runs the static checks
// (type-check of sources and tests, lint, the dependency rule), then the unit
// tests with vitest. Ends with one line `N passed, N failed` (static checks count
// as one test each) and writes that line to .cache/test-summary.txt for .ci/run.
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

mkdirSync(join(root, ".cache"), { recursive: true });
const report = join(root, ".cache", "vitest-report.json");
const extra = process.argv.slice(2);
const status = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra]);
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests + json.numPendingTests + json.numTodoTests;
  // A suite that fails to load has no tests to count: count it as a failure.
  failed += json.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
} catch {
  failed++;
}
if (status !== 0 && failed === 0) failed++;
const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(root, ".cache", "test-summary.txt"), summary + "\n");
console.log(summary);
process.exit(failed === 0 ? 0 : 1);
