/**
 * TupleDomain → predicate, on the shapes the generated reader produces (Int64 objects
 * for i64, Buffers for binary): ranges with every bound, equatable sets, all/none,
 * nullAllowed, types left to Trino, and the bigint spans given to system tables.
 */
import { DataTypes } from "@streamhouse/format";
import { bindPredicate, evaluate, type Predicate } from "@streamhouse/table";
import Int64 from "node-int64";
import { describe, expect, it } from "vitest";
import {
  Bounds,
  bigintRanges,
  isNone,
  type ThriftBlockLike,
  type ThriftDomainLike,
  type ThriftMarkerLike,
  tupleDomainPredicate,
} from "../src/tuple-domain.js";

const fields = [
  DataTypes.FIELD(0, "id", DataTypes.BIGINT(false)),
  DataTypes.FIELD(1, "Day", DataTypes.STRING()),
  DataTypes.FIELD(2, "amount", DataTypes.DECIMAL(10, 2)),
  DataTypes.FIELD(3, "n", DataTypes.INT()),
];
const names = ["id", "day", "amount", "n"];

const big = (v: number): ThriftBlockLike => ({ bigintData: { longs: [new Int64(v) as unknown as { buffer: Buffer; offset: number }] } });
const int = (v: number): ThriftBlockLike => ({ integerData: { ints: [v] } });
const str = (s: string): ThriftBlockLike => ({ varcharData: { sizes: [Buffer.byteLength(s)], bytes: Buffer.from(s) } });
const marker = (value: ThriftBlockLike | null, bound: number): ThriftMarkerLike => (value === null ? { bound } : { value, bound });
const ranges = (rs: [ThriftMarkerLike, ThriftMarkerLike][], nullAllowed = false): ThriftDomainLike => ({
  valueSet: { rangeValueSet: { ranges: rs.map(([low, high]) => ({ low, high })) } },
  nullAllowed,
});

function matches(p: Predicate | null, row: unknown[]): boolean {
  if (p === null) return true;
  return evaluate(bindPredicate(p, fields), row as never) === true;
}

describe("tupleDomainPredicate", () => {
  it("turns ranges into comparisons with their bounds", () => {
    const p = tupleDomainPredicate({ domains: { id: ranges([[marker(big(10), Bounds.ABOVE), marker(big(20), Bounds.EXACTLY)]]) } }, fields, names);
    expect(matches(p, [10n, null, null, null])).toBe(false);
    expect(matches(p, [11n, null, null, null])).toBe(true);
    expect(matches(p, [20n, null, null, null])).toBe(true);
    expect(matches(p, [21n, null, null, null])).toBe(false);
  });

  it("reads unbounded markers, several ranges and nullAllowed", () => {
    const d = ranges(
      [
        [marker(null, Bounds.ABOVE), marker(int(0), Bounds.BELOW)],
        [marker(int(5), Bounds.EXACTLY), marker(int(5), Bounds.EXACTLY)],
      ],
      true,
    );
    const p = tupleDomainPredicate({ domains: { n: d } }, fields, names);
    expect([-3, 0, 5, 6, null].map((n) => matches(p, [1n, null, null, n]))).toEqual([true, false, true, false, true]);
  });

  it("maps served names back to columns and compares strings", () => {
    const p = tupleDomainPredicate({ domains: { day: ranges([[marker(str("b"), Bounds.EXACTLY), marker(str("b"), Bounds.EXACTLY)]]) } }, fields, names);
    expect(p).toEqual({ kind: "compare", field: "Day", op: "=", literal: "b" });
  });

  it("uses equatable sets only when inclusive", () => {
    const inSet: ThriftDomainLike = { valueSet: { equatableValueSet: { inclusive: true, values: [big(1), big(3)] } }, nullAllowed: false };
    const p = tupleDomainPredicate({ domains: { id: inSet } }, fields, names);
    expect([1n, 2n, 3n].map((id) => matches(p, [id, null, null, null]))).toEqual([true, false, true]);
    const notIn: ThriftDomainLike = { valueSet: { equatableValueSet: { inclusive: false, values: [big(1)] } }, nullAllowed: false };
    expect(tupleDomainPredicate({ domains: { id: notIn } }, fields, names)).toEqual({ kind: "isNull", field: "id", negated: true });
  });

  it("handles all/none sets", () => {
    const none: ThriftDomainLike = { valueSet: { allOrNoneValueSet: { all: false } }, nullAllowed: true };
    const p = tupleDomainPredicate({ domains: { n: none } }, fields, names);
    expect(matches(p, [1n, null, null, null])).toBe(true);
    expect(matches(p, [1n, null, null, 4])).toBe(false);
    expect(tupleDomainPredicate({ domains: {} }, fields, names)).toBeNull();
    expect(isNone({ domains: null })).toBe(true);
    expect(isNone({ domains: {} })).toBe(false);
  });

  it("leaves text-carried types (decimals) to Trino", () => {
    const d = ranges([[marker(str("5"), Bounds.EXACTLY), marker(null, Bounds.BELOW)]]);
    expect(tupleDomainPredicate({ domains: { amount: d } }, fields, names)).toEqual({ kind: "isNull", field: "amount", negated: true });
  });
});

describe("bigintRanges", () => {
  it("spans the domain from the lowest low to the highest high", () => {
    const d = ranges([
      [marker(big(3), Bounds.EXACTLY), marker(big(5), Bounds.BELOW)],
      [marker(big(8), Bounds.ABOVE), marker(big(9), Bounds.EXACTLY)],
    ]);
    expect(bigintRanges({ domains: { snapshot_id: d } }, ["snapshot_id"]).get("snapshot_id")).toEqual({
      low: { value: 3n, inclusive: true },
      high: { value: 9n, inclusive: true },
    });
    const open = ranges([[marker(big(4), Bounds.ABOVE), marker(null, Bounds.BELOW)]]);
    expect(bigintRanges({ domains: { snapshot_id: open } }, ["snapshot_id"]).get("snapshot_id")).toEqual({ low: { value: 4n, inclusive: false } });
    expect(bigintRanges({ domains: { other: open } }, ["snapshot_id"]).size).toBe(0);
  });
});
