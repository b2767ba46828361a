/**
 * Which files a snapshot (or a tag — a snapshot kept by name) references, by path:
 * the facts expiration, tag deletion, rollback and orphan cleaning all decide with.
 *
 * A snapshot references its manifest lists (base, delta, changelog), the manifests in
 * them, its index manifest and the index files listed there, its statistics file, and
 * the data files its manifests ADD (with their extra files, e.g. file-index sidecars).
 * Manifests and data files are immutable and only ever referenced by a contiguous
 * run of snapshots (a file added at k and dropped at m is live in k..m-1; a manifest
 * written at k is carried in base lists until a merge drops it), which is what lets
 * the callers look at a few neighbours instead of at every snapshot.
 */
import { joinPath, parentPath } from "@streamhouse/fileio";
import { ErrorKind, FileKind, type ManifestEntry, type Snapshot, StreamhouseError } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { dataFilePath } from "../read/data-file-reader.js";
import { mergeFileEntries } from "../scan/file-entries.js";
import { TablePaths } from "../table-paths.js";

export function isNotFound(e: unknown): boolean {
  return e instanceof StreamhouseError && e.kind === ErrorKind.NotFound;
}

/** The path of a data file and of its extra files. */
export function dataFilePaths(table: FileStoreTable, entry: ManifestEntry): string[] {
  const path = dataFilePath(table.path, table.schema, entry, table.options.partitionDefaultName(), table.options.partitionLegacyName());
  if (entry.file.extraFiles.length === 0) return [path];
  const dir = parentPath(path);
  return [path, ...entry.file.extraFiles.map((x) => joinPath(dir, x))];
}

/** The metadata files of one snapshot, by path (manifest lists, manifests, index manifest, index files, statistics). */
export interface MetadataFiles {
  readonly paths: Set<string>;
  /** Manifest file names (not lists) of the base and delta lists, for reading data-file entries. */
  readonly dataManifests: string[];
  /** Manifest file names of the changelog list. */
  readonly changelogManifests: string[];
}

/**
 * The metadata files of `snapshot`. With `tolerateMissing`, manifest lists and index
 * manifests that no longer exist are skipped (a crashed expiration may have deleted
 * them already); otherwise a missing file is a NotFound error.
 */
export async function metadataFiles(table: FileStoreTable, snapshot: Snapshot, tolerateMissing = false): Promise<MetadataFiles> {
  const paths = new Set<string>();
  const manifest = (name: string) => TablePaths.manifest(table.path, name);
  const listManifests = async (list: string | null): Promise<string[]> => {
    if (list === null) return [];
    paths.add(manifest(list));
    try {
      return (await table.manifests.manifestList(list)).map((m) => m.fileName);
    } catch (e) {
      if (tolerateMissing && isNotFound(e)) return [];
      throw e;
    }
  };
  const dataManifests = [...(await listManifests(snapshot.baseManifestList)), ...(await listManifests(snapshot.deltaManifestList))];
  const changelogManifests = await listManifests(snapshot.changelogManifestList);
  for (const m of [...dataManifests, ...changelogManifests]) paths.add(manifest(m));
  if (snapshot.indexManifest !== null) {
    paths.add(manifest(snapshot.indexManifest));
    try {
      for (const e of await table.manifests.indexManifest(snapshot.indexManifest)) {
        if (e.kind !== FileKind.ADD) continue;
        paths.add(e.indexFile.externalPath ?? TablePaths.indexFile(table.path, e.indexFile.fileName));
      }
    } catch (e) {
      if (!(tolerateMissing && isNotFound(e))) throw e;
    }
  }
  if (snapshot.statistics !== null) paths.add(joinPath(table.path, "statistics", snapshot.statistics));
  return { paths, dataManifests, changelogManifests };
}

async function entriesOf(table: FileStoreTable, manifests: readonly string[], tolerateMissing: boolean): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const m of manifests) {
    try {
      out.push(...(await table.manifests.manifest(m)));
    } catch (e) {
      if (!(tolerateMissing && isNotFound(e))) throw e;
    }
  }
  return out;
}

/** Paths of the data files live at `snapshot` (with their extra files). */
export async function liveDataFiles(table: FileStoreTable, snapshot: Snapshot): Promise<Set<string>> {
  const meta = await metadataFiles(table, snapshot);
  const live = mergeFileEntries(await entriesOf(table, meta.dataManifests, false), { snapshotId: snapshot.id });
  const out = new Set<string>();
  for (const e of live) for (const p of dataFilePaths(table, e)) out.add(p);
  return out;
}

/**
 * Data files a delta manifest list retires: DELETE entries whose file is not added
 * back by the same delta (Paimon's `FileDeletionBase.getDataFileToDelete`).
 */
export async function filesDeletedByDelta(table: FileStoreTable, deltaList: string, tolerateMissing: boolean): Promise<string[]> {
  let manifests: string[];
  try {
    manifests = (await table.manifests.manifestList(deltaList)).map((m) => m.fileName);
  } catch (e) {
    if (tolerateMissing && isNotFound(e)) return [];
    throw e;
  }
  const deleted = new Map<string, ManifestEntry>();
  for (const e of await entriesOf(table, manifests, tolerateMissing)) {
    const key = `${e.bucket}|${Buffer.from(e.partition).toString("hex")}|${e.file.fileName}`;
    if (e.kind === FileKind.DELETE) deleted.set(key, e);
    else deleted.delete(key);
  }
  return [...deleted.values()].flatMap((e) => dataFilePaths(table, e));
}

/** Data files a manifest list adds (changelog files of a changelog list; new files of a delta list). */
export async function filesAddedByList(table: FileStoreTable, list: string, tolerateMissing: boolean): Promise<string[]> {
  let manifests: string[];
  try {
    manifests = (await table.manifests.manifestList(list)).map((m) => m.fileName);
  } catch (e) {
    if (tolerateMissing && isNotFound(e)) return [];
    throw e;
  }
  return (await entriesOf(table, manifests, tolerateMissing)).filter((e) => e.kind === FileKind.ADD).flatMap((e) => dataFilePaths(table, e));
}

/** Every data file any of `manifests` ADDs: a superset of the live files, cheap to gather. */
export async function filesAddedByManifests(table: FileStoreTable, manifests: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of manifests) {
    for (const e of await table.manifests.manifest(m)) if (e.kind === FileKind.ADD) for (const p of dataFilePaths(table, e)) out.add(p);
  }
  return out;
}

/** Deletes each path (idempotent); returns them. */
export async function deleteAll(table: FileStoreTable, paths: Iterable<string>): Promise<string[]> {
  const done: string[] = [];
  for (const p of paths) {
    await table.io.delete(p);
    done.push(p);
  }
  return done;
}
