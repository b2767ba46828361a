// Types of ensure-flink.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface FlinkInstall {
  /** The venv's python; run PyFlink programs with it. */
  readonly python: string;
  readonly venv: string;
  /** The pinned apache-flink version. */
  readonly version: string;
  /** The JDK Flink runs on (Java 17). */
  readonly javaHome: string;
  /** The directory of the jars below. */
  readonly lib: string;
  /** Paimon's Flink connector, Hadoop and the Hive metastore client, for `pipeline.jars`. */
  readonly jars: readonly string[];
  readonly paimonVersion: string;
  /** Milliseconds this call spent installing the venv: 0 when the cache already held it. */
  readonly installedMs: number;
}

/** The "flink" entry of integration/versions.json (comment keys removed). */
export declare function flinkVersions(): Record<string, string>;

export declare function ensureFlinkInstall(options?: { readonly log?: (line: string) => void }): Promise<FlinkInstall>;
