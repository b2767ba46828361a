import { describe, expect, it } from "vitest";
import type { DataType, Row, Value } from "@streamhouse/format";
import { CoreOptions, DataTypes, Decimals, isStreamhouseError, Timestamps } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { compareNullsFirst, compareUtf8, compareValues } from "../src/merge/compare-values.js";
import { createKeyComparator, createRecordComparator } from "../src/merge/record-comparator.js";
import { createKeyValueComparator, createVersionComparator } from "../src/merge/version-order.js";

const sign = (n: number) => Math.sign(n);

/** Asserts that `values` are strictly increasing under `type`'s order. */
function expectAscending(type: DataType, values: readonly Value[]): void {
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      expect(sign(compareValues(type, values[i]!, values[j]!)), `${i} vs ${j}`).toBe(sign(i - j));
    }
  }
}

describe("compareValues follows Paimon's generated comparators", () => {
  it("orders strings by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FFFF encodes as EF BF BF, U+1F600 as F0 9F 98 80: Paimon puts U+FFFF first,
    // while JavaScript's `<` (UTF-16: FFFF vs D83D) says the opposite.
    expect("\uFFFF" < "😀").toBe(false);
    expect(compareUtf8("\uFFFF", "😀")).toBeLessThan(0);
    expectAscending(DataTypes.STRING(), ["", "A", "AB", "B", "a", "é", "\uE000", "\uFFFF", "😀", "😀a"]);
    expect(compareUtf8("x😀", "x😁")).toBeLessThan(0);
    expect(compareUtf8("abc", "abc")).toBe(0);
    // A lone surrogate is written by Java as U+FFFD.
    expect(compareUtf8("\uD800", "\uFFFD")).toBe(0);
    expect(compareUtf8("\uD800", "\uFFFE")).toBeLessThan(0);
  });

  it("orders binaries unsigned byte-wise, then by length", () => {
    const b = (...xs: number[]) => new Uint8Array(xs);
    expectAscending(DataTypes.BYTES(), [b(), b(0), b(0, 0), b(1), b(0x7f), b(0x80), b(0xff), b(0xff, 0)]);
  });

  it("orders booleans, integers, bigints", () => {
    expectAscending(DataTypes.BOOLEAN(), [false, true]);
    expectAscending(DataTypes.INT(), [-2147483648, -1, 0, 1, 2147483647]);
    expectAscending(DataTypes.BIGINT(), [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]);
    expectAscending(DataTypes.DATE(), [-1, 0, 19000]);
  });

  it("orders floats like Double.compare: -0.0 < 0.0, NaN last", () => {
    expectAscending(DataTypes.DOUBLE(), [Number.NEGATIVE_INFINITY, -1.5, -0, 0, 1e-300, Number.POSITIVE_INFINITY, Number.NaN]);
    expect(compareValues(DataTypes.FLOAT(), Number.NaN, Number.NaN)).toBe(0);
  });

  it("orders decimals numerically and timestamps by millis then nanos", () => {
    const d = (s: string) => Decimals.parse(s, 20, 3);
    expectAscending(DataTypes.DECIMAL(20, 3), [d("-99999999999999999.999"), d("-1.5"), d("0"), d("0.001"), d("12.345"), d("99999999999999999.999")]);
    expect(compareValues(DataTypes.DECIMAL(10, 2), Decimals.of(150n, 10, 2), Decimals.of(15n, 10, 1))).toBe(0);
    expectAscending(DataTypes.TIMESTAMP(9), [
      Timestamps.fromMillis(-1, 999_999),
      Timestamps.fromMillis(0),
      Timestamps.fromMillis(0, 1),
      Timestamps.fromMillis(1, 0),
    ]);
  });

  it("orders arrays element-wise with null elements first, maps by size first", () => {
    const arr = DataTypes.ARRAY(DataTypes.INT());
    expectAscending(arr, [[], [null], [null, 1], [0], [0, null], [0, 1], [1]]);
    const map = DataTypes.MAP(DataTypes.STRING(), DataTypes.INT());
    expectAscending(map, [[], [["z", 9]], [["a", 1], ["b", 0]], [["a", 1], ["b", 1]], [["b", 0], ["a", 0]]]);
    const row = DataTypes.ROW([DataTypes.FIELD(0, "a", DataTypes.INT()), DataTypes.FIELD(1, "b", DataTypes.STRING())]);
    expectAscending(row, [[null, null], [null, "x"], [1, null], [1, "a"], [2, "a"]]);
  });

  it("puts null before every value and refuses unorderable types", () => {
    expect(compareNullsFirst(DataTypes.INT(), null, -2147483648)).toBe(-1);
    expect(compareNullsFirst(DataTypes.INT(), 0, null)).toBe(1);
    expect(compareNullsFirst(DataTypes.INT(), null, null)).toBe(0);
    try {
      compareValues(DataTypes.VARIANT(), { value: new Uint8Array(), metadata: new Uint8Array() }, { value: new Uint8Array(), metadata: new Uint8Array() });
      expect.unreachable();
    } catch (e) {
      expect(isStreamhouseError(e, "Unsupported")).toBe(true);
    }
  });
});

describe("record comparators", () => {
  it("compares keys field by field, nulls first", () => {
    const cmp = createKeyComparator([DataTypes.STRING(), DataTypes.INT()]);
    const keys: Row[] = [
      [null, 5],
      ["a", null],
      ["a", 1],
      ["a", 2],
      ["b", 0],
    ];
    for (let i = 0; i < keys.length; i++) for (let j = 0; j < keys.length; j++) expect(sign(cmp(keys[i]!, keys[j]!))).toBe(sign(i - j));
  });

  it("descending order keeps nulls first", () => {
    const desc = createRecordComparator([DataTypes.INT()], [0], false);
    expect(desc([1], [2])).toBeGreaterThan(0);
    expect(desc([null], [2])).toBeLessThan(0);
    expect(desc([2], [null])).toBeGreaterThan(0);
  });
});

function kv(seq: bigint, value: Row, key: Row = [1]): KeyValue {
  return { key, sequenceNumber: seq, valueKind: 0, value, level: 0 };
}

describe("version order", () => {
  const fields = { names: ["k", "ts", "v", "ts2"], types: [DataTypes.INT(false), DataTypes.BIGINT(), DataTypes.STRING(), DataTypes.INT()] };

  it("is the sequence number without sequence.field", () => {
    const cmp = createVersionComparator(fields, new CoreOptions({}));
    expect(cmp(kv(1n, [1, 9n, "a", 0]), kv(2n, [1, 1n, "b", 0]))).toBeLessThan(0);
  });

  it("compares sequence.field before the sequence number, ascending", () => {
    const cmp = createVersionComparator(fields, new CoreOptions({ "sequence.field": "ts" }));
    expect(cmp(kv(1n, [1, 9n, "a", 0]), kv(2n, [1, 1n, "b", 0]))).toBeGreaterThan(0);
    expect(cmp(kv(1n, [1, 5n, "a", 0]), kv(2n, [1, 5n, "b", 0]))).toBeLessThan(0);
  });

  it("descending sort order reverses the field but not the sequence-number tie break", () => {
    const cmp = createVersionComparator(fields, new CoreOptions({ "sequence.field": "ts", "sequence.field.sort-order": "descending" }));
    expect(cmp(kv(1n, [1, 9n, "a", 0]), kv(2n, [1, 1n, "b", 0]))).toBeLessThan(0);
    expect(cmp(kv(1n, [1, 5n, "a", 0]), kv(2n, [1, 5n, "b", 0]))).toBeLessThan(0);
  });

  it("compares several sequence fields in the order listed", () => {
    const cmp = createVersionComparator(fields, new CoreOptions({ "sequence.field": "ts2,ts" }));
    expect(cmp(kv(9n, [1, 1n, "a", 2]), kv(1n, [1, 9n, "b", 1]))).toBeGreaterThan(0);
    expect(cmp(kv(9n, [1, 1n, "a", 2]), kv(1n, [1, 9n, "b", 2]))).toBeLessThan(0);
    expect(cmp(kv(9n, [1, 9n, "a", 2]), kv(1n, [1, 9n, "b", 2]))).toBeGreaterThan(0);
  });

  it("treats a null sequence field as older than any value, in both directions", () => {
    for (const order of ["ascending", "descending"]) {
      const cmp = createVersionComparator(fields, new CoreOptions({ "sequence.field": "ts", "sequence.field.sort-order": order }));
      expect(cmp(kv(9n, [1, null, "a", 0]), kv(1n, [1, -5n, "b", 0])), order).toBeLessThan(0);
      expect(cmp(kv(1n, [1, null, "a", 0]), kv(2n, [1, null, "b", 0])), order).toBeLessThan(0);
    }
  });

  it("fails when a sequence field is not read", () => {
    try {
      createVersionComparator({ names: ["k", "v"], types: [DataTypes.INT(), DataTypes.STRING()] }, new CoreOptions({ "sequence.field": "ts" }));
      expect.unreachable();
    } catch (e) {
      expect(isStreamhouseError(e, "InvalidArgument")).toBe(true);
      expect((e as Error).message).toContain("ts");
    }
  });

  it("orders runs by key first, then version", () => {
    const cmp = createKeyValueComparator(createKeyComparator([DataTypes.INT()]), createVersionComparator(fields, new CoreOptions({})));
    expect(cmp(kv(9n, [], [1]), kv(1n, [], [2]))).toBeLessThan(0);
    expect(cmp(kv(9n, [], [2]), kv(1n, [], [2]))).toBeGreaterThan(0);
  });
});
