/** Table schemas and tables: create, read, list, alter, truncate, drop; the stored-bytes reads of get_table. */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { decodeStruct, encodeStruct } from "../codec.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { matchesPattern, normalizeName, parseDbName, requireDbName, validateObjectName } from "../names.js";
import {
  DDL_TIME,
  decodePartition,
  decodeTable,
  defaultDatabaseLocation,
  emptyStorageDescriptor,
  envProperties,
  invalid,
  limitOf,
  decodeDatabase,
  loadDatabase,
  loadTable,
  notFound,
  nowSeconds,
  partitionKeyNames,
  partitionRow,
  tableRow,
  VIRTUAL_VIEW,
} from "../objects.js";
import { makePartitionName, partitionValuesFromName } from "../partition-names.js";
import type { TableKey, TableRow } from "../store/store.js";
import { compileTableFilter } from "../table-filter.js";
import { type DeclaredExceptions, Declared as D } from "../thrift-errors.js";
import { emptyDirectory } from "../warehouse-dirs.js";
import { DatabaseCalls } from "./databases.js";
import { type Env, PARTITION_KEYS_CACHE_MAX, TABLE_FILTER_DECLARED, } from "./core.js";

export class TableCalls extends DatabaseCalls {

  protected tableKey(dbRaw: string, table: string, catalogOverride?: string | null): TableKey {
    const { catalog, db } = requireDbName(dbRaw, catalogOverride);
    return { catalog, db, table: normalizeName(table) };
  }

  protected columns(dbRaw: string, table: string, withPartitionKeys: boolean, catalog?: string | null): Promise<H.FieldSchema[]> {
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

  protected createTable(tbl: H.Table, _env: Env): Promise<void> {
    return this.run(D.create, async (tx) => {
      if (!tbl) throw invalid("no table given");
      const { catalog, db } = requireDbName(tbl.dbName, tbl.catName);
      const name = validateObjectName("table", tbl.tableName);
      // A missing database makes the table invalid (Hive: InvalidObjectException), not a missing object.
      const dbRow = await tx.getDatabase(catalog, db);
      if (dbRow === undefined) throw invalid(`Database ${db} does not exist in catalog ${catalog}`);
      const database = decodeDatabase(dbRow);
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
  protected async dropTable(dbname: string, name: string, deleteData: boolean, catalog?: string | null): Promise<void> {
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

  /**
   * Empties a table, or some of its partitions, as Apache Hive's metastore does
   * (HMSHandler.truncateTableInternal): the basic statistics the objects carry
   * (numFiles, numRows, totalSize, rawDataSize) become 0, and after the commit
   * every non-hidden entry of their directories is deleted (inside a local
   * warehouse only, warehouse-dirs.ts) unless `skipData`. A missing partition
   * fails the call before anything changes.
   */
  protected async truncate(dbName: string, tableName: string, partNames: string[] | null | undefined, skipData: boolean): Promise<void> {
    const locations = await this.run(D.meta, async (tx) => {
      const key = this.tableKey(dbName, tableName);
      const table = await loadTable(tx, key, true);
      const keys = partitionKeyNames(table);
      const out: (string | undefined)[] = [];
      if (keys.length === 0) {
        if (partNames && partNames.length > 0) throw invalid(`table ${key.db}.${key.table} is not partitioned`);
        if (zeroBasicStats(table.parameters)) await tx.updateTable(tableRow(key, table));
        out.push(table.sd?.location);
        await this.emit(tx, "ALTER_TABLE", key.catalog, key.db, key.table, {});
        return out;
      }
      const names = partNames && partNames.length > 0 ? partNames.map((n) => makePartitionName(keys, partitionValuesFromName(keys, n))) : undefined;
      const rows = await tx.getPartitions(key, names);
      if (names !== undefined && rows.length !== new Set(names).size) {
        const found = new Set(rows.map((r) => r.name));
        throw notFound("partition", `Partition ${names.find((n) => !found.has(n))} of table ${key.db}.${key.table} does not exist`);
      }
      for (const row of rows) {
        const p = decodePartition(row);
        if (zeroBasicStats(p.parameters)) await tx.updatePartition(partitionRow(key, row.name, p));
        out.push(p.sd?.location);
      }
      await this.emit(tx, "ALTER_PARTITION", key.catalog, key.db, key.table, { partitions: rows.map((r) => r.name) });
      return out;
    });
    if (skipData) return;
    for (const location of locations) await emptyDirectory(location, this.managedRoot);
  }

  truncate_table(dbName: string, tableName: string, partNames: string[] | null): Promise<void> {
    return this.truncate(dbName, tableName, partNames, false);
  }

  async truncate_table_req(req: H.TruncateTableRequest): Promise<H.TruncateTableResponse> {
    const skip = envProperties(req?.environmentContext)[TRUNCATE_SKIP_DATA_DELETION]?.toLowerCase() === "true";
    await this.truncate(req?.dbName ?? "", req?.tableName ?? "", req?.partNames, skip);
    return new T.TruncateTableResponse();
  }

  protected listTableNames(dbRaw: string, pattern: string | null, tableType: string | null): Promise<string[]> {
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

  protected getTable(dbname: string, tbl_name: string, catalog?: string | null): Promise<H.Table> {
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
  protected partitionKeysOf(row: TableRow): string[] {
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

  protected tablesByName(dbname: string, names: string[] | null | undefined, declared: DeclaredExceptions, catalog?: string | null): Promise<H.Table[]> {
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
  protected alterTable(dbname: string, tbl_name: string, newTable: H.Table, env: Env, cascade: boolean, expected?: { key: string; value: string }): Promise<void> {
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
}

/** The environment property with which Hive's client asks truncate to keep the files (ACID tables). */
const TRUNCATE_SKIP_DATA_DELETION = "truncateSkipDataDeletion";
/** Hive's basic statistics (StatsSetupConst.SUPPORTED_STATS), which truncation zeroes where present. */
const BASIC_STATS = ["numFiles", "numRows", "totalSize", "rawDataSize"] as const;

/** Sets the basic statistics present in `params` to "0"; whether any was there. */
function zeroBasicStats(params: Record<string, string> | null | undefined): boolean {
  if (!params) return false;
  let changed = false;
  for (const k of BASIC_STATS) {
    if (params[k] !== undefined) {
      params[k] = "0";
      changed = true;
    }
  }
  return changed;
}
