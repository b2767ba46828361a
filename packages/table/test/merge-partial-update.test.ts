import { describe, expect, it } from "vitest";
import type { DataField, Row, TableSchema } from "@streamhouse/format";
import { CoreOptions, DataTypes, isStreamhouseError, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { createMergeFunction } from "../src/merge/merge-function-factory.js";
import type { MergeFunction } from "../src/merge/merge-function.js";

const { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE } = RowKind;

// k | a | b | g1 | c | d | g2
const fields: DataField[] = [
  DataTypes.FIELD(0, "k", DataTypes.INT(false)),
  DataTypes.FIELD(1, "a", DataTypes.STRING()),
  DataTypes.FIELD(2, "b", DataTypes.INT()),
  DataTypes.FIELD(3, "g1", DataTypes.INT()),
  DataTypes.FIELD(4, "c", DataTypes.STRING()),
  DataTypes.FIELD(5, "d", DataTypes.BIGINT()),
  DataTypes.FIELD(6, "g2", DataTypes.INT()),
];

function schema(): TableSchema {
  return { version: 3, id: 0, fields, highestFieldId: 6, partitionKeys: [], primaryKeys: ["k"], options: {}, comment: null, timeMillis: 0 };
}

function mf(options: Record<string, string>, readFieldNames?: string[]): MergeFunction {
  return createMergeFunction(schema(), new CoreOptions({ "merge-engine": "partial-update", ...options }), readFieldNames);
}

let seq = 0;
function kv(kind: KeyValue["valueKind"], value: Row): KeyValue {
  return { key: [value[0] ?? null], sequenceNumber: BigInt(++seq), valueKind: kind, value, level: 0 };
}

function merge(m: MergeFunction, kvs: KeyValue[]): KeyValue | null {
  m.reset();
  for (const x of kvs) m.add(x);
  return m.getResult();
}

function expectError(fn: () => unknown, kind: string, text: string): void {
  try {
    fn();
    expect.unreachable();
  } catch (e) {
    expect(isStreamhouseError(e), String(e)).toBe(true);
    expect((e as { kind: string }).kind).toBe(kind);
    expect((e as Error).message).toContain(text);
  }
}

describe("partial-update without sequence groups", () => {
  it("keeps the latest non-null value of each field", () => {
    const r = merge(mf({}), [
      kv(INSERT, [1, "a1", 1, null, null, null, null]),
      kv(UPDATE_AFTER, [1, null, 2, null, "c1", null, null]),
      kv(INSERT, [1, "a3", null, null, null, 7n, null]),
    ]);
    expect(r?.value).toEqual([1, "a3", 2, null, "c1", 7n, null]);
    expect([r?.valueKind, r?.sequenceNumber]).toEqual([INSERT, BigInt(seq)]);
  });

  it("rejects null in a NOT NULL field", () => {
    expectError(() => merge(mf({}), [kv(INSERT, [null, "a", 1, null, null, null, null])]), "SchemaMismatch", '"k"');
  });

  it("rejects deletes by default", () => {
    expectError(() => merge(mf({}), [kv(INSERT, [1, "a", 1, null, null, null, null]), kv(DELETE, [1, "a", 1, null, null, null, null])]), "Unsupported", "remove-record-on-delete");
    expectError(() => merge(mf({}), [kv(UPDATE_BEFORE, [1, "a", 1, null, null, null, null])]), "Unsupported", "ignore-delete");
  });

  it("ignore-delete skips retractions; only retractions give a -D tombstone", () => {
    for (const key of ["ignore-delete", "partial-update.ignore-delete"]) {
      const m = mf({ [key]: "true" });
      const first = kv(INSERT, [1, "a", 1, null, null, null, null]);
      const r = merge(m, [first, kv(DELETE, [1, null, null, null, null, null, null]), kv(UPDATE_BEFORE, [1, "x", 9, null, null, null, null])]);
      expect([r?.valueKind, r?.value, r?.sequenceNumber]).toEqual([INSERT, [1, "a", 1, null, null, null, null], first.sequenceNumber]);
      const d = merge(m, [kv(DELETE, [2, "x", 1, null, null, null, null])]);
      expect([d?.valueKind, d?.value, d?.sequenceNumber]).toEqual([DELETE, [2, null, null, null, null, null, null], 0n]);
    }
  });

  it("remove-record-on-delete: -D empties the row, a later +I starts over, -U is skipped", () => {
    const m = mf({ "partial-update.remove-record-on-delete": "true" });
    const ins = kv(INSERT, [1, "a", 1, null, "c", null, null]);
    const del = kv(DELETE, [1, "a", null, null, null, null, null]);
    const d = merge(m, [ins, del]);
    expect([d?.valueKind, d?.value, d?.sequenceNumber]).toEqual([DELETE, [1, null, null, null, null, null, null], del.sequenceNumber]);
    const again = merge(m, [ins, del, kv(INSERT, [1, null, 5, null, null, null, null])]);
    expect([again?.valueKind, again?.value]).toEqual([INSERT, [1, null, 5, null, null, null, null]]);
    const u = merge(m, [ins, kv(UPDATE_BEFORE, [1, "a", 1, null, "c", null, null])]);
    expect([u?.valueKind, u?.value]).toEqual([INSERT, [1, "a", 1, null, "c", null, null]]);
    // Java quirk kept: a -U after the -D clears the "deleted" mark, leaving an empty +I row.
    const quirk = merge(m, [ins, del, kv(UPDATE_BEFORE, [1, "a", null, null, null, null, null])]);
    expect([quirk?.valueKind, quirk?.value]).toEqual([INSERT, [1, null, null, null, null, null, null]]);
  });
});

describe("partial-update with sequence groups", () => {
  const groups = { "fields.g1.sequence-group": "a,b" };

  it("updates a group only when its sequence does not go back; nulls inside the group overwrite", () => {
    const m = mf(groups);
    const r1 = merge(m, [kv(INSERT, [1, "x", 1, 5, "c1", null, null]), kv(INSERT, [1, "old", 9, 3, "c2", null, null])]);
    expect(r1?.value).toEqual([1, "x", 1, 5, "c2", null, null]);
    const r2 = merge(m, [kv(INSERT, [1, "x", 1, 5, null, null, null]), kv(INSERT, [1, "new", null, 7, null, null, null])]);
    expect(r2?.value).toEqual([1, "new", null, 7, null, null, null]);
    const tie = merge(m, [kv(INSERT, [1, "x", 1, 5, null, null, null]), kv(INSERT, [1, "tie", 2, 5, null, null, null])]);
    expect(tie?.value).toEqual([1, "tie", 2, 5, null, null, null]);
  });

  it("a version whose sequence field is null leaves the group alone", () => {
    const r = merge(mf(groups), [kv(INSERT, [1, "x", 1, 5, null, null, null]), kv(INSERT, [1, "skip", 2, null, "c", null, null])]);
    expect(r?.value).toEqual([1, "x", 1, 5, "c", null, null]);
    const first = merge(mf(groups), [kv(INSERT, [1, "skip", 2, null, null, null, null]), kv(INSERT, [1, "y", null, 1, null, null, null])]);
    expect(first?.value).toEqual([1, "y", null, 1, null, null, null]);
  });

  it("several groups move independently, and a group may have several sequence fields", () => {
    const m = mf({ "fields.g1.sequence-group": "a", "fields.g2.sequence-group": "b" });
    const r = merge(m, [
      kv(INSERT, [1, "a1", 10, 1, null, null, 10]),
      kv(INSERT, [1, "a2", 20, 2, null, null, 5]),
      kv(INSERT, [1, "a0", 30, 0, null, null, 11]),
    ]);
    expect(r?.value).toEqual([1, "a2", 30, 2, null, null, 11]);
    const multi = mf({ "fields.g1,g2.sequence-group": "a" });
    const r2 = merge(multi, [kv(INSERT, [1, "p", null, 1, null, null, 9]), kv(INSERT, [1, "q", null, 1, null, null, 3]), kv(INSERT, [1, "r", null, 2, null, null, 0])]);
    expect(r2?.value).toEqual([1, "r", null, 2, null, null, 0]);
    // (1, null) is below (1, 3): a null sequence part sorts first.
    const r3 = merge(multi, [kv(INSERT, [1, "p", null, 1, null, null, 3]), kv(INSERT, [1, "q", null, 1, null, null, null])]);
    expect(r3?.value).toEqual([1, "p", null, 1, null, null, 3]);
  });

  it("retractions null the group's fields when their sequence is not behind", () => {
    const m = mf(groups);
    const r = merge(m, [kv(INSERT, [1, "x", 1, 5, "c", null, null]), kv(UPDATE_BEFORE, [1, "x", 1, 6, null, null, null])]);
    expect([r?.valueKind, r?.value]).toEqual([INSERT, [1, null, null, 6, "c", null, null]]);
    const behind = merge(m, [kv(INSERT, [1, "x", 1, 5, "c", null, null]), kv(DELETE, [1, "x", 1, 4, null, null, null])]);
    expect(behind?.value).toEqual([1, "x", 1, 5, "c", null, null]);
    const only = merge(m, [kv(DELETE, [1, "x", 1, 4, null, null, null])]);
    expect([only?.valueKind, only?.value]).toEqual([DELETE, [1, null, null, 4, null, null, null]]);
  });

  it("remove-record-on-sequence-group removes the row on a -D of that group", () => {
    const m = mf({ ...groups, "fields.g2.sequence-group": "c", "partial-update.remove-record-on-sequence-group": "g1" });
    const base = kv(INSERT, [1, "x", 1, 5, "c", null, 1]);
    const r = merge(m, [base, kv(DELETE, [1, null, null, 6, null, null, null])]);
    expect([r?.valueKind, r?.value]).toEqual([DELETE, [1, null, null, null, null, null, null]]);
    const otherGroup = merge(m, [base, kv(DELETE, [1, null, null, null, null, null, 2])]);
    expect([otherGroup?.valueKind, otherGroup?.value]).toEqual([INSERT, [1, "x", 1, 5, null, null, 2]]);
    const minus = merge(m, [base, kv(UPDATE_BEFORE, [1, null, null, 6, null, null, null])]);
    expect([minus?.valueKind, minus?.value]).toEqual([INSERT, [1, null, null, 6, "c", null, 1]]);
    const revived = merge(m, [base, kv(DELETE, [1, null, null, 6, null, null, null]), kv(INSERT, [1, "y", null, 1, null, null, null])]);
    expect([revived?.valueKind, revived?.value]).toEqual([INSERT, [1, "y", null, 1, null, null, null]]);
  });

  it("aggregates fields of a group, folding older versions with aggReversed and retracting", () => {
    const m = mf({ "fields.g1.sequence-group": "d,a", "fields.d.aggregate-function": "sum", "fields.a.aggregate-function": "last_value" });
    const r = merge(m, [
      kv(INSERT, [1, "new", null, 5, null, 10n, null]),
      kv(INSERT, [1, "older", null, 3, null, 1n, null]),
      kv(UPDATE_BEFORE, [1, "x", null, 6, null, 4n, null]),
    ]);
    // sum takes older versions too; last_value keeps the newer value; the -U subtracts 4 and clears a.
    expect(r?.value).toEqual([1, null, null, 6, null, 7n, null]);
  });

  it("validates the configuration like Java's factory", () => {
    expectError(() => mf({ "fields.zz.sequence-group": "a" }), "InvalidArgument", "zz");
    expectError(() => mf({ "fields.g1.sequence-group": "a,nope" }), "InvalidArgument", "nope");
    expectError(() => mf({ "fields.g1.sequence-group": "a", "fields.g2.sequence-group": "a" }), "InvalidArgument", "repeatedly");
    expectError(() => mf({ "fields.c.aggregate-function": "sum" }), "InvalidArgument", "sequence group");
    expectError(() => mf({ "fields.default-aggregate-function": "max", "fields.g1.sequence-group": "a" }), "InvalidArgument", "sequence group");
    expect(() => mf({ "fields.c.aggregate-function": "last_non_null_value" })).not.toThrow();
    expectError(() => mf({ "ignore-delete": "true", "partial-update.remove-record-on-delete": "true" }), "InvalidArgument", "conflict");
    expectError(() => mf({ ...groups, "partial-update.remove-record-on-delete": "true" }), "InvalidArgument", "conflict");
    expectError(() => mf({ ...groups, "ignore-delete": "true", "partial-update.remove-record-on-sequence-group": "g1" }), "InvalidArgument", "conflict");
    expectError(() => mf({ ...groups, "partial-update.remove-record-on-sequence-group": "a" }), "InvalidArgument", "sequence field");
    expectError(() => mf({ ...groups, "fields.a.aggregate-function": "nope" }), "Unsupported", "nope");
  });

  it("works on projected rows that carry the group's sequence field", () => {
    const m = mf(groups, ["k", "a", "g1"]);
    const r = merge(m, [kv(INSERT, [1, "x", 5]), kv(INSERT, [1, "y", 4])]);
    expect(r?.value).toEqual([1, "x", 5]);
    expectError(() => mf(groups, ["k", "a"]), "InvalidArgument", "g1");
    // No group read: plain latest-non-null, but retractions still go the sequence-group way.
    const c = mf(groups, ["k", "c"]);
    const r2 = merge(c, [kv(INSERT, [1, "c1"]), kv(DELETE, [1, null])]);
    expect([r2?.valueKind, r2?.value]).toEqual([INSERT, [1, "c1"]]);
  });
});
