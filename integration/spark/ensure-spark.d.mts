// Types of ensure-spark.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface SparkInstall {
  /** The venv's python; run PySpark scripts with it. */
  readonly python: string;
  readonly venv: string;
  /** The pinned pyspark version. */
  readonly version: string;
  /** The JDK Spark runs on (Java 17). */
  readonly javaHome: string;
  /** Milliseconds this call spent installing: 0 when the cache already held the venv. */
  readonly installedMs: number;
}

/** The "spark" entry of integration/versions.json (comment keys removed). */
export declare function sparkVersions(): Record<string, string>;

export declare function ensureSparkInstall(options?: { readonly log?: (line: string) => void }): Promise<SparkInstall>;
