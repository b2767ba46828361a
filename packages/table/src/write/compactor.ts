/**
 * The hook a bucket writer calls around its flushes so that compaction can be added
 * without touching the writers: it learns about every file the writer restores or
 * writes, and contributes a CompactIncrement to each commit message. Until compaction
 * exists the writers use NO_COMPACTION, which never rewrites anything.
 */
import type { DataFileMeta } from "@streamhouse/format";
import { type CompactIncrement, EMPTY_COMPACT_INCREMENT } from "./commit-message.js";

export interface Compactor {
  /** Live files of the bucket when the writer was created, and files it writes later. */
  addFiles(files: readonly DataFileMeta[]): void;
  /** Called in prepareCommit after the flush: what compaction finished since the last call. */
  prepareCommit(): Promise<CompactIncrement>;
  close(): Promise<void>;
}

export const NO_COMPACTION: Compactor = Object.freeze({
  addFiles(): void {},
  prepareCommit: () => Promise.resolve(EMPTY_COMPACT_INCREMENT),
  close: () => Promise.resolve(),
});
