#!/usr/bin/env node
// Apache's standalone Hive Metastore (4.1.x) as a peer: ensure, start, stop.
//
// ensure: jars from Maven Central via `mvn dependency:copy-dependencies` on pom.xml, with
//   every version from integration/versions.json (key "hive-metastore") passed as
//   -D<property>=<value>, into ~/.cache/streamhouse/hive-metastore/lib-<hash>/
//   (STREAMHOUSE_CACHE overrides the root; hash of pom.xml + versions). Maven's own
//   repository for that run is a temporary directory, deleted afterwards. Built under a
//   temporary name and renamed into place, so concurrent callers never see half of it.
// start: embedded Derby in a directory of the caller's, schema created by DataNucleus
//   (datanucleus.schema.autoCreateAll=true, metastore.schema.verification=false: the
//   schematool's SQL scripts ship only in the binary tarball, not on Maven Central; the
//   transaction tables it would add are not used by the catalog calls we compare). The
//   housekeeping leader is pinned to a host that does not exist, so the background
//   compaction and lock tasks (which need those tables) stay off. Ready when a
//   get_all_databases call is answered; bounded. stop: SIGTERM, then SIGKILL.
// Needs a JDK 17 (`java` on PATH, or STREAMHOUSE_JAVA_HOME) and Maven (`mvn`, or
// STREAMHOUSE_MVN). Run directly to warm the cache: `node integration/hive-metastore/hive-metastore.mjs`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pomFile = join(here, "pom.xml");
const versionsFile = join(here, "..", "versions.json");
const DOWNLOAD_TIMEOUT_MS = 20 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";
const MAIN_CLASS = "org.apache.hadoop.hive.metastore.HiveMetaStore";

/** The `hive-metastore` entry of integration/versions.json, without `_` comment keys. */
export function hiveMetastoreVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8"))["hive-metastore"];
  if (all === undefined) throw new Error(`${versionsFile} has no "hive-metastore" entry`);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
}

function javaTool(name) {
  const home = process.env.STREAMHOUSE_JAVA_HOME;
  return home === undefined ? name : join(home, "bin", name);
}

const run = runTool;

/** Downloads the jars once; returns `java`, the classpath and the versions. */
export async function ensureHiveMetastore({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const versions = hiveMetastoreVersions();
  const cacheRoot = process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse");
  const hash = createHash("sha256").update(readFileSync(pomFile)).update(JSON.stringify(versions)).digest("hex").slice(0, 16);
  const lib = join(cacheRoot, "hive-metastore", `lib-${hash}`);
  if (!existsSync(join(lib, COMPLETE_MARKER))) {
    const started = Date.now();
    log(`streamhouse: downloading Apache Hive Metastore ${versions["hive.version"]} jars into ${lib} (first run only)…`);
    mkdirSync(dirname(lib), { recursive: true });
    const tmp = `${lib}.tmp-${process.pid}-${Date.now()}`;
    try {
      mkdirSync(tmp, { recursive: true });
      const props = Object.entries(versions).map(([k, v]) => `-D${k}=${v}`);
      const args = ["-B", "-q", "--strict-checksums", "-f", pomFile, `-Dmaven.repo.local=${join(tmp, "m2")}`, `-Dhms.lib=${tmp}`, ...props, "dependency:copy-dependencies"];
      try {
        await run(process.env.STREAMHOUSE_MVN ?? "mvn", args, DOWNLOAD_TIMEOUT_MS);
      } catch (e) {
        throw new Error(`cannot download the Hive Metastore jars from Maven Central: ${e instanceof Error ? e.message : String(e)}`);
      }
      rmSync(join(tmp, "m2"), { recursive: true, force: true });
      writeFileSync(join(tmp, COMPLETE_MARKER), `hive ${versions["hive.version"]}\n`);
      try {
        renameSync(tmp, lib);
      } catch (e) {
        if (!existsSync(join(lib, COMPLETE_MARKER))) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    log(`streamhouse: Hive Metastore jars downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { java: javaTool("java"), classpath: join(lib, "*"), versions };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function siteXml(dataDir) {
  const props = {
    "javax.jdo.option.ConnectionURL": `jdbc:derby:;databaseName=${join(dataDir, "metastore_db")};create=true`,
    "javax.jdo.option.ConnectionDriverName": "org.apache.derby.jdbc.EmbeddedDriver",
    "datanucleus.schema.autoCreateAll": "true",
    "metastore.schema.verification": "false",
    "metastore.warehouse.dir": join(dataDir, "warehouse"),
    "metastore.housekeeping.leader.election": "host",
    "metastore.housekeeping.leader.hostname": "no-such-host.invalid",
    "metastore.compactor.initiator.on": "false",
    "metastore.compactor.cleaner.on": "false",
    "metastore.event.db.notification.api.auth": "false",
  };
  const body = Object.entries(props)
    .map(([k, v]) => `  <property><name>${k}</name><value>${v.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</value></property>`)
    .join("\n");
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

/**
 * Starts the metastore on a free port of 127.0.0.1 with its data in `dataDir`.
 * `ready(port)` is polled until it resolves (e.g. a Thrift get_all_databases), within
 * `readyTimeoutMs`. Returns { port, pid, stop(), logTail() }.
 */
export async function startHiveMetastore({ dataDir, ready, readyTimeoutMs = 180_000, heap = "1g", log } = {}) {
  const install = await ensureHiveMetastore(log ? { log } : {});
  const conf = join(dataDir, "conf");
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, "metastore-site.xml"), siteXml(dataDir));
  const port = await freePort();
  const child = spawn(install.java, [`-Xmx${heap}`, "-cp", `${conf}:${install.classpath}`, MAIN_CLASS, "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd: dataDir,
  });
  let tail = "";
  const keep = (d) => {
    tail = (tail + String(d)).slice(-8000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Hive Metastore exited during startup:\n${tail}`);
    try {
      await ready(port);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the Hive Metastore was not ready within ${readyTimeoutMs} ms:\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { port, pid: child.pid, version: install.versions["hive.version"], stop, logTail: () => tail };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const install = await ensureHiveMetastore();
    console.log(`Hive Metastore ${install.versions["hive.version"]}: ${install.classpath}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
