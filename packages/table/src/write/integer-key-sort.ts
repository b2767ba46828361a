/**
 * A fast stable sort of write-buffer records by a single integral key (TINYINT … BIGINT,
 * DATE, TIME), the common primary key. Stable matters: the buffer holds the versions of a
 * key in the order they were written, and that order must survive the sort.
 *
 * Each record becomes one double, `(key - minKey) * n + position`, and the doubles are
 * sorted with the typed array's built-in numeric sort (no comparator calls, no pointer
 * chasing through records). Sorting those numbers sorts by key, then by position — exactly
 * a stable sort by key. It is exact only while every packed value is an integer below
 * 2^53, so `sortByIntegerKey` declines (returns null) when the key range times the record
 * count would exceed that, or when a key is null or not an integer; callers then fall
 * back to a comparator sort.
 */
import type { DataType } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";

/** Whether `sortByIntegerKey` can handle keys of these types. */
export function isIntegerKey(keyTypes: readonly DataType[]): boolean {
  if (keyTypes.length !== 1) return false;
  switch (keyTypes[0]!.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
    case "BIGINT":
      return true;
    default:
      return false;
  }
}

/** `records` stably sorted by `key[0]` (a new array), or null when the packing would not be exact. */
export function sortByIntegerKey(records: readonly KeyValue[]): KeyValue[] | null {
  const order = integerKeyOrder(records.length, (i) => records[i]!.key[0]);
  if (order === null) return null;
  const out: KeyValue[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = records[order[i]!]!;
  return out;
}

/**
 * The positions 0…n-1 stably ordered by the integral key `keyAt(i)`, or null when a key is
 * not a safe integer or the packing would not be exact.
 */
export function integerKeyOrder(n: number, keyAt: (i: number) => unknown): Uint32Array | null {
  const keys = new Float64Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const raw = keyAt(i);
    // Number() of a bigint outside ±(2^53 - 1) is never a safe integer, so the check
    // below also rejects BIGINT keys that would lose digits.
    const k = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof k !== "number" || !Number.isSafeInteger(k)) return null;
    keys[i] = k;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (n === 0) return new Uint32Array(0);
  if ((max - min + 1) * n > Number.MAX_SAFE_INTEGER) return null;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (keys[i]! - min) * n + i;
  packed.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = packed[i]! % n;
  return order;
}
