/**
 * Merging the versions of one key during compaction, with the changelog a producer
 * derives from it — pure functions over one key's versions, oldest first.
 *
 * - `mergeVersions`: the table's merge function over the versions (Paimon's plain
 *   `MergeFunction` use in `MergeTreeCompactRewriter`).
 * - `lookupVersions`: when every compaction of level 0 looks up old values (lookup
 *   changelog, deletion vectors), a record above level 0 already holds the merge of
 *   everything older, so only the newest one of those counts, plus every level-0 record
 *   (Paimon's `LookupMergeFunction`).
 * - `lookupChangelogMerge`: the newest version above level 0 among the inputs, else the
 *   one looked up in the levels below the output, is the "before" image; the merge of
 *   it and the level-0 records is the "after"; when level-0 records took part a
 *   changelog is emitted: +I (nothing before), -D (after is a retraction), -U/+U
 *   (Paimon's `LookupChangelogMergeFunctionWrapper`; with `changelog-producer.row-deduplicate`
 *   equal before/after emit nothing). With the first-row engine a key that exists below
 *   keeps that version and the new records are dropped; a new key's first record is
 *   written with +I (Paimon's `FirstRowMergeFunctionWrapper`).
 * - `fullChangelogMerge`: in a full compaction, the version that was in the last level is
 *   the "before"; +I / -D / -U,+U when the merged value differs
 *   (Paimon's `FullChangelogMergeFunctionWrapper`).
 */
import { RowKind } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import { KeyValues } from "../kv/key-value.js";
import type { MergeFunction } from "../merge/merge-function.js";

export interface KeyMergeResult {
  /** What to write (null: nothing; may be a retraction unless deletes are dropped by the caller). */
  readonly result: KeyValue | null;
  readonly changelog: readonly KeyValue[];
}

export type ValueEquals = (a: KeyValue, b: KeyValue) => boolean;

const NO_CHANGELOG: readonly KeyValue[] = Object.freeze([]);

export function mergeVersions(versions: readonly KeyValue[], mf: MergeFunction): KeyValue | null {
  mf.reset();
  for (const kv of versions) mf.add(kv);
  return mf.getResult();
}

/** Level-0 versions plus the newest version above level 0 (order kept). */
export function lookupVersions(versions: readonly KeyValue[]): KeyValue[] {
  let newestHigh = -1;
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i]!.level > 0) {
      newestHigh = i;
      break;
    }
  }
  return versions.filter((kv, i) => kv.level <= 0 || i === newestHigh);
}

export function lookupChangelogMerge(
  versions: readonly KeyValue[],
  mf: MergeFunction,
  /** The key's value in the levels below the output (already looked up), if any. */
  lookedUp: KeyValue | null,
  options: { readonly produceChangelog: boolean; readonly rowDeduplicate?: ValueEquals | null; readonly firstRow?: boolean },
): KeyMergeResult {
  let high: KeyValue | null = null;
  let containsLevel0 = false;
  const level0: KeyValue[] = [];
  for (let i = versions.length - 1; i >= 0; i--) {
    const kv = versions[i]!;
    if (kv.level > 0) high ??= kv;
    else containsLevel0 = true;
  }
  for (const kv of versions) if (kv.level <= 0) level0.push(kv);
  if (options.firstRow === true) {
    if (high !== null || lookedUp !== null) return { result: high, changelog: NO_CHANGELOG };
    const first = mergeVersions(level0, mf);
    const produce = options.produceChangelog && first !== null && KeyValues.isAdd(first);
    return { result: first, changelog: produce ? [withKind(first, RowKind.INSERT)] : NO_CHANGELOG };
  }
  if (high === null) high = lookedUp;
  mf.reset();
  if (high !== null) mf.add(high);
  for (const kv of level0) mf.add(kv);
  const result = mf.getResult();
  if (!containsLevel0 || !options.produceChangelog || result === null) return { result, changelog: NO_CHANGELOG };
  return { result, changelog: diff(high, result, options.rowDeduplicate ?? null) };
}

export function fullChangelogMerge(versions: readonly KeyValue[], mf: MergeFunction, maxLevel: number, valueEquals: ValueEquals): KeyMergeResult {
  let top: KeyValue | null = null;
  for (const kv of versions) if (kv.level === maxLevel) top = kv;
  const result = versions.length === 1 ? versions[0]! : mergeVersions(versions, mf);
  if (result === null) return { result, changelog: top !== null ? [withKind(top, RowKind.DELETE)] : NO_CHANGELOG };
  return { result, changelog: diff(top, result, valueEquals) };
}

/** The changes from `before` (null: absent) to `after`; equal values give none when `equals` is set. */
function diff(before: KeyValue | null, after: KeyValue, equals: ValueEquals | null): KeyValue[] {
  if (before === null || !KeyValues.isAdd(before)) return KeyValues.isAdd(after) ? [withKind(after, RowKind.INSERT)] : [];
  if (!KeyValues.isAdd(after)) return [withKind(before, RowKind.DELETE)];
  if (equals?.(before, after)) return [];
  return [withKind(before, RowKind.UPDATE_BEFORE), withKind(after, RowKind.UPDATE_AFTER)];
}

function withKind(kv: KeyValue, valueKind: RowKind): KeyValue {
  return { ...kv, valueKind };
}
