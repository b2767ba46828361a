/**
 * StoreTx in SQL that SQLite and PostgreSQL both accept: one set of statements
 * for both stores, so that what the shared test suite checks on one is what
 * runs on the other. The stores differ only in their schema DDL (types), how
 * they run a statement (`SqlSession`) and what `SqlDialect` says.
 *
 * Statements use `?` placeholders (the PostgreSQL session numbers them), quote
 * `"user"` (reserved in PostgreSQL), and return integers as whatever the driver
 * gives (SQLite: number; PostgreSQL BIGINT: string), converted here.
 *
 * A statement that fails leaves a PostgreSQL transaction aborted, so inserts
 * detect an existing key with ON CONFLICT DO NOTHING rather than by failing:
 * the caller gets AlreadyExists and a transaction it may still use.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { ColumnStatsRow, EventRow, FunctionRow, LockRow, PartitionRow, StoreTx, TableKey, TableRow } from "./store.js";

export type Row = Record<string, unknown>;

/** Runs statements inside the store's open transaction. */
export interface SqlSession {
  /** Runs a statement that returns rows (SELECT, or a write with RETURNING). */
  all(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

export interface SqlDialect {
  /**
   * Appended to a SELECT to lock the rows it returns until the transaction
   * ends; "" where the transaction already excludes every other writer.
   */
  readonly forUpdate: string;
  /** Whether a driver error is a unique-key violation. */
  isUniqueViolation(e: unknown): boolean;
}

/** Names in one IN (…) list at most; far below both databases' parameter limits. */
const IN_LIST_CHUNK = 500;

// The event counter lives in meta, not in MAX(id): expiring old events must
// never let an id be reused. One upsert reads and bumps it, which in
// PostgreSQL also row-locks it: concurrent appenders queue on that row, and
// the loser's transaction fails to serialize and is retried whole.
const NEXT_EVENT_ID =
  "INSERT INTO meta (key, value) VALUES ('last_event_id', '1') " +
  "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT) RETURNING value";

const text = (v: unknown): string => v as string;
const bytes = (v: unknown): Uint8Array => v as Uint8Array;
const int = (v: unknown): number => Number(v);
const nullableInt = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bigint = (v: unknown): bigint => BigInt(v as number | string);
const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

const toTable = (r: Row): TableRow => ({ catalog: text(r.catalog), db: text(r.db), name: text(r.name), tableType: text(r.table_type), body: bytes(r.body) });
const toPartition = (r: Row): PartitionRow => ({ catalog: text(r.catalog), db: text(r.db), table: text(r.tbl), name: text(r.name), body: bytes(r.body) });
const toFunction = (r: Row): FunctionRow => ({ catalog: text(r.catalog), db: text(r.db), name: text(r.name), body: bytes(r.body) });
const toStats = (r: Row): ColumnStatsRow => ({
  catalog: text(r.catalog),
  db: text(r.db),
  table: text(r.tbl),
  partition: text(r.part),
  column: text(r.col),
  engine: text(r.engine),
  body: bytes(r.body),
});
const toEvent = (r: Row): EventRow => ({
  id: bigint(r.id),
  time: int(r.time),
  type: text(r.type),
  catalog: text(r.catalog),
  db: nullableText(r.db),
  table: nullableText(r.tbl),
  message: text(r.message),
  format: text(r.format),
});
const toLock = (r: Row): LockRow => ({
  id: bigint(r.id),
  state: text(r.state) as LockRow["state"],
  components: text(r.components),
  txnId: bigint(r.txn_id),
  user: text(r.user),
  host: text(r.host),
  agent: text(r.agent),
  acquiredAtMs: nullableInt(r.acquired_at_ms),
  lastHeartbeatMs: int(r.last_heartbeat_ms),
  heartbeatCount: int(r.heartbeat_count),
});

const byName = (a: PartitionRow, b: PartitionRow): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

export function sqlStoreTx(session: SqlSession, dialect: SqlDialect): StoreTx {
  const all = (sql: string, params: readonly unknown[]) => session.all(sql, params);
  const run = (sql: string, params: readonly unknown[]) => session.run(sql, params);
  const one = async (sql: string, params: readonly unknown[]): Promise<Row | undefined> => (await all(sql, params))[0];
  const alreadyExists = (what: string, context: Record<string, string>, cause?: unknown) =>
    new StreamhouseError(ErrorKind.AlreadyExists, `${what} already exists`, { context, cause });
  /** An INSERT … ON CONFLICT DO NOTHING that must add its row. */
  const insert = async (sql: string, params: readonly unknown[], what: string, context: Record<string, string>): Promise<void> => {
    if ((await run(sql, params)) === 0) throw alreadyExists(what, context);
  };
  /** An UPDATE that moves a row to a key that may be taken. */
  const move = async (sql: string, params: readonly unknown[], what: string, context: Record<string, string>): Promise<void> => {
    try {
      await run(sql, params);
    } catch (e) {
      if (dialect.isUniqueViolation(e)) throw alreadyExists(what, context, e);
      throw e;
    }
  };
  const lastEventId = async (): Promise<bigint> => bigint((await one("SELECT value FROM meta WHERE key = 'last_event_id'", []))?.value ?? "0");

  return {
    getMeta: async (key) => (await one("SELECT value FROM meta WHERE key = ?", [key]))?.value as string | undefined,
    setMeta: async (key, value) => {
      await run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]);
    },

    getCatalog: async (name) => {
      const r = await one("SELECT name, body FROM catalogs WHERE name = ?", [name]);
      return r === undefined ? undefined : { name: text(r.name), body: bytes(r.body) };
    },
    listCatalogs: async () => (await all("SELECT name FROM catalogs ORDER BY name", [])).map((r) => text(r.name)),
    insertCatalog: (row) =>
      insert("INSERT INTO catalogs (name, body) VALUES (?, ?) ON CONFLICT DO NOTHING", [row.name, row.body], `catalog ${row.name}`, { catalog: row.name }),
    updateCatalog: async (row) => {
      await run("UPDATE catalogs SET body = ? WHERE name = ?", [row.body, row.name]);
    },
    deleteCatalog: async (name) => (await run("DELETE FROM catalogs WHERE name = ?", [name])) > 0,

    getDatabase: async (catalog, name) => {
      const r = await one("SELECT catalog, name, body FROM dbs WHERE catalog = ? AND name = ?", [catalog, name]);
      return r === undefined ? undefined : { catalog: text(r.catalog), name: text(r.name), body: bytes(r.body) };
    },
    listDatabases: async (catalog) => (await all("SELECT name FROM dbs WHERE catalog = ? ORDER BY name", [catalog])).map((r) => text(r.name)),
    insertDatabase: (row) =>
      insert("INSERT INTO dbs (catalog, name, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [row.catalog, row.name, row.body], `database ${row.name}`, {
        database: row.name,
      }),
    updateDatabase: async (row) => {
      await run("UPDATE dbs SET body = ? WHERE catalog = ? AND name = ?", [row.body, row.catalog, row.name]);
    },
    deleteDatabase: async (catalog, name) => {
      await run("DELETE FROM dbs WHERE catalog = ? AND name = ?", [catalog, name]);
    },

    getTable: async (k: TableKey, forUpdate?: boolean) => {
      const lock = forUpdate === true ? dialect.forUpdate : "";
      const r = await one(`SELECT * FROM tbls WHERE catalog = ? AND db = ? AND name = ?${lock}`, [k.catalog, k.db, k.table]);
      return r === undefined ? undefined : toTable(r);
    },
    listTables: async (catalog, db) => (await all("SELECT * FROM tbls WHERE catalog = ? AND db = ? ORDER BY name", [catalog, db])).map(toTable),
    insertTable: (row) =>
      insert(
        "INSERT INTO tbls (catalog, db, name, table_type, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [row.catalog, row.db, row.name, row.tableType, row.body],
        `table ${row.db}.${row.name}`,
        { database: row.db, table: row.name },
      ),
    updateTable: async (row) => {
      await run("UPDATE tbls SET table_type = ?, body = ? WHERE catalog = ? AND db = ? AND name = ?", [row.tableType, row.body, row.catalog, row.db, row.name]);
    },
    renameTable: async (from, to) => {
      await move(
        "UPDATE tbls SET catalog = ?, db = ?, name = ? WHERE catalog = ? AND db = ? AND name = ?",
        [to.catalog, to.db, to.table, from.catalog, from.db, from.table],
        `table ${to.db}.${to.table}`,
        { database: to.db, table: to.table },
      );
      for (const t of ["partitions", "col_stats"]) {
        await run(`UPDATE ${t} SET catalog = ?, db = ?, tbl = ? WHERE catalog = ? AND db = ? AND tbl = ?`, [to.catalog, to.db, to.table, from.catalog, from.db, from.table]);
      }
    },
    deleteTable: async (k) => {
      for (const t of ["partitions", "col_stats"]) await run(`DELETE FROM ${t} WHERE catalog = ? AND db = ? AND tbl = ?`, [k.catalog, k.db, k.table]);
      await run("DELETE FROM tbls WHERE catalog = ? AND db = ? AND name = ?", [k.catalog, k.db, k.table]);
    },

    getPartitions: async (k, names) => {
      if (names === undefined) {
        return (await all("SELECT * FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? ORDER BY name", [k.catalog, k.db, k.table])).map(toPartition);
      }
      const out: PartitionRow[] = [];
      for (let i = 0; i < names.length; i += IN_LIST_CHUNK) {
        const chunk = names.slice(i, i + IN_LIST_CHUNK);
        const sql = `SELECT * FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? AND name IN (${placeholders(chunk.length)})`;
        out.push(...(await all(sql, [k.catalog, k.db, k.table, ...chunk])).map(toPartition));
      }
      return out.sort(byName);
    },
    listPartitionNames: async (k) =>
      (await all("SELECT name FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? ORDER BY name", [k.catalog, k.db, k.table])).map((r) => text(r.name)),
    insertPartition: (row) =>
      insert(
        "INSERT INTO partitions (catalog, db, tbl, name, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [row.catalog, row.db, row.table, row.name, row.body],
        `partition ${row.name} of ${row.db}.${row.table}`,
        { database: row.db, table: row.table, partition: row.name },
      ),
    updatePartition: async (row) => {
      await run("UPDATE partitions SET body = ? WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?", [row.body, row.catalog, row.db, row.table, row.name]);
    },
    renamePartition: async (k, from, to) => {
      await move(
        "UPDATE partitions SET name = ?, body = ? WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?",
        [to.name, to.body, k.catalog, k.db, k.table, from],
        `partition ${to.name} of ${k.db}.${k.table}`,
        { partition: to.name },
      );
      await run("UPDATE col_stats SET part = ? WHERE catalog = ? AND db = ? AND tbl = ? AND part = ?", [to.name, k.catalog, k.db, k.table, from]);
    },
    deletePartition: async (k, name) => {
      await run("DELETE FROM col_stats WHERE catalog = ? AND db = ? AND tbl = ? AND part = ?", [k.catalog, k.db, k.table, name]);
      return (await run("DELETE FROM partitions WHERE catalog = ? AND db = ? AND tbl = ? AND name = ?", [k.catalog, k.db, k.table, name])) > 0;
    },

    getFunction: async (catalog, db, name) => {
      const r = await one("SELECT * FROM funcs WHERE catalog = ? AND db = ? AND name = ?", [catalog, db, name]);
      return r === undefined ? undefined : toFunction(r);
    },
    listFunctions: async (catalog, db) =>
      (db === undefined
        ? await all("SELECT * FROM funcs WHERE catalog = ? ORDER BY db, name", [catalog])
        : await all("SELECT * FROM funcs WHERE catalog = ? AND db = ? ORDER BY name", [catalog, db])
      ).map(toFunction),
    insertFunction: (row) =>
      insert(
        "INSERT INTO funcs (catalog, db, name, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [row.catalog, row.db, row.name, row.body],
        `function ${row.db}.${row.name}`,
        { function: row.name },
      ),
    deleteFunction: async (catalog, db, name) => (await run("DELETE FROM funcs WHERE catalog = ? AND db = ? AND name = ?", [catalog, db, name])) > 0,

    putColumnStats: async (row) => {
      await run(
        "INSERT INTO col_stats (catalog, db, tbl, part, col, engine, body) VALUES (?, ?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (catalog, db, tbl, part, col, engine) DO UPDATE SET body = excluded.body",
        [row.catalog, row.db, row.table, row.partition, row.column, row.engine, row.body],
      );
    },
    getColumnStats: async (k, partition, columns, engine) => {
      const rows = await all("SELECT * FROM col_stats WHERE catalog = ? AND db = ? AND tbl = ? AND part = ? ORDER BY col, engine", [
        k.catalog,
        k.db,
        k.table,
        partition,
      ]);
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
      return run(sql, params);
    },

    appendEvent: async (e) => {
      const id = bigint((await one(NEXT_EVENT_ID, []))?.value);
      await run("INSERT INTO events (id, time, type, catalog, db, tbl, message, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        id,
        e.time,
        e.type,
        e.catalog,
        e.db,
        e.table,
        e.message,
        e.format,
      ]);
      return id;
    },
    listEvents: async (afterId, limit) => (await all("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", [afterId, limit])).map(toEvent),
    lastEventId,
    countEvents: async (afterId, catalog, db, toId) => {
      const r = await one("SELECT COUNT(*) AS n FROM events WHERE id > ? AND id <= ? AND catalog = ? AND db = ?", [
        afterId,
        toId ?? BigInt(Number.MAX_SAFE_INTEGER),
        catalog,
        db,
      ]);
      return int(r?.n);
    },
    deleteEventsBefore: async (timeSeconds) => {
      await run("DELETE FROM events WHERE time < ?", [timeSeconds]);
    },

    insertLock: async (l) => {
      const r = await one(
        'INSERT INTO locks (state, components, txn_id, "user", host, agent, acquired_at_ms, last_heartbeat_ms, heartbeat_count) ' +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [l.state, l.components, l.txnId, l.user, l.host, l.agent, l.acquiredAtMs, l.lastHeartbeatMs, l.heartbeatCount],
      );
      return bigint(r?.id);
    },
    getLock: async (id) => {
      const r = await one("SELECT * FROM locks WHERE id = ?", [id]);
      return r === undefined ? undefined : toLock(r);
    },
    listLocks: async () => (await all("SELECT * FROM locks ORDER BY id", [])).map(toLock),
    updateLock: async (id, change) => {
      const cur = await one("SELECT * FROM locks WHERE id = ?", [id]);
      if (cur === undefined) return;
      const l = { ...toLock(cur), ...change };
      await run("UPDATE locks SET state = ?, acquired_at_ms = ?, last_heartbeat_ms = ?, heartbeat_count = ? WHERE id = ?", [
        l.state,
        l.acquiredAtMs,
        l.lastHeartbeatMs,
        l.heartbeatCount,
        id,
      ]);
    },
    deleteLock: async (id) => (await run("DELETE FROM locks WHERE id = ?", [id])) > 0,
  };
}
