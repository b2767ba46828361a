import { describe, expect, it } from "vitest";
import type { Row, TableSchema } from "@streamhouse/format";
import { CoreOptions, DataTypes, isStreamhouseError, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { FirstRowMergeFunction } from "../src/merge/first-row-merge-function.js";
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

describe("first-row (FirstRowMergeFunction)", () => {
  it("keeps the first version and ignores later ones", () => {
    const mf = createMergeFunction(schema, new CoreOptions({ "merge-engine": "first-row" }));
    expect(mf).toBeInstanceOf(FirstRowMergeFunction);
    const first = kv(1, RowKind.INSERT, [1, "a"]);
    const r = merge(mf, [first, kv(2, RowKind.UPDATE_AFTER, [1, "b"]), kv(3, RowKind.INSERT, [1, "c"])]);
    expect(r).toBe(first);
  });

  it("refuses -D and -U without ignore-delete", () => {
    const mf = createMergeFunction(schema, new CoreOptions({ "merge-engine": "first-row" }));
    for (const kind of [RowKind.DELETE, RowKind.UPDATE_BEFORE]) {
      try {
        merge(mf, [kv(1, RowKind.INSERT, [1, "a"]), kv(2, kind, [1, "a"])]);
        expect.unreachable();
      } catch (e) {
        expect(isStreamhouseError(e, "Unsupported")).toBe(true);
        expect((e as Error).message).toContain("ignore-delete");
      }
    }
  });

  it("with ignore-delete (or first-row.ignore-delete) skips retractions, even before the first row", () => {
    for (const key of ["ignore-delete", "first-row.ignore-delete"]) {
      const mf = createMergeFunction(schema, new CoreOptions({ "merge-engine": "first-row", [key]: "true" }));
      const r = merge(mf, [kv(1, RowKind.DELETE, [1, "x"]), kv(2, RowKind.INSERT, [1, "a"]), kv(3, RowKind.DELETE, [1, "a"])]);
      expect([r?.value[1], r?.sequenceNumber, r?.valueKind]).toEqual(["a", 2n, RowKind.INSERT]);
      expect(merge(mf, [kv(1, RowKind.DELETE, [1, "x"])])).toBeNull();
    }
  });
});
