/**
 * Orphan-file cleaning (mirrors the idea of Paimon's `OrphanFilesClean` /
 * `LocalOrphanFilesClean`, release 2.0.0): deletes files under the table that no
 * snapshot and no tag references and that are older than a threshold (default one
 * day). They are left by failed or crashed commits, writers that died before
 * committing, and crashed expirations, rollbacks and tag deletions.
 *
 * The threshold is what protects in-flight work: a writer's new data files and a
 * committer's manifests exist before the snapshot that references them, so only files
 * older than any commit could take are considered. Referenced = named by a snapshot or
 * tag present when the scan ran: manifest lists, manifests, index manifests, index
 * files, statistics, and every data and changelog file (with extra files) some
 * referenced manifest ADDs.
 *
 * Only the directories the format owns are scanned: `manifest/`, `index/`,
 * `statistics/`, and bucket directories (`bucket-N`, `bucket-postpone`) under
 * `k=v` partition directories; schema, snapshot, tag, consumer, branch and any file of
 * unknown kind elsewhere are never touched.
 */
import type { FileStatus } from "@streamhouse/fileio";
import { joinPath } from "@streamhouse/fileio";
import type { Snapshot } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { TablePaths } from "../table-paths.js";
import { filesAddedByManifests, isNotFound, metadataFiles } from "./file-references.js";
import { listTags } from "./tag-manager.js";

export const DEFAULT_ORPHAN_OLDER_THAN_MS = 86_400_000;

export interface OrphanCleanOptions {
  /** Only files last modified more than this long ago are deleted (default one day). */
  readonly olderThanMs?: number;
  /** Epoch ms now (default Date.now). */
  readonly clock?: () => number;
  /** Report the orphans, delete nothing. */
  readonly dryRun?: boolean;
}

export interface OrphanCleanReport {
  /** Orphans deleted (or, in a dry run, that would be). */
  readonly orphanFiles: readonly string[];
  /** Unreferenced files kept because they are younger than the threshold. */
  readonly tooYoung: number;
  readonly referencedFiles: number;
}

const BUCKET_DIR = /^bucket-(\d+|postpone)$/;
const PARTITION_DIR = /^[^=./][^=/]*=.*$/;

async function referencedFiles(table: FileStoreTable): Promise<Set<string>> {
  const used = new Set<string>();
  const snapshots: Snapshot[] = [];
  for (const id of await table.snapshots.listSnapshotIds()) {
    try {
      snapshots.push(await table.snapshots.snapshot(id));
    } catch (e) {
      if (!isNotFound(e)) throw e; // expired while we listed
    }
  }
  for (const t of await listTags(table)) snapshots.push(t.tag.snapshot);
  const manifests = new Set<string>();
  for (const s of snapshots) {
    // A snapshot being expired right now may have lost metadata already: tolerate it,
    // but then its files are the expiration's to delete.
    const meta = await metadataFiles(table, s, true);
    for (const p of meta.paths) used.add(p);
    for (const m of [...meta.dataManifests, ...meta.changelogManifests]) manifests.add(m);
  }
  const existing: string[] = [];
  for (const m of manifests) if (await table.io.exists(TablePaths.manifest(table.path, m))) existing.push(m);
  for (const p of await filesAddedByManifests(table, existing)) used.add(p);
  return used;
}

async function candidateFiles(table: FileStoreTable): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  const files = async (dir: string) => (await table.io.list(dir)).filter((e) => !e.isDirectory);
  for (const dir of ["manifest", "index", "statistics"]) out.push(...(await files(joinPath(table.path, dir))));
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const e of await table.io.list(dir)) {
      if (!e.isDirectory) continue;
      if (BUCKET_DIR.test(e.name)) out.push(...(await files(e.path)));
      else if (PARTITION_DIR.test(e.name) && depth < 64) await walk(e.path, depth + 1);
    }
  };
  await walk(table.path, 0);
  return out;
}

export async function cleanOrphanFiles(table: FileStoreTable, options: OrphanCleanOptions = {}): Promise<OrphanCleanReport> {
  const now = (options.clock ?? Date.now)();
  const olderThanMs = options.olderThanMs ?? DEFAULT_ORPHAN_OLDER_THAN_MS;
  if (!(olderThanMs >= 0)) throw new RangeError(`olderThanMs must not be negative, got ${olderThanMs}`);
  // List first, then gather references: a file committed between the two steps is
  // then seen as referenced; one written after the listing is not a candidate at all.
  const candidates = await candidateFiles(table);
  const used = await referencedFiles(table);
  const orphanFiles: string[] = [];
  let tooYoung = 0;
  for (const f of candidates) {
    if (used.has(f.path)) continue;
    if (f.modifiedMs > now - olderThanMs) {
      tooYoung++;
      continue;
    }
    if (!options.dryRun) await table.io.delete(f.path);
    orphanFiles.push(f.path);
  }
  return { orphanFiles: orphanFiles.sort(), tooYoung, referencedFiles: used.size };
}
