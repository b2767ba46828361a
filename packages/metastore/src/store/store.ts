/**
 * The metastore's storage: one transactional interface, implemented by an
 * embedded SQLite store and by PostgreSQL (the statements they share are in
 * sql-store-tx.ts). Catalog objects are opaque
 * bytes (Thrift structs, see codec.ts) next to the keys the server looks them
 * up by; the store interprets nothing but keys, which keeps every backend
 * small and makes them interchangeable under one test suite.
 *
 * Every change happens inside `transaction`, which runs its function
 * serializably: a read followed by a write in one transaction (the compare-and-
 * set of alter_table, lock acquisition, notification ids) cannot interleave
 * with another transaction's, in this process or in another sharing the
 * database.
 *
 * Two rules for `fn`, because PostgreSQL enforces serializability by aborting
 * one of two conflicting transactions:
 * - it may run more than once (the store retries a transaction that failed to
 *   serialize), so it must have no effects outside `tx` beyond its result;
 * - when a StoreTx method throws, the transaction can do nothing more: let
 *   the error propagate. (Insert methods detect an existing key without an
 *   error in the database, so their AlreadyExists is the exception: the
 *   transaction stays usable.)
 */

/** A catalog: the top of the namespace (Hive 3+), holding databases. */
export interface CatalogRow {
  readonly name: string;
  readonly body: Uint8Array;
}

export interface DatabaseRow {
  readonly catalog: string;
  readonly name: string;
  readonly body: Uint8Array;
}

export interface TableRow {
  readonly catalog: string;
  readonly db: string;
  readonly name: string;
  readonly tableType: string;
  readonly body: Uint8Array;
}

export interface PartitionRow {
  readonly catalog: string;
  readonly db: string;
  readonly table: string;
  /** The Hive partition name, `k1=v1/k2=v2`. */
  readonly name: string;
  readonly body: Uint8Array;
}

export interface FunctionRow {
  readonly catalog: string;
  readonly db: string;
  readonly name: string;
  readonly body: Uint8Array;
}

export interface ColumnStatsRow {
  readonly catalog: string;
  readonly db: string;
  readonly table: string;
  /** The partition name, or "" for table-level statistics. */
  readonly partition: string;
  readonly column: string;
  readonly engine: string;
  readonly body: Uint8Array;
}

export interface EventRow {
  readonly id: bigint;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly type: string;
  readonly catalog: string;
  readonly db: string | null;
  readonly table: string | null;
  readonly message: string;
  readonly format: string;
}

export interface LockRow {
  readonly id: bigint;
  readonly state: "ACQUIRED" | "WAITING";
  /** JSON array of the lock's components (see locks.ts). */
  readonly components: string;
  readonly txnId: bigint;
  readonly user: string;
  readonly host: string;
  readonly agent: string;
  readonly acquiredAtMs: number | null;
  readonly lastHeartbeatMs: number;
  readonly heartbeatCount: number;
}

export interface TableKey {
  readonly catalog: string;
  readonly db: string;
  readonly table: string;
}

export interface StoreTx {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  getCatalog(name: string): Promise<CatalogRow | undefined>;
  /** Catalog names in byte order. */
  listCatalogs(): Promise<string[]>;
  /** Throws AlreadyExists when present. */
  insertCatalog(row: CatalogRow): Promise<void>;
  updateCatalog(row: CatalogRow): Promise<void>;
  /** Deletes the catalog row only (its databases are the caller's business); false when absent. */
  deleteCatalog(name: string): Promise<boolean>;

  getDatabase(catalog: string, name: string): Promise<DatabaseRow | undefined>;
  listDatabases(catalog: string): Promise<string[]>;
  /** Throws AlreadyExists when present. */
  insertDatabase(row: DatabaseRow): Promise<void>;
  updateDatabase(row: DatabaseRow): Promise<void>;
  deleteDatabase(catalog: string, name: string): Promise<void>;

  /** `forUpdate` locks the row until the transaction ends (compare-and-set). */
  getTable(key: TableKey, forUpdate?: boolean): Promise<TableRow | undefined>;
  listTables(catalog: string, db: string): Promise<TableRow[]>;
  insertTable(row: TableRow): Promise<void>;
  updateTable(row: TableRow): Promise<void>;
  /** Moves a table, its partitions and statistics to a new name. */
  renameTable(from: TableKey, to: TableKey): Promise<void>;
  /** Deletes the table with its partitions and statistics. */
  deleteTable(key: TableKey): Promise<void>;

  /** All partitions when `names` is undefined; ordered by name. */
  getPartitions(key: TableKey, names?: readonly string[]): Promise<PartitionRow[]>;
  listPartitionNames(key: TableKey): Promise<string[]>;
  insertPartition(row: PartitionRow): Promise<void>;
  updatePartition(row: PartitionRow): Promise<void>;
  renamePartition(key: TableKey, from: string, to: PartitionRow): Promise<void>;
  /** Deletes the partition and its statistics; false when absent. */
  deletePartition(key: TableKey, name: string): Promise<boolean>;

  getFunction(catalog: string, db: string, name: string): Promise<FunctionRow | undefined>;
  /** Functions of one database, or of the catalog when `db` is undefined. */
  listFunctions(catalog: string, db?: string): Promise<FunctionRow[]>;
  insertFunction(row: FunctionRow): Promise<void>;
  deleteFunction(catalog: string, db: string, name: string): Promise<boolean>;

  putColumnStats(row: ColumnStatsRow): Promise<void>;
  getColumnStats(key: TableKey, partition: string, columns?: readonly string[], engine?: string): Promise<ColumnStatsRow[]>;
  /** Deletes matching statistics; undefined column or engine means all. Returns the count. */
  deleteColumnStats(key: TableKey, partition: string, column?: string, engine?: string): Promise<number>;

  /** Appends an event with the next id (ids are gap-free) and returns it. */
  appendEvent(event: Omit<EventRow, "id">): Promise<bigint>;
  listEvents(afterId: bigint, limit: number): Promise<EventRow[]>;
  lastEventId(): Promise<bigint>;
  countEvents(afterId: bigint, catalog: string, db: string, toId?: bigint): Promise<number>;
  deleteEventsBefore(timeSeconds: number): Promise<void>;

  insertLock(row: Omit<LockRow, "id">): Promise<bigint>;
  getLock(id: bigint): Promise<LockRow | undefined>;
  /** All locks ordered by id. */
  listLocks(): Promise<LockRow[]>;
  updateLock(id: bigint, change: Partial<Pick<LockRow, "state" | "acquiredAtMs" | "lastHeartbeatMs" | "heartbeatCount">>): Promise<void>;
  deleteLock(id: bigint): Promise<boolean>;
}

export interface MetastoreStore {
  /**
   * Runs `fn` as one serializable transaction; a throw rolls it back. `fn` may
   * be run again after a serialization failure (see above).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
