/**
 * The Catalog: where tables are found by name (`database.table`) instead of by
 * directory. Two implementations share this contract: a filesystem catalog that
 * maps names to `<warehouse>/<db>.db/<table>`, and a Hive catalog that records
 * each table in a Hive metastore (ours or Apache's) the way Paimon's own Hive
 * catalog does, so Paimon's Spark, Flink, Hive and Trino connectors find it.
 *
 * Every method opens fresh state: a table returned by `getTable` carries the
 * latest schema at the time of the call, and no answer is cached between calls.
 */
import type { FileStoreTable, TableDefinition } from "@streamhouse/table";
import type { CommitLock } from "./commit-lock.js";

/** A table's name inside a catalog. Names are lower-cased, as Hive does. */
export interface Identifier {
  readonly database: string;
  readonly table: string;
}

export interface CreateDatabaseOptions {
  readonly ignoreIfExists?: boolean;
  readonly comment?: string;
  /** Where the database's tables go; defaults to `<warehouse>/<db>.db`. */
  readonly location?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

export interface DropDatabaseOptions {
  readonly ignoreIfNotExists?: boolean;
  /** Drop the database's tables too; without it a non-empty database is an error. */
  readonly cascade?: boolean;
}

export interface CreateTableOptions {
  readonly ignoreIfExists?: boolean;
}

export interface DropTableOptions {
  readonly ignoreIfNotExists?: boolean;
}

export interface Catalog {
  /** A short description for messages, e.g. `hive thrift://127.0.0.1:9083`. */
  readonly description: string;
  listDatabases(): Promise<string[]>;
  databaseExists(name: string): Promise<boolean>;
  createDatabase(name: string, options?: CreateDatabaseOptions): Promise<void>;
  dropDatabase(name: string, options?: DropDatabaseOptions): Promise<void>;
  listTables(database: string): Promise<string[]>;
  tableExists(id: Identifier): Promise<boolean>;
  /** The table's directory (local path or `s3://…`); NotFound when absent. */
  tableLocation(id: Identifier): Promise<string>;
  /** Opens the table with its latest schema; dynamic options apply to this handle only. NotFound when absent. */
  getTable(id: Identifier, dynamicOptions?: Readonly<Record<string, string>>): Promise<FileStoreTable>;
  /** Writes schema-0 first, then registers the table; on a failed registration removes what it wrote. */
  createTable(id: Identifier, definition: TableDefinition, options?: CreateTableOptions): Promise<FileStoreTable>;
  /** Unregisters the table and deletes its directory. */
  dropTable(id: Identifier, options?: DropTableOptions): Promise<void>;
  /**
   * The lock a committer of this table should publish snapshots under, or null when
   * the catalog needs none (optional: catalogs without locks may omit it). The lock
   * holds its own resources; `close` of the catalog releases them.
   */
  commitLock?(id: Identifier): Promise<CommitLock | null>;
  /** Releases connections. */
  close(): Promise<void>;
}
