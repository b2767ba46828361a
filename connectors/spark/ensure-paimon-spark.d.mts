// Types of ensure-paimon-spark.mjs (plain JavaScript so that it runs as a script on Node 20).
import type { SparkInstall } from "../../integration/spark/ensure-spark.mjs";

export interface PaimonSparkInstall extends SparkInstall {
  /** The pyspark package directory: SPARK_HOME for bin/spark-submit and jars/. */
  readonly sparkHome: string;
  /** Paimon's Spark connector jar in the cache. */
  readonly paimonJar: string;
  readonly paimonVersion: string;
}

export interface PaimonCatalogConfOptions {
  /** Paimon's Spark connector jar. */
  readonly jar: string;
  /** `thrift://HOST:PORT` of the metastore. */
  readonly metastoreUri: string;
  /** Where Paimon puts new databases (`file:///…` or `s3://…`). */
  readonly warehouse: string;
  /** The Spark catalog name (default `paimon`). */
  readonly catalog?: string;
  /** Make it the session's current catalog (spark.sql.defaultCatalog). */
  readonly defaultCatalog?: boolean;
}

/** The "spark-paimon" entry of integration/versions.json (comment keys removed). */
export declare function paimonSparkVersions(): Record<string, string>;

/** `group:artifact:version` of the connector jar. */
export declare function paimonSparkCoordinate(versions?: Record<string, string>): string;

export declare function ensurePaimonSparkJar(options?: { readonly log?: (line: string) => void }): Promise<string>;

export declare function ensurePaimonSparkInstall(options?: { readonly log?: (line: string) => void }): Promise<PaimonSparkInstall>;

export declare function paimonCatalogConf(options: PaimonCatalogConfOptions): Record<string, string>;
