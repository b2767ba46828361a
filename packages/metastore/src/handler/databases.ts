/** Databases: create, read, list, alter, drop. */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { matchesPattern, normalizeName, parseDbName, requireDbName, validateObjectName } from "../names.js";
import {
  DEFAULT_DATABASE,
  databaseRow,
  decodeDatabase,
  decodeTable,
  databaseLocationIn,
  decodeCatalog,
  invalid,
  loadDatabase,
  notFound,
  nowSeconds,
} from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { removeIfEmpty } from "../warehouse-dirs.js";
import { ServiceCalls } from "./service.js";

export class DatabaseCalls extends ServiceCalls {

  create_database(database: H.Database): Promise<void> {
    return this.run(D.create, async (tx) => {
      if (!database) throw invalid("no database given");
      const catalog = normalizeName(database.catalogName) || "hive";
      validateObjectName("catalog", catalog);
      const name = validateObjectName("database", database.name);
      const catalogRowFound = await tx.getCatalog(catalog);
      if (catalogRowFound === undefined) throw invalid(`No such catalog ${catalog}`);
      const db = new T.Database(database as never);
      db.name = name;
      db.catalogName = catalog;
      db.parameters = database.parameters ?? {};
      db.description = database.description ?? "";
      db.locationUri = database.locationUri || databaseLocationIn(decodeCatalog(catalogRowFound), this.warehouse, name);
      // The server sets the creation time, whatever the client sent (as Hive does).
      db.createTime = nowSeconds(this.now());
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

  protected async getDb(raw: string, catalogOverride?: string | null): Promise<H.Database> {
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

  protected async dropDb(raw: string, catalogOverride: string | null | undefined, ignoreUnknown: boolean, cascade: boolean, deleteData: boolean): Promise<void> {
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

  /** Hive 4.1's alter_database: the old name (possibly `@cat#db`) and the new object in a request. */
  alter_database_req(alterDbReq: H.AlterDatabaseRequest): Promise<void> {
    const req = alterDbReq;
    const catalog = req?.newDb?.catalogName;
    const old = req?.oldDbName ?? "";
    return this.alter_database(catalog && !old.startsWith("@") ? `@${catalog}#${old}` : old, req?.newDb as H.Database);
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
}
