/**
 * Batch reads of tables whose compaction looks values up in the levels below
 * (`changelog-producer = lookup`, `force-lookup`): such a compaction writes a key's
 * merged value to its output level while the older value it looked up stays in a
 * deeper level. Merging every version again would count that older value twice —
 * an aggregation would add it once more. Paimon therefore merges, per key, the
 * level-0 records and only the newest record above level 0; this wrapper gives any
 * merge function those semantics (`LookupMergeFunction` in Paimon 2.0).
 *
 * Deletion-vector tables need no wrapper: the older copies are masked by their
 * deletion vectors and level 0 is not read at all.
 */
import type { CoreOptions } from "@streamhouse/format";
import { lookupVersions } from "../compact/changelog-merge.js";
import type { KeyValue } from "../kv/key-value.js";
import type { MergeFunction } from "../merge/merge-function.js";

/** Whether batch reads must merge with lookup semantics. */
export function readsWithLookupSemantics(options: CoreOptions, primaryKeyTable: boolean): boolean {
  if (!primaryKeyTable || options.deletionVectorsEnabled()) return false;
  return options.changelogProducer() === "lookup" || options.get("force-lookup")?.toLowerCase() === "true";
}

/** Buffers one key's versions and merges the level-0 ones plus the newest above level 0. */
export function withLookupSemantics(inner: MergeFunction): MergeFunction {
  let versions: KeyValue[] = [];
  return {
    reset(): void {
      versions = [];
    },
    add(kv: KeyValue): void {
      versions.push(kv);
    },
    getResult(): KeyValue | null {
      inner.reset();
      for (const kv of lookupVersions(versions)) inner.add(kv);
      return inner.getResult();
    },
  };
}
