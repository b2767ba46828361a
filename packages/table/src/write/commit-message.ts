/**
 * What a writer hands the committer for one partition-bucket at a checkpoint
 * (Paimon's `CommitMessageImpl` with its `DataIncrement` and `CompactIncrement`,
 * release 2.0.0). Writers produce these in `prepareCommit(checkpointId)`; the
 * committer turns a batch of them into manifests and publishes one snapshot (two
 * when both new data and compaction results are present: APPEND, then COMPACT).
 *
 * Files named here are already durable in the table directory when the message is
 * created; committing only makes them visible. A message that is never committed
 * leaves orphan files, which orphan-file cleaning removes.
 */
import type { DataFileMeta, IndexFileMeta } from "@streamhouse/format";

/** Files a write added or removed, outside compaction. */
export interface DataIncrement {
  /** New data files (level 0 for primary-key tables). */
  readonly newFiles: readonly DataFileMeta[];
  /** Files removed without compaction (e.g. INSERT OVERWRITE of this bucket). */
  readonly deletedFiles: readonly DataFileMeta[];
  /** Changelog files produced with the data (changelog-producer=input). */
  readonly changelogFiles: readonly DataFileMeta[];
  /** Index files added (dynamic-bucket HASH index, deletion vectors). */
  readonly newIndexFiles: readonly IndexFileMeta[];
  /** Index files replaced. */
  readonly deletedIndexFiles: readonly IndexFileMeta[];
}

/** Files a compaction read and the files it wrote instead. */
export interface CompactIncrement {
  readonly compactBefore: readonly DataFileMeta[];
  readonly compactAfter: readonly DataFileMeta[];
  /** Changelog files produced by compaction (lookup, full-compaction producers). */
  readonly changelogFiles: readonly DataFileMeta[];
  readonly newIndexFiles: readonly IndexFileMeta[];
  readonly deletedIndexFiles: readonly IndexFileMeta[];
}

export interface CommitMessage {
  /** Serialized partition BinaryRow (empty row for unpartitioned tables). */
  readonly partition: Uint8Array;
  readonly bucket: number;
  /** The table's bucket count when written; the committer refuses a change of it. */
  readonly totalBuckets: number;
  readonly dataIncrement: DataIncrement;
  readonly compactIncrement: CompactIncrement;
}

/**
 * A checkpoint's worth of messages from one writer, with the identifier that makes
 * its commit exactly-once: the committer skips committables whose identifier is not
 * above the last one this `commitUser` committed.
 */
export interface Committable {
  readonly commitIdentifier: bigint;
  readonly messages: readonly CommitMessage[];
  /** Largest event-time watermark seen, if the source tracks one. */
  readonly watermark?: bigint;
}

export const EMPTY_DATA_INCREMENT: DataIncrement = Object.freeze({
  newFiles: [],
  deletedFiles: [],
  changelogFiles: [],
  newIndexFiles: [],
  deletedIndexFiles: [],
});

export const EMPTY_COMPACT_INCREMENT: CompactIncrement = Object.freeze({
  compactBefore: [],
  compactAfter: [],
  changelogFiles: [],
  newIndexFiles: [],
  deletedIndexFiles: [],
});

export function isEmptyMessage(m: CommitMessage): boolean {
  const d = m.dataIncrement;
  const c = m.compactIncrement;
  return (
    d.newFiles.length + d.deletedFiles.length + d.changelogFiles.length + d.newIndexFiles.length + d.deletedIndexFiles.length === 0 &&
    c.compactBefore.length + c.compactAfter.length + c.changelogFiles.length + c.newIndexFiles.length + c.deletedIndexFiles.length === 0
  );
}
