// Pure pieces: the partition filter language, partition names, name rules.
import { compilePartitionFilter, escapePathName, makePartitionName, matchesPattern, parseDbName, parsePartitionName } from "@streamhouse/metastore";
import { describe, expect, test } from "vitest";

const columns = [
  { name: "dt", type: "string" },
  { name: "hour", type: "int" },
];
const rows = [
  ["2024-01-01", "1"],
  ["2024-01-01", "12"],
  ["2024-01-02", "2"],
  ["__HIVE_DEFAULT_PARTITION__", "3"],
];
const select = (filter: string) => rows.filter(compilePartitionFilter(filter, columns)).map((r) => r.join("/"));

describe("partition filter grammar", () => {
  test.each([
    ['dt = "2024-01-01"', ["2024-01-01/1", "2024-01-01/12"]],
    ["hour > 2", ["2024-01-01/12", "__HIVE_DEFAULT_PARTITION__/3"]],
    ["hour < 10", ["2024-01-01/1", "2024-01-02/2", "__HIVE_DEFAULT_PARTITION__/3"]],
    ["2 < hour", ["2024-01-01/12", "__HIVE_DEFAULT_PARTITION__/3"]],
    // The default partition stands for NULL: no comparison on it holds.
    ["hour <> 1 AND dt != '2024-01-02'", ["2024-01-01/12"]],
    ["(dt = '2024-01-02' or hour = 12) and hour >= 2", ["2024-01-01/12", "2024-01-02/2"]],
    ["hour between 2 and 12", ["2024-01-01/12", "2024-01-02/2", "__HIVE_DEFAULT_PARTITION__/3"]],
    ["hour not between 2 and 12", ["2024-01-01/1"]],
    ["hour in (1, 2)", ["2024-01-01/1", "2024-01-02/2"]],
    ["dt like '2024-01-0%'", ["2024-01-01/1", "2024-01-01/12", "2024-01-02/2"]],
    ["dt LIKE \"2024.*2\"", ["2024-01-02/2"]],
    ["dt = date '2024-01-02'", ["2024-01-02/2"]],
    ["`hour` = 1", ["2024-01-01/1"]],
    ["not (hour = 1)", ["2024-01-01/12", "2024-01-02/2", "__HIVE_DEFAULT_PARTITION__/3"]],
    ["", ["2024-01-01/1", "2024-01-01/12", "2024-01-02/2", "__HIVE_DEFAULT_PARTITION__/3"]],
  ])("%s", (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  test.each(["dt =", "dt = 'x", "hour >< 1", "nokey = 1", "dt = 1 extra", "(dt = '1'", "dt in ()", "dt = @"])("rejects %s", (filter) => {
    expect(() => compilePartitionFilter(filter, columns)).toThrow(/partition filter/);
  });

  test("deep nesting is bounded", () => {
    expect(() => compilePartitionFilter(`${"(".repeat(10_000)}hour = 1${")".repeat(10_000)}`, columns)).toThrow(/nested deeper/);
  });
});

describe("names", () => {
  test("partition names escape like Hive", () => {
    expect(makePartitionName(["dt", "Region"], ["2024/01/01", "a=b:c"])).toBe("dt=2024%2F01%2F01/region=a%3Db%3Ac");
    expect(makePartitionName(["p"], [""])).toBe("p=__HIVE_DEFAULT_PARTITION__");
    expect(escapePathName("x\u0001#%y")).toBe("x%01%23%25y");
    expect(parsePartitionName("dt=2024%2F01%2F01/region=a%3Db")).toEqual([
      ["dt", "2024/01/01"],
      ["region", "a=b"],
    ]);
  });

  test("catalog-prefixed database names", () => {
    expect(parseDbName("@hive#Sales")).toEqual({ catalog: "hive", db: "sales" });
    expect(parseDbName("@spark#")).toEqual({ catalog: "spark", db: undefined });
    expect(parseDbName("plain")).toEqual({ catalog: "hive", db: "plain" });
    expect(() => parseDbName("@nohash")).toThrow();
  });

  test("Hive name patterns", () => {
    expect(matchesPattern("*", "abc")).toBe(true);
    expect(matchesPattern(".*", "abc")).toBe(true);
    expect(matchesPattern("a*|x*", "xyz")).toBe(true);
    expect(matchesPattern("A*C", "abc")).toBe(true);
    expect(matchesPattern("a*d", "abc")).toBe(false);
    expect(matchesPattern(`${"*a".repeat(50)}b`, "a".repeat(2000))).toBe(false);
  });
});
