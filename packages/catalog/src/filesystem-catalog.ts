/**
 * The catalog that is only a directory tree, as Paimon's FileSystemCatalog:
 * database `d` is the directory `<warehouse>/d.db`, and table `d.t` is the
 * directory `<warehouse>/d.db/t` when it holds at least one `schema/schema-N`
 * file. Nothing else is recorded anywhere; listing reads the directories.
 *
 * FileIO has no "make directory": a database directory is made by writing a
 * placeholder file into it. On a local disk the placeholder is deleted again
 * (the directory stays); on an object store, where a directory exists only while
 * something is below it, it stays as `.streamhouse-database` so that an empty
 * database exists. Listing ignores files.
 */
import type { FileIO } from "@streamhouse/fileio";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { createTable, FileStoreTable, SchemaManager, type TableDefinition } from "@streamhouse/table";
import type { Catalog, CreateDatabaseOptions, CreateTableOptions, DropDatabaseOptions, DropTableOptions, Identifier } from "./catalog.js";
import type { CommitLock } from "./commit-lock.js";
import { fullName, identifier, normalizeName } from "./identifier.js";
import { childLocation, isObjectStoreLocation } from "./location.js";

const DB_SUFFIX = ".db";
export const DATABASE_PLACEHOLDER = ".streamhouse-database";

function notFound(what: string, context: Record<string, string>): StreamhouseError {
  return new StreamhouseError(ErrorKind.NotFound, `${what} does not exist`, { context });
}

export class FilesystemCatalog implements Catalog {
  readonly description: string;
  readonly warehouse: string;

  constructor(
    readonly io: FileIO,
    warehouse: string,
  ) {
    if (warehouse.trim() === "") throw new StreamhouseError(ErrorKind.InvalidArgument, "the warehouse location must not be empty");
    this.warehouse = warehouse.length > 1 ? warehouse.replace(/\/+$/, "") : warehouse;
    this.description = `filesystem ${this.warehouse}`;
  }

  databaseLocation(name: string): string {
    return childLocation(this.warehouse, `${normalizeName("database", name)}${DB_SUFFIX}`);
  }

  /** The directory of `id`, whether or not a table is there. */
  tablePath(id: Identifier): string {
    const n = identifier(id.database, id.table);
    return childLocation(this.databaseLocation(n.database), n.table);
  }

  async listDatabases(): Promise<string[]> {
    const out: string[] = [];
    for (const e of await this.io.list(this.warehouse)) {
      if (!e.isDirectory || !e.name.endsWith(DB_SUFFIX)) continue;
      const name = e.name.slice(0, -DB_SUFFIX.length);
      try {
        // A directory that is not a valid name was not made by a catalog.
        if (normalizeName("database", name) === name) out.push(name);
      } catch {}
    }
    return out.sort();
  }

  async databaseExists(name: string): Promise<boolean> {
    const s = await this.io.stat(this.databaseLocation(name));
    return s?.isDirectory === true;
  }

  async createDatabase(name: string, options: CreateDatabaseOptions = {}): Promise<void> {
    const db = normalizeName("database", name);
    if (options.location !== undefined) {
      throw new StreamhouseError(ErrorKind.Unsupported, "a filesystem catalog keeps every database under its warehouse; a location cannot be given", { context: { database: db } });
    }
    if (await this.databaseExists(db)) {
      if (options.ignoreIfExists === true) return;
      throw new StreamhouseError(ErrorKind.AlreadyExists, `database ${db} already exists`, { context: { database: db } });
    }
    const placeholder = childLocation(this.databaseLocation(db), DATABASE_PLACEHOLDER);
    await this.io.writeIfAbsent(placeholder, new Uint8Array(0));
    if (!isObjectStoreLocation(this.warehouse)) await this.io.delete(placeholder);
  }

  async dropDatabase(name: string, options: DropDatabaseOptions = {}): Promise<void> {
    const db = normalizeName("database", name);
    if (!(await this.databaseExists(db))) {
      if (options.ignoreIfNotExists === true) return;
      throw notFound(`database ${db}`, { database: db });
    }
    if (options.cascade !== true) {
      const tables = await this.listTables(db);
      if (tables.length > 0) {
        throw new StreamhouseError(ErrorKind.InvalidArgument, `database ${db} is not empty (${tables.length} tables); drop it with cascade`, {
          context: { database: db, tables: tables.length },
        });
      }
    }
    await this.io.deleteRecursive(this.databaseLocation(db));
  }

  async listTables(database: string): Promise<string[]> {
    const db = normalizeName("database", database);
    if (!(await this.databaseExists(db))) throw notFound(`database ${db}`, { database: db });
    const out: string[] = [];
    for (const e of await this.io.list(this.databaseLocation(db))) {
      if (!e.isDirectory) continue;
      let name: string;
      try {
        name = normalizeName("table", e.name);
      } catch {
        continue;
      }
      if (name === e.name && (await this.hasSchema(e.path))) out.push(name);
    }
    return out.sort();
  }

  async tableExists(id: Identifier): Promise<boolean> {
    return this.hasSchema(this.tablePath(id));
  }

  async tableLocation(id: Identifier): Promise<string> {
    const path = this.tablePath(id);
    if (!(await this.hasSchema(path))) throw this.tableNotFound(id);
    return path;
  }

  async getTable(id: Identifier, dynamicOptions: Readonly<Record<string, string>> = {}): Promise<FileStoreTable> {
    const path = await this.tableLocation(id);
    return FileStoreTable.open(this.io, path, dynamicOptions);
  }

  async createTable(id: Identifier, definition: TableDefinition, options: CreateTableOptions = {}): Promise<FileStoreTable> {
    const n = identifier(id.database, id.table);
    if (!(await this.databaseExists(n.database))) throw notFound(`database ${n.database}`, { database: n.database });
    try {
      return await createTable(this.io, this.tablePath(n), definition);
    } catch (e) {
      if (options.ignoreIfExists === true && e instanceof StreamhouseError && e.kind === ErrorKind.AlreadyExists) return this.getTable(n);
      throw e instanceof StreamhouseError ? e.withContext({ table: fullName(n) }) : e;
    }
  }

  async dropTable(id: Identifier, options: DropTableOptions = {}): Promise<void> {
    const path = this.tablePath(id);
    if (!(await this.hasSchema(path))) {
      if (options.ignoreIfNotExists === true) return;
      throw this.tableNotFound(id);
    }
    await this.io.deleteRecursive(path);
  }

  /** A filesystem catalog has no lock: commits rely on the store's create-if-absent. */
  async commitLock(_id: Identifier): Promise<CommitLock | null> {
    return null;
  }

  async close(): Promise<void> {}

  private async hasSchema(tablePath: string): Promise<boolean> {
    return (await new SchemaManager(this.io, tablePath).listSchemaIds()).length > 0;
  }

  private tableNotFound(id: Identifier): StreamhouseError {
    const n = identifier(id.database, id.table);
    return notFound(`table ${fullName(n)}`, { table: fullName(n), catalog: this.description });
  }
}
