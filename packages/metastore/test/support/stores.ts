// The stores every store-facing test runs on: SQLite (a file in a temporary
// directory) and PostgreSQL (a fresh database in a throwaway cluster, started
// once per test file on first use). PostgreSQL is required, not optional: when
// it cannot be installed or started, every test on it fails with the reason.
// Test files using these call `afterAll(releaseStores)`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PostgresCluster, startPostgres } from "../../../../integration/postgres/postgres.js";

export interface StoreBackend {
  readonly name: "sqlite" | "postgres";
  /** An `openStore` spec naming a new, empty store; it may be opened many times, also at once. */
  fresh(): Promise<string>;
}

let cluster: Promise<PostgresCluster> | undefined;
let sqliteDir: string | undefined;
let sqliteFiles = 0;

export const sqliteBackend: StoreBackend = {
  name: "sqlite",
  fresh: async () => {
    sqliteDir ??= mkdtempSync(join(tmpdir(), "streamhouse-metastore-"));
    return `sqlite:${join(sqliteDir, `store-${++sqliteFiles}.db`)}`;
  },
};

export const postgresBackend: StoreBackend = {
  name: "postgres",
  fresh: async () => {
    cluster ??= startPostgres();
    return (await cluster).createDatabase();
  },
};

export const storeBackends: readonly StoreBackend[] = [sqliteBackend, postgresBackend];

/** Stops this file's PostgreSQL cluster and deletes its SQLite files. */
export async function releaseStores(): Promise<void> {
  const c = cluster;
  cluster = undefined;
  if (sqliteDir !== undefined) rmSync(sqliteDir, { recursive: true, force: true });
  sqliteDir = undefined;
  // A cluster that failed to start has failed every test on it, with the reason.
  const started = await c?.catch(() => undefined);
  await started?.stop();
}
