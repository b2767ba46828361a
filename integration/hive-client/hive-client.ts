/**
 * Hive's own metastore client (HiveMetaStoreClient from the Hive 4.1.x jars on Maven
 * Central, JDK 17) as a conformance driver: our program java/streamhouse/hiveclient/
 * Conformance.java runs a scripted sequence of client calls against a metastore and
 * prints one JSON line per step, {"step", "ok", "error"?}.
 *
 * The classpath is the one integration/hive-metastore/hive-metastore.mjs assembles (it
 * holds the client as well as the server); our source is compiled with javac against it
 * into ~/.cache/streamhouse/hive-client/build-<hash> (STREAMHOUSE_CACHE overrides the
 * root; hash of the jars directory and our sources), built under a temporary name and
 * renamed into place.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot, runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const sourceRoot = join(here, "java");
const COMPILE_TIMEOUT_MS = 3 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";
const JAVA_RELEASE = "17";
export const MAIN_CLASS = "streamhouse.hiveclient.Conformance";

interface HiveMetastoreInstall {
  readonly java: string;
  /** `<lib>/*`. */
  readonly classpath: string;
  readonly versions: Readonly<Record<string, string>>;
}

export interface HiveClientInstall {
  readonly java: string;
  /** Our compiled classes first, then the Hive jars. */
  readonly classpath: string;
  readonly hiveVersion: string;
}

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface ConformanceRun {
  readonly steps: StepResult[];
  /** Everything the JVM printed, for failure messages. */
  readonly output: string;
}

// hive-metastore.mjs has no declaration file; a non-literal specifier keeps tsc from
// looking for one, and the shape we use is declared above.
const hiveMetastoreModule = "../hive-metastore/hive-metastore.mjs";

function javaTool(name: string): string {
  const home = process.env.STREAMHOUSE_JAVA_HOME;
  return home === undefined ? name : join(home, "bin", name);
}

function javaSources(dir = sourceRoot): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaSources(p));
    else if (entry.name.endsWith(".java")) out.push(p);
  }
  return out.sort();
}

/** Downloads the Hive jars if missing and compiles our client program once per source hash. */
export async function ensureHiveClient({ log = (line: string) => process.stderr.write(`${line}\n`) } = {}): Promise<HiveClientInstall> {
  const { ensureHiveMetastore } = (await import(hiveMetastoreModule)) as {
    ensureHiveMetastore(options: { log: (line: string) => void }): Promise<HiveMetastoreInstall>;
  };
  const hive = await ensureHiveMetastore({ log });
  const lib = dirname(hive.classpath);
  const sources = javaSources();
  const hash = createHash("sha256").update(lib).update(JAVA_RELEASE);
  for (const s of sources) hash.update(relative(sourceRoot, s)).update("\0").update(readFileSync(s)).update("\0");
  const build = join(cacheRoot(), "hive-client", `build-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(join(build, COMPLETE_MARKER))) {
    const started = Date.now();
    mkdirSync(dirname(build), { recursive: true });
    const tmp = `${build}.tmp-${process.pid}-${Date.now()}`;
    try {
      mkdirSync(tmp, { recursive: true });
      const args = ["--release", JAVA_RELEASE, "-encoding", "UTF-8", "-nowarn", "-d", join(tmp, "classes"), "-cp", hive.classpath, ...sources];
      try {
        await runTool(javaTool("javac"), args, COMPILE_TIMEOUT_MS);
      } catch (e) {
        throw new Error(`cannot compile the Hive client conformance program: ${e instanceof Error ? e.message : String(e)}`);
      }
      writeFileSync(join(tmp, COMPLETE_MARKER), `${sources.length} sources\n`);
      try {
        renameSync(tmp, build);
      } catch (e) {
        // Another process finished first; theirs is as good as ours.
        if (!existsSync(join(build, COMPLETE_MARKER))) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    log(`streamhouse: Hive client conformance program compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { java: hive.java, classpath: `${join(build, "classes")}:${hive.classpath}`, hiveVersion: hive.versions["hive.version"] ?? "?" };
}

function parseSteps(output: string): StepResult[] {
  const steps: StepResult[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith('{"step":')) continue;
    const parsed = JSON.parse(line) as StepResult;
    steps.push(parsed);
  }
  return steps;
}

/**
 * Runs the conformance sequence against the metastore at `host:port`; `warehouse` is the
 * directory table locations are placed under. Resolves with the steps that ran, whether
 * or not the JVM exited cleanly (a crash shows as missing steps and in `output`).
 */
export async function runConformance(options: {
  readonly host: string;
  readonly port: number;
  readonly warehouse: string;
  readonly timeoutMs?: number;
  readonly install?: HiveClientInstall;
  /** SASL PLAIN (metastore.client.auth.mode=PLAIN) as this user; the password goes through the environment, not argv. */
  readonly plain?: { readonly user: string; readonly password: string };
}): Promise<ConformanceRun> {
  const install = options.install ?? (await ensureHiveClient());
  const args = ["-Xmx512m", "-cp", install.classpath, MAIN_CLASS, `${options.host}:${options.port}`, options.warehouse];
  if (options.plain !== undefined) args.push(options.plain.user);
  const env = options.plain === undefined ? process.env : { ...process.env, STREAMHOUSE_HMS_PASSWORD: options.plain.password };
  let output: string;
  try {
    // runTool keeps only the tail of the output; the step lines are short enough.
    output = await runTool(install.java, args, options.timeoutMs ?? 120_000, { env });
  } catch (e) {
    output = e instanceof Error ? e.message : String(e);
  }
  return { steps: parseSteps(output), output };
}
