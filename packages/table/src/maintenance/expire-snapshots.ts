/**
 * Snapshot expiration (mirrors Paimon's `ExpireSnapshotsImpl` and `SnapshotDeletion`,
 * release 2.0.0, with the changelog kept in snapshots — `changelog.*` retention
 * options, which decouple it, are not supported).
 *
 * Which snapshots go — with L the latest and E the earliest id:
 *   keep at most `snapshot.num-retained.max`: expiring may start at max(L - max + 1, E);
 *   keep at least `snapshot.num-retained.min`: everything below L - min + 1 may go;
 *   never a snapshot a consumer still has to read (≥ its nextSnapshot);
 *   at most `snapshot.expire.limit` per run (below E + limit);
 *   and the run stops at the first snapshot younger than `snapshot.time-retained`.
 * The expired range is [begin, end); snapshot `end` is kept and is the new earliest.
 *
 * What is deleted, in this order (Java's):
 *   1. data files retired by the deltas of snapshots begin+1 .. end (a DELETE in the
 *      delta of k means the file was live in k-1 and not in k) — except files live
 *      in a tag older than `end`;
 *   2. changelog files added by the expired snapshots (except tagged ones);
 *   3. per expired snapshot, ascending: its manifest lists, manifests, index manifest,
 *      index files and statistics not referenced by snapshot `end` or any tag, then
 *      the snapshot file itself;
 *   4. the EARLIEST hint, = end.
 * Every retained snapshot and tag stays whole at every step: nothing deleted is
 * referenced by them. A crash leaves expired snapshot files that may reference deleted
 * files; they are still the oldest, so the next run expires them again and finishes
 * the job — reading their metadata tolerates files the crashed run already deleted
 * (phase 3 starts only after phases 1 and 2 completed, so nothing is missed).
 */
import type { FileStoreTable } from "../file-store-table.js";
import { TablePaths } from "../table-paths.js";
import { expireConsumers, minNextSnapshot } from "./consumer-manager.js";
import { deleteAll, filesAddedByList, filesDeletedByDelta, liveDataFiles, metadataFiles } from "./file-references.js";
import { listTags } from "./tag-manager.js";

export interface ExpireOptions {
  /** Overrides `snapshot.num-retained.min`. */
  readonly retainMin?: number;
  /** Overrides `snapshot.num-retained.max`. */
  readonly retainMax?: number;
  /** Overrides `snapshot.time-retained`: snapshots younger than this are kept. */
  readonly timeRetainedMs?: number;
  /** Overrides `snapshot.expire.limit`. */
  readonly maxDeletes?: number;
  /** Epoch ms now (default Date.now). */
  readonly clock?: () => number;
  /** Report what would be deleted, delete nothing. */
  readonly dryRun?: boolean;
}

export interface ExpireReport {
  /** Ids of the expired snapshots, ascending. */
  readonly expiredSnapshots: readonly number[];
  readonly deletedDataFiles: readonly string[];
  readonly deletedChangelogFiles: readonly string[];
  /** Manifest lists, manifests, index manifests, index files, statistics. */
  readonly deletedMetadataFiles: readonly string[];
  readonly expiredConsumers: readonly string[];
  /** The earliest snapshot after the run (null for an empty table). */
  readonly earliest: number | null;
}

const EMPTY: Omit<ExpireReport, "earliest" | "expiredConsumers"> = { expiredSnapshots: [], deletedDataFiles: [], deletedChangelogFiles: [], deletedMetadataFiles: [] };

function positive(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/** Expires snapshots of `table` per its options (or the overrides); see the file comment. */
export async function expireSnapshots(table: FileStoreTable, options: ExpireOptions = {}): Promise<ExpireReport> {
  const o = table.options;
  const now = (options.clock ?? Date.now)();
  const retainMin = positive("retainMin", options.retainMin ?? o.snapshotNumRetainedMin());
  const retainMax = positive("retainMax", options.retainMax ?? o.snapshotNumRetainedMax());
  const maxDeletes = positive("maxDeletes", options.maxDeletes ?? o.snapshotExpireLimit());
  const olderThanMs = now - (options.timeRetainedMs ?? o.snapshotTimeRetainedMs());
  if (retainMin > retainMax) throw new RangeError(`retainMin (${retainMin}) must not exceed retainMax (${retainMax})`);
  const dryRun = options.dryRun ?? false;

  const consumerExpiration = o.consumerExpirationTimeMs();
  const expiredConsumers = consumerExpiration === null ? [] : await expireConsumers(table, now - consumerExpiration, dryRun);

  const snapshots = table.snapshots;
  const latest = await snapshots.latestSnapshotId();
  const earliest = await snapshots.earliestSnapshotId();
  if (latest === null || earliest === null) return { ...EMPTY, expiredConsumers, earliest: null };

  const min = Math.max(latest - retainMax + 1, earliest);
  let maxExclusive = latest - retainMin + 1;
  const consumer = await minNextSnapshot(table);
  if (consumer !== null) maxExclusive = Math.min(maxExclusive, consumer);
  maxExclusive = Math.min(maxExclusive, earliest + maxDeletes);
  let end = maxExclusive;
  for (let id = min; id < maxExclusive; id++) {
    if (!(await table.io.exists(TablePaths.snapshot(table.path, id)))) continue;
    if (olderThanMs <= (await snapshots.snapshot(id)).timeMillis) {
      end = id;
      break;
    }
  }
  const report = await expireUntil(table, earliest, end, dryRun);
  return { ...report, expiredConsumers };
}

/** Expires snapshots from `earliestId` up to (not including) `endExclusive`. */
export async function expireUntil(table: FileStoreTable, earliestId: number, endExclusive: number, dryRun = false): Promise<Omit<ExpireReport, "expiredConsumers">> {
  const io = table.io;
  const snapshotPath = (id: number) => TablePaths.snapshot(table.path, id);
  if (endExclusive <= earliestId) {
    // Nothing to expire; still record the earliest so readers need not list.
    if (!dryRun && !(await io.exists(TablePaths.earliestHint(table.path)))) await writeEarliestHint(table, earliestId);
    return { ...EMPTY, earliest: earliestId };
  }
  // Snapshots below a missing one were expired already (only a suffix is ever kept).
  let begin = earliestId;
  for (let id = endExclusive - 1; id >= earliestId; id--) {
    if (!(await io.exists(snapshotPath(id)))) {
      begin = id + 1;
      break;
    }
  }
  const end = await table.snapshots.snapshot(endExclusive);
  const tags = (await listTags(table)).map((t) => t.tag.snapshot);
  const taggedIds = new Set(tags.map((t) => t.id));

  // 1. Data files retired by deltas begin+1 .. end, unless a tag older than `end` keeps them.
  const keptByTags = new Set<string>();
  for (const t of tags) if (t.id < endExclusive) for (const p of await liveDataFiles(table, t)) keptByTags.add(p);
  const dataFiles = new Set<string>();
  for (let id = begin + 1; id <= endExclusive; id++) {
    const s = id === endExclusive ? end : await table.snapshots.snapshot(id);
    for (const p of await filesDeletedByDelta(table, s.deltaManifestList, id !== endExclusive)) if (!keptByTags.has(p)) dataFiles.add(p);
  }
  // 2. Changelog files of the expired snapshots.
  const changelogFiles = new Set<string>();
  for (let id = begin; id < endExclusive; id++) {
    const s = await table.snapshots.snapshot(id);
    if (s.changelogManifestList === null || taggedIds.has(id)) continue;
    for (const p of await filesAddedByList(table, s.changelogManifestList, true)) changelogFiles.add(p);
  }
  // 3. Metadata not referenced by `end` or a tag.
  const keepMeta = new Set((await metadataFiles(table, end)).paths);
  for (const t of tags) for (const p of (await metadataFiles(table, t, true)).paths) keepMeta.add(p);
  const metaBySnapshot: [number, string[]][] = [];
  const seen = new Set<string>();
  for (let id = begin; id < endExclusive; id++) {
    const paths = [...(await metadataFiles(table, await table.snapshots.snapshot(id), true)).paths].filter((p) => !keepMeta.has(p) && !seen.has(p));
    for (const p of paths) seen.add(p);
    metaBySnapshot.push([id, paths]);
  }

  const expiredSnapshots = metaBySnapshot.map(([id]) => id);
  if (dryRun) {
    return { expiredSnapshots, deletedDataFiles: [...dataFiles], deletedChangelogFiles: [...changelogFiles], deletedMetadataFiles: [...seen], earliest: endExclusive };
  }
  const deletedDataFiles = await deleteAll(table, dataFiles);
  const deletedChangelogFiles = await deleteAll(table, changelogFiles);
  const deletedMetadataFiles: string[] = [];
  for (const [id, paths] of metaBySnapshot) {
    deletedMetadataFiles.push(...(await deleteAll(table, paths)));
    await io.delete(snapshotPath(id));
  }
  await writeEarliestHint(table, endExclusive);
  return { expiredSnapshots, deletedDataFiles, deletedChangelogFiles, deletedMetadataFiles, earliest: endExclusive };
}

async function writeEarliestHint(table: FileStoreTable, id: number): Promise<void> {
  await table.io.overwrite(TablePaths.earliestHint(table.path), new TextEncoder().encode(String(id)));
}
