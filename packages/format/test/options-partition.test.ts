import { describe, expect, it } from "vitest";
import {
  CoreOptions,
  DataTypes,
  escapePathName,
  isStreamhouseError,
  parseDurationMs,
  parseMemorySize,
  parsePartitionPath,
  partitionPath,
  partitionValueToString,
  Timestamps,
  unescapePathName,
} from "@streamhouse/format";

describe("CoreOptions", () => {
  it("has Paimon's defaults", () => {
    const o = new CoreOptions({});
    expect(o.bucket()).toBe(-1);
    expect(new CoreOptions({}, 1).bucket()).toBe(1);
    expect(o.fileFormat()).toBe("parquet");
    expect(new CoreOptions({}, 2).fileFormat()).toBe("orc");
    expect(o.mergeEngine()).toBe("deduplicate");
    expect(o.changelogProducer()).toBe("none");
    expect(o.numSortedRunCompactionTrigger()).toBe(5);
    expect(o.numSortedRunStopTrigger()).toBe(8);
    expect(o.numLevels()).toBe(6);
    expect(o.manifestFormat()).toBe("avro");
    expect(o.manifestCompression()).toBe("zstd");
    expect(o.manifestTargetFileSize()).toBe(8 * 1024 * 1024);
    expect(o.manifestMergeMinCount()).toBe(30);
    expect(o.targetFileSize(true)).toBe(128 * 1024 * 1024);
    expect(o.targetFileSize(false)).toBe(256 * 1024 * 1024);
    expect(o.snapshotNumRetainedMin()).toBe(10);
    expect(o.snapshotTimeRetainedMs()).toBe(3_600_000);
    expect(o.statsMode()).toBe("truncate(16)");
    expect(o.partitionDefaultName()).toBe("__DEFAULT_PARTITION__");
  });

  it("reads typed values and per-field options", () => {
    const o = new CoreOptions({
      bucket: "4",
      "merge-engine": "PARTIAL-UPDATE",
      "fields.g1.sequence-group": "a,b",
      "fields.v.aggregate-function": "sum",
      "write-buffer-size": "64 mb",
      "snapshot.time-retained": "30 min",
    });
    expect(o.bucket()).toBe(4);
    expect(o.mergeEngine()).toBe("partial-update");
    expect(o.sequenceGroups()).toEqual([{ sequenceFields: ["g1"], fields: ["a", "b"] }]);
    expect(o.fieldAggregateFunction("v")).toBe("sum");
    expect(o.fieldAggregateFunction("w")).toBeNull();
    expect(o.writeBufferSize()).toBe(64 * 1024 * 1024);
    expect(o.snapshotTimeRetainedMs()).toBe(1_800_000);
    expect(o.with({ bucket: "8" }).bucket()).toBe(8);
  });

  it("names the option when a value is bad", () => {
    for (const [k, v] of [["bucket", "four"], ["merge-engine", "magic"], ["write-buffer-size", "lots"], ["write-only", "yes"]] as const) {
      const o = new CoreOptions({ [k]: v });
      const read = () => [o.bucket(), o.mergeEngine(), o.writeBufferSize(), o.writeOnly()];
      expect(read).toThrow(new RegExp(`option "${k}"`));
      try {
        read();
      } catch (e) {
        expect(isStreamhouseError(e, "InvalidArgument")).toBe(true);
      }
    }
    expect(parseMemorySize("1.5 kb")).toBe(1536);
    expect(parseDurationMs("2 h")).toBe(7_200_000);
  });
});

describe("partition paths", () => {
  it("escapes like Hive and round-trips", () => {
    expect(escapePathName("a/b=c:d%")).toBe("a%2Fb%3Dc%3Ad%25");
    expect(escapePathName("x\ny{}[]^#?*'\"\\")).toBe("x%0Ay%7B%7D%5B%5D%5E%23%3F%2A%27%22%5C");
    expect(escapePathName("日本 ok-_.")).toBe("日本 ok-_.");
    for (const s of ["a/b=c", "%%", "100%", "..", "\u0001\u007f", "plain"]) expect(unescapePathName(escapePathName(s))).toBe(s);
    expect(unescapePathName("100%zz")).toBe("100%zz");
  });

  it("writes null and empty values as the default partition", () => {
    expect(partitionPath([["dt", "2024-01-01"], ["hr", null]])).toBe("dt=2024-01-01/hr=__DEFAULT_PARTITION__/");
    expect(partitionPath([["p", ""]], "NULLP")).toBe("p=NULLP/");
    expect(partitionPath([])).toBe("");
    expect(parsePartitionPath("dt=2024-01-01/hr=__DEFAULT_PARTITION__/")).toEqual([
      ["dt", "2024-01-01"],
      ["hr", null],
    ]);
    expect(() => parsePartitionPath("bucket-0")).toThrow(/not a partition directory/);
  });

  it("formats values as Java's toString (legacy) or as SQL casts", () => {
    expect(partitionValueToString(DataTypes.INT(), 10)).toBe("10");
    expect(partitionValueToString(DataTypes.DATE(), 19723)).toBe("19723");
    expect(partitionValueToString(DataTypes.DATE(), 19723, false)).toBe("2024-01-01");
    const ts = Timestamps.parse("2024-01-01T10:00:00");
    expect(partitionValueToString(DataTypes.TIMESTAMP(3), ts)).toBe("2024-01-01T10:00");
    expect(partitionValueToString(DataTypes.TIMESTAMP(3), Timestamps.parse("2024-01-01T10:00:01.5"))).toBe("2024-01-01T10:00:01.500");
    expect(partitionValueToString(DataTypes.TIMESTAMP(0), ts, false)).toBe("2024-01-01 10:00:00");
    expect(partitionValueToString(DataTypes.STRING(), null)).toBeNull();
  });
});
