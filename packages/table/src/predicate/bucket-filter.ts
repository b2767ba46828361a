/**
 * Bucket pruning: when a filter pins every bucket-key column to one or a few values
 * (`k = 5`, `k IN (1, 2)`, possibly under AND/OR), only the buckets those keys hash to
 * can hold matching rows. Tables with a fixed bucket count only; the hash is the
 * table's bucket function over the bucket-key row, as writers compute it.
 */
import { bucketForKey, type BucketFunctionType, type DataField, type Value } from "@streamhouse/format";
import type { Predicate } from "./predicate.js";

/** Combinations of key values beyond this many are not worth enumerating. */
const COMBINATIONS_MAX = 256;

/** The values `p` allows for `field`, or null when `p` does not pin the field. */
export function pinnedValues(p: Predicate, field: string): Value[] | null {
  switch (p.kind) {
    case "compare":
      return p.field === field && p.op === "=" ? [p.literal] : null;
    case "in":
      return p.field === field && !p.negated ? [...p.literals] : null;
    case "and": {
      // Any one conjunct that pins the field bounds the whole AND.
      for (const c of p.children) {
        const r = pinnedValues(c, field);
        if (r !== null) return r;
      }
      return null;
    }
    case "or": {
      const all: Value[] = [];
      for (const c of p.children) {
        const r = pinnedValues(c, field);
        if (r === null) return null;
        all.push(...r);
      }
      return all;
    }
    default:
      return null;
  }
}

/** The buckets that can hold rows matching `p`, or null when every bucket can. */
export function candidateBuckets(p: Predicate, bucketKeys: readonly DataField[], numBuckets: number, fn: BucketFunctionType): Set<number> | null {
  if (numBuckets <= 0 || bucketKeys.length === 0) return null;
  const perField: Value[][] = [];
  let combinations = 1;
  for (const f of bucketKeys) {
    const vs = pinnedValues(p, f.name);
    if (vs === null) return null;
    combinations *= vs.length;
    if (combinations > COMBINATIONS_MAX) return null;
    perField.push(vs);
  }
  const types = bucketKeys.map((f) => f.type);
  const buckets = new Set<number>();
  const walk = (i: number, acc: Value[]): void => {
    if (i === perField.length) {
      buckets.add(bucketForKey(types, acc, numBuckets, fn));
      return;
    }
    for (const v of perField[i]!) walk(i + 1, [...acc, v]);
  };
  try {
    walk(0, []);
  } catch {
    // A literal of another type than the column (from a hand-built predicate) cannot be
    // hashed as the writer did: do not prune rather than prune wrongly.
    return null;
  }
  return buckets;
}
