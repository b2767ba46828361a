/**
 * The catalog kept in a Hive metastore (ours or Apache's), behaving as Paimon's
 * HiveCatalog (paimon-hive-catalog, release 2.0.0) so that Paimon's engines find
 * the same tables through the same metastore:
 *
 * - A database is a metastore database; a new one is placed at
 *   `<warehouse>/<db>.db`, or where the metastore chooses when no warehouse is set.
 * - A table lives at `<database location>/<table>`. Creating writes schema-0 there
 *   first, then registers the table (hive-table-registration.ts); when the
 *   registration fails the directory is deleted again.
 * - Only Paimon tables count: `listTables` returns the tables whose input and output
 *   formats are Paimon's, as Paimon's catalog does (with format tables disabled),
 *   and any other table is "not found" to `getTable`, `tableExists` and `dropTable`.
 *   Hive-only tables in the same database stay untouched.
 * - Dropping a table removes the registration, then the directory (for managed
 *   tables; an EXTERNAL_TABLE keeps its files, as in Paimon — except one Hive 4 turned
 *   external with `external.table.purge=true`, see keepsFilesOnDrop).
 * - Commits take the metastore's table lock (hive-commit-lock.ts) when `lockEnabled`
 *   is true, or by default when the table is on an object store — Paimon's default
 *   for `lock.enabled`.
 *
 * Every call asks the metastore afresh; nothing is cached.
 */
import type { FileIO } from "@streamhouse/fileio";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { createTable, FileStoreTable, SchemaManager, type TableDefinition } from "@streamhouse/table";
import type { Catalog, CreateDatabaseOptions, CreateTableOptions, DropDatabaseOptions, DropTableOptions, Identifier } from "./catalog.js";
import type { CommitLock } from "./commit-lock.js";
import { hmsTypes as T } from "./hms/generated.js";
import { HmsClient } from "./hms/hms-client.js";
import { currentUser, HiveCommitLock, type HiveCommitLockOptions } from "./hive-commit-lock.js";
import { type HmsTable, hmsTableFor, isPaimonTable } from "./hive-table-registration.js";
import { fullName, identifier, normalizeName } from "./identifier.js";
import { childLocation, isObjectStoreLocation, type ResolvedLocation, resolveLocation, s3FileIOFromEnv } from "./location.js";

export interface HiveCatalogOptions {
  /** `thrift://host:port[,…]`. */
  readonly uri: string;
  /** Where new databases go (`<warehouse>/<db>.db`); default: where the metastore puts them. */
  readonly warehouse?: string;
  /** The FileIO for every table; default: chosen by each location's scheme. */
  readonly io?: FileIO;
  /** Take the metastore lock around commits; default: only for object-store tables. */
  readonly lockEnabled?: boolean;
  /** Recorded as the owner of new tables; default: the OS user. */
  readonly owner?: string;
  readonly clock?: () => number;
  readonly connectTimeoutMs?: number;
  readonly callTimeoutMs?: number;
  readonly lock?: HiveCommitLockOptions;
}

type HmsDatabase = InstanceType<typeof T.Database>;

/** An absolute directory as a `file:` URI, as Hive qualifies locations; other values as given. */
export function qualifyLocation(location: string): string {
  const trimmed = location.length > 1 ? location.replace(/\/+$/, "") : location;
  return trimmed.startsWith("/") ? `file://${trimmed}` : trimmed;
}

/**
 * Whether dropping `table` must leave its files: an external table, unless it is marked
 * `external.table.purge=true` — which Hive 4's metastore sets when it turns a managed
 * non-transactional table (every Paimon table) into an external one (it also adds
 * `EXTERNAL=TRUE` and `TRANSLATED_TO_EXTERNAL=TRUE`). Paimon 2.0 keeps the files of such
 * tables; we treat them as the managed tables they were created as.
 */
export function keepsFilesOnDrop(table: HmsTable): boolean {
  if (table.tableType !== "EXTERNAL_TABLE") return false;
  const purge = Object.entries(table.parameters ?? {}).find(([k]) => k.toLowerCase() === "external.table.purge")?.[1];
  return purge?.toLowerCase() !== "true";
}

function isKind(e: unknown, kind: ErrorKind): boolean {
  return e instanceof StreamhouseError && e.kind === kind;
}

export class HiveCatalog implements Catalog {
  readonly description: string;
  readonly client: HmsClient;
  private readonly warehouse: string | undefined;
  private readonly io: FileIO | undefined;
  private readonly lockEnabled: boolean | undefined;
  private readonly owner: string;
  private readonly clock: () => number;
  private readonly lockOptions: HiveCommitLockOptions;
  private s3: FileIO | undefined;

  constructor(options: HiveCatalogOptions) {
    this.client = new HmsClient({
      uri: options.uri,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    });
    this.description = `hive ${options.uri}`;
    this.warehouse = options.warehouse === undefined || options.warehouse === "" ? undefined : qualifyLocation(options.warehouse);
    this.io = options.io;
    this.lockEnabled = options.lockEnabled;
    this.owner = options.owner ?? currentUser();
    this.clock = options.clock ?? Date.now;
    this.lockOptions = options.lock ?? {};
  }

  // ------------------------------------------------------------------ databases

  async listDatabases(): Promise<string[]> {
    const names = await this.client.call("get_all_databases", (c) => c.get_all_databases(), { idempotent: true });
    return [...names].sort();
  }

  async databaseExists(name: string): Promise<boolean> {
    try {
      await this.getDatabase(normalizeName("database", name));
      return true;
    } catch (e) {
      if (isKind(e, ErrorKind.NotFound)) return false;
      throw e;
    }
  }

  async createDatabase(name: string, options: CreateDatabaseOptions = {}): Promise<void> {
    const db = normalizeName("database", name);
    const location = options.location !== undefined ? qualifyLocation(options.location) : this.warehouse === undefined ? "" : childLocation(this.warehouse, `${db}.db`);
    const database = new T.Database({ name: db, description: options.comment ?? "", locationUri: location, parameters: { ...(options.properties ?? {}) } });
    // As Paimon: the catalog makes the directory (a metastore makes only those in its own warehouse).
    if (location !== "" && !isObjectStoreLocation(location) && !(await this.databaseExists(db))) await this.makeDirectory(location);
    try {
      await this.client.call("create_database", (c) => c.create_database(database));
    } catch (e) {
      if (options.ignoreIfExists === true && isKind(e, ErrorKind.AlreadyExists)) return;
      throw e;
    }
  }

  async dropDatabase(name: string, options: DropDatabaseOptions = {}): Promise<void> {
    const db = normalizeName("database", name);
    if (!(await this.databaseExists(db))) {
      if (options.ignoreIfNotExists === true) return;
      throw new StreamhouseError(ErrorKind.NotFound, `database ${db} does not exist`, { context: { database: db } });
    }
    const all = await this.client.call("get_all_tables", (c) => c.get_all_tables(db), { idempotent: true });
    if (options.cascade !== true && all.length > 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `database ${db} is not empty (${all.length} tables); drop it with cascade`, { context: { database: db, tables: all.length } });
    }
    // Our own tables first, so that their directories go too.
    for (const table of await this.listTables(db)) await this.dropTable({ database: db, table }, { ignoreIfNotExists: true });
    await this.client.call("drop_database", (c) => c.drop_database(db, true, true));
  }

  // ------------------------------------------------------------------ tables

  async listTables(database: string): Promise<string[]> {
    const db = normalizeName("database", database);
    await this.getDatabase(db);
    const names = await this.client.call("get_all_tables", (c) => c.get_all_tables(db), { idempotent: true });
    if (names.length === 0) return [];
    const result = await this.client.call("get_table_objects_by_name_req", (c) => c.get_table_objects_by_name_req(new T.GetTablesRequest({ dbName: db, tblNames: names })), {
      idempotent: true,
    });
    return result.tables
      .filter(isPaimonTable)
      .map((t) => t.tableName.toLowerCase())
      .sort();
  }

  async tableExists(id: Identifier): Promise<boolean> {
    const n = identifier(id.database, id.table);
    const table = await this.findHmsTable(n);
    if (table === null || !isPaimonTable(table)) return false;
    const { io, path } = this.resolve(table.sd.location);
    return (await new SchemaManager(io, path).listSchemaIds()).length > 0;
  }

  async tableLocation(id: Identifier): Promise<string> {
    return (await this.paimonTable(identifier(id.database, id.table))).sd.location;
  }

  async getTable(id: Identifier, dynamicOptions: Readonly<Record<string, string>> = {}): Promise<FileStoreTable> {
    const table = await this.paimonTable(identifier(id.database, id.table));
    const { io, path } = this.resolve(table.sd.location);
    return FileStoreTable.open(io, path, dynamicOptions);
  }

  async createTable(id: Identifier, definition: TableDefinition, options: CreateTableOptions = {}): Promise<FileStoreTable> {
    const n = identifier(id.database, id.table);
    const database = await this.getDatabase(n.database);
    if ((await this.findHmsTable(n)) !== null) {
      if (options.ignoreIfExists === true) return this.getTable(n);
      throw new StreamhouseError(ErrorKind.AlreadyExists, `table ${fullName(n)} already exists`, { context: { table: fullName(n) } });
    }
    const databaseLocation = database.locationUri ?? "";
    if (databaseLocation === "") {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `database ${n.database} has no location to put tables in`, { context: { database: n.database } });
    }
    const location = childLocation(databaseLocation, n.table);
    const { io, path } = this.resolve(location);
    // Schema first: a failed registration leaves nothing behind, a failed schema write nothing registered.
    const table = await createTable(io, path, definition);
    try {
      const hms = hmsTableFor({ id: n, schema: table.schema, location, owner: this.owner, nowMs: this.clock() });
      await this.client.call("create_table", (c) => c.create_table(hms));
    } catch (e) {
      try {
        await io.deleteRecursive(path);
      } catch {
        // the registration error is the one to report; the directory is an orphan
      }
      throw e instanceof StreamhouseError ? e.withContext({ table: fullName(n) }) : e;
    }
    return table;
  }

  async dropTable(id: Identifier, options: DropTableOptions = {}): Promise<void> {
    const n = identifier(id.database, id.table);
    const table = await this.findHmsTable(n);
    if (table === null || !isPaimonTable(table)) {
      if (options.ignoreIfNotExists === true) return;
      throw this.tableNotFound(n, table);
    }
    const keepFiles = keepsFilesOnDrop(table);
    await this.client.call("drop_table", (c) => c.drop_table(n.database, n.table, !keepFiles));
    if (keepFiles) return;
    const { io, path } = this.resolve(table.sd.location);
    await io.deleteRecursive(path);
  }

  async commitLock(id: Identifier): Promise<CommitLock | null> {
    const n = identifier(id.database, id.table);
    const enabled = this.lockEnabled ?? isObjectStoreLocation((await this.paimonTable(n)).sd.location);
    return enabled ? new HiveCommitLock(this.client, n, this.lockOptions) : null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  // ------------------------------------------------------------------ helpers

  /** The metastore's record of a database; NotFound when absent. */
  async getDatabase(db: string): Promise<HmsDatabase> {
    try {
      return await this.client.call("get_database", (c) => c.get_database(db), { idempotent: true });
    } catch (e) {
      if (isKind(e, ErrorKind.NotFound)) throw new StreamhouseError(ErrorKind.NotFound, `database ${db} does not exist`, { context: { database: db }, cause: e });
      throw e;
    }
  }

  /** The metastore's record of a table (Paimon's or not), or null. */
  async findHmsTable(id: Identifier): Promise<HmsTable | null> {
    try {
      const r = await this.client.call("get_table_req", (c) => c.get_table_req(new T.GetTableRequest({ dbName: id.database, tblName: id.table })), { idempotent: true });
      return r.table;
    } catch (e) {
      if (isKind(e, ErrorKind.NotFound)) return null;
      throw e;
    }
  }

  private async paimonTable(id: Identifier): Promise<HmsTable> {
    const table = await this.findHmsTable(id);
    if (table === null || !isPaimonTable(table) || !table.sd?.location) throw this.tableNotFound(id, table);
    return table;
  }

  private tableNotFound(id: Identifier, table: HmsTable | null): StreamhouseError {
    const why = table === null ? "does not exist" : "is not a Paimon table";
    return new StreamhouseError(ErrorKind.NotFound, `table ${fullName(id)} ${why}`, { context: { table: fullName(id), catalog: this.description } });
  }

  /** FileIO has no mkdir: writing and deleting a placeholder leaves the directory. */
  private async makeDirectory(location: string): Promise<void> {
    const { io, path } = this.resolve(location);
    const placeholder = childLocation(path, `.streamhouse-mkdir-${process.pid}-${this.clock()}`);
    await io.writeIfAbsent(placeholder, new Uint8Array(0));
    await io.delete(placeholder);
  }

  private resolve(location: string): ResolvedLocation {
    return resolveLocation(location, this.io, () => {
      this.s3 ??= s3FileIOFromEnv();
      return this.s3;
    });
  }
}
