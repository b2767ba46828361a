#!/usr/bin/env node
// Makes a fresh clone runnable: installs the locked dependencies when they are
// missing or older than package-lock.json, then builds every package (tsc -b).
// `npm start` and `npm test` both call this first, so each of them works alone.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function needsInstall() {
  const marker = join(root, "node_modules", ".package-lock.json");
  if (!existsSync(marker)) return true;
  const lock = join(root, "package-lock.json");
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

export function ensureReady({ quiet = false } = {}) {
  if (needsInstall()) {
    if (!quiet) console.error("streamhouse: installing dependencies (npm install)…");
    // `npm install` follows package-lock.json. Not `npm ci`: the npm 11 here writes only
    // this platform's optional packages into the lock file, and `npm ci` then refuses it.
    const status = run("npm", ["install", "--no-audit", "--no-fund"]);
    if (status !== 0) process.exit(status);
  }
  const status = run(join(root, "node_modules", ".bin", "tsc"), ["-b"]);
  if (status !== 0) {
    console.error("streamhouse: the TypeScript build failed");
    process.exit(status);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureReady();
