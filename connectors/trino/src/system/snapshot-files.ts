/**
 * Reading snapshot files for system tables, where a snapshot that is gone (expired
 * since the split was planned) is skipped rather than an error.
 */
import { isStreamhouseError, type Snapshot } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";

/** Snapshot `id`, or null when its file no longer exists. */
export async function snapshotIfExists(table: FileStoreTable, id: number): Promise<Snapshot | null> {
  try {
    return await table.snapshots.snapshot(id);
  } catch (e) {
    if (isStreamhouseError(e, "NotFound")) return null;
    throw e;
  }
}
