/**
 * Catalogs (Hive 3+): the level above databases. The store keys every object by
 * catalog already; these calls create, read, alter and drop the catalogs themselves.
 * The default catalog `hive` is created on start (core.ts) and cannot be dropped;
 * a new catalog gets its own `default` database, as in Apache Hive (HMSHandler.create_catalog).
 */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { DEFAULT_CATALOG, normalizeName, validateObjectName } from "../names.js";
import { catalogRow, DEFAULT_DATABASE, databaseRow, decodeDatabase, invalid, loadCatalog, nowSeconds } from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { removeIfEmpty } from "../warehouse-dirs.js";
import { NotificationCalls } from "./notifications.js";

export class CatalogCalls extends NotificationCalls {
  create_catalog(catalog: H.CreateCatalogRequest): Promise<void> {
    return this.run(D.createCatalog, async (tx) => {
      const given = catalog?.catalog;
      if (!given) throw invalid("no catalog given");
      const name = normalizeName(given.name);
      if ((await tx.getCatalog(name)) !== undefined) throw new T.AlreadyExistsException({ message: `Catalog ${name} already exists` });
      validateObjectName("catalog", name);
      if (given.locationUri == null) throw invalid("You must specify a path for the catalog");
      const cat = new T.Catalog({ name, locationUri: given.locationUri });
      if (given.description != null) cat.description = given.description;
      cat.createTime = given.createTime || nowSeconds(this.now());
      await tx.insertCatalog(catalogRow(cat));
      await this.makeDirectory(cat.locationUri);
      await this.emit(tx, "CREATE_CATALOG", name, null, null, { catalog: name });
      const db = new T.Database({ name: DEFAULT_DATABASE, description: `Default database for catalog ${name}`, locationUri: cat.locationUri, parameters: {} });
      db.catalogName = name;
      db.createTime = cat.createTime;
      await tx.insertDatabase(databaseRow(name, db));
      await this.emit(tx, "CREATE_DATABASE", name, DEFAULT_DATABASE, null, {});
    });
  }

  alter_catalog(rqst: H.AlterCatalogRequest): Promise<void> {
    return this.run(D.changeCatalog, async (tx) => {
      const name = normalizeName(rqst?.name);
      const old = await loadCatalog(tx, name);
      const next = rqst?.newCat;
      if (!next) throw invalid("no catalog given");
      if (normalizeName(next.name) !== name) throw new T.InvalidOperationException({ message: "You cannot change a catalog's name" });
      if (next.locationUri) old.locationUri = next.locationUri;
      if (next.description != null && next.description.trim() !== "") old.description = next.description;
      await tx.updateCatalog(catalogRow(old));
      await this.emit(tx, "ALTER_CATALOG", name, null, null, { catalog: name });
    });
  }

  async get_catalog(catName: H.GetCatalogRequest): Promise<H.GetCatalogResponse> {
    const catalog = await this.run(D.read, (tx) => loadCatalog(tx, normalizeName(catName?.name)));
    return new T.GetCatalogResponse({ catalog });
  }

  async get_catalogs(): Promise<H.GetCatalogsResponse> {
    return new T.GetCatalogsResponse({ names: await this.run(D.meta, (tx) => tx.listCatalogs()) });
  }

  /**
   * Drops an empty catalog. Its `default` database goes with it if that is all it
   * holds and it is empty; any other database keeps the catalog (InvalidOperation).
   */
  async drop_catalog(catName: H.DropCatalogRequest): Promise<void> {
    const name = normalizeName(catName?.name);
    if (name === DEFAULT_CATALOG) throw new T.MetaException({ message: `Can not drop ${DEFAULT_CATALOG} catalog` });
    const locations: (string | undefined)[] = [];
    await this.run(D.changeCatalog, async (tx) => {
      const cat = await loadCatalog(tx, name);
      const dbs = await tx.listDatabases(name);
      if (dbs.length > 1 || (dbs.length === 1 && dbs[0] !== DEFAULT_DATABASE)) {
        throw new T.InvalidOperationException({ message: `There are non-default databases in the catalog ${name} so it cannot be dropped.` });
      }
      if (dbs.length === 1) {
        const tables = await tx.listTables(name, DEFAULT_DATABASE);
        const functions = await tx.listFunctions(name, DEFAULT_DATABASE);
        if (tables.length > 0 || functions.length > 0) {
          throw new T.InvalidOperationException({ message: `There are still objects in the default database for catalog ${name}` });
        }
        const row = await tx.getDatabase(name, DEFAULT_DATABASE);
        if (row !== undefined) locations.push(decodeDatabase(row).locationUri);
        await tx.deleteDatabase(name, DEFAULT_DATABASE);
        await this.emit(tx, "DROP_DATABASE", name, DEFAULT_DATABASE, null, {});
      }
      await tx.deleteCatalog(name);
      await this.emit(tx, "DROP_CATALOG", name, null, null, { catalog: name });
      locations.push(cat.locationUri);
    });
    // Directories go only when empty: whatever else is there is not ours.
    for (const location of locations) await removeIfEmpty(location, this.managedRoot);
  }
}
