/**
 * Rollback to a snapshot or a tag (mirrors Paimon's `RollbackHelper` and
 * `FileStoreTable.rollbackTo`, release 2.0.0).
 *
 * Order, chosen so that a crash at any point leaves a readable table whose latest
 * snapshot is whole:
 *   1. rolling back to a tag whose snapshot has expired: write the snapshot file back
 *      from the tag (`writeIfAbsent`);
 *   2. write LATEST = target (a hint; readers verify it);
 *   3. delete the snapshot files after the target, newest first — at each step the
 *      newest remaining snapshot is intact;
 *   4. delete tags of snapshots after the target (Paimon does the same);
 *   5. delete the data and changelog files those snapshots added, then their
 *      manifests, lists and index files — whatever the target snapshot and the
 *      remaining tags do not reference;
 *   6. write EARLIEST when the target is now the earliest.
 * A crash before step 5 finishes leaves unreferenced files only; orphan cleaning
 * removes them. Rollback does not fence concurrent writers: stop them first.
 */
import { encodeSnapshot, ErrorKind, type Snapshot, StreamhouseError } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { TablePaths } from "../table-paths.js";
import { writeLatestHint } from "../write/snapshot-commit.js";
import { deleteAll, filesAddedByList, isNotFound, liveDataFiles, metadataFiles } from "./file-references.js";
import { listTags } from "./tag-manager.js";

export type RollbackTarget = { readonly snapshotId: number } | { readonly tag: string };

export interface RollbackReport {
  readonly snapshotId: number;
  /** Snapshots removed, newest first. */
  readonly removedSnapshots: readonly number[];
  readonly removedTags: readonly string[];
  readonly deletedFiles: readonly string[];
}

async function resolveTarget(table: FileStoreTable, target: RollbackTarget): Promise<{ snapshot: Snapshot; fromTag: boolean }> {
  if ("tag" in target) {
    const tag = await table.tag(target.tag);
    if (tag === null) throw new StreamhouseError(ErrorKind.NotFound, `tag "${target.tag}" does not exist`, { context: { table: table.path, tag: target.tag } });
    return { snapshot: tag.snapshot, fromTag: true };
  }
  try {
    return { snapshot: await table.snapshots.snapshot(target.snapshotId), fromTag: false };
  } catch (e) {
    if (isNotFound(e)) {
      throw new StreamhouseError(ErrorKind.NotFound, `snapshot ${target.snapshotId} does not exist (expired, or never written): roll back to a tag instead`, {
        context: { table: table.path, snapshot: target.snapshotId },
      });
    }
    throw e;
  }
}

export async function rollbackTo(table: FileStoreTable, target: RollbackTarget): Promise<RollbackReport> {
  const io = table.io;
  const { snapshot: kept, fromTag } = await resolveTarget(table, target);
  const keptPath = TablePaths.snapshot(table.path, kept.id);
  // 1.
  if (fromTag && !(await io.exists(keptPath))) await io.writeIfAbsent(keptPath, new TextEncoder().encode(encodeSnapshot(kept)));
  // 2.
  const hintError = await writeLatestHint(io, table.path, kept.id);
  if (hintError !== null) throw hintError;
  // 3. Read each newer snapshot before deleting its file: afterwards it cannot be read.
  const removed: Snapshot[] = [];
  const ids = (await table.snapshots.listSnapshotIds()).filter((id) => id > kept.id).sort((a, b) => b - a);
  for (const id of ids) {
    try {
      removed.push(await table.snapshots.snapshot(id));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      continue;
    }
    await io.delete(TablePaths.snapshot(table.path, id));
  }
  const removedIds = removed.map((s) => s.id);
  // 4.
  const removedTags: string[] = [];
  const remainingTags: Snapshot[] = [];
  for (const { name, tag } of await listTags(table)) {
    if (tag.snapshot.id > kept.id) {
      removed.push(tag.snapshot);
      await io.delete(TablePaths.tag(table.path, name));
      removedTags.push(name);
    } else {
      remainingTags.push(tag.snapshot);
    }
  }
  // 5. Everything the removed snapshots reference, minus what the kept ones do.
  const keepers = [kept, ...remainingTags];
  const keepData = new Set<string>();
  const keepMeta = new Set<string>();
  for (const k of keepers) {
    for (const p of await liveDataFiles(table, k)) keepData.add(p);
    for (const p of (await metadataFiles(table, k)).paths) keepMeta.add(p);
  }
  const data = new Set<string>();
  const meta = new Set<string>();
  // Files added before the oldest removed snapshot and live in it (possible when the
  // target is a tag older than every snapshot) are not in any removed delta.
  const oldest = removed.reduce<Snapshot | null>((a, s) => (a === null || s.id < a.id ? s : a), null);
  if (oldest !== null) {
    try {
      for (const p of await liveDataFiles(table, oldest)) if (!keepData.has(p)) data.add(p);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  for (const s of removed) {
    for (const list of [s.deltaManifestList, s.changelogManifestList]) {
      if (list === null) continue;
      for (const p of await filesAddedByList(table, list, true)) if (!keepData.has(p)) data.add(p);
    }
    for (const p of (await metadataFiles(table, s, true)).paths) if (!keepMeta.has(p)) meta.add(p);
  }
  const deletedFiles = [...(await deleteAll(table, data)), ...(await deleteAll(table, meta))];
  // 6.
  const earliest = await table.snapshots.earliestSnapshotId();
  if (earliest === kept.id) await io.overwrite(TablePaths.earliestHint(table.path), new TextEncoder().encode(String(kept.id)));
  return { snapshotId: kept.id, removedSnapshots: removedIds, removedTags, deletedFiles };
}
