#!/usr/bin/env node
// Installs what a PyFlink job on Streamhouse tables needs, once, into the cache:
//   flink-venv/<hash>   a venv with apache-flink from PyPI (Flink's jars come with it)
//   flink-jars/<hash>   Paimon's Flink connector, Hadoop and the Hive metastore client,
//                       fetched by `mvn dependency:copy` on connectors/flink/pom.xml
// Versions come from the "flink" entry of integration/versions.json (the one place
// they are pinned). Run as a script it prints where things are.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot, runTool } from "../../integration/support/run-tool.mjs";
import { buildOnce } from "../../integration/support/build-once.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const versionsFile = join(here, "..", "..", "integration", "versions.json");
const pomFile = join(here, "pom.xml");
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
/** Keys of the "flink" entry that decide the venv; the others only decide the jars. */
const VENV_KEYS = ["apache-flink.version"];

/** The `flink` entry of integration/versions.json, without `_` comment keys. */
export function flinkVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8")).flink;
  if (all === undefined) throw new Error(`${versionsFile} has no "flink" entry`);
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
  for (const k of [...VENV_KEYS, "java.home", "paimon.artifactId", "paimon.version"]) {
    if (typeof out[k] !== "string" || out[k] === "") throw new Error(`${versionsFile}: "flink" needs a string "${k}"`);
  }
  return out;
}

async function ensureVenv(v, log) {
  const version = v["apache-flink.version"];
  const python = process.env.STREAMHOUSE_PYTHON ?? "python3";
  let pythonVersion;
  try {
    pythonVersion = (await runTool(python, ["-c", "import sys, venv; print(sys.version)"], 30_000)).trim();
  } catch (e) {
    throw new Error(`PyFlink needs Python 3 with the venv module (set STREAMHOUSE_PYTHON to choose one): ${e.message}`);
  }
  const pinned = Object.fromEntries(VENV_KEYS.map((k) => [k, v[k]]));
  const hash = createHash("sha256").update(JSON.stringify(pinned)).update(pythonVersion).digest("hex").slice(0, 16);
  const venv = join(cacheRoot(), "flink-venv", hash);
  const started = Date.now();
  const installed = await buildOnce(venv, async (tmp) => {
    log(`streamhouse: installing apache-flink ${version} into ${venv} (first run only; ~820 MB from PyPI)…`);
    try {
      await runTool(python, ["-m", "venv", tmp], 120_000);
      const tmpPython = join(tmp, "bin", "python");
      await runTool(tmpPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir", `apache-flink==${version}`], INSTALL_TIMEOUT_MS);
      const got = (await runTool(tmpPython, ["-c", "from pyflink.version import __version__; print(__version__)"], 60_000)).trim();
      if (got !== version) throw new Error(`installed apache-flink ${got}, expected ${version}`);
    } catch (e) {
      throw new Error(`cannot install apache-flink ${version} from PyPI: ${e instanceof Error ? e.message : String(e)}`);
    }
    return `apache-flink ${version}\npython ${pythonVersion}\n`;
  });
  const installedMs = installed ? Date.now() - started : 0;
  if (installed) log(`streamhouse: apache-flink ${version} installed in ${(installedMs / 1000).toFixed(1)} s`);
  return { python: join(venv, "bin", "python"), venv, installedMs };
}

async function ensureJars(v, log) {
  const hash = createHash("sha256").update(readFileSync(pomFile)).update(JSON.stringify(v)).digest("hex").slice(0, 16);
  const lib = join(cacheRoot(), "flink-jars", hash);
  const paimon = `org.apache.paimon:${v["paimon.artifactId"]}:${v["paimon.version"]}`;
  const started = Date.now();
  const downloaded = await buildOnce(lib, async (tmp) => {
    log(`streamhouse: downloading ${paimon}, Hadoop and the Hive metastore client into ${lib} (first run only)…`);
    mkdirSync(tmp, { recursive: true });
    const props = Object.entries(v).map(([k, value]) => `-D${k}=${value}`);
    const args = ["-B", "-q", "--strict-checksums", "-f", pomFile, `-Dmaven.repo.local=${join(tmp, "m2")}`, `-Dflink.lib=${tmp}`, ...props, "dependency:copy"];
    try {
      await runTool(process.env.STREAMHOUSE_MVN ?? "mvn", args, DOWNLOAD_TIMEOUT_MS);
    } catch (e) {
      throw new Error(`cannot download Flink's Paimon, Hadoop and Hive jars from Maven Central: ${e instanceof Error ? e.message : String(e)}`);
    }
    rmSync(join(tmp, "m2"), { recursive: true, force: true });
    return `${paimon}\n`;
  });
  if (downloaded) log(`streamhouse: Flink jars downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const jars = readdirSync(lib)
    .filter((f) => f.endsWith(".jar"))
    .sort()
    .map((f) => join(lib, f));
  return { lib, jars };
}

async function pythonMinor(python) {
  return (await runTool(python, ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"], 30_000)).trim();
}

/** Returns the venv's python, the jars for `pipeline.jars` and the JDK, installing what is missing. */
export async function ensureFlinkInstall({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const v = flinkVersions();
  const version = v["apache-flink.version"];
  const javaHome = process.env.STREAMHOUSE_FLINK_JAVA_HOME ?? v["java.home"];
  if (!existsSync(join(javaHome, "bin", "java"))) {
    throw new Error(`Flink ${version} needs a Java 17 JDK; none at ${javaHome} (versions.json "flink"."java.home", or set STREAMHOUSE_FLINK_JAVA_HOME)`);
  }
  const [venv, jars] = await Promise.all([ensureVenv(v, log), ensureJars(v, log)]);
  return { ...venv, version, javaHome, lib: jars.lib, jars: jars.jars, paimonVersion: v["paimon.version"] };
}

/** Single-quoted for sh. */
function shellQuote(s) {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const install = await ensureFlinkInstall();
    if (process.argv[2] === "--env") {
      // For `eval "$(node connectors/flink/ensure-flink.mjs --env)"`: FLINK_HOME is the
      // Flink distribution inside the wheel (bin/sql-client.sh, lib/, conf/).
      const flinkHome = join(dirname(dirname(install.python)), "lib", `python${await pythonMinor(install.python)}`, "site-packages", "pyflink");
      const lines = {
        JAVA_HOME: install.javaHome,
        FLINK_HOME: flinkHome,
        STREAMHOUSE_FLINK_PYTHON: install.python,
        STREAMHOUSE_FLINK_LIB: install.lib,
        STREAMHOUSE_FLINK_JARS: install.jars.map((j) => `file://${j}`).join(";"),
      };
      for (const [k, v] of Object.entries(lines)) console.log(`export ${k}=${shellQuote(v)}`);
    } else {
      console.log(`apache-flink ${install.version}: ${install.venv}`);
      console.log(`jars (pipeline.jars): ${install.jars.join(";")}`);
      console.log(`JAVA_HOME=${install.javaHome}`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
