/**
 * Tags: named snapshots kept against expiration (mirrors Paimon's `TagManager`,
 * `TagDeletion` and `TagTimeExpire`, release 2.0.0). A tag file `tag/tag-<name>` is
 * the snapshot's JSON plus `tagCreateTime` (Java's `LocalDateTime.now()`: local wall
 * clock) and an optional `tagTimeRetained`.
 *
 * Creating publishes the file with `writeIfAbsent` (AlreadyExists if the name is
 * taken). Deleting removes the tag file first — from then on nothing can read through
 * it — and only then, if the tagged snapshot has already expired, the files only the
 * tag kept alive: those not referenced by the earliest snapshot nor by another tag (a
 * file live in the tag and in any later snapshot is live in the earliest one, since
 * references are contiguous). A crash in between leaves orphans, never a dangling
 * reference.
 */
import { ErrorKind, encodeTag, type Snapshot, StreamhouseError, type Tag } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { TablePaths } from "../table-paths.js";
import { localWallClockMillis } from "../write/data-file-path-factory.js";
import { deleteAll, isNotFound, liveDataFiles, metadataFiles } from "./file-references.js";

export interface NamedTag {
  readonly name: string;
  readonly tag: Tag;
}

export interface CreateTagOptions {
  /** The snapshot to tag (default: the latest). */
  readonly snapshotId?: number;
  /** How long the tag is kept before `expireTags` removes it (default: forever). */
  readonly timeRetainedMs?: number;
  /** Epoch ms now (default Date.now); the tag records it as a local wall-clock time, as Java does. */
  readonly clock?: () => number;
}

export function validateTagName(name: string): void {
  if (name.trim() === "") throw new StreamhouseError(ErrorKind.InvalidArgument, "a tag name must not be blank");
  // Paimon refuses numeric names: `scan.tag-name` and snapshot ids would be ambiguous.
  if (/^\d+$/.test(name)) throw new StreamhouseError(ErrorKind.InvalidArgument, `tag name "${name}" must not be a number`, { context: { tag: name } });
  if (/[/\\]/.test(name) || name.startsWith(".")) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `tag name "${name}" must not contain a path separator or start with "."`, { context: { tag: name } });
  }
}

/** Every tag, ordered by snapshot id then name. */
export async function listTags(table: FileStoreTable): Promise<NamedTag[]> {
  const out: NamedTag[] = [];
  for (const name of await table.tagNames()) {
    const tag = await table.tag(name);
    if (tag !== null) out.push({ name, tag });
  }
  return out.sort((a, b) => a.tag.snapshot.id - b.tag.snapshot.id || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function createTag(table: FileStoreTable, name: string, options: CreateTagOptions = {}): Promise<Tag> {
  validateTagName(name);
  if (options.timeRetainedMs !== undefined && !(options.timeRetainedMs > 0)) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "a tag's retention time must be positive", { context: { tag: name } });
  }
  const id = options.snapshotId ?? (await table.snapshots.latestSnapshotId());
  if (id === null) throw new StreamhouseError(ErrorKind.NotFound, "the table has no snapshot to tag", { context: { table: table.path, tag: name } });
  const snapshot = await table.snapshots.snapshot(id);
  const tag: Tag = {
    snapshot,
    createTimeMillis: Number(localWallClockMillis((options.clock ?? Date.now)())),
    timeRetainedSeconds: options.timeRetainedMs === undefined ? null : options.timeRetainedMs / 1000,
  };
  const created = await table.io.writeIfAbsent(TablePaths.tag(table.path, name), new TextEncoder().encode(encodeTag(tag)));
  if (!created) throw new StreamhouseError(ErrorKind.AlreadyExists, `tag "${name}" already exists`, { context: { table: table.path, tag: name } });
  return tag;
}

export interface TagDeletionReport {
  readonly tag: string;
  readonly snapshotId: number;
  /** Data and metadata files deleted because only this tag kept them. */
  readonly deletedFiles: readonly string[];
}

/** Deletes tag `name` and the files only it kept (NotFound if there is no such tag). */
export async function deleteTag(table: FileStoreTable, name: string): Promise<TagDeletionReport> {
  validateTagName(name);
  const tag = await table.tag(name);
  if (tag === null) throw new StreamhouseError(ErrorKind.NotFound, `tag "${name}" does not exist`, { context: { table: table.path, tag: name } });
  const tagged = tag.snapshot;
  const stillSnapshot = await table.io.exists(TablePaths.snapshot(table.path, tagged.id));
  // Gather what the tag references before its file goes: afterwards it cannot be read.
  let candidates: { data: Set<string>; meta: Set<string> } | null = null;
  if (!stillSnapshot) candidates = { data: await liveDataFiles(table, tagged), meta: (await metadataFiles(table, tagged)).paths };
  await table.io.delete(TablePaths.tag(table.path, name));
  if (candidates === null) return { tag: name, snapshotId: tagged.id, deletedFiles: [] };

  const keepers: Snapshot[] = (await listTags(table)).map((t) => t.tag.snapshot);
  const earliest = await table.snapshots.earliestSnapshotId();
  if (earliest !== null) keepers.push(await table.snapshots.snapshot(earliest));
  for (const k of keepers) {
    for (const p of await liveDataFiles(table, k)) candidates.data.delete(p);
    for (const p of (await metadataFiles(table, k)).paths) candidates.meta.delete(p);
  }
  const deleted = [...(await deleteAll(table, candidates.data)), ...(await deleteAll(table, candidates.meta))];
  return { tag: name, snapshotId: tagged.id, deletedFiles: deleted };
}

export interface ExpireTagsOptions {
  /** Epoch ms now (default Date.now). */
  readonly clock?: () => number;
  readonly dryRun?: boolean;
}

/** Deletes the tags whose `tagTimeRetained` has passed since their creation; returns their names. */
export async function expireTags(table: FileStoreTable, options: ExpireTagsOptions = {}): Promise<string[]> {
  const now = Number(localWallClockMillis((options.clock ?? Date.now)()));
  const expired: string[] = [];
  for (const { name, tag } of await listTags(table)) {
    if (tag.timeRetainedSeconds === null || tag.createTimeMillis === null) continue;
    if (tag.createTimeMillis + tag.timeRetainedSeconds * 1000 >= now) continue;
    if (!options.dryRun) {
      try {
        await deleteTag(table, name);
      } catch (e) {
        if (!isNotFound(e)) throw e; // deleted concurrently
      }
    }
    expired.push(name);
  }
  return expired;
}

/** The snapshots of all tags, ascending by id, one per id. */
export async function taggedSnapshots(table: FileStoreTable): Promise<Snapshot[]> {
  const byId = new Map<number, Snapshot>();
  for (const { tag } of await listTags(table)) byId.set(tag.snapshot.id, tag.snapshot);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
