import { describe, expect, it } from "vitest";
import { RowKind } from "@streamhouse/format";
import { fullChangelogMerge, lookupChangelogMerge, lookupVersions } from "../src/compact/changelog-merge.js";
import type { KeyValue } from "../src/kv/key-value.js";
import { DeduplicateMergeFunction } from "../src/merge/deduplicate-merge-function.js";
import { FirstRowMergeFunction } from "../src/merge/first-row-merge-function.js";

const kv = (seq: number, v: string | null, level: number, kind: RowKind = RowKind.INSERT): KeyValue => ({
  key: [1],
  sequenceNumber: BigInt(seq),
  valueKind: kind,
  value: [1, v],
  level,
});
const show = (r: { result: KeyValue | null; changelog: readonly KeyValue[] }) => ({
  result: r.result === null ? null : `${r.result.valueKind}:${r.result.value[1]}`,
  changelog: r.changelog.map((c) => `${c.valueKind}:${c.value[1]}`),
});
const dedup = () => new DeduplicateMergeFunction(false);
const eq = (a: KeyValue, b: KeyValue) => a.value[1] === b.value[1];

describe("lookup changelog merge", () => {
  it("emits +I for a new key, -U/+U against the looked-up value, -D for a delete", () => {
    const on = { produceChangelog: true };
    expect(show(lookupChangelogMerge([kv(5, "a", 0)], dedup(), null, on))).toEqual({ result: "0:a", changelog: ["0:a"] });
    expect(show(lookupChangelogMerge([kv(5, "b", 0)], dedup(), kv(1, "a", 3), on))).toEqual({ result: "0:b", changelog: ["1:a", "2:b"] });
    expect(show(lookupChangelogMerge([kv(5, null, 0, RowKind.DELETE)], dedup(), kv(1, "a", 3), on))).toEqual({ result: "3:null", changelog: ["3:a"] });
    // a delete of a key that does not exist: nothing to report
    expect(show(lookupChangelogMerge([kv(5, null, 0, RowKind.DELETE)], dedup(), null, on)).changelog).toEqual([]);
    // a high-level input version wins over the lookup, and no level 0 means no changelog
    expect(show(lookupChangelogMerge([kv(2, "x", 2), kv(5, "y", 0)], dedup(), kv(1, "a", 3), on)).changelog).toEqual(["1:x", "2:y"]);
    expect(show(lookupChangelogMerge([kv(1, "x", 1), kv(2, "y", 2)], dedup(), null, on)).changelog).toEqual([]);
    // row-deduplicate drops equal updates
    expect(show(lookupChangelogMerge([kv(5, "a", 0)], dedup(), kv(1, "a", 3), { produceChangelog: true, rowDeduplicate: eq })).changelog).toEqual([]);
  });

  it("first-row keeps the existing version and reports only new keys", () => {
    const on = { produceChangelog: true, firstRow: true };
    expect(show(lookupChangelogMerge([kv(5, "b", 0)], new FirstRowMergeFunction(false), kv(1, "a", 3), on))).toEqual({ result: null, changelog: [] });
    expect(show(lookupChangelogMerge([kv(5, "b", 0), kv(6, "c", 0)], new FirstRowMergeFunction(false), null, on))).toEqual({ result: "0:b", changelog: ["0:b"] });
  });

  it("considers only the newest version above level 0", () => {
    expect(lookupVersions([kv(1, "old", 3), kv(2, "new", 1), kv(3, "l0", 0)]).map((k) => k.value[1])).toEqual(["new", "l0"]);
  });
});

describe("full-compaction changelog merge", () => {
  it("diffs the merged value against the last level", () => {
    expect(show(fullChangelogMerge([kv(1, "a", 5), kv(2, "b", 0)], dedup(), 5, eq)).changelog).toEqual(["1:a", "2:b"]);
    expect(show(fullChangelogMerge([kv(1, "a", 5), kv(2, "a", 0)], dedup(), 5, eq)).changelog).toEqual([]);
    expect(show(fullChangelogMerge([kv(1, "a", 5), kv(2, null, 0, RowKind.DELETE)], dedup(), 5, eq)).changelog).toEqual(["3:a"]);
    expect(show(fullChangelogMerge([kv(2, "n", 1)], dedup(), 5, eq)).changelog).toEqual(["0:n"]);
    expect(show(fullChangelogMerge([kv(2, "n", 5)], dedup(), 5, eq)).changelog).toEqual([]);
  });
});
