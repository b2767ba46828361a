/**
 * The state and helpers every area of the metastore handler shares. The areas
 * (handler/*.ts) extend it one after another and handler.ts names the last.
 * Each call runs in one store transaction and translates our errors into the
 * exceptions its IDL declares (thrift-errors.ts).
 */
import { hostname } from "node:os";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import type { LockLevelName, LockTypeName } from "../locks.js";
import { DEFAULT_CATALOG } from "../names.js";
import {
  catalogRow,
  DEFAULT_DATABASE,
  databaseRow,
  decodePartition,
  defaultDatabaseLocation,
  nowSeconds,
  VIRTUAL_VIEW,
} from "../objects.js";
import type { MetastoreStore, StoreTx, TableKey } from "../store/store.js";
import { type DeclaredExceptions, toThriftError } from "../thrift-errors.js";
import { ensureDirectory, localPathOf, qualifyWarehouse, removeTree } from "../warehouse-dirs.js";

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
export const SERVER_VERSION = "4.0.1";
export const NOTIFICATION_BATCH_MAX = 10_000;
/** Tables whose partition keys are kept decoded; the map is emptied when full. */
export const PARTITION_KEYS_CACHE_MAX = 1_024;
export const LOCK_TYPES: Record<number, LockTypeName> = { 1: "SHARED_READ", 2: "SHARED_WRITE", 3: "EXCLUSIVE", 4: "EXCL_WRITE" };
export const LOCK_LEVELS: Record<number, LockLevelName> = { 1: "DB", 2: "TABLE", 3: "PARTITION" };
export const LOCK_TYPE_IDS: Record<LockTypeName, number> = { SHARED_READ: 1, SHARED_WRITE: 2, EXCLUSIVE: 3, EXCL_WRITE: 4 };
export const LOCK_STATE_IDS = { ACQUIRED: 1, WAITING: 2 } as const;
/** get_table_names_by_filter: a missing database is UnknownDBException, anything else a MetaException. */
export const TABLE_FILTER_DECLARED: DeclaredExceptions = ["UnknownDBException", "MetaException"];

export type Env = H.EnvironmentContext | null | undefined;

export class HandlerCore {
  protected readonly store: MetastoreStore;
  protected readonly warehouse: string;
  protected readonly now: () => number;
  protected readonly lockTimeoutMs: number;
  protected readonly eventTtlSeconds: number;
  protected readonly config: Record<string, string>;
  protected readonly startedAtMs: number;
  /** The local warehouse directory whose subdirectories we manage, if any (warehouse-dirs.ts). */
  protected readonly managedRoot: string | undefined;
  protected readonly partitionKeysCache = new Map<string, { body: Uint8Array; keys: string[] }>();

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

  /** Creates the default catalog and its `default` database if missing; Hive clients require both. */
  async init(): Promise<void> {
    await this.store.transaction(async (tx) => {
      if ((await tx.getCatalog(DEFAULT_CATALOG)) === undefined) {
        const catalog = new T.Catalog({ name: DEFAULT_CATALOG, description: "Default catalog for Hive", locationUri: this.warehouse });
        catalog.createTime = nowSeconds(this.now());
        await tx.insertCatalog(catalogRow(catalog));
      }
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

  protected run<R>(declared: DeclaredExceptions, fn: (tx: StoreTx) => Promise<R>): Promise<R> {
    return this.store.transaction(fn).catch((e: unknown) => {
      throw toThriftError(e, declared);
    });
  }

  protected async emit(tx: StoreTx, type: string, catalog: string, db: string | null, table: string | null, body: Record<string, unknown>): Promise<void> {
    const time = nowSeconds(this.now());
    const message = JSON.stringify({ server: "", servicePrincipal: "", db, table, timestamp: time, ...body });
    await tx.appendEvent({ time, type, catalog, db, table, message, format: "json-0.2" });
    await tx.deleteEventsBefore(time - this.eventTtlSeconds);
  }

  protected makeDirectory(location: string | null | undefined): Promise<void> {
    return ensureDirectory(location, this.managedRoot);
  }

  /** The data directories a drop with deleteData removes: the table's, and partitions' outside it. */
  protected async dataOf(tx: StoreTx, key: TableKey, table: H.Table): Promise<string[]> {
    if (!ownsData(table)) return [];
    const out = table.sd?.location ? [table.sd.location] : [];
    const base = out[0]?.replace(/\/+$/, "");
    for (const row of await tx.getPartitions(key)) {
      const location = decodePartition(row).sd?.location;
      if (location && (base === undefined || !location.startsWith(`${base}/`))) out.push(location);
    }
    return out;
  }

  /** Deletes data directories after the drop that orphaned them has committed. */
  protected async deleteData(locations: readonly string[]): Promise<void> {
    for (const location of locations) await removeTree(location, this.managedRoot);
  }

}
/** Whether dropping `table` with deleteData deletes its files (Hive: managed, or external with purge). */
export function ownsData(table: H.Table): boolean {
  const params = table.parameters ?? {};
  const external = table.tableType === "EXTERNAL_TABLE" || params.EXTERNAL?.toUpperCase() === "TRUE";
  if (table.tableType === VIRTUAL_VIEW) return false;
  return !external || params["external.table.purge"]?.toLowerCase() === "true";
}

export function localHostName(): string {
  return hostname();
}
