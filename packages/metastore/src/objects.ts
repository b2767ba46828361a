/**
 * Catalog objects between the wire and the store: decoding stored bytes,
 * normalizing what clients send (lower-case names, default locations,
 * creation times), and the error constructors the handlers share.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type Int64 from "node-int64";
import type { Catalog, Database, EnvironmentContext, Partition, StorageDescriptor, Table } from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { cloneStruct, decodeStruct, encodeStruct } from "./codec.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import type { CatalogRow, DatabaseRow, PartitionRow, StoreTx, TableKey, TableRow } from "./store/store.js";

export const DDL_TIME = "transient_lastDdlTime";
export const DEFAULT_DATABASE = "default";
export const VIRTUAL_VIEW = "VIRTUAL_VIEW";

export function notFound(object: "catalog" | "database" | "table" | "partition" | "function" | "lock" | "statistics", message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.NotFound, message, { context: { object } });
}

export function invalid(message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, message);
}

export function nowSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

export function i64ToBigInt(v: Int64 | number | bigint | null | undefined): bigint | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  return BigInt.asIntN(64, BigInt(`0x${v.toOctetString()}`));
}

export function envProperties(env: EnvironmentContext | null | undefined): Record<string, string> {
  return env?.properties ?? {};
}

// ---------------------------------------------------------------- catalogs

export function decodeCatalog(row: CatalogRow): Catalog {
  return decodeStruct(T.Catalog, row.body);
}

export function catalogRow(catalog: Catalog): CatalogRow {
  return { name: catalog.name, body: encodeStruct(catalog) };
}

/** Hive's message for a missing catalog (ObjectStore.getCatalog). */
export async function loadCatalog(tx: StoreTx, name: string): Promise<Catalog> {
  const row = await tx.getCatalog(name);
  if (row === undefined) throw notFound("catalog", `No catalog ${name}`);
  return decodeCatalog(row);
}

/**
 * Where a new database goes when it names no location: under the warehouse in the
 * default catalog (the default database at its root), under the catalog's location
 * in any other (Hive's Warehouse.determineDatabasePath).
 */
export function databaseLocationIn(catalog: Catalog | undefined, warehouse: string, name: string): string {
  if (catalog === undefined || catalog.name === "hive") return defaultDatabaseLocation(warehouse, name);
  return `${catalog.locationUri.replace(/\/+$/, "")}/${name}.db`;
}

// ---------------------------------------------------------------- databases

export function decodeDatabase(row: DatabaseRow): Database {
  return decodeStruct(T.Database, row.body);
}

export function databaseRow(catalog: string, db: Database): DatabaseRow {
  return { catalog, name: db.name, body: encodeStruct(db) };
}

export async function loadDatabase(tx: StoreTx, catalog: string, name: string): Promise<Database> {
  const row = await tx.getDatabase(catalog, name);
  if (row === undefined) throw notFound("database", `Database ${name} does not exist`);
  return decodeDatabase(row);
}

export function defaultDatabaseLocation(warehouse: string, name: string): string {
  const root = warehouse.replace(/\/+$/, "");
  return name === DEFAULT_DATABASE ? root : `${root}/${name}.db`;
}

// ---------------------------------------------------------------- tables

export function decodeTable(row: TableRow): Table {
  return decodeStruct(T.Table, row.body);
}

export function tableRow(key: TableKey, table: Table): TableRow {
  return { catalog: key.catalog, db: key.db, name: key.table, tableType: table.tableType ?? "", body: encodeStruct(table) };
}

export async function loadTable(tx: StoreTx, key: TableKey, forUpdate = false): Promise<Table> {
  const row = await tx.getTable(key, forUpdate);
  if (row === undefined) throw notFound("table", `Table ${key.db}.${key.table} does not exist`);
  return decodeTable(row);
}

export function emptyStorageDescriptor(): StorageDescriptor {
  return new T.StorageDescriptor({
    cols: [],
    location: "",
    inputFormat: "",
    outputFormat: "",
    compressed: false,
    numBuckets: -1,
    serdeInfo: new T.SerDeInfo({ name: "", serializationLib: "", parameters: {} }),
    bucketCols: [],
    sortCols: [],
    parameters: {},
  });
}

export function partitionKeyNames(table: Table): string[] {
  return (table.partitionKeys ?? []).map((k) => k.name.toLowerCase());
}

// ---------------------------------------------------------------- partitions

export function decodePartition(row: PartitionRow): Partition {
  return decodeStruct(T.Partition, row.body);
}

export function partitionRow(key: TableKey, name: string, partition: Partition): PartitionRow {
  return { catalog: key.catalog, db: key.db, table: key.table, name, body: encodeStruct(partition) };
}

/** A storage descriptor for a new partition: the partition's own, or a copy of the table's. */
export function partitionStorage(table: Table, given: StorageDescriptor | null | undefined, name: string): StorageDescriptor {
  const sd = given ? cloneStruct(T.StorageDescriptor, given) : table.sd ? cloneStruct(T.StorageDescriptor, table.sd) : emptyStorageDescriptor();
  if (!given?.location) {
    const base = (table.sd?.location ?? "").replace(/\/+$/, "");
    sd.location = base === "" ? "" : `${base}/${name}`;
  }
  return sd;
}

export function limitOf(max: number | null | undefined): number {
  return max === null || max === undefined || max < 0 ? Number.POSITIVE_INFINITY : max;
}
