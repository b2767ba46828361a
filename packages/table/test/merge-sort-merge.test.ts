import { describe, expect, it } from "vitest";
import type { Row } from "@streamhouse/format";
import { CoreOptions, DataTypes, isStreamhouseError, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { DeduplicateMergeFunction } from "../src/merge/deduplicate-merge-function.js";
import type { MergeFunction } from "../src/merge/merge-function.js";
import { createKeyComparator } from "../src/merge/record-comparator.js";
import { mergeByKey, mergeRuns, mergeRunsAsync, mergeSortedRuns, mergeSortedRunsAsync } from "../src/merge/sort-merge.js";
import { compareSequenceNumbers, createKeyValueComparator, createVersionComparator } from "../src/merge/version-order.js";

const keyComparator = createKeyComparator([DataTypes.INT()]);
const compare = createKeyValueComparator(keyComparator, compareSequenceNumbers);

function kv(k: number, seq: number, v: string, kind: KeyValue["valueKind"] = RowKind.INSERT): KeyValue {
  return { key: [k], sequenceNumber: BigInt(seq), valueKind: kind, value: [k, v], level: 0 };
}

const describeKv = (x: KeyValue) => `${x.key[0]}@${x.sequenceNumber}`;

/** Records every call, returning the version list per key as "the result". */
class Recorder implements MergeFunction {
  readonly groups: string[][] = [];
  private current: KeyValue[] = [];
  reset(): void {
    this.current = [];
  }
  add(x: KeyValue): void {
    this.current.push(x);
  }
  getResult(): KeyValue | null {
    this.groups.push(this.current.map(describeKv));
    return this.current.at(-1) ?? null;
  }
}

describe("mergeSortedRuns", () => {
  it("merges runs by key then sequence number", () => {
    const runs = [
      [kv(1, 5, "a"), kv(3, 6, "a")],
      [kv(1, 1, "b"), kv(2, 2, "b"), kv(3, 3, "b")],
      [],
      [kv(0, 9, "c"), kv(3, 0, "c")],
    ];
    expect([...mergeSortedRuns(runs, compare)].map(describeKv)).toEqual(["0@9", "1@1", "1@5", "2@2", "3@0", "3@3", "3@6"]);
  });

  it("handles no runs, one run, and many runs", () => {
    expect([...mergeSortedRuns([], compare)]).toEqual([]);
    expect([...mergeSortedRuns([[kv(1, 1, "x")]], compare)].map(describeKv)).toEqual(["1@1"]);
    const many = Array.from({ length: 50 }, (_, r) => Array.from({ length: 20 }, (_, i) => kv(i, r * 20 + i, "v")));
    const out = [...mergeSortedRuns(many, compare)];
    expect(out).toHaveLength(1000);
    for (let i = 1; i < out.length; i++) expect(compare(out[i - 1]!, out[i]!)).toBeLessThan(0);
  });

  it("accepts lazy iterators and pulls only what it needs", () => {
    let pulled = 0;
    function* lazy(k0: number): Generator<KeyValue> {
      for (let k = k0; k < 1_000_000; k += 2) {
        pulled++;
        yield kv(k, k, "x");
      }
    }
    const it = mergeSortedRuns([lazy(0), lazy(1)], compare);
    const first = [it.next().value, it.next().value, it.next().value] as KeyValue[];
    expect(first.map(describeKv)).toEqual(["0@0", "1@1", "2@2"]);
    expect(pulled).toBeLessThanOrEqual(5);
    it.return(undefined);
  });

  it("rejects a run that is not sorted, naming the run", () => {
    const runs = [[kv(1, 1, "a")], [kv(2, 2, "b"), kv(1, 3, "b")]];
    try {
      [...mergeSortedRuns(runs, compare)];
      expect.unreachable();
    } catch (e) {
      expect(isStreamhouseError(e, "DataInvalid")).toBe(true);
      expect((e as { context: Record<string, unknown> }).context["run"]).toBe(1);
    }
  });

  it("has an async twin that gives the same order", async () => {
    async function* asyncRun(xs: KeyValue[]): AsyncGenerator<KeyValue> {
      for (const x of xs) {
        await Promise.resolve();
        yield x;
      }
    }
    const runs = [
      [kv(1, 5, "a"), kv(3, 6, "a")],
      [kv(1, 1, "b"), kv(2, 2, "b")],
    ];
    const out: string[] = [];
    for await (const x of mergeSortedRunsAsync([asyncRun(runs[0]!), runs[1]!], compare)) out.push(describeKv(x));
    expect(out).toEqual([...mergeSortedRuns(runs, compare)].map(describeKv));
  });
});

describe("mergeByKey / mergeRuns", () => {
  it("feeds each key's versions, oldest first, to the merge function", () => {
    const rec = new Recorder();
    const sorted = mergeSortedRuns(
      [
        [kv(1, 4, "a"), kv(2, 5, "a")],
        [kv(1, 2, "b"), kv(1, 3, "b"), kv(3, 1, "b")],
      ],
      compare,
    );
    const out = [...mergeByKey(sorted, keyComparator, rec)];
    expect(rec.groups).toEqual([["1@2", "1@3", "1@4"], ["2@5"], ["3@1"]]);
    expect(out.map(describeKv)).toEqual(["1@4", "2@5", "3@1"]);
  });

  it("keeps tombstones for compaction and drops them for reads", () => {
    const runs = [[kv(1, 1, "a"), kv(2, 2, "a")], [kv(1, 3, "", RowKind.DELETE)]];
    const opts = { keyComparator, versionComparator: compareSequenceNumbers, mergeFunction: new DeduplicateMergeFunction(false) };
    expect([...mergeRuns(runs, opts)].map((x) => [describeKv(x), x.valueKind])).toEqual([
      ["1@3", RowKind.DELETE],
      ["2@2", RowKind.INSERT],
    ]);
    expect([...mergeRuns(runs, { ...opts, dropDelete: true })].map(describeKv)).toEqual(["2@2"]);
  });

  it("orders versions by sequence.field across runs", () => {
    const fields = { names: ["k", "v", "ts"], types: [DataTypes.INT(), DataTypes.STRING(), DataTypes.INT()] };
    const versionComparator = createVersionComparator(fields, new CoreOptions({ "sequence.field": "ts" }));
    const row = (k: number, seq: number, v: string, ts: number | null): KeyValue => ({
      key: [k],
      sequenceNumber: BigInt(seq),
      valueKind: RowKind.INSERT,
      value: [k, v, ts] as Row,
      level: 0,
    });
    // The later write (seq 2) carries an older event time: the earlier write wins.
    const runs = [[row(1, 1, "new", 20)], [row(1, 2, "late", 10)], [row(1, 3, "no-ts", null)]];
    const out = [...mergeRuns(runs, { keyComparator, versionComparator, mergeFunction: new DeduplicateMergeFunction(false) })];
    expect(out.map((x) => x.value[1])).toEqual(["new"]);
  });

  it("async mergeRuns matches the sync one", async () => {
    const runs = [[kv(1, 1, "a"), kv(2, 2, "a")], [kv(1, 3, "b")]];
    const opts = { keyComparator, versionComparator: compareSequenceNumbers, mergeFunction: new DeduplicateMergeFunction(false) };
    const out: string[] = [];
    for await (const x of mergeRunsAsync(runs, opts)) out.push(describeKv(x));
    expect(out).toEqual(["1@3", "2@2"]);
  });
});
