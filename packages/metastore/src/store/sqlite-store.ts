/**
 * The embedded store: one SQLite file, durable (WAL journal, synchronous=FULL:
 * a transaction that returned is on disk), migrated forward on open.
 *
 * better-sqlite3 is synchronous, so the async StoreTx methods complete
 * immediately; transactions are serialized by a promise queue and run as
 * BEGIN IMMEDIATE … COMMIT, which also excludes other processes that open
 * the same file (they wait up to `busyTimeoutMs`).
 */
import { randomUUID } from "node:crypto";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import Database from "better-sqlite3";
import { type Row, sqlStoreTx } from "./sql-store-tx.js";
import type { MetastoreStore, StoreTx } from "./store.js";

/**
 * Schema versions in order; each runs once, in a transaction, on open. The
 * statements on these tables are shared with PostgreSQL (sql-store-tx.ts).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE dbs (catalog TEXT NOT NULL, name TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (catalog, name));
  CREATE TABLE tbls (catalog TEXT NOT NULL, db TEXT NOT NULL, name TEXT NOT NULL, table_type TEXT NOT NULL,
    body BLOB NOT NULL, PRIMARY KEY (catalog, db, name));
  CREATE TABLE partitions (catalog TEXT NOT NULL, db TEXT NOT NULL, tbl TEXT NOT NULL, name TEXT NOT NULL,
    body BLOB NOT NULL, PRIMARY KEY (catalog, db, tbl, name));
  CREATE TABLE funcs (catalog TEXT NOT NULL, db TEXT NOT NULL, name TEXT NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (catalog, db, name));
  CREATE TABLE col_stats (catalog TEXT NOT NULL, db TEXT NOT NULL, tbl TEXT NOT NULL, part TEXT NOT NULL,
    col TEXT NOT NULL, engine TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (catalog, db, tbl, part, col, engine));
  CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, type TEXT NOT NULL, catalog TEXT NOT NULL,
    db TEXT, tbl TEXT, message TEXT NOT NULL, format TEXT NOT NULL);
  CREATE INDEX events_time ON events (time);
  CREATE TABLE locks (id INTEGER PRIMARY KEY, state TEXT NOT NULL, components TEXT NOT NULL, txn_id INTEGER NOT NULL,
    user TEXT NOT NULL, host TEXT NOT NULL, agent TEXT NOT NULL, acquired_at_ms INTEGER, last_heartbeat_ms INTEGER NOT NULL,
    heartbeat_count INTEGER NOT NULL);
  `,
  // 2: catalogs (create_catalog and friends). The handler creates the default catalog on start.
  `
  CREATE TABLE catalogs (name TEXT PRIMARY KEY, body BLOB NOT NULL);
  `,
];

export interface SqliteStoreOptions {
  /** How long to wait for another process's transaction on the same file. */
  readonly busyTimeoutMs?: number;
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT");
}

export class SqliteStore implements MetastoreStore {
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly tx: StoreTx;

  private constructor(db: Database.Database) {
    this.db = db;
    this.tx = this.makeTx();
  }

  /** Opens (creating if needed) the store at `file`; ":memory:" for a throwaway one. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
      if (file !== ":memory:") db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
    } catch (e) {
      throw new StreamhouseError(ErrorKind.Io, `cannot open the metastore database: ${(e as Error).message}`, { context: { file }, cause: e });
    }
    const store = new SqliteStore(db);
    store.migrate();
    return store;
  }

  /** The schema version this store is at (the number of migrations applied). */
  get schemaVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  private migrate(): void {
    const apply = this.db.transaction(() => {
      const current = this.db.pragma("user_version", { simple: true }) as number;
      if (current > MIGRATIONS.length) {
        throw new StreamhouseError(ErrorKind.Unsupported, `the metastore database has schema version ${current}, newer than this server (${MIGRATIONS.length})`);
      }
      for (let v = current; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }
      const uuid = this.db.prepare("SELECT value FROM meta WHERE key = 'db_uuid'").get() as Row | undefined;
      if (uuid === undefined) this.db.prepare("INSERT INTO meta (key, value) VALUES ('db_uuid', ?)").run(randomUUID());
    });
    apply.immediate();
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new StreamhouseError(ErrorKind.Io, "the metastore store is closed");
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.tx);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
  }

  private makeTx(): StoreTx {
    const db = this.db;
    // Statements are prepared once per distinct SQL text: a few dozen, plus
    // one per IN-list length up to the shared chunk size.
    const cache = new Map<string, Database.Statement>();
    const stmt = (sql: string): Database.Statement => {
      let s = cache.get(sql);
      if (s === undefined) {
        s = db.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    };
    return sqlStoreTx(
      {
        all: async (sql, params) => stmt(sql).all(...params) as Row[],
        run: async (sql, params) => stmt(sql).run(...params).changes,
      },
      // BEGIN IMMEDIATE already holds the database's write lock.
      { forUpdate: "", isUniqueViolation },
    );
  }
}
