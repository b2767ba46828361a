/**
 * Plans which data files a read of one snapshot must open: the base and delta
 * manifest lists merged into live files, grouped by partition and bucket.
 */
import { ErrorKind, type IndexManifestEntry, type ManifestEntry, type Snapshot, StreamhouseError } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { mergeFileEntries } from "./file-entries.js";

export interface ScanPlan {
  readonly snapshot: Snapshot;
  /** Live files, ordered by partition bytes, bucket, level, then file name. */
  readonly files: readonly ManifestEntry[];
  /** Index files (HASH, DELETION_VECTORS) live at this snapshot. */
  readonly indexFiles: readonly IndexManifestEntry[];
}

export async function planSnapshot(table: FileStoreTable, snapshotId?: number): Promise<ScanPlan | null> {
  const id = snapshotId ?? (await table.snapshots.latestSnapshotId());
  if (id === null) return null;
  return planSnapshotOf(table, await table.snapshots.snapshot(id));
}

/**
 * Plans a snapshot given as an object — e.g. the copy a tag file holds, which stays
 * readable after expiration removed `snapshot-N` (expiration keeps tagged files).
 */
export async function planSnapshotOf(table: FileStoreTable, snapshot: Snapshot): Promise<ScanPlan> {
  const id = snapshot.id;
  const entries = await table.manifests.entriesOf([snapshot.baseManifestList, snapshot.deltaManifestList]);
  const files = mergeFileEntries(entries, { snapshotId: id }).sort(compareEntries);
  let indexFiles: IndexManifestEntry[] = [];
  if (snapshot.indexManifest !== null) {
    indexFiles = (await table.manifests.indexManifest(snapshot.indexManifest)).filter((e) => e.kind === 0);
  }
  return { snapshot, files, indexFiles };
}

/** The snapshot a tag points at. */
export async function snapshotIdOfTag(table: FileStoreTable, tag: string): Promise<number> {
  const t = await table.tag(tag);
  if (t === null) throw new StreamhouseError(ErrorKind.NotFound, `tag "${tag}" does not exist`, { context: { table: table.path } });
  return t.snapshot.id;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function compareEntries(a: ManifestEntry, b: ManifestEntry): number {
  return (
    compareBytes(a.partition, b.partition) ||
    a.bucket - b.bucket ||
    a.file.level - b.file.level ||
    (a.file.fileName < b.file.fileName ? -1 : a.file.fileName > b.file.fileName ? 1 : 0)
  );
}
