#!/usr/bin/env node
// The dependency rule of DESIGN.md, checked on every test run:
//   - packages/format is pure: it imports no other workspace package and no
//     node: module (nor a bare Node built-in such as "fs");
//   - packages point one way: format → fileio → table → catalog → metastore,
//     connectors, cli. A package may import only packages listed before it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { root } from "./ensure-ready.mjs";

const ORDER = ["format", "fileio", "table", "catalog", "metastore", "trino", "cli"];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) yield p;
  }
}

function importsOf(text) {
  const out = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const problems = [];
for (const group of ["packages", "connectors"]) {
  let names = [];
  try {
    names = readdirSync(join(root, group));
  } catch {
    continue;
  }
  for (const pkg of names) {
    const src = join(root, group, pkg, "src");
    try {
      statSync(src);
    } catch {
      continue;
    }
    const rank = ORDER.indexOf(pkg);
    for (const file of sourceFiles(src)) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        const where = relative(root, file);
        if (pkg === "format" && builtins.has(spec)) problems.push(`${where}: the format package must not import ${spec}`);
        const m = /^@streamhouse\/([^/]+)/.exec(spec);
        if (m) {
          const dep = m[1];
          if (pkg === "format") problems.push(`${where}: the format package must not import ${spec}`);
          else if (rank >= 0 && ORDER.indexOf(dep) >= rank) problems.push(`${where}: ${pkg} must not depend on ${spec} (dependencies point ${ORDER.join(" → ")})`);
        }
      }
    }
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log("dependency rule: ok");
