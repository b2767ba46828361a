#!/usr/bin/env node
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { cacheRoot, runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const versionsFile = join(here, "..", "versions.json");
const DOWNLOAD_TIMEOUT_MS = 20 * 60_000;
const UNPACK_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";

/** The `trino` entry of integration/versions.json, without `_` comment keys. */
export function trinoVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8")).trino;
  if (all === undefined) throw new Error(`${versionsFile} has no "trino" entry`);
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
  for (const k of ["version", "groupId", "artifactId", "sha1", "plugins", "java.home"]) {
    if (typeof out[k] !== "string" || out[k] === "") throw new Error(`${versionsFile}: "trino" needs a string "${k}"`);
  }
  return out;
}

export { cacheRoot };

const run = runTool;

/**
 * Fetches `coordinates` (group:artifact:version:type) with Maven — the machine's own
 * Maven client and repository settings — into `target` unless present, checking the
 * pinned SHA-1; returns the bytes fetched (0 if cached).
 */
async function download(coordinates, target, sha1, log) {
  if (existsSync(target)) return 0;
  mkdirSync(dirname(target), { recursive: true });
  const tmpDir = `${target}.part-${process.pid}-${Date.now()}`;
  const started = Date.now();
  log(`streamhouse: fetching ${coordinates} with Maven (first run only)…`);
  try {
    mkdirSync(tmpDir, { recursive: true });
    await run(
      "mvn",
      ["-q", "-B", "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy", `-Dartifact=${coordinates}`, `-DoutputDirectory=${tmpDir}`, "-Dmdep.useBaseVersion=true"],
      DOWNLOAD_TIMEOUT_MS,
    );
    const [file] = readdirSync(tmpDir);
    if (file === undefined) throw new Error("Maven fetched nothing");
    const hash = createHash("sha1");
    await pipeline(createReadStream(join(tmpDir, file)), hash);
    const got = hash.digest("hex");
    if (got !== sha1) throw new Error(`SHA-1 ${got} does not match the pinned ${sha1}`);
    const bytes = statSync(join(tmpDir, file)).size;
    renameSync(join(tmpDir, file), target);
    const secs = (Date.now() - started) / 1000;
    log(`streamhouse: fetched ${(bytes / 1e6).toFixed(0)} MB in ${secs.toFixed(1)} s`);
    return bytes;
  } catch (e) {
    throw new Error(`cannot fetch ${coordinates}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Returns where the server is installed (`home`: bin/, lib/, plugin/), its version, the
 * JDK to run it with and the plugins present, after installing it if missing.
 */
export async function ensureTrinoInstall({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const v = trinoVersions();
  const version = v.version;
  const plugins = v.plugins.split(",").map((p) => p.trim()).filter((p) => p !== "").sort();
  const javaHome = process.env.STREAMHOUSE_TRINO_JAVA_HOME ?? v["java.home"];
  if (!existsSync(join(javaHome, "bin", "java"))) {
    throw new Error(`Trino ${version} needs a Java 24+ JDK; none at ${javaHome} (versions.json "trino"."java.home", or set STREAMHOUSE_TRINO_JAVA_HOME)`);
  }
  const hash = createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 12);
  const root = cacheRoot();
  const home = join(root, "trino", `trino-server-${version}-${hash}`);
  const result = { home, version, javaHome, plugins, downloadedBytes: 0 };
  if (existsSync(join(home, COMPLETE_MARKER))) return result;

  const name = `${v.artifactId}-${version}`;
  const tarball = join(root, "downloads", `${name}.tar.gz`);
  result.downloadedBytes = await download(`${v.groupId}:${v.artifactId}:${version}:tar.gz`, tarball, v.sha1, log);

  mkdirSync(dirname(home), { recursive: true });
  const tmp = `${home}.tmp-${process.pid}-${Date.now()}`;
  const started = Date.now();
  try {
    mkdirSync(tmp, { recursive: true });
    // The tarball stores a jar shared by several plugins once and hard-links the other
    // copies to the first, so a plugin cannot be unpacked alone: unpack everything, then
    // delete the plugins we do not run (their hard-linked jars live on in ours).
    try {
      await run("tar", ["-xzf", tarball, "-C", tmp, "--strip-components=1"], UNPACK_TIMEOUT_MS);
    } catch (e) {
      throw new Error(`cannot unpack ${tarball}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const present = readdirSync(join(tmp, "plugin"));
    const missing = plugins.filter((p) => !present.includes(p));
    if (missing.length > 0) throw new Error(`Trino ${version} has no plugin ${missing.join(", ")} (versions.json "trino"."plugins")`);
    for (const p of present) if (!plugins.includes(p)) rmSync(join(tmp, "plugin", p), { recursive: true, force: true });
    writeFileSync(join(tmp, COMPLETE_MARKER), `${name} plugins=${plugins.join(",")}\n`);
    try {
      renameSync(tmp, home);
    } catch (e) {
      // Another process finished first; theirs is as good as ours.
      if (!existsSync(join(home, COMPLETE_MARKER))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`streamhouse: Trino ${version} unpacked (${plugins.join(", ")}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The tarball is 821 MB and everything we run from it is now unpacked.
  rmSync(tarball, { force: true });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const install = await ensureTrinoInstall();
    console.log(`Trino ${install.version}: ${install.home}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
