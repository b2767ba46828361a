#!/usr/bin/env node
// Installs what Spark SQL on Streamhouse tables needs, once, into the cache:
//   spark-venv/<hash>         PySpark from PyPI (integration/spark/ensure-spark.mjs)
//   paimon-spark/<hash>/      Paimon's Spark connector jar, fetched by `mvn dependency:copy`
// and says how to configure a Paimon catalog on a Hive metastore (ours). Versions come
// from the "spark-paimon" entry of integration/versions.json.
//
// Run as a script it installs and prints the Spark configuration, e.g.
//   node connectors/spark/ensure-paimon-spark.mjs --metastore thrift://127.0.0.1:9083 --warehouse /data/wh
// prints spark-defaults.conf lines; with --submit-args it prints `--conf k=v` arguments,
// with --env the `export JAVA_HOME=… SPARK_HOME=…` lines of the installed Spark.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureSparkInstall } from "../../integration/spark/ensure-spark.mjs";
import { cacheRoot, runTool } from "../../integration/support/run-tool.mjs";
import { buildOnce } from "../../integration/support/build-once.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const versionsFile = join(here, "..", "..", "integration", "versions.json");
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
const ENTRY = "spark-paimon";

/** The `spark-paimon` entry of integration/versions.json, without `_` comment keys. */
export function paimonSparkVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8"))[ENTRY];
  if (all === undefined) throw new Error(`${versionsFile} has no "${ENTRY}" entry`);
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
  for (const k of ["paimon.groupId", "paimon.artifactId", "paimon.version", "maven-dependency-plugin.version"]) {
    if (typeof out[k] !== "string" || out[k] === "") throw new Error(`${versionsFile}: "${ENTRY}" needs a string "${k}"`);
  }
  return out;
}

/** The Maven coordinate of the connector jar. */
export function paimonSparkCoordinate(v = paimonSparkVersions()) {
  return `${v["paimon.groupId"]}:${v["paimon.artifactId"]}:${v["paimon.version"]}`;
}

/** Downloads the connector jar into the cache if missing; returns its path. */
export async function ensurePaimonSparkJar({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const v = paimonSparkVersions();
  const coordinate = paimonSparkCoordinate(v);
  const hash = createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);
  const dir = join(cacheRoot(), "paimon-spark", hash);
  const started = Date.now();
  const downloaded = await buildOnce(dir, async (tmp) => {
    log(`streamhouse: downloading ${coordinate} into ${dir} (first run only; ~40 MB)…`);
    // Plugin 2.10's copy goal fetches the jar alone, without reading its POM.
    const args = [
      "-B",
      "-q",
      "--strict-checksums",
      `-Dmaven.repo.local=${join(tmp, "m2")}`,
      `org.apache.maven.plugins:maven-dependency-plugin:${v["maven-dependency-plugin.version"]}:copy`,
      `-Dartifact=${coordinate}`,
      `-DoutputDirectory=${tmp}`,
    ];
    try {
      await runTool(process.env.STREAMHOUSE_MVN ?? "mvn", args, DOWNLOAD_TIMEOUT_MS, { cwd: tmp });
    } catch (e) {
      throw new Error(`cannot download ${coordinate} from Maven Central: ${e instanceof Error ? e.message : String(e)}`);
    }
    rmSync(join(tmp, "m2"), { recursive: true, force: true });
    return `${coordinate}\n`;
  });
  if (downloaded) log(`streamhouse: ${coordinate} downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const jars = readdirSync(dir).filter((f) => f.endsWith(".jar"));
  if (jars.length !== 1 || jars[0] === undefined) throw new Error(`${dir} should hold exactly one jar, holds: ${jars.join(", ") || "none"}`);
  return join(dir, jars[0]);
}

/** PySpark (see integration/spark/ensure-spark.mjs) plus Paimon's Spark connector jar. */
export async function ensurePaimonSparkInstall(options = {}) {
  const spark = await ensureSparkInstall(options);
  const jar = await ensurePaimonSparkJar(options);
  const v = paimonSparkVersions();
  return { ...spark, sparkHome: join(spark.venv, "lib", pythonDirName(spark.venv), "site-packages", "pyspark"), paimonJar: jar, paimonVersion: v["paimon.version"] };
}

function pythonDirName(venv) {
  const lib = join(venv, "lib");
  const found = readdirSync(lib).filter((d) => d.startsWith("python"));
  if (found.length !== 1 || found[0] === undefined) throw new Error(`cannot find the python directory under ${lib}`);
  return found[0];
}

/**
 * The Spark configuration of a Paimon catalog named `catalog` on a Hive metastore:
 * Paimon's SparkCatalog with `metastore=hive`, Paimon's SQL extensions (DELETE, UPDATE,
 * MERGE INTO, procedures), and the connector jar on the classpath. With `defaultCatalog`
 * the catalog also becomes the session's current catalog.
 */
export function paimonCatalogConf({ jar, metastoreUri, warehouse, catalog = "paimon", defaultCatalog = false }) {
  if (!/^thrift:\/\/[^/]+:\d+$/.test(metastoreUri)) throw new Error(`metastore URI must be thrift://HOST:PORT, not ${metastoreUri}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(catalog)) throw new Error(`catalog name must be a lower-case identifier, not ${catalog}`);
  const prefix = `spark.sql.catalog.${catalog}`;
  return {
    "spark.jars": jar,
    "spark.sql.extensions": "org.apache.paimon.spark.extensions.PaimonSparkSessionExtensions",
    [prefix]: "org.apache.paimon.spark.SparkCatalog",
    [`${prefix}.metastore`]: "hive",
    [`${prefix}.uri`]: metastoreUri,
    [`${prefix}.warehouse`]: warehouse,
    // Spark's own session catalog uses the same metastore.
    "spark.hadoop.hive.metastore.uris": metastoreUri,
    ...(defaultCatalog ? { "spark.sql.defaultCatalog": catalog } : {}),
  };
}

function argValue(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const args = process.argv.slice(2);
    const install = await ensurePaimonSparkInstall();
    const metastoreUri = argValue(args, "--metastore") ?? "thrift://127.0.0.1:9083";
    const warehouse = argValue(args, "--warehouse") ?? `file://${join(process.cwd(), "streamhouse-data", "warehouse")}`;
    const conf = {
      ...paimonCatalogConf({ jar: install.paimonJar, metastoreUri, warehouse: warehouse.startsWith("/") ? `file://${warehouse}` : warehouse }),
      // Streamhouse shows TIMESTAMP values on a UTC wall clock; so does Spark with this.
      "spark.sql.session.timeZone": "UTC",
    };
    if (args.includes("--env")) {
      console.log(`export JAVA_HOME=${install.javaHome}`);
      console.log(`export SPARK_HOME=${install.sparkHome}`);
    } else if (args.includes("--submit-args")) {
      console.log(Object.entries(conf).map(([k, val]) => `--conf ${k}=${val}`).join(" "));
    } else {
      console.log(`# pyspark ${install.version} in ${install.venv} (SPARK_HOME=${install.sparkHome}, JAVA_HOME=${install.javaHome})`);
      console.log(`# Paimon ${install.paimonVersion}: ${install.paimonJar}`);
      for (const [k, val] of Object.entries(conf)) console.log(`${k} ${val}`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
