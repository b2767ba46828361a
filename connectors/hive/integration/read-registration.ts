/**
 * Hive's own metastore client reading back a table registration: our program
 * connectors/hive/java/streamhouse/hivecheck/ReadRegistration.java, compiled with javac
 * against the Hive 4.1 jars that integration/hive-client installs (its `ensureHiveClient`
 * downloads them and gives the JDK and classpath), into
 * ~/.cache/streamhouse/hive-registration/build-<hash of sources and jars>.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureHiveClient } from "../../../integration/hive-client/hive-client.js";
import { cacheRoot, runTool } from "../../../integration/support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const sourceRoot = join(here, "..", "java");
const MAIN_CLASS = "streamhouse.hivecheck.ReadRegistration";
const COMPLETE_MARKER = ".streamhouse-complete";
const JAVA_RELEASE = "17";

export interface RegistrationCheckInstall {
  readonly java: string;
  readonly classpath: string;
  readonly hiveVersion: string;
}

/** What Hive's client sees of a table. */
export interface HiveRegistration {
  readonly db: string;
  readonly table: string;
  readonly owner: string;
  readonly tableType: string;
  readonly createTime: number;
  readonly retention: number;
  readonly parameters: Record<string, string>;
  readonly location: string;
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serde: string;
  readonly serdeParameters: Record<string, string>;
  readonly columns: [string, string, string | null][];
  readonly partitionKeys: [string, string, string | null][];
  readonly allTables: number;
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

function javac(java: string): string {
  const home = process.env.STREAMHOUSE_JAVA_HOME;
  return home === undefined ? join(dirname(java), "javac") : join(home, "bin", "javac");
}

export async function ensureRegistrationCheck(): Promise<RegistrationCheckInstall> {
  const hive = await ensureHiveClient();
  const sources = javaSources();
  const hash = createHash("sha256").update(hive.classpath).update(JAVA_RELEASE);
  for (const s of sources) hash.update(relative(sourceRoot, s)).update("\0").update(readFileSync(s)).update("\0");
  const build = join(cacheRoot(), "hive-registration", `build-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(join(build, COMPLETE_MARKER))) {
    mkdirSync(dirname(build), { recursive: true });
    const tmp = `${build}.tmp-${process.pid}-${Date.now()}`;
    try {
      mkdirSync(tmp, { recursive: true });
      const javacPath = existsSync(javac(hive.java)) ? javac(hive.java) : "javac";
      await runTool(javacPath, ["--release", JAVA_RELEASE, "-encoding", "UTF-8", "-nowarn", "-d", join(tmp, "classes"), "-cp", hive.classpath, ...sources], 3 * 60_000);
      writeFileSync(join(tmp, COMPLETE_MARKER), `${sources.length} sources\n`);
      try {
        renameSync(tmp, build);
      } catch (e) {
        if (!existsSync(join(build, COMPLETE_MARKER))) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { java: hive.java, classpath: `${join(build, "classes")}:${hive.classpath}`, hiveVersion: hive.hiveVersion };
}

/** Reads `db.table` through Hive's HiveMetaStoreClient connected to `host:port`. */
export async function readRegistration(install: RegistrationCheckInstall, address: string, db: string, table: string): Promise<HiveRegistration> {
  const output = await runTool(install.java, ["-Xmx256m", "-cp", install.classpath, MAIN_CLASS, address, db, table], 120_000);
  const line = output.split("\n").find((l) => l.startsWith("REGISTRATION "));
  if (line === undefined) throw new Error(`Hive's client printed no registration:\n${output}`);
  return JSON.parse(line.slice("REGISTRATION ".length)) as HiveRegistration;
}
