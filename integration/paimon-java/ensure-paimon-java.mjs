#!/usr/bin/env node
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../support/run-tool.mjs";
import { buildOnce } from "../support/build-once.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pomFile = join(here, "pom.xml");
const sourceRoot = join(here, "java");
const versionsFile = join(here, "..", "versions.json");
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
const COMPILE_TIMEOUT_MS = 3 * 60_000;
/** Oldest Java release our sources and Paimon 2.0 run on. */
const JAVA_RELEASE = "11";
export const MAIN_CLASS = "streamhouse.paimonjava.PaimonPeer";

/** The `paimon-java` entry of integration/versions.json, without `_` comment keys. */
export function paimonJavaVersions() {
  const all = JSON.parse(readFileSync(versionsFile, "utf8"))["paimon-java"];
  if (all === undefined) throw new Error(`${versionsFile} has no "paimon-java" entry`);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith("_")));
}

function javaTool(name) {
  const home = process.env.STREAMHOUSE_JAVA_HOME;
  return home === undefined ? name : join(home, "bin", name);
}

const run = runTool;

function javaSources(dir = sourceRoot) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaSources(p));
    else if (entry.name.endsWith(".java")) out.push(p);
  }
  return out.sort();
}

/**
 * Returns how to start the peer: `java`, the classpath (our classes first) and the main
 * class, after downloading and compiling what is missing.
 */
export async function ensurePaimonJavaInstall({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const versions = paimonJavaVersions();
  const cacheRoot = process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse");
  const base = join(cacheRoot, "paimon-java");
  const paimon = `${versions["paimon.groupId"]}:${versions["paimon.artifactId"]}:${versions["paimon.version"]}`;

  const libHash = createHash("sha256").update(readFileSync(pomFile)).update(JSON.stringify(versions)).digest("hex").slice(0, 16);
  const lib = join(base, `lib-${libHash}`);
  let started = Date.now();
  const downloaded = await buildOnce(lib, async (tmp) => {
    log(`streamhouse: downloading Java Paimon ${paimon} and its runtime jars into ${lib} (first run only)…`);
    const props = Object.entries(versions).map(([k, v]) => `-D${k}=${v}`);
    const mvnArgs = ["-B", "-q", "--strict-checksums", "-f", pomFile, `-Dmaven.repo.local=${join(tmp, "m2")}`, `-Dpeer.lib=${tmp}`, ...props, "dependency:copy"];
    try {
      await run(process.env.STREAMHOUSE_MVN ?? "mvn", mvnArgs, DOWNLOAD_TIMEOUT_MS);
    } catch (e) {
      throw new Error(`cannot download the Java Paimon peer's jars from Maven Central: ${e instanceof Error ? e.message : String(e)}`);
    }
    rmSync(join(tmp, "m2"), { recursive: true, force: true });
    return `${paimon}\n`;
  });
  if (downloaded) log(`streamhouse: jars downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const jars = readdirSync(lib)
    .filter((f) => f.endsWith(".jar"))
    .sort()
    .map((f) => join(lib, f));

  const sources = javaSources();
  const srcHash = createHash("sha256").update(libHash).update(JAVA_RELEASE);
  for (const s of sources) srcHash.update(relative(sourceRoot, s)).update("\0").update(readFileSync(s)).update("\0");
  const build = join(base, `build-${srcHash.digest("hex").slice(0, 16)}`);
  started = Date.now();
  const compiled = await buildOnce(build, async (tmp) => {
    const args = ["--release", JAVA_RELEASE, "-encoding", "UTF-8", "-nowarn", "-d", join(tmp, "classes"), "-cp", jars.join(":"), ...sources];
    try {
      await run(javaTool("javac"), args, COMPILE_TIMEOUT_MS);
    } catch (e) {
      throw new Error(`cannot compile the Java Paimon peer: ${e instanceof Error ? e.message : String(e)}`);
    }
    return `${sources.length} sources\n`;
  });
  if (compiled) log(`streamhouse: Java Paimon peer compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    java: javaTool("java"),
    classpath: [join(build, "classes"), ...jars].join(":"),
    mainClass: MAIN_CLASS,
    paimon,
    versions,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const install = await ensurePaimonJavaInstall();
    // The command that starts the peer, for `$(node ensure-paimon-java.mjs) dump DIR`.
    console.log(`${install.java} -Xmx1g -cp ${install.classpath} ${install.mainClass}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
