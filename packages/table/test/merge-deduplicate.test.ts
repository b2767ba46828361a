import { describe, expect, it } from "vitest";
import type { Row, TableSchema } from "@streamhouse/format";
import { CoreOptions, DataTypes, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { DeduplicateMergeFunction } from "../src/merge/deduplicate-merge-function.js";
import { createMergeFunction } from "../src/merge/merge-function-factory.js";
import type { MergeFunction } from "../src/merge/merge-function.js";

const schema: TableSchema = {
  version: 3,
  id: 0,
  fields: [DataTypes.FIELD(0, "k", DataTypes.INT(false)), DataTypes.FIELD(1, "v", DataTypes.STRING())],
  highestFieldId: 1,
  partitionKeys: [],
  primaryKeys: ["k"],
  options: {},
  comment: null,
  timeMillis: 0,
};

function kv(seq: number, kind: KeyValue["valueKind"], value: Row): KeyValue {
  return { key: [1], sequenceNumber: BigInt(seq), valueKind: kind, value, level: 0 };
}

function merge(mf: MergeFunction, kvs: KeyValue[]): KeyValue | null {
  mf.reset();
  for (const x of kvs) mf.add(x);
  return mf.getResult();
}

describe("deduplicate (DeduplicateMergeFunction)", () => {
  const mf = createMergeFunction(schema, new CoreOptions({}));

  it("is the default engine and keeps the last version", () => {
    expect(mf).toBeInstanceOf(DeduplicateMergeFunction);
    const r = merge(mf, [kv(1, RowKind.INSERT, [1, "a"]), kv(2, RowKind.UPDATE_AFTER, [1, "b"]), kv(3, RowKind.INSERT, [1, null])]);
    expect(r?.value).toEqual([1, null]);
    expect(r?.sequenceNumber).toBe(3n);
  });

  it("a last -D or -U is a tombstone; a later +I revives the key", () => {
    expect(merge(mf, [kv(1, RowKind.INSERT, [1, "a"]), kv(2, RowKind.DELETE, [1, "a"])])?.valueKind).toBe(RowKind.DELETE);
    expect(merge(mf, [kv(1, RowKind.INSERT, [1, "a"]), kv(2, RowKind.UPDATE_BEFORE, [1, "a"])])?.valueKind).toBe(RowKind.UPDATE_BEFORE);
    const r = merge(mf, [kv(1, RowKind.DELETE, [1, "a"]), kv(2, RowKind.INSERT, [1, "c"])]);
    expect([r?.valueKind, r?.value[1]]).toEqual([RowKind.INSERT, "c"]);
  });

  it("reset forgets the previous key; an empty key yields null", () => {
    merge(mf, [kv(1, RowKind.INSERT, [1, "a"])]);
    mf.reset();
    expect(mf.getResult()).toBeNull();
  });

  it("with ignore-delete skips retractions", () => {
    for (const key of ["ignore-delete", "deduplicate.ignore-delete"]) {
      const m = createMergeFunction(schema, new CoreOptions({ [key]: "true" }));
      const r = merge(m, [kv(1, RowKind.INSERT, [1, "a"]), kv(2, RowKind.DELETE, [1, "a"]), kv(3, RowKind.UPDATE_BEFORE, [1, "a"])]);
      expect([r?.valueKind, r?.value[1], r?.sequenceNumber]).toEqual([RowKind.INSERT, "a", 1n]);
      expect(merge(m, [kv(1, RowKind.DELETE, [1, "a"])])).toBeNull();
    }
  });
});
