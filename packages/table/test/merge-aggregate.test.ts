import { describe, expect, it } from "vitest";
import type { DataField, DataType, Row, TableSchema, Value } from "@streamhouse/format";
import { CoreOptions, DataTypes, Decimals, isStreamhouseError, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { AggregateMergeFunction } from "../src/merge/aggregate-merge-function.js";
import { createFieldAggregator } from "../src/merge/aggregate/field-aggregator-factory.js";
import { createMergeFunction } from "../src/merge/merge-function-factory.js";
import type { MergeFunction } from "../src/merge/merge-function.js";

const { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE } = RowKind;
type Kind = KeyValue["valueKind"];

function expectError(fn: () => unknown, kind: string, ...texts: string[]): void {
  try {
    fn();
    expect.unreachable();
  } catch (e) {
    expect(isStreamhouseError(e), String(e)).toBe(true);
    expect((e as { kind: string }).kind).toBe(kind);
    for (const t of texts) expect((e as Error).message).toContain(t);
  }
}

/** Folds `inputs` (kind, value) for one field of `type` with `fn`, through a real aggregation merge function. */
function fold(type: DataType, fn: string, inputs: [Kind, Value | null][], extra: Record<string, string> = {}): Value | null {
  const fields: DataField[] = [DataTypes.FIELD(0, "k", DataTypes.INT(false)), DataTypes.FIELD(1, "f", type)];
  const schema: TableSchema = { version: 3, id: 0, fields, highestFieldId: 1, partitionKeys: [], primaryKeys: ["k"], options: {}, comment: null, timeMillis: 0 };
  const mf = createMergeFunction(schema, new CoreOptions({ "merge-engine": "aggregation", "fields.f.aggregate-function": fn, ...extra }));
  mf.reset();
  inputs.forEach(([kind, v], i) => {
    mf.add({ key: [1], sequenceNumber: BigInt(i), valueKind: kind, value: [1, v], level: 0 });
  });
  const r = mf.getResult();
  expect(r?.valueKind).toBe(INSERT);
  expect(r?.value[0]).toBe(1);
  return r?.value[1] ?? null;
}

const add = (v: Value | null): [Kind, Value | null] => [INSERT, v];
const upd = (v: Value | null): [Kind, Value | null] => [UPDATE_AFTER, v];
const ub = (v: Value | null): [Kind, Value | null] => [UPDATE_BEFORE, v];
const del = (v: Value | null): [Kind, Value | null] => [DELETE, v];
const dec = (s: string, p = 5, sc = 2) => Decimals.parse(s, p, sc);

describe("sum (FieldSumAgg)", () => {
  it("adds, skipping nulls", () => {
    expect(fold(DataTypes.INT(), "sum", [add(1), add(null), upd(2), add(3)])).toBe(6);
    expect(fold(DataTypes.INT(), "sum", [add(null), add(null)])).toBeNull();
    expect(fold(DataTypes.BIGINT(), "sum", [add(2n ** 62n), add(5n)])).toBe(2n ** 62n + 5n);
    expect(fold(DataTypes.DOUBLE(), "sum", [add(0.1), add(0.2)])).toBe(0.1 + 0.2);
    expect(fold(DataTypes.FLOAT(), "sum", [add(Math.fround(0.1)), add(Math.fround(0.2))])).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it("wraps around like Java on overflow", () => {
    expect(fold(DataTypes.INT(), "sum", [add(2147483647), add(1)])).toBe(-2147483648);
    expect(fold(DataTypes.TINYINT(), "sum", [add(127), add(1)])).toBe(-128);
    expect(fold(DataTypes.SMALLINT(), "sum", [add(32767), add(2)])).toBe(-32767);
    expect(fold(DataTypes.BIGINT(), "sum", [add(2n ** 63n - 1n), add(1n)])).toBe(-(2n ** 63n));
  });

  it("adds decimals; a compact decimal may outgrow its precision, a wide one becomes null", () => {
    expect(fold(DataTypes.DECIMAL(5, 2), "sum", [add(dec("1.25")), add(dec("2.50"))])).toEqual(dec("3.75"));
    expect(fold(DataTypes.DECIMAL(5, 2), "sum", [add(dec("999.99")), add(dec("0.01"))])).toEqual({ unscaled: 100000n, precision: 5, scale: 2 });
    const wide = DataTypes.DECIMAL(20, 0);
    const max = Decimals.parse("99999999999999999999", 20, 0);
    expect(fold(wide, "sum", [add(max), add(Decimals.parse("1", 20, 0))])).toBeNull();
  });

  it("retracts by subtracting; from a null accumulator it negates", () => {
    expect(fold(DataTypes.INT(), "sum", [add(10), ub(3), del(2), add(1)])).toBe(6);
    expect(fold(DataTypes.INT(), "sum", [del(4)])).toBe(-4);
    expect(fold(DataTypes.INT(), "sum", [add(4), del(null)])).toBe(4);
    expect(fold(DataTypes.DECIMAL(5, 2), "sum", [ub(dec("1.50"))])).toEqual(dec("-1.50"));
    expect(fold(DataTypes.TINYINT(), "sum", [del(-128)])).toBe(-128);
  });

  it("needs a numeric type", () => {
    expectError(() => fold(DataTypes.STRING(), "sum", []), "InvalidArgument", '"f"', "sum");
  });
});

describe("product (FieldProductAgg)", () => {
  it("multiplies, skipping nulls, with Java overflow", () => {
    expect(fold(DataTypes.INT(), "product", [add(3), add(null), add(-4)])).toBe(-12);
    expect(fold(DataTypes.INT(), "product", [add(65536), add(65536)])).toBe(0);
    expect(fold(DataTypes.BIGINT(), "product", [add(2n ** 32n), add(2n ** 32n)])).toBe(0n);
    expect(fold(DataTypes.DOUBLE(), "product", [add(1.5), add(2)])).toBe(3);
  });

  it("multiplies decimals rounding HALF_UP to the scale, null on overflow", () => {
    expect(fold(DataTypes.DECIMAL(5, 2), "product", [add(dec("1.25")), add(dec("1.25"))])).toEqual(dec("1.56"));
    expect(fold(DataTypes.DECIMAL(5, 2), "product", [add(dec("-1.25")), add(dec("1.25"))])).toEqual(dec("-1.56"));
    expect(fold(DataTypes.DECIMAL(5, 2), "product", [add(dec("100.00")), add(dec("10.00"))])).toBeNull();
  });

  it("retracts by dividing; nulls leave the accumulator", () => {
    expect(fold(DataTypes.INT(), "product", [add(12), del(4)])).toBe(3);
    expect(fold(DataTypes.INT(), "product", [add(7), ub(2)])).toBe(3);
    expect(fold(DataTypes.INT(), "product", [del(2)])).toBeNull();
    expect(fold(DataTypes.DECIMAL(5, 2), "product", [add(dec("3.00")), del(dec("0.40"))])).toEqual(dec("7.50"));
    expectError(() => fold(DataTypes.DECIMAL(5, 2), "product", [add(dec("1.00")), del(dec("3.00"))]), "DataInvalid", "non-terminating");
    expectError(() => fold(DataTypes.INT(), "product", [add(1), del(0)]), "DataInvalid", "zero");
    expect(fold(DataTypes.DOUBLE(), "product", [add(1), del(0)])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("max and min (FieldMaxAgg, FieldMinAgg)", () => {
  it("keep the extreme value, skipping nulls", () => {
    expect(fold(DataTypes.INT(), "max", [add(null), add(3), add(9), add(null), add(-1)])).toBe(9);
    expect(fold(DataTypes.INT(), "min", [add(3), add(null), add(-1), add(9)])).toBe(-1);
    expect(fold(DataTypes.STRING(), "max", [add("\uFFFF"), add("😀"), add("z")])).toBe("😀");
    expect(fold(DataTypes.DECIMAL(5, 2), "min", [add(dec("1.50")), add(dec("-0.01"))])).toEqual(dec("-0.01"));
    expect(fold(DataTypes.INT(), "max", [add(null)])).toBeNull();
  });

  it("cannot retract unless told to ignore retractions", () => {
    expectError(() => fold(DataTypes.INT(), "max", [add(3), del(3)]), "Unsupported", '"f"', "'max'", "ignore-retract");
    expect(fold(DataTypes.INT(), "min", [add(3), del(1), ub(0), add(5)], { "fields.f.ignore-retract": "true" })).toBe(3);
  });

  it("fail on types Paimon cannot compare, when two values meet", () => {
    expect(fold(DataTypes.BOOLEAN(), "max", [add(true), add(null)])).toBe(true);
    expectError(() => fold(DataTypes.BOOLEAN(), "max", [add(true), add(false)]), "Unsupported", "BOOLEAN");
  });
});

describe("last_value, last_non_null_value, first_value, first_non_null_value", () => {
  it("last_value takes the latest value, null included, and retracts to null", () => {
    expect(fold(DataTypes.STRING(), "last_value", [add("a"), add("b"), add(null)])).toBeNull();
    expect(fold(DataTypes.STRING(), "last_value", [add("a"), del("a")])).toBeNull();
    expect(fold(DataTypes.STRING(), "last_value", [add("a"), del("a"), add("c")])).toBe("c");
  });

  it("last_non_null_value is the default and retracts to null only on a non-null retraction", () => {
    expect(fold(DataTypes.STRING(), "last_non_null_value", [add("a"), add(null)])).toBe("a");
    const fields: DataField[] = [DataTypes.FIELD(0, "k", DataTypes.INT(false)), DataTypes.FIELD(1, "f", DataTypes.STRING())];
    const schema: TableSchema = { version: 3, id: 0, fields, highestFieldId: 1, partitionKeys: [], primaryKeys: ["k"], options: {}, comment: null, timeMillis: 0 };
    const mf = createMergeFunction(schema, new CoreOptions({ "merge-engine": "aggregation" }));
    mf.reset();
    mf.add({ key: [1], sequenceNumber: 1n, valueKind: INSERT, value: [1, "a"], level: 0 });
    mf.add({ key: [1], sequenceNumber: 2n, valueKind: INSERT, value: [1, null], level: 0 });
    expect(mf.getResult()?.value).toEqual([1, "a"]);
    expect(fold(DataTypes.STRING(), "last_non_null_value", [add("a"), del(null)])).toBe("a");
    expect(fold(DataTypes.STRING(), "last_non_null_value", [add("a"), del("zzz")])).toBeNull();
  });

  it("first_value keeps the first value even if null; first_non_null_value the first non-null", () => {
    expect(fold(DataTypes.INT(), "first_value", [add(null), add(2), add(3)])).toBeNull();
    expect(fold(DataTypes.INT(), "first_value", [add(1), add(2)])).toBe(1);
    expect(fold(DataTypes.INT(), "first_non_null_value", [add(null), add(2), add(3)])).toBe(2);
    expect(fold(DataTypes.INT(), "first_not_null_value", [add(null), add(2), add(3)])).toBe(2);
    expectError(() => fold(DataTypes.INT(), "first_value", [add(1), del(1)]), "Unsupported", "first_value");
    expectError(() => fold(DataTypes.INT(), "first_non_null_value", [add(1), ub(1)]), "Unsupported", "first_non_null_value");
  });

  it("the first_* functions forget their value between keys (reset)", () => {
    const fields: DataField[] = [DataTypes.FIELD(0, "k", DataTypes.INT(false)), DataTypes.FIELD(1, "f", DataTypes.INT())];
    const mf = AggregateMergeFunction.create(fields, ["k"], new CoreOptions({ "fields.f.aggregate-function": "first_value" }));
    for (const v of [5, 6]) {
      mf.reset();
      mf.add({ key: [v], sequenceNumber: 1n, valueKind: INSERT, value: [v, v], level: 0 });
      mf.add({ key: [v], sequenceNumber: 2n, valueKind: INSERT, value: [v, 100], level: 0 });
      expect(mf.getResult()?.value).toEqual([v, v]);
    }
  });
});

describe("listagg (FieldListaggAgg)", () => {
  it("joins with ',' by default, skipping nulls and empty strings", () => {
    expect(fold(DataTypes.STRING(), "listagg", [add("a"), add(null), add(""), add("b"), add("a")])).toBe("a,b,a");
    expect(fold(DataTypes.STRING(), "listagg", [add("a"), add("b")], { "fields.f.list-agg-delimiter": " | " })).toBe("a | b");
  });

  it("distinct appends tokens not already contained (as substrings) in the accumulator", () => {
    const opts = { "fields.f.distinct": "true" };
    expect(fold(DataTypes.STRING(), "listagg", [add("a,b"), add("b,c,,c"), add("d")], opts)).toBe("a,b,c,c,d");
    expect(fold(DataTypes.STRING(), "listagg", [add("xaby"), add("ab")], opts)).toBe("xaby");
  });

  it("needs VARCHAR and cannot retract", () => {
    expectError(() => fold(DataTypes.CHAR(3), "listagg", []), "InvalidArgument", "listagg", '"f"');
    expectError(() => fold(DataTypes.STRING(), "listagg", [add("a"), del("a")]), "Unsupported", "listagg");
    expect(fold(DataTypes.STRING(), "listagg", [add("a"), del("a"), add("b")], { "fields.f.ignore-retract": "true" })).toBe("a,b");
  });
});

describe("bool_and, bool_or (FieldBoolAndAgg, FieldBoolOrAgg)", () => {
  it("combine booleans, skipping nulls", () => {
    expect(fold(DataTypes.BOOLEAN(), "bool_and", [add(true), add(null), add(true)])).toBe(true);
    expect(fold(DataTypes.BOOLEAN(), "bool_and", [add(true), add(false), add(true)])).toBe(false);
    expect(fold(DataTypes.BOOLEAN(), "bool_or", [add(false), add(null), add(false)])).toBe(false);
    expect(fold(DataTypes.BOOLEAN(), "bool_or", [add(null), add(true), add(false)])).toBe(true);
    expect(fold(DataTypes.BOOLEAN(), "bool_or", [add(null)])).toBeNull();
  });

  it("need BOOLEAN and cannot retract", () => {
    expectError(() => fold(DataTypes.INT(), "bool_or", []), "InvalidArgument", "bool_or");
    expectError(() => fold(DataTypes.BOOLEAN(), "bool_and", [add(true), ub(true)]), "Unsupported", "bool_and");
  });
});

describe("unknown and unsupported functions", () => {
  it("name the field and the function", () => {
    expectError(() => fold(DataTypes.INT(), "summ", []), "Unsupported", '"f"', "'summ'");
    expectError(() => fold(DataTypes.INT(), "count", []), "Unsupported", '"f"', "'count'", "0.9");
    expectError(() => fold(DataTypes.ARRAY(DataTypes.INT()), "collect", []), "Unsupported", '"f"', "'collect'");
    const f = DataTypes.FIELD(3, "amount", DataTypes.INT());
    try {
      createFieldAggregator(f, "median", new CoreOptions({}));
      expect.unreachable();
    } catch (e) {
      expect((e as { context: Record<string, unknown> }).context).toEqual({ field: "amount", function: "median" });
    }
  });
});

describe("aggregation merge function (AggregateMergeFunction)", () => {
  const fields: DataField[] = [
    DataTypes.FIELD(0, "k", DataTypes.INT(false)),
    DataTypes.FIELD(1, "total", DataTypes.BIGINT()),
    DataTypes.FIELD(2, "ts", DataTypes.INT()),
    DataTypes.FIELD(3, "note", DataTypes.STRING()),
    DataTypes.FIELD(4, "hi", DataTypes.INT()),
  ];
  const schema: TableSchema = { version: 3, id: 0, fields, highestFieldId: 4, partitionKeys: [], primaryKeys: ["k"], options: {}, comment: null, timeMillis: 0 };
  const kv = (seq: number, kind: Kind, value: Row): KeyValue => ({ key: [value[0] ?? null], sequenceNumber: BigInt(seq), valueKind: kind, value, level: 0 });
  const run = (m: MergeFunction, kvs: KeyValue[]) => {
    m.reset();
    for (const x of kvs) m.add(x);
    return m.getResult();
  };

  it("keeps primary keys, applies the default function, uses last_value for sequence fields", () => {
    const m = createMergeFunction(
      schema,
      new CoreOptions({ "merge-engine": "aggregation", "fields.default-aggregate-function": "sum", "fields.note.aggregate-function": "listagg", "sequence.field": "ts" }),
    );
    const r = run(m, [kv(1, INSERT, [1, 5n, 10, "a", 1]), kv(2, INSERT, [1, 6n, null, "b", 2])]);
    expect(r?.value).toEqual([1, 11n, null, "a,b", 3]);
    expect([r?.valueKind, r?.sequenceNumber, r?.key]).toEqual([INSERT, 2n, [1]]);
  });

  it("stays +I after a retraction of the last version, and ignores ignore-delete", () => {
    const m = createMergeFunction(schema, new CoreOptions({ "merge-engine": "aggregation", "fields.total.aggregate-function": "sum", "ignore-delete": "true" }));
    const r = run(m, [kv(1, INSERT, [1, 5n, null, "a", 1]), kv(2, DELETE, [1, 5n, null, null, null])]);
    expect([r?.valueKind, r?.value]).toEqual([INSERT, [1, 0n, null, "a", 1]]);
    expect(run(m, [])).toBeNull();
  });

  it("aggregation.remove-record-on-delete: a -D empties the row and makes a tombstone", () => {
    const m = createMergeFunction(
      schema,
      new CoreOptions({ "merge-engine": "aggregation", "fields.total.aggregate-function": "sum", "aggregation.remove-record-on-delete": "true" }),
    );
    const d = run(m, [kv(1, INSERT, [1, 5n, 1, "a", 1]), kv(2, DELETE, [1, 5n, 1, "a", 1])]);
    expect([d?.valueKind, d?.value, d?.sequenceNumber]).toEqual([DELETE, [1, null, null, null, null], 2n]);
    const again = run(m, [kv(1, INSERT, [1, 5n, 1, "a", 1]), kv(2, DELETE, [1, 5n, 1, "a", 1]), kv(3, INSERT, [1, 2n, null, null, 7])]);
    expect([again?.valueKind, again?.value]).toEqual([INSERT, [1, 2n, null, null, 7]]);
    // -U is still a retraction, not a removal.
    const u = run(m, [kv(1, INSERT, [1, 5n, 1, "a", 1]), kv(2, UPDATE_BEFORE, [1, 2n, null, null, null])]);
    expect([u?.valueKind, u?.value]).toEqual([INSERT, [1, 3n, 1, "a", 1]]);
  });

  it("works on projected rows", () => {
    const m = createMergeFunction(schema, new CoreOptions({ "merge-engine": "aggregation", "fields.hi.aggregate-function": "max" }), ["k", "hi"]);
    expect(run(m, [kv(1, INSERT, [1, 4]), kv(2, INSERT, [1, 2])])?.value).toEqual([1, 4]);
    expectError(() => createMergeFunction(schema, new CoreOptions({ "merge-engine": "aggregation" }), ["k", "nope"]), "NotFound", "nope");
  });
});
