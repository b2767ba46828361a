/**
 * The contract of a merge function (Paimon's `MergeFunction<KeyValue>`, release 2.0.0):
 * for one key, `reset()`, then `add()` every version in version order (oldest first,
 * see version-order.ts), then `getResult()`.
 *
 * `getResult()` returns null when nothing is to be written for the key (every input
 * was ignored). Otherwise it returns a KeyValue whose `valueKind` may be a retraction
 * (-U/-D): that is a tombstone. Compaction into a level that still has older data
 * below it must keep tombstones, or the older rows would come back; a read (or a
 * compaction into the last level) drops them — see `mergeByKey`'s `dropDelete`.
 * For a reader, a key is absent when the result is null or a retraction.
 */
import { RowKind } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";

export interface MergeFunction {
  reset(): void;
  add(kv: KeyValue): void;
  getResult(): KeyValue | null;
}

/** -U and -D (Java's `RowKind.isRetract()`). */
export function isRetract(kv: KeyValue): boolean {
  return kv.valueKind === RowKind.UPDATE_BEFORE || kv.valueKind === RowKind.DELETE;
}
