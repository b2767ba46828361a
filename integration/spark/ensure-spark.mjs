#!/usr/bin/env node
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const versionsFile = join(here, "..", "versions.json");
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";

/** The `spark` entry of integration/versions.json, without `_` comment keys. */
export function sparkVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8")).spark;
  if (all === undefined) throw new Error(`${versionsFile} has no "spark" entry`);
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
  for (const k of ["pyspark.version", "py4j.version", "java.home"]) {
    if (typeof out[k] !== "string" || out[k] === "") throw new Error(`${versionsFile}: "spark" needs a string "${k}"`);
  }
  return out;
}

const run = runTool;

/** Returns the venv's python, the pinned version and the JDK to run Spark on, installing if missing. */
export async function ensureSparkInstall({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const v = sparkVersions();
  const version = v["pyspark.version"];
  const javaHome = process.env.STREAMHOUSE_SPARK_JAVA_HOME ?? v["java.home"];
  if (!existsSync(join(javaHome, "bin", "java"))) {
    throw new Error(`Spark ${version} needs a Java 17 JDK; none at ${javaHome} (versions.json "spark"."java.home", or set STREAMHOUSE_SPARK_JAVA_HOME)`);
  }
  const python = process.env.STREAMHOUSE_PYTHON ?? "python3";
  let pythonVersion;
  try {
    pythonVersion = (await run(python, ["-c", "import sys, venv; print(sys.version)"], 30_000)).trim();
  } catch (e) {
    throw new Error(`PySpark needs Python 3 with the venv module (set STREAMHOUSE_PYTHON to choose one): ${e.message}`);
  }
  const hash = createHash("sha256").update(JSON.stringify(v)).update(pythonVersion).digest("hex").slice(0, 16);
  const cacheRoot = process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse");
  const venv = join(cacheRoot, "spark-venv", hash);
  const result = { python: join(venv, "bin", "python"), venv, version, javaHome, installedMs: 0 };
  if (existsSync(join(venv, COMPLETE_MARKER))) return result;

  mkdirSync(dirname(venv), { recursive: true });
  const tmp = `${venv}.tmp-${process.pid}-${Date.now()}`;
  const started = Date.now();
  log(`streamhouse: installing pyspark ${version} into ${venv} (first run only; ~320 MB from PyPI)…`);
  try {
    await run(python, ["-m", "venv", tmp], 120_000);
    const tmpPython = join(tmp, "bin", "python");
    await run(
      tmpPython,
      ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir", `pyspark==${version}`, `py4j==${v["py4j.version"]}`],
      INSTALL_TIMEOUT_MS,
    );
    const installed = (await run(tmpPython, ["-c", "import pyspark; print(pyspark.__version__)"], 60_000)).trim();
    if (installed !== version) throw new Error(`installed pyspark ${installed}, expected ${version}`);
    writeFileSync(join(tmp, COMPLETE_MARKER), `pyspark ${installed}\npython ${pythonVersion}\n`);
    try {
      renameSync(tmp, venv);
    } catch (e) {
      // Another process finished first; theirs is as good as ours.
      if (!existsSync(join(venv, COMPLETE_MARKER))) throw e;
    }
  } catch (e) {
    throw new Error(`cannot install pyspark ${version} from PyPI: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  result.installedMs = Date.now() - started;
  log(`streamhouse: pyspark ${version} installed in ${(result.installedMs / 1000).toFixed(1)} s`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const install = await ensureSparkInstall();
    console.log(`pyspark ${install.version}: ${install.venv}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
