/**
 * The manifest entries a batch of commit messages stands for (Paimon's
 * `ManifestEntryChanges.collect`, release 2.0.0) — a pure function.
 *
 * Writes and compactions are kept apart because they become different snapshots:
 * new data (APPEND, or OVERWRITE when it deletes files) first, then the compaction
 * (COMPACT) with the same commit identifier. Within each group the order is the
 * message order, and within a message: added files, deleted files; compaction:
 * the files read (DELETE), then the files written (ADD); index files: deleted first.
 */
import { FileKind, type IndexFileMeta, type IndexManifestEntry, type ManifestEntry } from "@streamhouse/format";
import type { CommitMessage } from "./commit-message.js";

export interface CommitChanges {
  readonly appendTableFiles: readonly ManifestEntry[];
  readonly appendChangelog: readonly ManifestEntry[];
  readonly appendIndexFiles: readonly IndexManifestEntry[];
  readonly compactTableFiles: readonly ManifestEntry[];
  readonly compactChangelog: readonly ManifestEntry[];
  readonly compactIndexFiles: readonly IndexManifestEntry[];
}

export function collectChanges(messages: readonly CommitMessage[]): CommitChanges {
  const appendTableFiles: ManifestEntry[] = [];
  const appendChangelog: ManifestEntry[] = [];
  const appendIndexFiles: IndexManifestEntry[] = [];
  const compactTableFiles: ManifestEntry[] = [];
  const compactChangelog: ManifestEntry[] = [];
  const compactIndexFiles: IndexManifestEntry[] = [];
  for (const m of messages) {
    const entry = (kind: FileKind) => (file: ManifestEntry["file"]): ManifestEntry => ({
      kind,
      partition: m.partition,
      bucket: m.bucket,
      totalBuckets: m.totalBuckets,
      file,
    });
    const index = (kind: FileKind) => (indexFile: IndexFileMeta): IndexManifestEntry => ({ kind, partition: m.partition, bucket: m.bucket, indexFile });
    const d = m.dataIncrement;
    appendTableFiles.push(...d.newFiles.map(entry(FileKind.ADD)), ...d.deletedFiles.map(entry(FileKind.DELETE)));
    appendChangelog.push(...d.changelogFiles.map(entry(FileKind.ADD)));
    appendIndexFiles.push(...d.deletedIndexFiles.map(index(FileKind.DELETE)), ...d.newIndexFiles.map(index(FileKind.ADD)));
    const c = m.compactIncrement;
    compactTableFiles.push(...c.compactBefore.map(entry(FileKind.DELETE)), ...c.compactAfter.map(entry(FileKind.ADD)));
    compactChangelog.push(...c.changelogFiles.map(entry(FileKind.ADD)));
    compactIndexFiles.push(...c.deletedIndexFiles.map(index(FileKind.DELETE)), ...c.newIndexFiles.map(index(FileKind.ADD)));
  }
  return { appendTableFiles, appendChangelog, appendIndexFiles, compactTableFiles, compactChangelog, compactIndexFiles };
}

/** Added minus deleted rows (`ManifestEntry.recordCountAdd - recordCountDelete`). */
export function deltaRecordCount(entries: readonly ManifestEntry[]): number {
  let n = 0n;
  for (const e of entries) n += e.kind === FileKind.ADD ? e.file.rowCount : -e.file.rowCount;
  return Number(n);
}

/** Rows of the changelog files, or null when there are none (`nullableRecordCount`). */
export function changelogRecordCount(entries: readonly ManifestEntry[]): number | null {
  if (entries.length === 0) return null;
  return deltaRecordCount(entries);
}
