/**
 * Turns a command's table argument into an opened table: a local directory (or
 * file:// URL), an `s3://bucket/path` location, or a `db.table` name looked up in
 * a catalog. For S3 the endpoint, region and credentials come from the standard
 * AWS environment (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, …); a custom
 * endpoint uses path-style addressing, as S3-compatible servers expect.
 *
 * An argument is a `db.table` name when it has that shape (two names joined by one
 * dot) and no file or directory of that name exists: `./db.t` or an absolute path
 * always means the directory.
 *
 * The catalog: `--metastore URI` (the Hive catalog on that metastore, new databases
 * under `--warehouse DIR` if given) or `--warehouse DIR` alone (the filesystem
 * catalog there). Without either flag the environment decides the same way
 * (STREAMHOUSE_METASTORE, STREAMHOUSE_WAREHOUSE), and without those the metastore
 * `npm start` runs: thrift://127.0.0.1:9083.
 *
 * Every command that commits to a `db.table` (write, compact, expire, rollback, tag,
 * alter) holds the catalog's commit lock while it publishes, as Java Paimon's
 * committers do: a Hive catalog takes the metastore's table lock for object-store
 * tables, or for every table with STREAMHOUSE_LOCK_ENABLED=true (Paimon's catalog
 * option `lock.enabled`: set it when Java writers on a local or HDFS warehouse take
 * the lock); `false` never takes it.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Catalog, type CatalogSelection, type CommitLock, catalogFromOptions, looksLikeTableName, parseIdentifier, resolveLocation } from "@streamhouse/catalog";
import { type FileIO, LocalFileIO } from "@streamhouse/fileio";
import { FileStoreTable } from "@streamhouse/table";
import { type FlagSpec, type ParsedArgs, stringFlag } from "../args.js";
import { UsageError } from "../cli-context.js";

export const DEFAULT_METASTORE = "thrift://127.0.0.1:9083";

/** The flags that choose a catalog; commands that take `db.table` names accept them. */
export const CATALOG_FLAGS: FlagSpec = {
  metastore: { type: "string" },
  warehouse: { type: "string" },
};

export function fileIOFor(location: string): { io: FileIO; path: string } {
  if (/^s3a?:\/\//i.test(location)) return resolveLocation(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    throw new UsageError(`unsupported location "${location}": use a local directory or s3://bucket/path`);
  }
  const path = location.startsWith("file://") ? fileURLToPath(location) : resolve(location);
  return { io: new LocalFileIO(), path: path.replace(/\/+$/, "") };
}

/** Whether a table argument names a catalog table (`db.table`) rather than a location. */
export function isTableName(arg: string): boolean {
  return looksLikeTableName(arg) && !existsSync(arg);
}

/** The catalog the flags (or else the environment, or else the default) choose. */
export function catalogSelection(parsed?: ParsedArgs): CatalogSelection {
  const metastoreFlag = parsed === undefined ? undefined : stringFlag(parsed, "metastore");
  const warehouseFlag = parsed === undefined ? undefined : stringFlag(parsed, "warehouse");
  const lock = lockEnabledFromEnv();
  const withLock = lock === undefined ? {} : { lockEnabled: lock };
  if (metastoreFlag !== undefined || warehouseFlag !== undefined) return { metastore: metastoreFlag, warehouse: warehouseFlag, ...withLock };
  const metastore = process.env["STREAMHOUSE_METASTORE"] || undefined;
  const warehouse = process.env["STREAMHOUSE_WAREHOUSE"] || undefined;
  if (metastore !== undefined || warehouse !== undefined) return { metastore, warehouse, ...withLock };
  return { metastore: DEFAULT_METASTORE, ...withLock };
}

/** STREAMHOUSE_LOCK_ENABLED: true/false, or undefined when unset (the catalog's default). */
function lockEnabledFromEnv(): boolean | undefined {
  const text = process.env["STREAMHOUSE_LOCK_ENABLED"]?.trim().toLowerCase();
  if (text === undefined || text === "") return undefined;
  if (text === "true") return true;
  if (text === "false") return false;
  throw new UsageError(`STREAMHOUSE_LOCK_ENABLED must be true or false, got "${process.env["STREAMHOUSE_LOCK_ENABLED"]}"`);
}

export function openCatalog(parsed?: ParsedArgs): Catalog {
  return catalogFromOptions(catalogSelection(parsed));
}

/** Runs `fn` with the chosen catalog and closes it afterwards. */
export async function withCatalog<T>(parsed: ParsedArgs | undefined, fn: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = openCatalog(parsed);
  try {
    return await fn(catalog);
  } finally {
    await catalog.close();
  }
}

export async function openTableArg(arg: string | undefined, dynamicOptions: Readonly<Record<string, string>> = {}, parsed?: ParsedArgs): Promise<FileStoreTable> {
  if (arg === undefined || arg === "") throw new UsageError("missing the table (a directory, s3://bucket/path or database.table)");
  if (isTableName(arg)) return withCatalog(parsed, (catalog) => catalog.getTable(parseIdentifier(arg), dynamicOptions));
  const { io, path } = fileIOFor(arg);
  return FileStoreTable.open(io, path, dynamicOptions);
}

export interface OpenedTable {
  readonly table: FileStoreTable;
  /** The catalog's commit lock for this table (pass it to FileStoreCommit), or null. */
  readonly lock: CommitLock | null;
  /** Releases the catalog connection the lock uses; call when done committing. */
  close(): Promise<void>;
}

/** For writers: the table plus the commit lock its catalog asks for, kept open until `close`. */
export async function openTableForCommit(arg: string | undefined, dynamicOptions: Readonly<Record<string, string>> = {}, parsed?: ParsedArgs): Promise<OpenedTable> {
  if (arg === undefined || arg === "" || !isTableName(arg)) {
    return { table: await openTableArg(arg, dynamicOptions, parsed), lock: null, close: async () => {} };
  }
  const catalog = openCatalog(parsed);
  try {
    const id = parseIdentifier(arg);
    const table = await catalog.getTable(id, dynamicOptions);
    const lock = (await catalog.commitLock?.(id)) ?? null;
    return { table, lock, close: () => catalog.close() };
  } catch (e) {
    await catalog.close();
    throw e;
  }
}

/** Runs `fn` holding `lock`, or directly when there is none. */
export function runLocked<T>(lock: CommitLock | null, fn: () => Promise<T>): Promise<T> {
  return lock === null ? fn() : lock.runExclusive(fn);
}

/**
 * For commands that change a table's metadata (expire, rollback, tags, schema
 * changes): opens the table, runs `fn` holding the catalog's commit lock for the
 * table (when its catalog asks for one), and releases the catalog afterwards.
 */
export async function withLockedTable<T>(
  arg: string | undefined,
  dynamicOptions: Readonly<Record<string, string>>,
  parsed: ParsedArgs | undefined,
  fn: (table: FileStoreTable) => Promise<T>,
): Promise<T> {
  const opened = await openTableForCommit(arg, dynamicOptions, parsed);
  try {
    return await runLocked(opened.lock, () => fn(opened.table));
  } finally {
    await opened.close();
  }
}
