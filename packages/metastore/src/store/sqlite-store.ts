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
import type {
  ColumnStatsRow,
  DatabaseRow,
  EventRow,
  FunctionRow,
  LockRow,
  MetastoreStore,
  PartitionRow,
  StoreTx,
  TableKey,
  TableRow,
} from "./store.js";

/** Schema versions in order; each runs once, in a transaction, on open. */
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
];

export interface SqliteStoreOptions {
  /** How long to wait for another process's transaction on the same file. */
  readonly busyTimeoutMs?: number;
}

type Row = Record<string, unknown>;

function bytes(v: unknown): Uint8Array {
  return v as Uint8Array;
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
    const cache = new Map<string, Database.Statement>();
    const stmt = (sql: string): Database.Statement => {
      let s = cache.get(sql);
      if (s === undefined) {
        s = db.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    };
    const insert = (sql: string, params: unknown[], what: string, context: Record<string, string>): void => {
      try {
        stmt(sql).run(...params);
      } catch (e) {
        if (isUniqueViolation(e)) throw new StreamhouseError(ErrorKind.AlreadyExists, `${what} already exists`, { context, cause: e });
        throw e;
      }
    };
    const toTable = (r: Row): TableRow => ({
      catalog: r.catalog as string,
      db: r.db as string,
      name: r.name as string,
      tableType: r.table_type as string,
      body: bytes(r.body),
    });
    const toPartition = (r: Row): PartitionRow => ({
      catalog: r.catalog as string,
      db: r.db as string,
      table: r.tbl as string,
      name: r.name as string,
      body: bytes(r.body),
    });
    const toFunction = (r: Row): FunctionRow => ({ catalog: r.catalog as string, db: r.db as string, name: r.name as string, body: bytes(r.body) });
    const toStats = (r: Row): ColumnStatsRow => ({
      catalog: r.catalog as string,
      db: r.db as string,
      table: r.tbl as string,
      partition: r.part as string,
      column: r.col as string,
      engine: r.engine as string,
      body: bytes(r.body),
    });
    const toEvent = (r: Row): EventRow => ({
      id: BigInt(r.id as number),
      time: r.time as number,
      type: r.type as string,
      catalog: r.catalog as string,
      db: (r.db as string | null) ?? null,
      table: (r.tbl as string | null) ?? null,
      message: r.message as string,
      format: r.format as string,
    });
    const toLock = (r: Row): LockRow => ({
      id: BigInt(r.id as number),
      state: r.state as LockRow["state"],
      components: r.components as string,
      txnId: BigInt(r.txn_id as number),
      user: r.user as string,
      host: r.host as string,
      agent: r.agent as string,
      acquiredAtMs: (r.acquired_at_ms as number | null) ?? null,
      lastHeartbeatMs: r.last_heartbeat_ms as number,
      heartbeatCount: r.heartbeat_count as number,
    });
    const inList = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
    const CHUNK = 500;

    return {
      getMeta: async (key) => (stmt("SELECT value FROM meta WHERE key = ?").get(key) as Row | undefined)?.value as string | undefined,
      setMeta: async (key, value) => {
        stmt("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
      },

      getDatabase: async (catalog, name) => {
        const r = stmt("SELECT catalog, name, body FROM dbs WHERE catalog = ? AND name = ?").get(catalog, name) as Row | undefined;
        return r === undefined ? undefined : { catalog: r.catalog as string, name: r.name as string, body: bytes(r.body) };
      },
      listDatabases: async (catalog) => (stmt("SELECT name FROM dbs WHERE catalog = ? ORDER BY name").all(catalog) as Row[]).map((r) => r.name as string),
      insertDatabase: async (row: DatabaseRow) =>
        insert("INSERT INTO dbs (catalog, name, body) VALUES (?, ?, ?)", [row.catalog, row.name, row.body], `database ${row.name}`, { database: row.name }),
      updateDatabase: async (row) => {
        stmt("UPDATE dbs SET body = ? WHERE catalog = ? AND name = ?").run(row.body, row.catalog, row.name);
      },
      deleteDatabase: async (catalog, name) => {
        stmt("DELETE FROM dbs WHERE catalog = ? AND name = ?").run(catalog, name);
      },

      // SQLite's BEGIN IMMEDIATE already holds the write lock, so forUpdate needs nothing more.
      getTable: async (k: TableKey) => {
        const r = stmt("SELECT * FROM tbls WHERE catalog = ? AND db = ? AND name = ?").get(k.catalog, k.db, k.table) as Row | undefined;
        return r === undefined ? undefined : toTable(r);
      },
      listTables: async (catalog, dbName) => (stmt("SELECT * FROM tbls WHERE catalog = ? AND db = ? ORDER BY name").all(catalog, dbName) as Row[]).map(toTable),
      insertTable: async (row) =>
        insert(
          "INSERT INTO tbls (catalog, db, name, table_type, body) VALUES (?, ?, ?, ?, ?)",
          [row.catalog, row.db, row.name, row.tableType, row.body],
          `table ${row.db}.${row.name}`,
          { database: row.db, table: row.name },
        ),
      updateTable: async (row) => {
        stmt("UPDATE tbls SET table_type = ?, body = ? WHERE catalog = ? AND db = ? AND name = ?").run(row.tableType, row.body, row.catalog, row.db, row.name);
      },
      renameTable: async (from, to) => {
        insert(
          "UPDATE tbls SET catalog = ?, db = ?, name = ? WHERE catalog = ? AND db = ? AND name = ?",
          [to.catalog, to.db, to.table, from.catalog, from.db, from.table],
          `table ${to.db}.${to.table}`,
          { database: to.db, table: to.table },
        );
        for (const t of ["partitions", "col_stats"]) {
          stmt(`UPDATE ${t} SET catalog = ?, db = ?, tbl = ? WHERE catalog = ? AND db = ? AND tbl = ?`).run(to.catalog, to.db, to.table, from.catalog, from.db, from.table);
        }
      },
      deleteTable: async (k) => {
        for (const t of ["partitions", "col_stats"]) stmt(`DELETE FROM ${t} WHERE catalog = ? AND db = ? AND tbl = ?`).run(k.catalog, k.db, k.table);
        stmt("DELETE FROM tbls WHERE catalog = ? AND db = ? AND name = ?").run(k.catalog, k.db, k.table);
      },

      getPartitions: async (k, names) => {
        if (names === undefined) {
          return (stmt("SELECT * FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? ORDER BY name").all(k.catalog, k.db, k.table) as Row[]).map(toPartition);
        }
        const out: PartitionRow[] = [];
        for (let i = 0; i < names.length; i += CHUNK) {
          const part = names.slice(i, i + CHUNK);
          const rows = db
            .prepare(`SELECT * FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? AND name IN (${inList(part.length)})`)
            .all(k.catalog, k.db, k.table, ...part) as Row[];
          out.push(...rows.map(toPartition));
        }
        return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      },
      listPartitionNames: async (k) =>
        (stmt("SELECT name FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? ORDER BY name").all(k.catalog, k.db, k.table) as Row[]).map((r) => r.name as string),
      insertPartition: async (row) =>
        insert(
          "INSERT INTO partitions (catalog, db, tbl, name, body) VALUES (?, ?, ?, ?, ?)",
          [row.catalog, row.db, row.table, row.name, row.body],
          `partition ${row.name} of ${row.db}.${row.table}`,
          { database: row.db, table: row.table, partition: row.name },
        ),
      updatePartition: async (row) => {
        stmt("UPDATE partitions SET body = ? WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?").run(row.body, row.catalog, row.db, row.table, row.name);
      },
      renamePartition: async (k, from, to) => {
        insert(
          "UPDATE partitions SET name = ?, body = ? WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?",
          [to.name, to.body, k.catalog, k.db, k.table, from],
          `partition ${to.name} of ${k.db}.${k.table}`,
          { partition: to.name },
        );
        stmt("UPDATE col_stats SET part = ? WHERE catalog = ? AND db = ? AND tbl = ? AND part = ?").run(to.name, k.catalog, k.db, k.table, from);
      },
      deletePartition: async (k, name) => {
        stmt("DELETE FROM col_stats WHERE catalog = ? AND db = ? AND tbl = ? AND part = ?").run(k.catalog, k.db, k.table, name);
        return stmt("DELETE FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?").run(k.catalog, k.db, k.table, name).changes > 0;
      },

      getFunction: async (catalog, dbName, name) => {
        const r = stmt("SELECT * FROM funcs WHERE catalog = ? AND db = ? AND name = ?").get(catalog, dbName, name) as Row | undefined;
        return r === undefined ? undefined : toFunction(r);
      },
      listFunctions: async (catalog, dbName) =>
        (dbName === undefined
          ? (stmt("SELECT * FROM funcs WHERE catalog = ? ORDER BY db, name").all(catalog) as Row[])
          : (stmt("SELECT * FROM funcs WHERE catalog = ? AND db = ? ORDER BY name").all(catalog, dbName) as Row[])
        ).map(toFunction),
      insertFunction: async (row) =>
        insert("INSERT INTO funcs (catalog, db, name, body) VALUES (?, ?, ?, ?)", [row.catalog, row.db, row.name, row.body], `function ${row.db}.${row.name}`, {
          function: row.name,
        }),
      deleteFunction: async (catalog, dbName, name) => stmt("DELETE FROM funcs WHERE catalog = ? AND db = ? AND name = ?").run(catalog, dbName, name).changes > 0,

      putColumnStats: async (row) => {
        stmt(
          "INSERT INTO col_stats (catalog, db, tbl, part, col, engine, body) VALUES (?, ?, ?, ?, ?, ?, ?) " +
            "ON CONFLICT (catalog, db, tbl, part, col, engine) DO UPDATE SET body = excluded.body",
        ).run(row.catalog, row.db, row.table, row.partition, row.column, row.engine, row.body);
      },
      getColumnStats: async (k, partition, columns, engine) => {
        const rows = stmt("SELECT * FROM col_stats WHERE catalog = ? AND db = ? AND tbl = ? AND part = ? ORDER BY col").all(
          k.catalog,
          k.db,
          k.table,
          partition,
        ) as Row[];
        const wanted = columns === undefined ? undefined : new Set(columns);
        return rows.map(toStats).filter((r) => (wanted === undefined || wanted.has(r.column)) && (engine === undefined || r.engine === engine));
      },
      deleteColumnStats: async (k, partition, column, engine) => {
        let sql = "DELETE FROM col_stats WHERE catalog = ? AND db = ? AND tbl = ? AND part = ?";
        const params: unknown[] = [k.catalog, k.db, k.table, partition];
        if (column !== undefined) {
          sql += " AND col = ?";
          params.push(column);
        }
        if (engine !== undefined) {
          sql += " AND engine = ?";
          params.push(engine);
        }
        return stmt(sql).run(...params).changes;
      },

      appendEvent: async (e) => {
        // The counter lives in meta, not in MAX(id): expiring old events must
        // never let an id be reused.
        const last = BigInt((stmt("SELECT value FROM meta WHERE key = 'last_event_id'").get() as Row | undefined)?.value as string | undefined ?? "0");
        const id = last + 1n;
        stmt("INSERT INTO events (id, time, type, catalog, db, tbl, message, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
          id,
          e.time,
          e.type,
          e.catalog,
          e.db,
          e.table,
          e.message,
          e.format,
        );
        stmt("INSERT INTO meta (key, value) VALUES ('last_event_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(id.toString());
        return id;
      },
      listEvents: async (afterId, limit) => (stmt("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?").all(afterId, limit) as Row[]).map(toEvent),
      lastEventId: async () => BigInt((stmt("SELECT value FROM meta WHERE key = 'last_event_id'").get() as Row | undefined)?.value as string | undefined ?? "0"),
      countEvents: async (afterId, catalog, dbName, toId) => {
        const r = stmt("SELECT COUNT(*) AS n FROM events WHERE id > ? AND id <= ? AND catalog = ? AND db = ?").get(
          afterId,
          toId ?? BigInt(Number.MAX_SAFE_INTEGER),
          catalog,
          dbName,
        ) as Row;
        return r.n as number;
      },
      deleteEventsBefore: async (timeSeconds) => {
        stmt("DELETE FROM events WHERE time < ?").run(timeSeconds);
      },

      insertLock: async (l) => {
        const r = stmt(
          "INSERT INTO locks (state, components, txn_id, user, host, agent, acquired_at_ms, last_heartbeat_ms, heartbeat_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ).run(l.state, l.components, l.txnId, l.user, l.host, l.agent, l.acquiredAtMs, l.lastHeartbeatMs, l.heartbeatCount);
        return BigInt(r.lastInsertRowid);
      },
      getLock: async (id) => {
        const r = stmt("SELECT * FROM locks WHERE id = ?").get(id) as Row | undefined;
        return r === undefined ? undefined : toLock(r);
      },
      listLocks: async () => (stmt("SELECT * FROM locks ORDER BY id").all() as Row[]).map(toLock),
      updateLock: async (id, change) => {
        const cur = stmt("SELECT * FROM locks WHERE id = ?").get(id) as Row | undefined;
        if (cur === undefined) return;
        const l = { ...toLock(cur), ...change };
        stmt("UPDATE locks SET state = ?, acquired_at_ms = ?, last_heartbeat_ms = ?, heartbeat_count = ? WHERE id = ?").run(
          l.state,
          l.acquiredAtMs,
          l.lastHeartbeatMs,
          l.heartbeatCount,
          id,
        );
      },
      deleteLock: async (id) => stmt("DELETE FROM locks WHERE id = ?").run(id).changes > 0,
    };
  }
}
