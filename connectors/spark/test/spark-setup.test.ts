/**
 * The pure parts of the Spark setup: the Paimon catalog configuration a user copies,
 * the Thrift Server's command line, and the canonical forms both sides of the engine
 * tests are compared in. No Spark here; the integration tests run the real thing.
 */
import { DataTypes, Decimals, Timestamps } from "@streamhouse/format";
import { describe, expect, test } from "vitest";
import { paimonCatalogConf } from "../ensure-paimon-spark.mjs";
import { canonicalExpression, canonicalRows, canonicalSelect } from "../integration/canonical-rows.js";
import { THRIFT_SERVER_CLASS, thriftServerArgs } from "../integration/spark-thrift-server.js";

const F = DataTypes.FIELD;

describe("paimonCatalogConf", () => {
  test("a Paimon catalog on a Hive metastore, with the connector jar and the SQL extensions", () => {
    expect(paimonCatalogConf({ jar: "/j/paimon.jar", metastoreUri: "thrift://127.0.0.1:9083", warehouse: "file:///wh" })).toEqual({
      "spark.jars": "/j/paimon.jar",
      "spark.sql.extensions": "org.apache.paimon.spark.extensions.PaimonSparkSessionExtensions",
      "spark.sql.catalog.paimon": "org.apache.paimon.spark.SparkCatalog",
      "spark.sql.catalog.paimon.metastore": "hive",
      "spark.sql.catalog.paimon.uri": "thrift://127.0.0.1:9083",
      "spark.sql.catalog.paimon.warehouse": "file:///wh",
      "spark.hadoop.hive.metastore.uris": "thrift://127.0.0.1:9083",
    });
  });

  test("another catalog name, made the default", () => {
    const conf = paimonCatalogConf({ jar: "j", metastoreUri: "thrift://h:1", warehouse: "s3://b/wh", catalog: "lake", defaultCatalog: true });
    expect(conf["spark.sql.catalog.lake"]).toBe("org.apache.paimon.spark.SparkCatalog");
    expect(conf["spark.sql.catalog.lake.warehouse"]).toBe("s3://b/wh");
    expect(conf["spark.sql.defaultCatalog"]).toBe("lake");
  });

  test("refuses a metastore that is not thrift://HOST:PORT and a catalog name Spark would misread", () => {
    expect(() => paimonCatalogConf({ jar: "j", metastoreUri: "http://h:9083", warehouse: "w" })).toThrow(/thrift:\/\/HOST:PORT/);
    expect(() => paimonCatalogConf({ jar: "j", metastoreUri: "thrift://h", warehouse: "w" })).toThrow(/thrift:\/\/HOST:PORT/);
    expect(() => paimonCatalogConf({ jar: "j", metastoreUri: "thrift://h:1", warehouse: "w", catalog: "a.b" })).toThrow(/catalog name/);
  });
});

describe("thriftServerArgs", () => {
  test("the server class as spark-internal, every setting as --conf, port and host as --hiveconf", () => {
    const args = thriftServerArgs({ "a.b": "1", "c.d": "x=y" }, 10123);
    expect(args.slice(args.indexOf("--class"), args.indexOf("--class") + 2)).toEqual(["--class", THRIFT_SERVER_CLASS]);
    expect(args).toContain("a.b=1");
    expect(args[args.indexOf("c.d=x=y") - 1]).toBe("--conf");
    // Application arguments (--hiveconf) come after the primary resource.
    const resource = args.indexOf("spark-internal");
    expect(args.slice(resource + 1)).toEqual(["--hiveconf", "hive.server2.thrift.port=10123", "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1"]);
  });
});

describe("canonical rows", () => {
  const fields = [
    F(0, "id", DataTypes.BIGINT(false)),
    F(1, "amount", DataTypes.DECIMAL(10, 2)),
    F(2, "at", DataTypes.TIMESTAMP(3)),
    F(3, "day", DataTypes.DATE()),
    F(4, "name", DataTypes.STRING()),
  ];

  test("Spark is asked for the text our JSON form has", () => {
    expect(fields.map(canonicalExpression)).toEqual([
      "`id`",
      "CAST(`amount` AS STRING)",
      "date_format(`at`, \"yyyy-MM-dd'T'HH:mm:ss.SSS\")",
      "CAST(`day` AS STRING)",
      "`name`",
    ]);
    expect(canonicalExpression(F(0, "t0", DataTypes.TIMESTAMP(0)))).toBe("date_format(`t0`, \"yyyy-MM-dd'T'HH:mm:ss\")");
    expect(canonicalExpression(F(0, "odd`name", DataTypes.INT()))).toBe("`odd``name`");
    expect(canonicalSelect("c.d.t", fields.slice(0, 1), ["id"], "VERSION AS OF 2")).toBe("SELECT `id` AS `id` FROM c.d.t VERSION AS OF 2 ORDER BY `id`");
  });

  test("our rows: exact decimals and timestamps, nulls, ordered with nulls first", () => {
    const rows = canonicalRows(
      fields,
      [
        [2n, Decimals.of(-1n, 10, 2), Timestamps.fromMillis(1_000), 0, null],
        [1n, null, null, null, "a"],
        [10n, Decimals.of(123456n, 10, 2), Timestamps.parse("2026-01-02T03:04:05.678"), 20_000, "b"],
      ],
      ["id"],
    );
    expect(rows).toEqual([
      [1, null, null, null, "a"],
      [2, "-0.01", "1970-01-01T00:00:01.000", "1970-01-01", null],
      [10, "1234.56", "2026-01-02T03:04:05.678", "2024-10-04", "b"],
    ]);
    expect(canonicalRows(fields, [[1n, null, null, null, "b"], [2n, null, null, null, null]], ["name"]).map((r) => r[0])).toEqual([2, 1]);
    expect(() => canonicalRows(fields, [], ["nope"])).toThrow(/no column nope/);
  });
});
