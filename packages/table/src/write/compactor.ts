/**
 * The hook a bucket writer calls around its flushes so that compaction stays out of the
 * writers: it learns about every file the writer restores or writes, may compact in the
 * background after each flush (holding the writer back when too many sorted runs pile
 * up), and contributes a CompactIncrement to each commit message. Implementations:
 * `NO_COMPACTION` (write-only), `MergeTreeCompactor` and `AppendCompactor` (compact/).
 */
import type { DataFileMeta } from "@streamhouse/format";
import { type CompactIncrement, EMPTY_COMPACT_INCREMENT } from "./commit-message.js";

export interface CompactorCommitOptions {
  /** Wait for compaction to finish (and compact what is pending) before answering. */
  readonly waitCompaction?: boolean;
  /** Compact the whole bucket into its last level first. */
  readonly fullCompaction?: boolean;
}

export interface Compactor {
  /** Live files of the bucket when the writer was created, and files it writes later. */
  addFiles(files: readonly DataFileMeta[]): void;
  /**
   * Called after a flush added files: may start a compaction. Resolves when the writer
   * may go on — later than at once when sorted runs exceed `num-sorted-run.stop-trigger`.
   */
  afterFlush(): Promise<void>;
  /** Called in prepareCommit after the flush: what compaction finished since the last call. */
  prepareCommit(options?: CompactorCommitOptions): Promise<CompactIncrement>;
  close(): Promise<void>;
}

export const NO_COMPACTION: Compactor = Object.freeze({
  addFiles(): void {},
  afterFlush: () => Promise.resolve(),
  prepareCommit: () => Promise.resolve(EMPTY_COMPACT_INCREMENT),
  close: () => Promise.resolve(),
});
