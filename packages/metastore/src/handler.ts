/**
 * The Hive Metastore service: one method per IDL method, named as the IDL
 * names them (the generated processor dispatches by name). Each method runs
 * in one store transaction and translates our errors into the exceptions its
 * IDL declares (thrift-errors.ts). Method parameters mirror the IDL's, in
 * order; the processor passes them positionally.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { decodeStruct, encodeStruct } from "./codec.js";
import { fb303Types, hmsTypes as T } from "@streamhouse/catalog";
import { checkLock, componentsOf, heartbeatLock, type LockComponentSpec, type LockLevelName, type LockTypeName, releaseLock, requestLock } from "./locks.js";
import { matchesPattern, normalizeName, parseDbName, requireDbName, validateObjectName } from "./names.js";
import {
  DDL_TIME,
  DEFAULT_DATABASE,
  databaseRow,
  decodeDatabase,
  decodePartition,
  decodeTable,
  defaultDatabaseLocation,
  emptyStorageDescriptor,
  envProperties,
  i64ToBigInt,
  invalid,
  limitOf,
  loadDatabase,
  loadTable,
  notFound,
  nowSeconds,
  partitionKeyNames,
  partitionRow,
  partitionStorage,
  tableRow,
  VIRTUAL_VIEW,
} from "./objects.js";
import { compilePartitionFilter } from "./partition-filter.js";
import { makePartitionName, parsePartitionName, partitionValuesFromName } from "./partition-names.js";
import type { MetastoreStore, StoreTx, TableKey, TableRow } from "./store/store.js";
import { compileTableFilter } from "./table-filter.js";
import { type DeclaredExceptions, Declared as D, toThriftError } from "./thrift-errors.js";
import { ensureDirectory, localPathOf, qualifyWarehouse, removeIfEmpty, removeTree } from "./warehouse-dirs.js";

export interface HandlerOptions {
  readonly store: MetastoreStore;
  /** Root of default database locations (a directory or a URI such as s3://bucket/path). */
  readonly warehouse: string;
  readonly nowMs?: () => number;
  readonly lockTimeoutMs?: number;
  /** How long notification events are kept (Hive: event.db.listener.timetolive). */
  readonly eventTtlSeconds?: number;
  /** Extra answers for get_config_value. */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Create the directories of new databases, tables and partitions, and delete those of
   * dropped managed tables and partitions when the client asks (deleteData), as Apache
   * Hive's metastore does — inside a local warehouse only (warehouse-dirs.ts). Default true.
   */
  readonly manageDirectories?: boolean;
}

const SERVER_VERSION = "4.0.1";
const NOTIFICATION_BATCH_MAX = 10_000;
/** Tables whose partition keys are kept decoded; the map is emptied when full. */
const PARTITION_KEYS_CACHE_MAX = 1_024;
const LOCK_TYPES: Record<number, LockTypeName> = { 1: "SHARED_READ", 2: "SHARED_WRITE", 3: "EXCLUSIVE", 4: "EXCL_WRITE" };
const LOCK_LEVELS: Record<number, LockLevelName> = { 1: "DB", 2: "TABLE", 3: "PARTITION" };
const LOCK_TYPE_IDS: Record<LockTypeName, number> = { SHARED_READ: 1, SHARED_WRITE: 2, EXCLUSIVE: 3, EXCL_WRITE: 4 };
const LOCK_STATE_IDS = { ACQUIRED: 1, WAITING: 2 } as const;
/** get_table_names_by_filter: a missing database is UnknownDBException, anything else a MetaException. */
const TABLE_FILTER_DECLARED: DeclaredExceptions = ["UnknownDBException", "MetaException"];

type Env = H.EnvironmentContext | null | undefined;

export class MetastoreHandler {
  private readonly store: MetastoreStore;
  private readonly warehouse: string;
  private readonly now: () => number;
  private readonly lockTimeoutMs: number;
  private readonly eventTtlSeconds: number;
  private readonly config: Record<string, string>;
  private readonly startedAtMs: number;
  /** The local warehouse directory whose subdirectories we manage, if any (warehouse-dirs.ts). */
  private readonly managedRoot: string | undefined;
  private readonly partitionKeysCache = new Map<string, { body: Uint8Array; keys: string[] }>();

  constructor(o: HandlerOptions) {
    this.store = o.store;
    this.warehouse = qualifyWarehouse(o.warehouse);
    this.managedRoot = (o.manageDirectories ?? true) ? localPathOf(this.warehouse) : undefined;
    this.now = o.nowMs ?? Date.now;
    this.lockTimeoutMs = o.lockTimeoutMs ?? 300_000;
    this.eventTtlSeconds = o.eventTtlSeconds ?? 86_400;
    this.startedAtMs = this.now();
    this.config = {
      "hive.metastore.warehouse.dir": o.warehouse.replace(/\/+$/, ""),
      "metastore.warehouse.dir": o.warehouse.replace(/\/+$/, ""),
      "hive.metastore.event.db.notification.api.auth": "false",
      ...o.config,
    };
  }

  /** Creates the `default` database if missing; Hive clients require it. */
  async init(): Promise<void> {
    await this.store.transaction(async (tx) => {
      if ((await tx.getDatabase("hive", DEFAULT_DATABASE)) !== undefined) return;
      const db = new T.Database({
        name: DEFAULT_DATABASE,
        description: "Default Hive database",
        locationUri: defaultDatabaseLocation(this.warehouse, DEFAULT_DATABASE),
        parameters: {},
      });
      db.ownerName = "public";
      db.ownerType = T.PrincipalType.ROLE;
      db.catalogName = "hive";
      db.createTime = nowSeconds(this.now());
      await tx.insertDatabase(databaseRow("hive", db));
    });
  }

  private run<R>(declared: DeclaredExceptions, fn: (tx: StoreTx) => Promise<R>): Promise<R> {
    return this.store.transaction(fn).catch((e: unknown) => {
      throw toThriftError(e, declared);
    });
  }

  private async emit(tx: StoreTx, type: string, catalog: string, db: string | null, table: string | null, body: Record<string, unknown>): Promise<void> {
    const time = nowSeconds(this.now());
    const message = JSON.stringify({ server: "", servicePrincipal: "", db, table, timestamp: time, ...body });
    await tx.appendEvent({ time, type, catalog, db, table, message, format: "json-0.2" });
    await tx.deleteEventsBefore(time - this.eventTtlSeconds);
  }

  private makeDirectory(location: string | null | undefined): Promise<void> {
    return ensureDirectory(location, this.managedRoot);
  }

  /** Deletes data directories after the drop that orphaned them has committed. */
  private async deleteData(locations: readonly string[]): Promise<void> {
    for (const location of locations) await removeTree(location, this.managedRoot);
  }

  // ------------------------------------------------------------ fb303

  getName(): string {
    return "Streamhouse Hive Metastore";
  }
  getVersion(): string {
    return SERVER_VERSION;
  }
  getStatus(): number {
    return fb303Types.fb_status.ALIVE;
  }
  getStatusDetails(): string {
    return "ALIVE";
  }
  getCounters(): Record<string, number> {
    return {};
  }
  getCounter(_key: string): number {
    return 0;
  }
  getOption(key: string): string {
    return this.config[key] ?? "";
  }
  getOptions(): Record<string, string> {
    return { ...this.config };
  }
  aliveSince(): number {
    return nowSeconds(this.startedAtMs);
  }
  /**
   * fb303's one-way `shutdown`, which Spark's Hive 2.3 client sends as it
   * closes a connection. Deliberately a no-op: the metastore is shared by every
   * client, and any client that can reach the port could otherwise take it
   * down for all of them; stopping it is the operator's job (the process, or
   * `MetastoreHandle.close`). One-way, so nothing is replied (see server.ts);
   * it must not throw, since the generated processor drops its result.
   */
  shutdown(): void {}

  // ------------------------------------------------------------ session and configuration

  set_ugi(user_name: string, group_names: string[] | null): string[] {
    return [...(group_names ?? [])].filter((g) => g !== user_name).concat(user_name ? [user_name] : []);
  }

  get_config_value(name: string, defaultValue: string): Promise<string> {
    return this.run(D.config, async () => {
      if (!/^(hive|hdfs|mapred|metastore)/.test(name ?? "")) {
        throw new T.ConfigValSecurityException({ message: `For security reasons, the config key ${name} cannot be accessed` });
      }
      return this.config[name] ?? defaultValue;
    });
  }

  get_metastore_db_uuid(): Promise<string> {
    return this.run(D.meta, async (tx) => {
      const uuid = (await tx.getMeta("db_uuid")) ?? randomUUID();
      await tx.setMeta("db_uuid", uuid);
      return uuid;
    });
  }

  // ------------------------------------------------------------ databases

  create_database(database: H.Database): Promise<void> {
    return this.run(D.create, async (tx) => {
      if (!database) throw invalid("no database given");
      const catalog = normalizeName(database.catalogName) || "hive";
      validateObjectName("catalog", catalog);
      const name = validateObjectName("database", database.name);
      const db = new T.Database(database as never);
      db.name = name;
      db.catalogName = catalog;
      db.parameters = database.parameters ?? {};
      db.description = database.description ?? "";
      db.locationUri = database.locationUri || defaultDatabaseLocation(this.warehouse, name);
      if (!db.createTime) db.createTime = nowSeconds(this.now());
      await tx.insertDatabase(databaseRow(catalog, db));
      await this.makeDirectory(db.locationUri);
      await this.emit(tx, "CREATE_DATABASE", catalog, name, null, {});
    });
  }

  /** Hive 4's create_database: the same, with the database's fields spelled out in the request. */
  create_database_req(req: H.CreateDatabaseRequest): Promise<void> {
    const db = new T.Database({
      name: req?.databaseName ?? "",
      description: req?.description ?? "",
      locationUri: req?.locationUri ?? "",
      parameters: req?.parameters ?? {},
    });
    if (req?.privileges != null) db.privileges = req.privileges;
    if (req?.ownerName != null) db.ownerName = req.ownerName;
    if (req?.ownerType != null) db.ownerType = req.ownerType;
    if (req?.catalogName != null) db.catalogName = req.catalogName;
    if (req?.createTime != null) db.createTime = req.createTime;
    if (req?.managedLocationUri != null) db.managedLocationUri = req.managedLocationUri;
    if (req?.type != null) db.type = req.type;
    if (req?.dataConnectorName != null) db.connector_name = req.dataConnectorName;
    if (req?.remote_dbname != null) db.remote_dbname = req.remote_dbname;
    return this.create_database(db);
  }

  private async getDb(raw: string, catalogOverride?: string | null): Promise<H.Database> {
    return this.run(D.read, async (tx) => {
      const { catalog, db } = requireDbName(raw, catalogOverride);
      return loadDatabase(tx, catalog, db);
    });
  }

  get_database(name: string): Promise<H.Database> {
    return this.getDb(name);
  }

  get_database_req(request: H.GetDatabaseRequest): Promise<H.Database> {
    return this.getDb(request?.name ?? "", request?.catalogName);
  }

  private async dropDb(raw: string, catalogOverride: string | null | undefined, ignoreUnknown: boolean, cascade: boolean, deleteData: boolean): Promise<void> {
    const orphaned: string[] = [];
    let dbLocation: string | undefined;
    await this.run(D.dropDb, async (tx) => {
      const { catalog, db } = requireDbName(raw, catalogOverride);
      const row = await tx.getDatabase(catalog, db);
      if (row === undefined) {
        if (ignoreUnknown) return;
        throw notFound("database", `Database ${db} does not exist`);
      }
      dbLocation = decodeDatabase(row).locationUri;
      if (catalog === "hive" && db === DEFAULT_DATABASE) throw new T.MetaException({ message: "Can not drop default database in catalog hive" });
      const tables = await tx.listTables(catalog, db);
      const functions = await tx.listFunctions(catalog, db);
      if (!cascade && (tables.length > 0 || functions.length > 0)) {
        throw new StreamhouseError(ErrorKind.Unsupported, `Database ${db} is not empty. One or more tables or functions exist.`);
      }
      for (const t of tables) {
        const key = { catalog, db, table: t.name };
        if (deleteData) orphaned.push(...(await this.dataOf(tx, key, decodeTable(t))));
        await tx.deleteTable(key);
        await this.emit(tx, "DROP_TABLE", catalog, db, t.name, {});
      }
      for (const f of functions) await tx.deleteFunction(catalog, db, f.name);
      await tx.deleteDatabase(catalog, db);
      await this.emit(tx, "DROP_DATABASE", catalog, db, null, {});
    });
    if (!deleteData) return;
    await this.deleteData(orphaned);
    // A database directory may hold what is not ours (external tables' data): only an empty one goes.
    await removeIfEmpty(dbLocation, this.managedRoot);
  }

  drop_database(name: string, deleteData: boolean, cascade: boolean): Promise<void> {
    return this.dropDb(name, undefined, false, cascade, deleteData);
  }

  drop_database_req(req: H.DropDatabaseRequest): Promise<void> {
    return this.dropDb(req?.name ?? "", req?.catalogName, req?.ignoreUnknownDb ?? false, req?.cascade ?? false, req?.deleteData ?? false);
  }

  get_databases(pattern: string): Promise<string[]> {
    return this.run(D.meta, async (tx) => {
      const q = parseDbName(pattern);
      const names = await tx.listDatabases(q.catalog);
      return names.filter((n) => q.db === undefined || matchesPattern(q.db, n));
    });
  }

  get_all_databases(): Promise<string[]> {
    return this.run(D.meta, (tx) => tx.listDatabases("hive"));
  }

  alter_database(dbname: string, db: H.Database): Promise<void> {
    return this.run(D.alterDb, async (tx) => {
      const { catalog, db: name } = requireDbName(dbname);
      const old = await loadDatabase(tx, catalog, name);
      if (!db) throw invalid("no database given");
      old.description = db.description ?? old.description;
      old.parameters = db.parameters ?? old.parameters;
      if (db.locationUri) old.locationUri = db.locationUri;
      if (db.managedLocationUri) old.managedLocationUri = db.managedLocationUri;
      if (db.ownerName) old.ownerName = db.ownerName;
      if (db.ownerType) old.ownerType = db.ownerType;
      await tx.updateDatabase(databaseRow(catalog, old));
      await this.emit(tx, "ALTER_DATABASE", catalog, name, null, {});
    });
  }

  // ------------------------------------------------------------ table schemas

  private tableKey(dbRaw: string, table: string, catalogOverride?: string | null): TableKey {
    const { catalog, db } = requireDbName(dbRaw, catalogOverride);
    return { catalog, db, table: normalizeName(table) };
  }

  private columns(dbRaw: string, table: string, withPartitionKeys: boolean, catalog?: string | null): Promise<H.FieldSchema[]> {
    return this.run(D.fields, async (tx) => {
      const key = this.tableKey(dbRaw, table, catalog);
      await loadDatabase(tx, key.catalog, key.db);
      const t = await loadTable(tx, key);
      const cols = t.sd?.cols ?? [];
      return withPartitionKeys ? [...cols, ...(t.partitionKeys ?? [])] : cols;
    });
  }

  get_fields(db_name: string, table_name: string): Promise<H.FieldSchema[]> {
    return this.columns(db_name, table_name, false);
  }
  get_fields_with_environment_context(db_name: string, table_name: string, _env: Env): Promise<H.FieldSchema[]> {
    return this.columns(db_name, table_name, false);
  }
  async get_fields_req(req: H.GetFieldsRequest): Promise<H.GetFieldsResponse> {
    return new T.GetFieldsResponse({ fields: await this.columns(req?.dbName ?? "", req?.tblName ?? "", false, req?.catName) });
  }
  get_schema(db_name: string, table_name: string): Promise<H.FieldSchema[]> {
    return this.columns(db_name, table_name, true);
  }
  get_schema_with_environment_context(db_name: string, table_name: string, _env: Env): Promise<H.FieldSchema[]> {
    return this.columns(db_name, table_name, true);
  }
  async get_schema_req(req: H.GetSchemaRequest): Promise<H.GetSchemaResponse> {
    return new T.GetSchemaResponse({ fields: await this.columns(req?.dbName ?? "", req?.tblName ?? "", true, req?.catName) });
  }

  // ------------------------------------------------------------ tables

  private createTable(tbl: H.Table, _env: Env): Promise<void> {
    return this.run(D.create, async (tx) => {
      if (!tbl) throw invalid("no table given");
      const { catalog, db } = requireDbName(tbl.dbName, tbl.catName);
      const name = validateObjectName("table", tbl.tableName);
      const database = await loadDatabase(tx, catalog, db);
      const t = decodeStruct(T.Table, encodeStruct(tbl));
      t.tableName = name;
      t.dbName = db;
      t.catName = catalog;
      t.tableType = t.tableType || "MANAGED_TABLE";
      t.parameters = t.parameters ?? {};
      t.partitionKeys = t.partitionKeys ?? [];
      t.sd = t.sd ?? emptyStorageDescriptor();
      const keys = partitionKeyNames(t);
      const colNames = new Set((t.sd.cols ?? []).map((c) => c.name.toLowerCase()));
      if (new Set(keys).size !== keys.length || keys.some((k) => colNames.has(k))) {
        throw invalid(`partition keys of ${db}.${name} repeat or duplicate a column`);
      }
      if (!t.sd.location && t.tableType !== VIRTUAL_VIEW) {
        t.sd.location = `${(database.locationUri || defaultDatabaseLocation(this.warehouse, db)).replace(/\/+$/, "")}/${name}`;
      }
      const now = nowSeconds(this.now());
      if (!t.createTime) t.createTime = now;
      if (t.parameters[DDL_TIME] === undefined) t.parameters[DDL_TIME] = String(now);
      await tx.insertTable(tableRow({ catalog, db, table: name }, t));
      if (t.tableType !== VIRTUAL_VIEW) await this.makeDirectory(t.sd.location);
      await this.emit(tx, "CREATE_TABLE", catalog, db, name, { tableType: t.tableType });
    });
  }

  create_table(tbl: H.Table): Promise<void> {
    return this.createTable(tbl, undefined);
  }
  create_table_with_environment_context(tbl: H.Table, environment_context: Env): Promise<void> {
    return this.createTable(tbl, environment_context);
  }
  create_table_req(request: H.CreateTableRequest): Promise<void> {
    return this.createTable(request?.table, request?.envContext);
  }

  /**
   * The directories that dropping `table` with deleteData removes: a managed table's
   * (or a purgeable external table's) own location and its partitions' locations.
   */
  private async dataOf(tx: StoreTx, key: TableKey, table: H.Table): Promise<string[]> {
    if (!ownsData(table)) return [];
    const out = table.sd?.location ? [table.sd.location] : [];
    const base = out[0]?.replace(/\/+$/, "");
    for (const row of await tx.getPartitions(key)) {
      const location = decodePartition(row).sd?.location;
      if (location && (base === undefined || !location.startsWith(`${base}/`))) out.push(location);
    }
    return out;
  }

  private async dropTable(dbname: string, name: string, deleteData: boolean, catalog?: string | null): Promise<void> {
    const orphaned = await this.run(D.read, async (tx) => {
      const key = this.tableKey(dbname, name, catalog);
      const t = await loadTable(tx, key);
      const data = deleteData ? await this.dataOf(tx, key, t) : [];
      await tx.deleteTable(key);
      await this.emit(tx, "DROP_TABLE", key.catalog, key.db, key.table, { tableType: t.tableType });
      return data;
    });
    await this.deleteData(orphaned);
  }

  drop_table(dbname: string, name: string, deleteData: boolean): Promise<void> {
    return this.dropTable(dbname, name, deleteData);
  }
  drop_table_with_environment_context(dbname: string, name: string, deleteData: boolean, _env: Env): Promise<void> {
    return this.dropTable(dbname, name, deleteData);
  }
  /**
   * Hive 4's drop_table. deleteData defaults to false when unset; the environment
   * context's ifPurge changes nothing here (there is no trash to skip), and a
   * table's partitions always go with it.
   */
  drop_table_req(req: H.DropTableRequest): Promise<void> {
    return this.dropTable(req?.dbName ?? "", req?.tableName ?? "", req?.deleteData === true, req?.catalogName);
  }

  private listTableNames(dbRaw: string, pattern: string | null, tableType: string | null): Promise<string[]> {
    return this.run(D.meta, async (tx) => {
      const q = parseDbName(dbRaw);
      if (q.db === undefined) return [];
      const type = (tableType ?? "").toUpperCase();
      return (await tx.listTables(q.catalog, q.db))
        .filter((t) => matchesPattern(pattern, t.name) && (type === "" || t.tableType.toUpperCase() === type))
        .map((t) => t.name);
    });
  }

  get_tables(db_name: string, pattern: string): Promise<string[]> {
    return this.listTableNames(db_name, pattern, null);
  }
  get_tables_by_type(db_name: string, pattern: string, tableType: string): Promise<string[]> {
    return this.listTableNames(db_name, pattern, tableType);
  }
  get_all_tables(db_name: string): Promise<string[]> {
    return this.listTableNames(db_name, null, null);
  }

  /** Names of the tables of `dbname` whose owner, last access time or parameters pass `filter` (table-filter.ts). */
  get_table_names_by_filter(dbname: string, filter: string, max_tables: number): Promise<string[]> {
    return this.run(TABLE_FILTER_DECLARED, async (tx) => {
      const test = compileTableFilter(filter);
      const { catalog, db } = requireDbName(dbname);
      await loadDatabase(tx, catalog, db);
      const out: string[] = [];
      const limit = limitOf(max_tables);
      for (const row of await tx.listTables(catalog, db)) {
        if (out.length >= limit) break;
        if (test(decodeTable(row))) out.push(row.name);
      }
      return out;
    });
  }

  get_table_meta(db_patterns: string, tbl_patterns: string, tbl_types: string[] | null): Promise<H.TableMeta[]> {
    return this.run(D.meta, async (tx) => {
      const q = parseDbName(db_patterns);
      const types = new Set((tbl_types ?? []).map((t) => t.toUpperCase()));
      const out: H.TableMeta[] = [];
      for (const db of await tx.listDatabases(q.catalog)) {
        if (q.db !== undefined && !matchesPattern(q.db, db)) continue;
        for (const row of await tx.listTables(q.catalog, db)) {
          if (!matchesPattern(tbl_patterns, row.name)) continue;
          if (types.size > 0 && !types.has(row.tableType.toUpperCase())) continue;
          const t = decodeTable(row);
          const meta = new T.TableMeta({ dbName: db, tableName: row.name, tableType: row.tableType });
          const comment = t.parameters?.comment;
          if (comment !== undefined) meta.comments = comment;
          meta.catName = q.catalog;
          out.push(meta);
        }
      }
      return out;
    });
  }

  private getTable(dbname: string, tbl_name: string, catalog?: string | null): Promise<H.Table> {
    return this.run(D.read, (tx) => loadTable(tx, this.tableKey(dbname, tbl_name, catalog)));
  }

  get_table(dbname: string, tbl_name: string): Promise<H.Table> {
    return this.getTable(dbname, tbl_name);
  }

  /** A table's stored bytes, for replies written without decoding (stored-replies.ts). */
  tableBytes(dbname: string, tbl_name: string, catalog?: string | null): Promise<Uint8Array> {
    return this.run(D.read, async (tx) => {
      const key = this.tableKey(dbname, tbl_name, catalog);
      const row = await tx.getTable(key);
      if (row === undefined) throw notFound("table", `Table ${key.db}.${key.table} does not exist`);
      return row.body;
    });
  }

  /** get_partitions_by_names as stored bytes (stored-replies.ts); same lookups and errors as byNames. */
  partitionBytesByNames(db: string, tbl: string, names: readonly string[] | null | undefined, catalog?: string | null): Promise<Uint8Array[]> {
    return this.run(D.read, async (tx) => {
      const key = this.tableKey(db, tbl, catalog);
      const row = await tx.getTable(key);
      if (row === undefined) throw notFound("table", `Table ${key.db}.${key.table} does not exist`);
      const keys = this.partitionKeysOf(row);
      const canonical = new Set<string>();
      for (const n of names ?? []) canonical.add(makePartitionName(keys, partitionValuesFromName(keys, n)));
      return (await tx.getPartitions(key, [...canonical])).map((p) => p.body);
    });
  }

  /**
   * Partition key names of a stored table, decoded once per version of its
   * bytes: a hot read by names need not decode the whole table each time.
   */
  private partitionKeysOf(row: TableRow): string[] {
    const id = `${row.catalog}\0${row.db}\0${row.name}`;
    const hit = this.partitionKeysCache.get(id);
    if (hit !== undefined && Buffer.compare(hit.body, row.body) === 0) return hit.keys;
    const keys = partitionKeyNames(decodeTable(row));
    if (this.partitionKeysCache.size >= PARTITION_KEYS_CACHE_MAX) this.partitionKeysCache.clear();
    this.partitionKeysCache.set(id, { body: row.body, keys });
    return keys;
  }
  async get_table_req(req: H.GetTableRequest): Promise<H.GetTableResult> {
    return new T.GetTableResult({ table: await this.getTable(req?.dbName ?? "", req?.tblName ?? "", req?.catName) });
  }

  private tablesByName(dbname: string, names: string[] | null | undefined, declared: DeclaredExceptions, catalog?: string | null): Promise<H.Table[]> {
    return this.run(declared, async (tx) => {
      const { catalog: cat, db } = requireDbName(dbname, catalog);
      if (names === null || names === undefined) return (await tx.listTables(cat, db)).map(decodeTable);
      const out: H.Table[] = [];
      for (const n of new Set(names.map(normalizeName))) {
        const row = await tx.getTable({ catalog: cat, db, table: n });
        if (row !== undefined) out.push(decodeTable(row));
      }
      return out;
    });
  }

  get_table_objects_by_name(dbname: string, tbl_names: string[]): Promise<H.Table[]> {
    return this.tablesByName(dbname, tbl_names ?? [], D.none);
  }
  async get_table_objects_by_name_req(req: H.GetTablesRequest): Promise<H.GetTablesResult> {
    const tables = await this.tablesByName(req?.dbName ?? "", req?.tblNames, D.tablesReq, req?.catName);
    const pattern = req?.tablesPattern;
    return new T.GetTablesResult({ tables: pattern ? tables.filter((t) => matchesPattern(pattern, t.tableName)) : tables });
  }

  /**
   * alter_table in all its forms. When the caller names an expected parameter
   * value (HIVE-26882: the environment context's expected_parameter_key/value,
   * or AlterTableRequest fields 10/11), the change applies only if the stored
   * table still has that value: a compare-and-set inside the transaction.
   */
  private alterTable(dbname: string, tbl_name: string, newTable: H.Table, env: Env, cascade: boolean, expected?: { key: string; value: string }): Promise<void> {
    return this.run(D.alter, async (tx) => {
      const key = this.tableKey(dbname, tbl_name);
      if (!newTable) throw invalid("no table given");
      const old = await loadTable(tx, key, true);
      const props = envProperties(env);
      const expectKey = expected?.key ?? props.expected_parameter_key;
      if (expectKey !== undefined) {
        const expectValue = expected?.value ?? props.expected_parameter_value;
        const actual = old.parameters?.[expectKey];
        if (actual !== expectValue) {
          throw new StreamhouseError(
            ErrorKind.CommitConflict,
            `The table has been modified. The parameter value for key '${expectKey}' is '${actual ?? ""}'. The expected was value was '${expectValue ?? ""}'`,
            { retryable: true },
          );
        }
      }
      const t = decodeStruct(T.Table, encodeStruct(newTable));
      const target: TableKey = {
        catalog: key.catalog,
        db: t.dbName ? requireDbName(t.dbName).db : key.db,
        table: t.tableName ? normalizeName(t.tableName) : key.table,
      };
      const oldKeys = partitionKeyNames(old);
      const newKeys = partitionKeyNames(t);
      if (t.partitionKeys !== null && (oldKeys.length !== newKeys.length || oldKeys.some((k, i) => k !== newKeys[i]))) {
        throw new StreamhouseError(ErrorKind.Unsupported, "partition keys can not be changed");
      }
      t.partitionKeys = old.partitionKeys;
      t.tableName = target.table;
      t.dbName = target.db;
      t.catName = key.catalog;
      t.tableType = t.tableType || old.tableType;
      t.createTime = old.createTime;
      t.parameters = t.parameters ?? {};
      t.sd = t.sd ?? old.sd;
      if (props.DO_NOT_UPDATE_STATS !== "true" || t.parameters[DDL_TIME] === undefined) {
        t.parameters[DDL_TIME] = String(nowSeconds(this.now()));
      }
      if (target.db !== key.db || target.table !== key.table) {
        validateObjectName("table", target.table);
        await loadDatabase(tx, target.catalog, target.db);
        if ((await tx.getTable(target)) !== undefined) {
          throw new StreamhouseError(ErrorKind.AlreadyExists, `Table ${target.db}.${target.table} already exists`);
        }
        await tx.renameTable(key, target);
        for (const row of await tx.getPartitions(target)) {
          const p = decodePartition(row);
          p.dbName = target.db;
          p.tableName = target.table;
          await tx.updatePartition(partitionRow(target, row.name, p));
        }
      }
      if (cascade && t.sd) {
        for (const row of await tx.getPartitions(target)) {
          const p = decodePartition(row);
          if (p.sd) p.sd.cols = t.sd.cols;
          await tx.updatePartition(partitionRow(target, row.name, p));
        }
      }
      await tx.updateTable(tableRow(target, t));
      await this.emit(tx, "ALTER_TABLE", key.catalog, key.db, key.table, { tableType: t.tableType, newTable: target.table, newDb: target.db });
    });
  }

  alter_table(dbname: string, tbl_name: string, new_tbl: H.Table): Promise<void> {
    return this.alterTable(dbname, tbl_name, new_tbl, undefined, false);
  }
  alter_table_with_environment_context(dbname: string, tbl_name: string, new_tbl: H.Table, environment_context: Env): Promise<void> {
    return this.alterTable(dbname, tbl_name, new_tbl, environment_context, envProperties(environment_context).CASCADE === "true");
  }
  alter_table_with_cascade(dbname: string, tbl_name: string, new_tbl: H.Table, cascade: boolean): Promise<void> {
    return this.alterTable(dbname, tbl_name, new_tbl, undefined, cascade);
  }
  async alter_table_req(req: H.AlterTableRequest): Promise<H.AlterTableResponse> {
    const expected =
      req?.expectedParameterKey !== null && req?.expectedParameterKey !== undefined
        ? { key: req.expectedParameterKey, value: req.expectedParameterValue ?? "" }
        : undefined;
    const env = req?.environmentContext;
    await this.alterTable(req?.dbName ?? "", req?.tableName ?? "", req?.table, env, envProperties(env).CASCADE === "true", expected);
    return new T.AlterTableResponse();
  }

  // ------------------------------------------------------------ partitions

  /** Builds the stored form of a new partition of `table`. */
  private newPartition(key: TableKey, table: H.Table, given: H.Partition): { name: string; partition: H.Partition } {
    const keys = partitionKeyNames(table);
    if (keys.length === 0) throw invalid(`table ${key.db}.${key.table} is not partitioned`);
    const values = given.values ?? [];
    const name = makePartitionName(keys, values);
    const p = decodeStruct(T.Partition, encodeStruct(given));
    p.values = values;
    p.dbName = key.db;
    p.tableName = key.table;
    p.catName = key.catalog;
    p.sd = partitionStorage(table, given.sd, name);
    p.parameters = p.parameters ?? {};
    const now = nowSeconds(this.now());
    if (!p.createTime) p.createTime = now;
    if (p.parameters[DDL_TIME] === undefined) p.parameters[DDL_TIME] = String(now);
    return { name, partition: p };
  }

  /** Adds partitions atomically; existing ones fail the call unless `ifNotExists`. */
  private addPartitions(parts: H.Partition[], ifNotExists: boolean, dbName?: string, tblName?: string, catalog?: string | null): Promise<H.Partition[]> {
    return this.run(D.addPartition, async (tx) => {
      const added: H.Partition[] = [];
      const tables = new Map<string, { key: TableKey; table: H.Table }>();
      for (const given of parts ?? []) {
        if (!given) throw invalid("null partition");
        const key = this.tableKey(given.dbName || dbName || "", given.tableName || tblName || "", given.catName || catalog);
        const id = `${key.catalog}\u0000${key.db}\u0000${key.table}`;
        let entry = tables.get(id);
        if (entry === undefined) {
          const row = await tx.getTable(key);
          if (row === undefined) throw invalid(`Unable to add partition because table or database do not exist: ${key.db}.${key.table}`);
          entry = { key, table: decodeTable(row) };
          tables.set(id, entry);
        }
        const { name, partition } = this.newPartition(entry.key, entry.table, given);
        if (ifNotExists && (await tx.getPartitions(entry.key, [name])).length > 0) continue;
        await tx.insertPartition(partitionRow(entry.key, name, partition));
        await this.makeDirectory(partition.sd?.location);
        await this.emit(tx, "ADD_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
        added.push(partition);
      }
      return added;
    });
  }

  async add_partition(new_part: H.Partition): Promise<H.Partition> {
    return (await this.addPartitions([new_part], false))[0]!;
  }
  async add_partition_with_environment_context(new_part: H.Partition, _env: Env): Promise<H.Partition> {
    return (await this.addPartitions([new_part], false))[0]!;
  }
  async add_partitions(new_parts: H.Partition[]): Promise<number> {
    return (await this.addPartitions(new_parts, false)).length;
  }
  async add_partitions_req(request: H.AddPartitionsRequest): Promise<H.AddPartitionsResult> {
    const added = await this.addPartitions(request?.parts ?? [], request?.ifNotExists ?? false, request?.dbName, request?.tblName, request?.catName);
    const result = new T.AddPartitionsResult();
    if (request?.needResult !== false) result.partitions = added;
    return result;
  }

  private async appendPartition(db_name: string, tbl_name: string, values: string[]): Promise<H.Partition> {
    const p = new T.Partition({ values, dbName: db_name, tableName: tbl_name } as never);
    return (await this.addPartitions([p], false))[0]!;
  }

  append_partition(db_name: string, tbl_name: string, part_vals: string[]): Promise<H.Partition> {
    return this.appendPartition(db_name, tbl_name, part_vals ?? []);
  }
  append_partition_with_environment_context(db_name: string, tbl_name: string, part_vals: string[], _env: Env): Promise<H.Partition> {
    return this.appendPartition(db_name, tbl_name, part_vals ?? []);
  }
  async append_partition_by_name(db_name: string, tbl_name: string, part_name: string): Promise<H.Partition> {
    const values = parsePartitionName(part_name ?? "").map(([, v]) => v);
    return this.appendPartition(db_name, tbl_name, values);
  }

  /** Runs `fn` with the table's key, the table, and a helper naming partitions by values. */
  private withTable<R>(
    declared: DeclaredExceptions,
    dbName: string,
    tblName: string,
    catalog: string | null | undefined,
    fn: (tx: StoreTx, key: TableKey, table: H.Table) => Promise<R>,
  ): Promise<R> {
    return this.run(declared, async (tx) => {
      const key = this.tableKey(dbName, tblName, catalog);
      return fn(tx, key, await loadTable(tx, key));
    });
  }

  private async partitionsMatching(tx: StoreTx, key: TableKey, test: (values: readonly string[]) => boolean, max: number | null | undefined) {
    const limit = limitOf(max);
    const out: H.Partition[] = [];
    for (const row of await tx.getPartitions(key)) {
      if (out.length >= limit) break;
      const p = decodePartition(row);
      if (test(p.values ?? [])) out.push(p);
    }
    return out;
  }

  private getPartition(db: string, tbl: string, values: string[] | null, catalog?: string | null): Promise<H.Partition> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      const name = makePartitionName(partitionKeyNames(table), values ?? []);
      const row = (await tx.getPartitions(key, [name]))[0];
      if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
      return decodePartition(row);
    });
  }

  get_partition(db_name: string, tbl_name: string, part_vals: string[]): Promise<H.Partition> {
    return this.getPartition(db_name, tbl_name, part_vals);
  }
  async get_partition_req(req: H.GetPartitionRequest): Promise<H.GetPartitionResponse> {
    return new T.GetPartitionResponse({ partition: await this.getPartition(req?.dbName ?? "", req?.tblName ?? "", req?.partVals, req?.catName) });
  }
  get_partition_with_auth(db_name: string, tbl_name: string, part_vals: string[], _user: string, _groups: string[]): Promise<H.Partition> {
    return this.getPartition(db_name, tbl_name, part_vals);
  }
  get_partition_by_name(db_name: string, tbl_name: string, part_name: string): Promise<H.Partition> {
    return this.withTable(D.read, db_name, tbl_name, undefined, async (tx, key, table) => {
      const values = partitionValuesFromName(partitionKeyNames(table), part_name ?? "");
      const name = makePartitionName(partitionKeyNames(table), values);
      const row = (await tx.getPartitions(key, [name]))[0];
      if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
      return decodePartition(row);
    });
  }

  private allPartitions(db: string, tbl: string, max: number | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, (tx, key) => this.partitionsMatching(tx, key, () => true, max));
  }

  get_partitions(db_name: string, tbl_name: string, max_parts: number): Promise<H.Partition[]> {
    return this.allPartitions(db_name, tbl_name, max_parts);
  }
  async get_partitions_req(req: H.PartitionsRequest): Promise<H.PartitionsResponse> {
    return new T.PartitionsResponse({ partitions: await this.allPartitions(req?.dbName ?? "", req?.tblName ?? "", req?.maxParts, req?.catName) });
  }
  get_partitions_with_auth(db_name: string, tbl_name: string, max_parts: number, _user: string, _groups: string[]): Promise<H.Partition[]> {
    return this.allPartitions(db_name, tbl_name, max_parts);
  }

  private partitionNames(db: string, tbl: string, max: number | null | undefined, catalog?: string | null): Promise<string[]> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key) => (await tx.listPartitionNames(key)).slice(0, limitOf(max)));
  }
  get_partition_names(db_name: string, tbl_name: string, max_parts: number): Promise<string[]> {
    return this.partitionNames(db_name, tbl_name, max_parts);
  }
  fetch_partition_names_req(req: H.PartitionsRequest): Promise<string[]> {
    return this.partitionNames(req?.dbName ?? "", req?.tblName ?? "", req?.maxParts, req?.catName);
  }

  /** Partial specifications: an empty value (or a missing trailing one) matches anything. */
  private byPartialSpec(values: string[] | null | undefined): (v: readonly string[]) => boolean {
    const spec = values ?? [];
    return (v) => spec.every((s, i) => s === "" || s === v[i]);
  }

  private partitionsPs(db: string, tbl: string, vals: string[] | null | undefined, max: number | null | undefined, declared: DeclaredExceptions, catalog?: string | null) {
    return this.withTable(declared, db, tbl, catalog, (tx, key, table) => {
      if ((vals ?? []).length > partitionKeyNames(table).length) throw invalid("more partition values than partition keys");
      return this.partitionsMatching(tx, key, this.byPartialSpec(vals), max);
    });
  }

  get_partitions_ps(db_name: string, tbl_name: string, part_vals: string[], max_parts: number): Promise<H.Partition[]> {
    return this.partitionsPs(db_name, tbl_name, part_vals, max_parts, D.read);
  }
  get_partitions_ps_with_auth(db_name: string, tbl_name: string, part_vals: string[], max_parts: number, _user: string, _groups: string[]): Promise<H.Partition[]> {
    return this.partitionsPs(db_name, tbl_name, part_vals, max_parts, D.read);
  }
  async get_partitions_ps_with_auth_req(req: H.GetPartitionsPsWithAuthRequest): Promise<H.GetPartitionsPsWithAuthResponse> {
    const partitions = await this.partitionsPs(req?.dbName ?? "", req?.tblName ?? "", req?.partVals, req?.maxParts, D.read, req?.catName);
    return new T.GetPartitionsPsWithAuthResponse({ partitions });
  }
  private async partitionNamesPs(db: string, tbl: string, vals: string[] | null | undefined, max: number | null | undefined, catalog?: string | null) {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      return (await this.partitionsMatching(tx, key, this.byPartialSpec(vals), max)).map((p) => makePartitionName(keys, p.values ?? []));
    });
  }
  get_partition_names_ps(db_name: string, tbl_name: string, part_vals: string[], max_parts: number): Promise<string[]> {
    return this.partitionNamesPs(db_name, tbl_name, part_vals, max_parts);
  }
  async get_partition_names_ps_req(req: H.GetPartitionNamesPsRequest): Promise<H.GetPartitionNamesPsResponse> {
    return new T.GetPartitionNamesPsResponse({ names: await this.partitionNamesPs(req?.dbName ?? "", req?.tblName ?? "", req?.partValues, req?.maxParts, req?.catName) });
  }

  private byFilter(db: string, tbl: string, filter: string, max: number | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, (tx, key, table) => {
      const test = compilePartitionFilter(filter ?? "", (table.partitionKeys ?? []).map((k) => ({ name: k.name, type: k.type })));
      return this.partitionsMatching(tx, key, test, max);
    });
  }

  get_partitions_by_filter(db_name: string, tbl_name: string, filter: string, max_parts: number): Promise<H.Partition[]> {
    return this.byFilter(db_name, tbl_name, filter, max_parts);
  }
  get_partitions_by_filter_req(req: H.GetPartitionsByFilterRequest): Promise<H.Partition[]> {
    return this.byFilter(req?.dbName ?? "", req?.tblName ?? "", req?.filter ?? "", req?.maxParts, req?.catName);
  }
  async get_num_partitions_by_filter(db_name: string, tbl_name: string, filter: string): Promise<number> {
    return (await this.byFilter(db_name, tbl_name, filter, -1)).length;
  }

  private byNames(db: string, tbl: string, names: string[] | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      // Re-render each name so that differently escaped spellings find the stored one.
      const canonical = (names ?? []).map((n) => makePartitionName(keys, partitionValuesFromName(keys, n)));
      return (await tx.getPartitions(key, [...new Set(canonical)])).map(decodePartition);
    });
  }

  get_partitions_by_names(db_name: string, tbl_name: string, names: string[]): Promise<H.Partition[]> {
    return this.byNames(db_name, tbl_name, names);
  }
  async get_partitions_by_names_req(req: H.GetPartitionsByNamesRequest): Promise<H.GetPartitionsByNamesResult> {
    return new T.GetPartitionsByNamesResult({ partitions: await this.byNames(req?.db_name ?? "", req?.tbl_name ?? "", req?.names) });
  }

  private async dropPartitionsNamed(
    db: string,
    tbl: string,
    names: (table: H.Table) => string[],
    ifExists: boolean,
    deleteData: boolean,
    catalog?: string | null,
  ): Promise<H.Partition[]> {
    let owned = false;
    const dropped = await this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      owned = ownsData(table);
      const dropped: H.Partition[] = [];
      for (const name of names(table)) {
        const row = (await tx.getPartitions(key, [name]))[0];
        if (row === undefined) {
          if (ifExists) continue;
          throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
        }
        await tx.deletePartition(key, name);
        await this.emit(tx, "DROP_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
        dropped.push(decodePartition(row));
      }
      return dropped;
    });
    if (deleteData && owned) await this.deleteData(dropped.flatMap((p) => (p.sd?.location ? [p.sd.location] : [])));
    return dropped;
  }

  async drop_partition(db_name: string, tbl_name: string, part_vals: string[], deleteData: boolean): Promise<boolean> {
    await this.dropPartitionsNamed(db_name, tbl_name, (t) => [makePartitionName(partitionKeyNames(t), part_vals ?? [])], false, deleteData);
    return true;
  }
  async drop_partition_with_environment_context(db_name: string, tbl_name: string, part_vals: string[], deleteData: boolean, _env: Env): Promise<boolean> {
    await this.dropPartitionsNamed(db_name, tbl_name, (t) => [makePartitionName(partitionKeyNames(t), part_vals ?? [])], false, deleteData);
    return true;
  }
  async drop_partition_by_name(db_name: string, tbl_name: string, part_name: string, deleteData: boolean): Promise<boolean> {
    await this.dropPartitionsNamed(
      db_name,
      tbl_name,
      (t) => [makePartitionName(partitionKeyNames(t), partitionValuesFromName(partitionKeyNames(t), part_name ?? ""))],
      false,
      deleteData,
    );
    return true;
  }
  /** Hive 4's drop_partition: by name (partName) or by values (partVals); deleteData defaults to false. */
  async drop_partition_req(req: H.DropPartitionRequest): Promise<boolean> {
    const { partName, partVals } = req ?? {};
    if (partName == null && partVals == null) {
      throw toThriftError(new StreamhouseError(ErrorKind.InvalidArgument, "drop_partition_req needs partName or partVals"), D.read);
    }
    await this.dropPartitionsNamed(
      req?.dbName ?? "",
      req?.tblName ?? "",
      (t) => {
        const keys = partitionKeyNames(t);
        return [makePartitionName(keys, partVals ?? partitionValuesFromName(keys, partName ?? ""))];
      },
      false,
      req?.deleteData === true,
      req?.catName,
    );
    return true;
  }
  async drop_partitions_req(req: H.DropPartitionsRequest): Promise<H.DropPartitionsResult> {
    if (req?.parts?.exprs) {
      throw toThriftError(new StreamhouseError(ErrorKind.Unsupported, "dropping partitions by serialized expression is not supported"), D.read);
    }
    const names = req?.parts?.names ?? [];
    const dropped = await this.dropPartitionsNamed(
      req?.dbName ?? "",
      req?.tblName ?? "",
      (t) => names.map((n) => makePartitionName(partitionKeyNames(t), partitionValuesFromName(partitionKeyNames(t), n))),
      req?.ifExists !== false,
      req?.deleteData !== false,
      req?.catName,
    );
    const result = new T.DropPartitionsResult();
    if (req?.needResult !== false) result.partitions = dropped;
    return result;
  }

  /** Replaces existing partitions (identified by their values), atomically. */
  private alterPartitions(db: string, tbl: string, parts: H.Partition[] | null | undefined, catalog?: string | null): Promise<void> {
    return this.withTable(D.alter, db, tbl, catalog, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      for (const given of parts ?? []) {
        if (!given) throw invalid("null partition");
        const name = makePartitionName(keys, given.values ?? []);
        const row = (await tx.getPartitions(key, [name]))[0];
        if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist; alter is not possible`);
        const old = decodePartition(row);
        const p = decodeStruct(T.Partition, encodeStruct(given));
        p.dbName = key.db;
        p.tableName = key.table;
        p.catName = key.catalog;
        p.createTime = old.createTime;
        p.sd = p.sd ?? old.sd;
        p.parameters = p.parameters ?? {};
        p.parameters[DDL_TIME] = String(nowSeconds(this.now()));
        await tx.updatePartition(partitionRow(key, name, p));
        await this.emit(tx, "ALTER_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
      }
    });
  }

  alter_partition(db_name: string, tbl_name: string, new_part: H.Partition): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, [new_part]);
  }
  alter_partitions(db_name: string, tbl_name: string, new_parts: H.Partition[]): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, new_parts);
  }
  alter_partitions_with_environment_context(db_name: string, tbl_name: string, new_parts: H.Partition[], _env: Env): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, new_parts);
  }
  async alter_partitions_req(req: H.AlterPartitionsRequest): Promise<H.AlterPartitionsResponse> {
    await this.alterPartitions(req?.dbName ?? "", req?.tableName ?? "", req?.partitions, req?.catName);
    return new T.AlterPartitionsResponse();
  }
  alter_partition_with_environment_context(db_name: string, tbl_name: string, new_part: H.Partition, _env: Env): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, [new_part]);
  }

  partition_name_to_vals(part_name: string): Promise<string[]> {
    return this.run(D.meta, async () => parsePartitionName(part_name ?? "").map(([, v]) => v));
  }
  partition_name_to_spec(part_name: string): Promise<Record<string, string>> {
    return this.run(D.meta, async () => Object.fromEntries(parsePartitionName(part_name ?? "")));
  }

  // ------------------------------------------------------------ column statistics

  private async putStats(tx: StoreTx, stats: H.ColumnStatistics, engineDefault: string): Promise<void> {
    const desc = stats?.statsDesc;
    if (!desc) throw invalid("column statistics without a description");
    const key = this.tableKey(desc.dbName, desc.tableName, desc.catName);
    const table = await loadTable(tx, key);
    let partition = "";
    if (!desc.isTblLevel) {
      const keys = partitionKeyNames(table);
      partition = makePartitionName(keys, partitionValuesFromName(keys, desc.partName ?? ""));
      if ((await tx.getPartitions(key, [partition])).length === 0) throw notFound("partition", `Partition ${partition} does not exist`);
    }
    const columns = new Set([...(table.sd?.cols ?? []), ...(table.partitionKeys ?? [])].map((c) => c.name.toLowerCase()));
    const engine = stats.engine || engineDefault || "hive";
    for (const obj of stats.statsObj ?? []) {
      const column = normalizeName(obj.colName);
      if (!columns.has(column)) throw invalid(`column ${obj.colName} is not in table ${key.db}.${key.table}`);
      await tx.putColumnStats({ ...key, partition, column, engine, body: encodeStruct(obj) });
    }
  }

  update_table_column_statistics(stats_obj: H.ColumnStatistics): Promise<boolean> {
    return this.run(D.statsUpdate, async (tx) => {
      await this.putStats(tx, stats_obj, "hive");
      return true;
    });
  }
  update_partition_column_statistics(stats_obj: H.ColumnStatistics): Promise<boolean> {
    return this.update_table_column_statistics(stats_obj);
  }
  update_table_column_statistics_req(req: H.SetPartitionsStatsRequest): Promise<H.SetPartitionsStatsResponse> {
    return this.run(D.statsUpdate, async (tx) => {
      for (const s of req?.colStats ?? []) await this.putStats(tx, s, req.engine);
      return new T.SetPartitionsStatsResponse({ result: true });
    });
  }
  update_partition_column_statistics_req(req: H.SetPartitionsStatsRequest): Promise<H.SetPartitionsStatsResponse> {
    return this.update_table_column_statistics_req(req);
  }

  private readStats(db: string, tbl: string, partName: string | undefined, col: string): Promise<H.ColumnStatistics> {
    return this.withTable(D.statsRead, db, tbl, undefined, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const partition = partName === undefined ? "" : makePartitionName(keys, partitionValuesFromName(keys, partName));
      const rows = await tx.getColumnStats(key, partition, [normalizeName(col)]);
      if (rows.length === 0) throw notFound("statistics", `Statistics for column ${col} of ${key.db}.${key.table} do not exist`);
      const desc = new T.ColumnStatisticsDesc({ isTblLevel: partName === undefined, dbName: key.db, tableName: key.table });
      if (partName !== undefined) desc.partName = partition;
      desc.catName = key.catalog;
      const stats = new T.ColumnStatistics({ statsDesc: desc, statsObj: rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body)) });
      stats.engine = rows[0]!.engine;
      return stats;
    });
  }

  get_table_column_statistics(db_name: string, tbl_name: string, col_name: string): Promise<H.ColumnStatistics> {
    return this.readStats(db_name, tbl_name, undefined, col_name);
  }
  get_partition_column_statistics(db_name: string, tbl_name: string, part_name: string, col_name: string): Promise<H.ColumnStatistics> {
    return this.readStats(db_name, tbl_name, part_name ?? "", col_name);
  }
  get_table_statistics_req(request: H.TableStatsRequest): Promise<H.TableStatsResult> {
    return this.withTable(D.read, request?.dbName ?? "", request?.tblName ?? "", request?.catName, async (tx, key) => {
      const rows = await tx.getColumnStats(key, "", (request.colNames ?? []).map(normalizeName), request.engine || undefined);
      return new T.TableStatsResult({ tableStats: rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body)) });
    });
  }
  get_partitions_statistics_req(request: H.PartitionsStatsRequest): Promise<H.PartitionsStatsResult> {
    return this.withTable(D.read, request?.dbName ?? "", request?.tblName ?? "", request?.catName, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const partStats: Record<string, H.ColumnStatisticsObj[]> = {};
      for (const given of request.partNames ?? []) {
        const name = makePartitionName(keys, partitionValuesFromName(keys, given));
        const rows = await tx.getColumnStats(key, name, (request.colNames ?? []).map(normalizeName), request.engine || undefined);
        if (rows.length > 0) partStats[given] = rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body));
      }
      return new T.PartitionsStatsResult({ partStats });
    });
  }
  delete_partition_column_statistics(db_name: string, tbl_name: string, part_name: string, col_name: string, engine: string): Promise<boolean> {
    return this.withTable(D.statsRead, db_name, tbl_name, undefined, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const name = makePartitionName(keys, partitionValuesFromName(keys, part_name ?? ""));
      await tx.deleteColumnStats(key, name, col_name ? normalizeName(col_name) : undefined, engine || undefined);
      return true;
    });
  }
  delete_table_column_statistics(db_name: string, tbl_name: string, col_name: string, engine: string): Promise<boolean> {
    return this.withTable(D.statsRead, db_name, tbl_name, undefined, async (tx, key) => {
      await tx.deleteColumnStats(key, "", col_name ? normalizeName(col_name) : undefined, engine || undefined);
      return true;
    });
  }

  // ------------------------------------------------------------ functions

  create_function(func: H.Function): Promise<void> {
    return this.run(D.create, async (tx) => {
      if (!func) throw invalid("no function given");
      const { catalog, db } = requireDbName(func.dbName, func.catName);
      const name = validateObjectName("table", func.functionName);
      await loadDatabase(tx, catalog, db);
      const f = decodeStruct(T.Function, encodeStruct(func));
      f.functionName = name;
      f.dbName = db;
      f.catName = catalog;
      if (!f.createTime) f.createTime = nowSeconds(this.now());
      await tx.insertFunction({ catalog, db, name, body: encodeStruct(f) });
    });
  }

  drop_function(dbName: string, funcName: string): Promise<void> {
    return this.run(D.read, async (tx) => {
      const { catalog, db } = requireDbName(dbName);
      if (!(await tx.deleteFunction(catalog, db, normalizeName(funcName)))) {
        throw notFound("function", `Function @${catalog}#${db}.${funcName} does not exist`);
      }
    });
  }

  get_functions(dbName: string, pattern: string): Promise<string[]> {
    return this.run(D.meta, async (tx) => {
      const { catalog, db } = requireDbName(dbName);
      return (await tx.listFunctions(catalog, db)).map((f) => f.name).filter((n) => matchesPattern(pattern, n));
    });
  }

  /** Spark looks for `<name> does not exist` in the message to tell "no such function". */
  get_function(dbName: string, funcName: string): Promise<H.Function> {
    return this.run(D.read, async (tx) => {
      const { catalog, db } = requireDbName(dbName);
      const row = await tx.getFunction(catalog, db, normalizeName(funcName));
      if (row === undefined) throw notFound("function", `Function @${catalog}#${db}.${funcName} does not exist`);
      return decodeStruct(T.Function, row.body);
    });
  }

  get_all_functions(): Promise<H.GetAllFunctionsResponse> {
    return this.run(D.meta, async (tx) => {
      const functions = (await tx.listFunctions("hive")).map((r) => decodeStruct(T.Function, r.body));
      const response = new T.GetAllFunctionsResponse();
      response.functions = functions;
      return response;
    });
  }

  // ------------------------------------------------------------ locks

  private lockOptions() {
    return { timeoutMs: this.lockTimeoutMs, nowMs: this.now() };
  }

  lock(rqst: H.LockRequest): Promise<H.LockResponse> {
    return this.run(D.lock, async (tx) => {
      const components: LockComponentSpec[] = (rqst?.component ?? []).map((c) => {
        const type = LOCK_TYPES[c.type];
        const level = LOCK_LEVELS[c.level];
        if (type === undefined || level === undefined) throw invalid(`unknown lock type ${c.type} or level ${c.level}`);
        const db = requireDbName(c.dbname).db;
        const table = level === "DB" || !c.tablename ? undefined : normalizeName(c.tablename);
        const partition = level === "PARTITION" && c.partitionname ? c.partitionname : undefined;
        return { type, level, db, table, partition };
      });
      const { id, state } = await requestLock(
        tx,
        {
          components,
          txnId: i64ToBigInt(rqst?.txnid) ?? 0n,
          user: rqst?.user ?? "",
          host: rqst?.hostname ?? "",
          agent: rqst?.agentInfo ?? "Unknown",
        },
        this.lockOptions(),
      );
      return new T.LockResponse({ lockid: Number(id) as never, state: LOCK_STATE_IDS[state] });
    });
  }

  check_lock(rqst: H.CheckLockRequest): Promise<H.LockResponse> {
    return this.run(D.checkLock, async (tx) => {
      const id = i64ToBigInt(rqst?.lockid) ?? 0n;
      const state = await checkLock(tx, id, this.lockOptions());
      return new T.LockResponse({ lockid: Number(id) as never, state: LOCK_STATE_IDS[state] });
    });
  }

  unlock(rqst: H.UnlockRequest): Promise<void> {
    return this.run(D.unlock, (tx) => releaseLock(tx, i64ToBigInt(rqst?.lockid) ?? 0n));
  }

  heartbeat(ids: H.HeartbeatRequest): Promise<void> {
    return this.run(D.heartbeat, async (tx) => {
      const id = i64ToBigInt(ids?.lockid);
      if (id !== undefined && id !== 0n) await heartbeatLock(tx, id, this.lockOptions());
    });
  }

  show_locks(rqst: H.ShowLocksRequest): Promise<H.ShowLocksResponse> {
    return this.run(D.none, async (tx) => {
      const db = rqst?.dbname ? requireDbName(rqst.dbname).db : undefined;
      const table = rqst?.tablename ? normalizeName(rqst.tablename) : undefined;
      const locks: H.ShowLocksResponseElement[] = [];
      for (const l of await tx.listLocks()) {
        for (const c of componentsOf(l)) {
          if (db !== undefined && c.db !== db) continue;
          if (table !== undefined && c.table !== table) continue;
          const e = new T.ShowLocksResponseElement({
            lockid: Number(l.id) as never,
            dbname: c.db,
            state: LOCK_STATE_IDS[l.state],
            type: LOCK_TYPE_IDS[c.type],
            lastheartbeat: l.lastHeartbeatMs as never,
            user: l.user,
            hostname: l.host,
          });
          if (c.table !== undefined) e.tablename = c.table;
          if (c.partition !== undefined) e.partname = c.partition;
          if (l.acquiredAtMs !== null) e.acquiredat = l.acquiredAtMs as never;
          e.txnid = Number(l.txnId) as never;
          e.heartbeatCount = l.heartbeatCount;
          e.agentInfo = l.agent;
          locks.push(e);
        }
      }
      const response = new T.ShowLocksResponse();
      response.locks = locks;
      return response;
    });
  }

  // ------------------------------------------------------------ notification log

  get_next_notification(rqst: H.NotificationEventRequest): Promise<H.NotificationEventResponse> {
    return this.run(D.none, async (tx) => {
      const after = i64ToBigInt(rqst?.lastEvent) ?? 0n;
      const max = rqst?.maxEvents && rqst.maxEvents > 0 ? Math.min(rqst.maxEvents, NOTIFICATION_BATCH_MAX) : NOTIFICATION_BATCH_MAX;
      const skip = new Set(rqst?.eventTypeSkipList ?? []);
      const events = (await tx.listEvents(after, max))
        .filter((e) => !skip.has(e.type))
        .map((e) => {
          const n = new T.NotificationEvent({ eventId: Number(e.id) as never, eventTime: e.time, eventType: e.type, message: e.message });
          if (e.db !== null) n.dbName = e.db;
          if (e.table !== null) n.tableName = e.table;
          n.messageFormat = e.format;
          n.catName = e.catalog;
          return n;
        });
      return new T.NotificationEventResponse({ events });
    });
  }

  get_current_notificationEventId(): Promise<H.CurrentNotificationEventId> {
    return this.run(D.none, async (tx) => new T.CurrentNotificationEventId({ eventId: Number(await tx.lastEventId()) as never }));
  }

  get_notification_events_count(rqst: H.NotificationEventsCountRequest): Promise<H.NotificationEventsCountResponse> {
    return this.run(D.none, async (tx) => {
      const { catalog, db } = requireDbName(rqst?.dbName ?? "", rqst?.catName);
      const n = await tx.countEvents(i64ToBigInt(rqst?.fromEventId) ?? 0n, catalog, db, i64ToBigInt(rqst?.toEventId));
      const limit = i64ToBigInt(rqst?.limit);
      return new T.NotificationEventsCountResponse({ eventsCount: (limit !== undefined && limit > 0n ? Math.min(n, Number(limit)) : n) as never });
    });
  }
}

/** Whether dropping `table` with deleteData deletes its files (Hive: managed, or external with purge). */
function ownsData(table: H.Table): boolean {
  const params = table.parameters ?? {};
  const external = table.tableType === "EXTERNAL_TABLE" || params.EXTERNAL?.toUpperCase() === "TRUE";
  if (table.tableType === VIRTUAL_VIEW) return false;
  return !external || params["external.table.purge"]?.toLowerCase() === "true";
}

export function localHostName(): string {
  return hostname();
}
