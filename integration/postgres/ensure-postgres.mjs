#!/usr/bin/env node
// Makes sure PostgreSQL's server binaries (initdb, postgres) are on this machine,
// installing the Debian package when they are not:
//   apt-get update && apt-get install -y --no-install-recommends postgresql
// which needs root and apt-get (CI runs as root on Debian). Nothing is started
// here: tests run their own throwaway clusters (see postgres.ts). Run it before
// the tests so a first-time install is not inside a test's timeout:
//   node integration/postgres/ensure-postgres.mjs
// STREAMHOUSE_PG_BIN names a directory holding initdb and postgres to use instead.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../support/run-tool.mjs";

const INSTALL_TIMEOUT_MS = 15 * 60_000;
/** apt waits this long for another apt/dpkg (a parallel test file) to release its lock. */
const APT_LOCK_TIMEOUT_SECONDS = 600;

function hasServer(dir) {
  return existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"));
}

/** The directory of initdb and postgres, or undefined when not installed. */
function findBinDir() {
  const fromEnv = process.env.STREAMHOUSE_PG_BIN;
  if (fromEnv !== undefined && fromEnv !== "") return hasServer(fromEnv) ? fromEnv : undefined;
  // Debian keeps server binaries out of PATH, one directory per major version.
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && hasServer(join(debian, v, "bin")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(debian, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "initdb"))) {
      const real = dirname(realpathSync(join(dir, "initdb")));
      if (hasServer(real)) return real;
    }
  }
  return undefined;
}

const run = (cmd, args, timeoutMs, env = process.env) => runTool(cmd, args, timeoutMs, { env });

async function install(log) {
  if (process.platform !== "linux" || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error("PostgreSQL is not installed and apt-get is not available: install PostgreSQL (initdb, postgres) or set STREAMHOUSE_PG_BIN");
  }
  if (process.getuid?.() !== 0) {
    throw new Error("PostgreSQL is not installed and installing it with apt-get needs root: run `apt-get install -y postgresql` as root, or set STREAMHOUSE_PG_BIN");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const lock = ["-o", `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_SECONDS}`];
  log("streamhouse: installing PostgreSQL with apt-get (first run only)…");
  const started = Date.now();
  await run("apt-get", [...lock, "update"], INSTALL_TIMEOUT_MS, env);
  await run("apt-get", [...lock, "install", "-y", "--no-install-recommends", "postgresql"], INSTALL_TIMEOUT_MS, env);
  log(`streamhouse: PostgreSQL installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The server version, e.g. "15.18", from `postgres --version`. */
function serverVersion(bin) {
  const out = spawnSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" });
  const m = /(\d+(?:\.\d+)+)/.exec(out.stdout ?? "");
  if (out.status !== 0 || m === null) throw new Error(`cannot run ${join(bin, "postgres")} --version: ${out.stderr || out.error?.message || "no version"}`);
  return m[1];
}

/**
 * Returns the binaries directory and the server version, installing
 * PostgreSQL first when it is missing.
 */
export async function ensurePostgres({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  let bin = findBinDir();
  if (bin === undefined) {
    if (process.env.STREAMHOUSE_PG_BIN) throw new Error(`STREAMHOUSE_PG_BIN=${process.env.STREAMHOUSE_PG_BIN} holds no initdb and postgres`);
    try {
      await install(log);
    } catch (e) {
      throw new Error(`cannot install PostgreSQL: ${e instanceof Error ? e.message : String(e)}`);
    }
    bin = findBinDir();
    if (bin === undefined) throw new Error("apt-get installed postgresql but no initdb/postgres was found under /usr/lib/postgresql");
  }
  return { bin, version: serverVersion(bin) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { bin, version } = await ensurePostgres();
    console.log(`PostgreSQL ${version}: ${bin}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
