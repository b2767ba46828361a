// The store interface itself, below the handler: what both backends promise
// (keys, ordering, errors that leave a transaction usable, durability,
// migrations) and what PostgreSQL must add when several processes share one
// database (each process is a store with its own connection pool here).
import { ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { type MetastoreStore, openStore, PostgresStore, SqliteStore, type StoreTx, type TableKey } from "@streamhouse/metastore";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { postgresBackend, releaseStores, storeBackends } from "./support/stores.js";

afterAll(releaseStores);

const CURRENT_SCHEMA_VERSION = 2;
const key: TableKey = { catalog: "hive", db: "db1", table: "t1" };
const utf8 = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** Opens stores and closes them all when the test ends, however it ends. */
async function withStores<T>(specs: string[], fn: (...stores: MetastoreStore[]) => Promise<T>): Promise<T> {
  const stores = specs.map((s) => openStore(s));
  try {
    return await fn(...stores);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function schemaVersion(store: MetastoreStore): Promise<number> {
  if (store instanceof SqliteStore) return store.schemaVersion;
  if (store instanceof PostgresStore) return store.schemaVersion();
  throw new Error("unknown store");
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}

const addTable = (tx: StoreTx, name: string, body: string) => tx.insertTable({ catalog: "hive", db: "db1", name, tableType: "MANAGED_TABLE", body: utf8(body) });

/** One compare-and-set: the table body must still be `expected`; false when it is not. */
function compareAndSet(store: MetastoreStore, expected: string, next: string, forUpdate = true): Promise<boolean> {
  return store.transaction(async (tx) => {
    const row = await tx.getTable(key, forUpdate);
    if (row === undefined || str(row.body) !== expected) return false;
    await tx.updateTable({ ...row, body: utf8(next) });
    return true;
  });
}

describe.each(storeBackends)("on $name", (backend) => {
  test("catalogs: insert, AlreadyExists, list in byte order, update, delete", async () => {
    await withStores([await backend.fresh()], async (store) => {
      await store.transaction(async (tx) => {
        for (const name of ["spark", "Hive2", "hive"]) await tx.insertCatalog({ name, body: utf8(name) });
        const dup = await rejection(tx.insertCatalog({ name: "spark", body: utf8("again") }));
        expect(isStreamhouseError(dup) && dup.kind).toBe(ErrorKind.AlreadyExists);
        expect(await tx.listCatalogs()).toEqual(["Hive2", "hive", "spark"]);
        await tx.updateCatalog({ name: "spark", body: utf8("changed") });
      });
      await store.transaction(async (tx) => {
        expect(str((await tx.getCatalog("spark"))!.body)).toBe("changed");
        expect(await tx.deleteCatalog("spark")).toBe(true);
        expect(await tx.deleteCatalog("spark")).toBe(false);
        expect(await tx.getCatalog("spark")).toBeUndefined();
      });
    });
  });

  test("keys, byte ordering, and AlreadyExists that leaves the transaction usable", async () => {
    await withStores([await backend.fresh()], async (store) => {
      await store.transaction(async (tx) => {
        for (const name of ["b", "B", "a_b", "a-b", "é", "a"]) await addTable(tx, name, name);
        // A duplicate insert reports AlreadyExists and the transaction carries on.
        const dup = await rejection(addTable(tx, "a", "again"));
        expect(isStreamhouseError(dup, ErrorKind.AlreadyExists)).toBe(true);
        await addTable(tx, "c", "c");
      });
      await store.transaction(async (tx) => {
        expect((await tx.listTables("hive", "db1")).map((t) => t.name)).toEqual(["B", "a", "a-b", "a_b", "b", "c", "é"]);
        expect(str((await tx.getTable({ ...key, table: "a" }))!.body)).toBe("a");
        const taken = await rejection(tx.renameTable({ ...key, table: "a" }, { ...key, table: "b" }));
        expect(isStreamhouseError(taken, ErrorKind.AlreadyExists)).toBe(true);
      });
      await store.transaction(async (tx) => {
        await tx.renameTable({ ...key, table: "a" }, { ...key, table: "z" });
        expect(await tx.getTable({ ...key, table: "a" })).toBeUndefined();
        expect(str((await tx.getTable({ ...key, table: "z" }))!.body)).toBe("a");
        // Bodies are bytes, not text: every byte value survives.
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        await tx.updateTable({ catalog: "hive", db: "db1", name: "z", tableType: "EXTERNAL_TABLE", body: all });
        expect(Array.from((await tx.getTable({ ...key, table: "z" }))!.body)).toEqual(Array.from(all));
      });
      // A throw rolls everything back.
      await expect(
        store.transaction(async (tx) => {
          await addTable(tx, "rolled_back", "x");
          await tx.appendEvent({ time: 1, type: "CREATE_TABLE", catalog: "hive", db: "db1", table: "rolled_back", message: "{}", format: "json-0.2" });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      await store.transaction(async (tx) => {
        expect(await tx.getTable({ ...key, table: "rolled_back" })).toBeUndefined();
        expect(await tx.lastEventId()).toBe(0n);
      });
    });
  });

  test("events: ids consecutive across expiry, counted and listed in order", async () => {
    await withStores([await backend.fresh()], async (store) => {
      const append = (time: number, db: string) => store.transaction((tx) => tx.appendEvent({ time, type: "T", catalog: "hive", db, table: null, message: "{}", format: "f" }));
      expect(await append(100, "a")).toBe(1n);
      expect(await append(200, "b")).toBe(2n);
      await store.transaction((tx) => tx.deleteEventsBefore(150));
      // Expiring the newest events must not let their ids be handed out again.
      await store.transaction((tx) => tx.deleteEventsBefore(1000));
      expect(await append(300, "a")).toBe(3n);
      expect(await append(400, "a")).toBe(4n);
      await store.transaction(async (tx) => {
        expect(await tx.lastEventId()).toBe(4n);
        expect((await tx.listEvents(0n, 10)).map((e) => [e.id, e.time, e.db, e.table])).toEqual([
          [3n, 300, "a", null],
          [4n, 400, "a", null],
        ]);
        expect(await tx.countEvents(0n, "hive", "a")).toBe(2);
        expect(await tx.countEvents(0n, "hive", "a", 3n)).toBe(1);
      });
    });
  });

  test("concurrent transactions: no lost update, gap-free event ids", async () => {
    await withStores([await backend.fresh()], async (store) => {
      await store.transaction((tx) => addTable(tx, "t1", "0"));
      const workers = 8;
      const rounds = 5;
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          for (let i = 0; i < rounds; i++) {
            await store.transaction(async (tx) => {
              const row = (await tx.getTable(key, w % 2 === 0))!;
              await tx.updateTable({ ...row, body: utf8(String(Number(str(row.body)) + 1)) });
              await tx.appendEvent({ time: 1, type: "ALTER_TABLE", catalog: "hive", db: "db1", table: "t1", message: "{}", format: "f" });
            });
          }
        }),
      );
      await store.transaction(async (tx) => {
        expect(str((await tx.getTable(key))!.body)).toBe(String(workers * rounds));
        expect((await tx.listEvents(0n, 1000)).map((e) => Number(e.id))).toEqual(Array.from({ length: workers * rounds }, (_, i) => i + 1));
      });
    });
  });

  test("durable across close and reopen", async () => {
    const spec = await backend.fresh();
    const uuid = await withStores([spec], async (store) => {
      await store.transaction(async (tx) => {
        await tx.insertDatabase({ catalog: "hive", name: "db1", body: utf8("db") });
        await addTable(tx, "t1", "table");
        await tx.insertPartition({ catalog: "hive", db: "db1", table: "t1", name: "p=1", body: utf8("part") });
        await tx.appendEvent({ time: 5, type: "CREATE_TABLE", catalog: "hive", db: "db1", table: "t1", message: "{}", format: "f" });
        await tx.insertLock({
          state: "ACQUIRED",
          components: "[]",
          txnId: 0n,
          user: "u",
          host: "h",
          agent: "a",
          acquiredAtMs: 1,
          lastHeartbeatMs: 2 ** 41,
          heartbeatCount: 0,
        });
      });
      return store.transaction((tx) => tx.getMeta("db_uuid"));
    });
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    await withStores([spec], async (store) => {
      await store.transaction(async (tx) => {
        expect(await tx.getMeta("db_uuid")).toBe(uuid);
        expect(str((await tx.getDatabase("hive", "db1"))!.body)).toBe("db");
        expect(str((await tx.getTable(key))!.body)).toBe("table");
        expect(await tx.listPartitionNames(key)).toEqual(["p=1"]);
        const locks = await tx.listLocks();
        expect(locks.map((l) => [l.state, l.user, l.acquiredAtMs, l.lastHeartbeatMs])).toEqual([["ACQUIRED", "u", 1, 2 ** 41]]);
        expect(await tx.lastEventId()).toBe(1n);
        expect(await tx.appendEvent({ time: 6, type: "DROP_TABLE", catalog: "hive", db: "db1", table: "t1", message: "{}", format: "f" })).toBe(2n);
      });
    });
  });

  test("migration 2 adds catalogs to a version-1 database and keeps its rows", async () => {
    const spec = await backend.fresh();
    await withStores([spec], (store) => store.transaction((tx) => tx.insertDatabase({ catalog: "hive", name: "kept", body: utf8("db") })));
    // Back to what a version-1 server left behind.
    if (backend.name === "sqlite") {
      const db = new Database(spec.slice("sqlite:".length));
      db.exec("DROP TABLE catalogs");
      db.pragma("user_version = 1");
      db.close();
    } else {
      const client = new pg.Client({ connectionString: spec });
      await client.connect();
      await client.query("DROP TABLE catalogs");
      await client.query("DELETE FROM schema_migrations WHERE version = 2");
      await client.end();
    }
    await withStores([spec], async (store) => {
      await store.transaction(async (tx) => {
        expect(str((await tx.getDatabase("hive", "kept"))!.body)).toBe("db");
        expect(await tx.listCatalogs()).toEqual([]);
        await tx.insertCatalog({ name: "hive", body: utf8("c") });
      });
      expect(await schemaVersion(store)).toBe(CURRENT_SCHEMA_VERSION);
    });
  });

  test("migrations: reopening is a no-op, a newer schema is refused", async () => {
    const spec = await backend.fresh();
    const first = await withStores([spec], async (store) => [await schemaVersion(store), await store.transaction((tx) => tx.getMeta("db_uuid"))]);
    const again = await withStores([spec], async (store) => [await schemaVersion(store), await store.transaction((tx) => tx.getMeta("db_uuid"))]);
    expect(first).toEqual([CURRENT_SCHEMA_VERSION, first[1]]);
    expect(again).toEqual(first);

    if (backend.name === "sqlite") {
      const db = new Database(spec.slice("sqlite:".length));
      db.pragma("user_version = 99");
      db.close();
    } else {
      const client = new pg.Client({ connectionString: spec });
      await client.connect();
      await client.query("INSERT INTO schema_migrations (version) VALUES (99)");
      await client.end();
    }
    const refused = await rejection(withStores([spec], (store) => store.transaction((tx) => tx.getMeta("db_uuid"))));
    expect(isStreamhouseError(refused, ErrorKind.Unsupported)).toBe(true);
    expect(refused.message).toContain("newer than this server");
  });
});

// Several metastore processes on one PostgreSQL database: two stores, two pools.
describe("postgres shared by several processes", () => {
  test("first use from two processes at once migrates once", async () => {
    const spec = await postgresBackend.fresh();
    await withStores([spec, spec], async (a, b) => {
      const [ua, ub] = await Promise.all([a.transaction((tx) => tx.getMeta("db_uuid")), b.transaction((tx) => tx.getMeta("db_uuid"))]);
      expect(ua).toBe(ub);
      expect(await Promise.all([schemaVersion(a), schemaVersion(b)])).toEqual([CURRENT_SCHEMA_VERSION, CURRENT_SCHEMA_VERSION]);
    });
    const client = new pg.Client({ connectionString: spec });
    await client.connect();
    const versions = (await client.query("SELECT version FROM schema_migrations ORDER BY version")).rows.map((r) => r.version);
    await client.end();
    // Each migration recorded once: neither process applied one the other had.
    expect(versions).toEqual(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  test("compare-and-set: of two processes expecting the same value exactly one wins, every round", async () => {
    const spec = await postgresBackend.fresh();
    await withStores([spec, spec], async (a, b) => {
      await a.transaction((tx) => addTable(tx, "t1", "v0"));
      for (let round = 0; round < 10; round++) {
        const forUpdate = round % 2 === 0;
        const won = await Promise.all([compareAndSet(a, `v${round}`, `v${round + 1}`, forUpdate), compareAndSet(b, `v${round}`, `v${round + 1}`, forUpdate)]);
        expect(won.filter(Boolean)).toHaveLength(1);
      }
      expect(str((await b.transaction((tx) => tx.getTable(key)))!.body)).toBe("v10");
    });
  });

  test("increments and events from two processes: no lost update, ids gap-free, rolled-back writers leave no gap", async () => {
    const spec = await postgresBackend.fresh();
    await withStores([spec, spec], async (a, b) => {
      await a.transaction((tx) => addTable(tx, "t1", "0"));
      const perProcess = 4;
      const rounds = 6;
      // Half the rounds lock the table row first, half the event counter first:
      // besides failures to serialize (40001) this makes deadlocks (40P01), and
      // both must be retried to a result with no lost update and no gap.
      const writer = (store: MetastoreStore, w: number) => async () => {
        for (let i = 0; i < rounds; i++) {
          const abort = (w + i) % 5 === 0;
          await store
            .transaction(async (tx) => {
              const row = (await tx.getTable(key, i % 2 === 0))!;
              await tx.appendEvent({ time: 1, type: "ALTER_TABLE", catalog: "hive", db: "db1", table: "t1", message: `${w}/${i}`, format: "f" });
              await tx.updateTable({ ...row, body: utf8(String(Number(str(row.body)) + 1)) });
              if (abort) throw new Error("rolled back on purpose");
            })
            .catch((e: Error) => {
              if (!abort) throw e;
            });
        }
      };
      const all = [a, b].flatMap((store, p) => Array.from({ length: perProcess }, (_, w) => writer(store, p * perProcess + w)));
      await Promise.all(all.map((run) => run()));
      const committed = all.length * rounds - Array.from({ length: all.length * rounds }).filter((_, n) => (Math.floor(n / rounds) + (n % rounds)) % 5 === 0).length;
      await b.transaction(async (tx) => {
        expect(str((await tx.getTable(key))!.body)).toBe(String(committed));
        const events = await tx.listEvents(0n, 1000);
        expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: committed }, (_, i) => i + 1));
        expect(new Set(events.map((e) => e.message)).size).toBe(committed);
        expect(await tx.lastEventId()).toBe(BigInt(committed));
      });
    });
  });

  test("a transaction that fails to serialize is run again, and only up to maxAttempts", async () => {
    const spec = await postgresBackend.fresh();
    const setup = PostgresStore.open(spec);
    await setup.transaction((tx) => addTable(tx, "t1", "v0"));
    await setup.close();

    // B takes its snapshot, then A commits a change to the row B is about to
    // lock: B's read fails to serialize (40001).
    const race = async (b: PostgresStore) => {
      const a = PostgresStore.open(spec);
      let runs = 0;
      let snapshotTaken!: () => void;
      const bReady = new Promise<void>((resolve) => {
        snapshotTaken = resolve;
      });
      let aDone!: () => void;
      const aCommitted = new Promise<void>((resolve) => {
        aDone = resolve;
      });
      const bRun = b.transaction(async (tx) => {
        runs++;
        await tx.getMeta("db_uuid");
        if (runs === 1) {
          snapshotTaken();
          await aCommitted;
        }
        const row = (await tx.getTable(key, true))!;
        await tx.updateTable({ ...row, body: utf8(`${str(row.body)}+b`) });
        return str(row.body);
      });
      await bReady;
      const current = str((await a.transaction((tx) => tx.getTable(key)))!.body);
      await compareAndSet(a, current, `${current}+a`);
      aDone();
      await a.close();
      try {
        return { result: await bRun, runs };
      } finally {
        await b.close();
      }
    };

    const retried = await race(PostgresStore.open(spec));
    expect(retried).toEqual({ result: "v0+a", runs: 2 });

    const once = await rejection(race(PostgresStore.open(spec, { maxAttempts: 1 })));
    expect(isStreamhouseError(once, ErrorKind.CommitConflict)).toBe(true);
    expect((once as { retryable?: boolean }).retryable).toBe(true);
  });

  test("connection failures are typed errors", async () => {
    const spec = await postgresBackend.fresh();
    const url = new URL(spec);

    // Nothing listens on port 1.
    const refused = openStore(`postgresql://u:secret@127.0.0.1:1/db`);
    const down = await rejection(refused.transaction((tx) => tx.getMeta("x")));
    await refused.close();
    expect(isStreamhouseError(down, ErrorKind.Io)).toBe(true);
    expect(down).toMatchObject({ retryable: true });
    expect(down.message).toContain("cannot connect to the metastore database");
    expect(down.message).not.toContain("secret");

    url.password = "wrong-password";
    const denied = openStore(url.toString());
    const auth = await rejection(denied.transaction((tx) => tx.getMeta("x")));
    await denied.close();
    expect(isStreamhouseError(auth, ErrorKind.Io)).toBe(true);
    expect(auth).toMatchObject({ retryable: false });
    expect(auth.message).toContain("password authentication failed");
    expect(auth.message).not.toContain("wrong-password");

    const closed = openStore(spec);
    await closed.close();
    expect(isStreamhouseError(await rejection(closed.transaction((tx) => tx.getMeta("x"))), ErrorKind.Io)).toBe(true);
  });
});
