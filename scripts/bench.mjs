#!/usr/bin/env node
// `npm run bench`: builds, runs every bench/*.bench.mjs in its own process (so one
// benchmark's heap does not disturb the next), and writes docs/benchmarks.md with
// the machine's description, and one SVG bar chart per section (scripts/bench-plots.mjs)
// into docs/benchmarks/, linked from the markdown. A benchmark is a module whose default
// export returns { title, description, headers, rows, notes }. `npm run bench -- NAME`
// runs the benchmarks whose file name contains NAME and only prints their results.
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { withPlotLinks, writeCharts } from "./bench-plots.mjs";
import { ensureReady, root } from "./ensure-ready.mjs";

ensureReady({ quiet: true });
const only = process.argv[2];
const files = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.mjs") && (only === undefined || f.includes(only)))
  .sort();
const sections = [];
for (const f of files) {
  console.error(`bench: ${f}`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(root, "bench", "run-one.mjs"), join(root, "bench", f)], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.error(`bench: ${f} failed (exit ${r.status})`);
    process.exitCode = 1;
    continue;
  }
  sections.push(JSON.parse(r.stdout));
}

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const md = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (scripts/bench.mjs), with the charts in benchmarks/. Numbers are",
  "from one run on a shared, noisy machine: compare ratios measured in the same run, not",
  "absolute values across runs.",
  "",
  `- machine: ${machine}`,
  `- date: ${new Date().toISOString()}`,
  "",
];
for (const s of sections) {
  md.push(`## ${s.title}`, "", s.description, "");
  md.push(`| ${s.headers.join(" | ")} |`, `|${s.headers.map(() => "---").join("|")}|`);
  for (const row of s.rows) md.push(`| ${row.join(" | ")} |`);
  md.push("");
  for (const n of s.notes ?? []) md.push(`- ${n}`);
  if ((s.notes ?? []).length > 0) md.push("");
}
if (only === undefined) {
  const charts = writeCharts(sections, join(root, "docs", "benchmarks"));
  writeFileSync(join(root, "docs", "benchmarks.md"), withPlotLinks(md.join("\n"), charts));
}
console.log(md.join("\n"));
