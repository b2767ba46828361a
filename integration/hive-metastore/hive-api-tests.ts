/**
 * Apache Hive's own metastore API test suites against a metastore of ours.
 *
 * Hive tests its metastore client with ~35 JUnit suites under
 * org.apache.hadoop.hive.metastore.client (TestDatabases, TestTablesCreateDropAlterTruncate,
 * TestListPartitions, TestFunctions, ...), parameterized by MetaStoreFactoryForTests: an
 * Embedded and a Remote metastore of Hive's own, plus a "Cluster" one when the system
 * property test.hms.client.configs names site files — the suites' clients then talk to
 * whatever metastore those files point at. We run only the Cluster parameter (our
 * java/streamhouse/hmsapitests/ClusterSuites.java filters on it), pointed at our server.
 *
 * Jars: the tests jar of hive-standalone-metastore-server (newest on Maven Central:
 * 4.0.1, Java 8 bytecode, runs on JDK 17), JUnit 4 and hamcrest, fetched with
 * `mvn dependency:copy` into ~/.cache/streamhouse/hive-api-tests/lib-<hash>; everything else
 * is the Hive 4.1.0 classpath of hive-metastore.mjs (which also runs the suites' own
 * Embedded and Remote metastores, started by their @BeforeClass whatever we filter).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot, runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RUNNER_SOURCE = join(here, "java", "streamhouse", "hmsapitests", "ClusterSuites.java");
const RUNNER_CLASS = "streamhouse.hmsapitests.ClusterSuites";
const VERSIONS_KEY = "hive-metastore-api-tests";
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const COMPILE_TIMEOUT_MS = 3 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";
// hive-metastore.mjs has no declaration file; a non-literal specifier keeps tsc from looking for one.
const hiveMetastoreModule = "./hive-metastore.mjs";

export interface ApiTestsInstall {
  readonly java: string;
  /** Our runner's classes, the test jars, then the Hive 4.1 jars. */
  readonly classpath: string;
  readonly testsJar: string;
  readonly testsVersion: string;
}

export interface ApiTestResult {
  readonly suite: string;
  readonly test: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface ApiTestsRun {
  readonly results: ApiTestResult[];
  readonly summary: { readonly run: number; readonly failed: number; readonly ignored: number } | undefined;
  readonly output: string;
}

function javaTool(name: string): string {
  const home = process.env.STREAMHOUSE_JAVA_HOME;
  return home === undefined ? name : join(home, "bin", name);
}

function versions(): Record<string, string> {
  const all = JSON.parse(readFileSync(join(here, "..", "versions.json"), "utf8")) as Record<string, Record<string, string>>;
  const v = all[VERSIONS_KEY];
  if (v === undefined) throw new Error(`integration/versions.json has no "${VERSIONS_KEY}" entry`);
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("_")));
}

/** Downloads the test jars (once) and compiles our runner (once per source and classpath). */
export async function ensureApiTests({ log = (line: string) => process.stderr.write(`${line}\n`) } = {}): Promise<ApiTestsInstall> {
  const { ensureHiveMetastore } = (await import(hiveMetastoreModule)) as {
    ensureHiveMetastore(options: { log: (line: string) => void }): Promise<{ java: string; classpath: string }>;
  };
  const hive = await ensureHiveMetastore({ log });
  const v = versions();
  const artifacts = [
    `${v["tests.groupId"]}:${v["tests.artifactId"]}:${v["tests.version"]}:jar:tests`,
    `junit:junit:${v["junit.version"]}:jar`,
    `org.hamcrest:hamcrest-core:${v["hamcrest-core.version"]}:jar`,
  ];
  const source = readFileSync(RUNNER_SOURCE);
  const hash = createHash("sha256").update(JSON.stringify(v)).update(hive.classpath).update(source).digest("hex").slice(0, 16);
  const dir = join(cacheRoot(), "hive-api-tests", `lib-${hash}`);
  if (!existsSync(join(dir, COMPLETE_MARKER))) {
    mkdirSync(dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    try {
      mkdirSync(join(tmp, "jars"), { recursive: true });
      for (const artifact of artifacts) {
        log(`streamhouse: fetching ${artifact} (first run only)…`);
        const plugin = `org.apache.maven.plugins:maven-dependency-plugin:${v["maven-dependency-plugin.version"]}:copy`;
        await runTool(
          process.env.STREAMHOUSE_MVN ?? "mvn",
          ["-B", "-q", `-Dmaven.repo.local=${join(tmp, "m2")}`, plugin, `-Dartifact=${artifact}`, `-DoutputDirectory=${join(tmp, "jars")}`],
          DOWNLOAD_TIMEOUT_MS,
        );
      }
      rmSync(join(tmp, "m2"), { recursive: true, force: true });
      await runTool(
        javaTool("javac"),
        ["--release", "17", "-encoding", "UTF-8", "-nowarn", "-d", join(tmp, "classes"), "-cp", `${join(tmp, "jars", "*")}:${hive.classpath}`, RUNNER_SOURCE],
        COMPILE_TIMEOUT_MS,
      );
      writeFileSync(join(tmp, COMPLETE_MARKER), `${artifacts.join("\n")}\n`);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!existsSync(join(dir, COMPLETE_MARKER))) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return {
    java: hive.java,
    classpath: `${join(dir, "classes")}:${join(dir, "jars", "*")}:${hive.classpath}`,
    testsJar: join(dir, "jars", `${v["tests.artifactId"]}-${v["tests.version"]}-tests.jar`),
    testsVersion: v["tests.version"] ?? "?",
  };
}

function siteXml(props: Record<string, string>): string {
  const body = Object.entries(props)
    .map(([k, val]) => `  <property><name>${k}</name><value>${val.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</value></property>`)
    .join("\n");
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

/**
 * Runs the suites (all, or those whose class name contains one of `only`) against the
 * metastore at host:port, whose warehouse is `warehouse`; `workDir` receives the site
 * files and the suites' own Derby databases.
 */
export async function runApiTests(options: {
  readonly host: string;
  readonly port: number;
  readonly warehouse: string;
  readonly workDir: string;
  readonly only?: readonly string[];
  readonly timeoutMs?: number;
  readonly install?: ApiTestsInstall;
}): Promise<ApiTestsRun> {
  const install = options.install ?? (await ensureApiTests());
  const conf = join(options.workDir, "conf");
  mkdirSync(conf, { recursive: true });
  // Read by the suites' own Embedded and Remote metastores (MetastoreConf loads
  // metastore-site.xml from the classpath): a Derby schema made by DataNucleus, and
  // no background tasks, as in hive-metastore.mjs.
  writeFileSync(
    join(conf, "metastore-site.xml"),
    siteXml({
      "datanucleus.schema.autoCreateAll": "true",
      "metastore.schema.verification": "false",
      "metastore.housekeeping.leader.election": "host",
      "metastore.housekeeping.leader.hostname": "no-such-host.invalid",
      "metastore.compactor.initiator.on": "false",
      "metastore.compactor.cleaner.on": "false",
    }),
  );
  // The Cluster parameter's client configuration: our server.
  const cluster = join(conf, "cluster-site.xml");
  writeFileSync(
    cluster,
    siteXml({
      "metastore.thrift.uris": `thrift://${options.host}:${options.port}`,
      "metastore.warehouse.dir": options.warehouse,
      "metastore.warehouse.external.dir": options.warehouse,
    }),
  );
  writeFileSync(
    join(conf, "log4j2.properties"),
    ["status = error", "rootLogger.level = error", "rootLogger.appenderRef.stderr.ref = STDERR", "appender.console.type = Console", "appender.console.name = STDERR", "appender.console.target = SYSTEM_ERR", "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %p %c{1} - %m%n", ""].join("\n"),
  );
  const resultsFile = join(options.workDir, "results.jsonl");
  rmSync(resultsFile, { force: true });
  const args = [
    "-Xmx768m",
    `-Dtest.hms.client.configs=${cluster}`,
    `-Dtest.tmp.dir=${join(options.workDir, "tmp")}`,
    `-Dlog4j2.configurationFile=${join(conf, "log4j2.properties")}`,
    `-Dstreamhouse.results=${resultsFile}`,
    "-cp",
    `${conf}:${install.classpath}`,
    RUNNER_CLASS,
    install.testsJar,
    ...(options.only ?? []),
  ];
  let output: string;
  try {
    // runTool keeps only the tail of the output: the per-test results go to a file.
    output = await runTool(install.java, [...args], options.timeoutMs ?? 30 * 60_000, { cwd: options.workDir });
  } catch (e) {
    output = e instanceof Error ? e.message : String(e);
  }
  const results: ApiTestResult[] = [];
  if (existsSync(resultsFile)) {
    for (const line of readFileSync(resultsFile, "utf8").split("\n")) if (line.startsWith('{"suite":')) results.push(JSON.parse(line) as ApiTestResult);
  }
  let summary: ApiTestsRun["summary"];
  for (const line of output.split("\n")) if (line.startsWith('{"summary":')) summary = JSON.parse(line) as ApiTestsRun["summary"];
  return { results, summary, output };
}
