/**
 * A Spark SQL session (integration/spark/spark.ts: one local PySpark driver per test
 * file) with a Paimon catalog named `paimon` on a Hive metastore, as a user sets it up
 * (README.md): Paimon's Spark connector jar, its SQL extensions, and
 * `spark.sql.catalog.paimon.{metastore,uri,warehouse}`. Session and JVM clocks run on
 * UTC so that timestamps read the same wall clock as our reader's.
 */
import { type SparkSession, startSpark } from "../../../integration/spark/spark.js";
import { ensurePaimonSparkInstall, type PaimonSparkInstall, paimonCatalogConf } from "../ensure-paimon-spark.mjs";

export interface PaimonSparkOptions {
  /** `thrift://HOST:PORT` of the metastore. */
  readonly metastoreUri: string;
  /** `file:///…`: where new databases go. */
  readonly warehouse: string;
  readonly log?: (line: string) => void;
}

export interface PaimonSpark {
  readonly install: PaimonSparkInstall;
  readonly session: SparkSession;
}

/** Settings every Spark process of ours shares (the session here, the Thrift Server). */
export const SMALL_SPARK_CONF: Readonly<Record<string, string>> = {
  "spark.sql.session.timeZone": "UTC",
  "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
  "spark.sql.shuffle.partitions": "1",
  "spark.default.parallelism": "1",
  "spark.ui.enabled": "false",
};

export async function startPaimonSpark(options: PaimonSparkOptions): Promise<PaimonSpark> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const install = await ensurePaimonSparkInstall({ log });
  const conf = { ...SMALL_SPARK_CONF, ...paimonCatalogConf({ jar: install.paimonJar, metastoreUri: options.metastoreUri, warehouse: options.warehouse }) };
  const session = await startSpark({ metastoreUri: options.metastoreUri, warehouse: options.warehouse, conf, log });
  return { install, session };
}
