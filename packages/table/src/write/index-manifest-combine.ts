/**
 * The index files live after a commit: the previous index manifest's entries with the
 * commit's index changes applied (Paimon's `IndexManifestFileHandler`, release 2.0.0)
 * — a pure function. An index manifest holds only ADD entries.
 *
 * How a change replaces an old entry depends on the index type:
 * - HASH and DELETION_VECTORS of bucketed tables: one file per partition, bucket and
 *   type — a new file replaces the old one of its bucket (deletions applied first);
 * - DELETION_VECTORS of bucket-unaware tables: by file name, and an ADD of a present
 *   file or a DELETE of an absent one is an error;
 * - every other type (global indexes): by file name, deletions first.
 * The order is the previous order, with new and replacing entries appended.
 */
import { DELETION_VECTORS_INDEX_TYPE, ErrorKind, FileKind, type IndexManifestEntry, StreamhouseError } from "@streamhouse/format";

const HASH_INDEX_TYPE = "HASH";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export function combineIndexEntries(previous: readonly IndexManifestEntry[], changes: readonly IndexManifestEntry[], bucketUnaware: boolean): IndexManifestEntry[] {
  const keyOf = (e: IndexManifestEntry): string => {
    const type = e.indexFile.indexType;
    const byBucket = type === HASH_INDEX_TYPE || (type === DELETION_VECTORS_INDEX_TYPE && !bucketUnaware);
    return byBucket ? `${type}|${hex(e.partition)}|${e.bucket}` : `${type}|file|${e.indexFile.fileName}`;
  };
  const strict = (e: IndexManifestEntry): boolean => e.indexFile.indexType === DELETION_VECTORS_INDEX_TYPE && bucketUnaware;
  const live = new Map<string, IndexManifestEntry>();
  for (const e of previous) {
    if (e.kind !== FileKind.ADD) throw new StreamhouseError(ErrorKind.DataInvalid, "an index manifest holds a DELETE entry", { context: { file: e.indexFile.fileName } });
    live.set(keyOf(e), e);
  }
  for (const e of changes) {
    if (e.kind !== FileKind.DELETE) continue;
    const key = keyOf(e);
    if (strict(e) && !live.has(key)) throw conflict(`index file ${e.indexFile.fileName} is deleted but not live`, e);
    live.delete(key);
  }
  for (const e of changes) {
    if (e.kind !== FileKind.ADD) continue;
    const key = keyOf(e);
    if (strict(e) && live.has(key)) throw conflict(`index file ${e.indexFile.fileName} is added while already live`, e);
    live.set(key, e);
  }
  return [...live.values()];
}

function conflict(message: string, e: IndexManifestEntry): StreamhouseError {
  return new StreamhouseError(ErrorKind.CommitConflict, message, { context: { bucket: e.bucket, file: e.indexFile.fileName }, retryable: false });
}
