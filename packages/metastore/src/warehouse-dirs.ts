/**
 * Directories behind catalog objects on a local warehouse, kept the way Apache Hive's
 * metastore keeps them: creating a database, table or partition creates its directory
 * if missing, and dropping a managed table or partition with `deleteData` removes its
 * directory. Engines rely on it: Trino's Hive connector refuses CREATE TABLE in a
 * schema whose location does not exist, and refuses to create a managed table whose
 * directory is already there (left over from a dropped table).
 *
 * Only directories inside a local warehouse are touched (absolute paths and `file:` URIs
 * under the warehouse root; see managedPathOf). Object stores (s3://, gs://, …) have no
 * directories to create, and their data is deleted by the engines that own it; other
 * schemes (hdfs://) are left alone. Unlike Apache Hive's metastore, we neither create nor
 * delete directories outside the warehouse.
 */
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

/**
 * The local path of `location`, or undefined when it is not on the local file system.
 * No percent-decoding: Hadoop and Trino both take the characters after `file:` as the
 * path as they are.
 */
export function localPathOf(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  if (location.startsWith("/")) return location;
  // Hadoop writes `file:/a/b`, others `file:///a/b`; both name /a/b. `file://host/…` is not ours.
  const m = /^file:(?:\/\/(?=\/)|(?=\/[^/]))(\/.*)$/i.exec(location);
  return m?.[1];
}

/**
 * A warehouse root as locations are written from it: an absolute directory becomes a
 * `file:///` URI, as Apache Hive qualifies its warehouse with the default file system.
 * Engines need the scheme: Trino's native file systems have no factory for a bare path.
 * Other values (URIs, relative paths) are kept.
 */
export function qualifyWarehouse(warehouse: string): string {
  if (!warehouse.startsWith("/")) return warehouse.replace(/\/+$/, "");
  return `file://${warehouse.replace(/\/+$/, "") || "/"}`;
}

/**
 * The local path of `location` if it lies strictly inside the warehouse `root` (a local
 * path), after resolving `.` and `..`; undefined otherwise. The metastore creates and
 * deletes directories only there: a location elsewhere (CREATE SCHEMA … LOCATION '/data/x')
 * belongs to whoever named it, and a client's string must never steer a mkdir or an rm
 * outside the warehouse.
 */
export function managedPathOf(location: string | null | undefined, root: string | undefined): string | undefined {
  const path = localPathOf(location);
  if (path === undefined || root === undefined) return undefined;
  const resolved = resolve(path);
  const base = resolve(root);
  return resolved.startsWith(`${base}/`) || (base === "/" && resolved !== "/") ? resolved : undefined;
}

/** Creates the directory of `location` (and its parents) if it is inside the warehouse and missing. */
export async function ensureDirectory(location: string | null | undefined, root: string | undefined): Promise<void> {
  const path = managedPathOf(location, root);
  if (path === undefined) return;
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    throw new StreamhouseError(ErrorKind.Io, `Unable to create directory ${location}: ${(e as Error).message}`, { cause: e });
  }
}

/** Removes the directory of `location` and everything under it, if it is inside the warehouse. */
export async function removeTree(location: string | null | undefined, root: string | undefined): Promise<void> {
  const path = managedPathOf(location, root);
  if (path !== undefined) await rm(path, { recursive: true, force: true });
}

/** Removes the directory of `location` if it is inside the warehouse and empty; a non-empty one stays. */
export async function removeIfEmpty(location: string | null | undefined, root: string | undefined): Promise<void> {
  const path = managedPathOf(location, root);
  if (path === undefined) return;
  try {
    await rmdir(path);
  } catch {
    // Missing or not empty: either way nothing of ours to remove.
  }
}

/**
 * Deletes what the directory of `location` holds, keeping the directory itself and its
 * hidden entries (names starting with `.` or `_`, as Hadoop's hidden-file filter has
 * it), if it is inside the warehouse: what truncate_table does to a table's data.
 */
export async function emptyDirectory(location: string | null | undefined, root: string | undefined): Promise<void> {
  const path = managedPathOf(location, root);
  if (path === undefined) return;
  let names: string[];
  try {
    names = await readdir(path);
  } catch {
    return; // Missing: nothing to delete.
  }
  for (const name of names) {
    if (name.startsWith(".") || name.startsWith("_")) continue;
    await rm(resolve(path, name), { recursive: true, force: true });
  }
}

/**
 * Moves the directory of `from` to `to` (creating `to`'s parents) when both are inside
 * the warehouse and `from` exists: what exchange_partition does to a partition's data.
 */
export async function moveDirectory(from: string | null | undefined, to: string | null | undefined, root: string | undefined): Promise<void> {
  const source = managedPathOf(from, root);
  const target = managedPathOf(to, root);
  if (source === undefined || target === undefined) return;
  try {
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return; // No data directory: nothing to move.
    throw new StreamhouseError(ErrorKind.Io, `Unable to move ${from} to ${to}: ${(e as Error).message}`, { cause: e });
  }
}
