#!/usr/bin/env node
// `npm run soak`: the long runs of the seeded tests, beyond what `npm test` affords.
//  1. writer processes killed with SIGKILL and restarted: STREAMHOUSE_KILL_TRIALS trials
//     (default 200; packages/table/test/write-processes.test.ts, 10 in `npm test`);
//  2. the committer simulation under injected faults and crashes: STREAMHOUSE_SOAK_SEEDS
//     seeds (default 10,000; packages/table/test/commit-simulation.test.ts, 200 in `npm test`).
// Builds first (the process tests run the built CLI). Each part prints the seeds it ran;
// a failing seed is printed with the variable that replays it alone. Exit 0 only if all passed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureReady, root } from "./ensure-ready.mjs";

ensureReady({ quiet: true });
const vitest = join(root, "node_modules", ".bin", "vitest");
const parts = [
  {
    label: "writer processes killed and restarted",
    file: "packages/table/test/write-processes.test.ts",
    env: { STREAMHOUSE_KILL_TRIALS: process.env.STREAMHOUSE_KILL_TRIALS ?? "200" },
    // Only the crash trials: the concurrent-writer tests do not take seeds.
    args: ["-t", "SIGKILL"],
  },
  {
    label: "committer simulation",
    file: "packages/table/test/commit-simulation.test.ts",
    env: { STREAMHOUSE_SOAK_SEEDS: process.env.STREAMHOUSE_SOAK_SEEDS ?? "10000" },
    args: [],
  },
];
let failed = 0;
for (const part of parts) {
  const started = Date.now();
  console.error(`soak: ${part.label} (${Object.entries(part.env).map(([k, v]) => `${k}=${v}`).join(" ")})`);
  // Generous per-test timeouts: a soak run is long by design.
  const r = spawnSync(vitest, ["run", part.file, "--testTimeout", String(24 * 3600 * 1000), ...part.args], {
    cwd: root,
    env: { ...process.env, ...part.env },
    stdio: "inherit",
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (r.status === 0) console.error(`soak: ${part.label}: passed in ${seconds} s`);
  else {
    failed++;
    console.error(`soak: ${part.label}: FAILED (exit ${r.status}) after ${seconds} s`);
  }
}
process.exit(failed === 0 ? 0 : 1);
