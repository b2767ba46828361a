/** Hive's lock manager calls: lock, check_lock, unlock, heartbeat, show_locks. */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { checkLock, componentsOf, heartbeatLock, type LockComponentSpec, releaseLock, requestLock } from "../locks.js";
import { normalizeName, requireDbName } from "../names.js";
import {
  i64ToBigInt,
  invalid,
} from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { FunctionCalls } from "./functions.js";
import { LOCK_TYPES, LOCK_LEVELS, LOCK_TYPE_IDS, LOCK_STATE_IDS } from "./core.js";

export class LockCalls extends FunctionCalls {

  protected lockOptions() {
    return { timeoutMs: this.lockTimeoutMs, nowMs: this.now() };
  }

  lock(rqst: H.LockRequest): Promise<H.LockResponse> {
    return this.run(D.lock, async (tx) => {
      const components: LockComponentSpec[] = (rqst?.component ?? []).map((c) => {
        const type = LOCK_TYPES[c.type];
        const level = LOCK_LEVELS[c.level];
        if (type === undefined || level === undefined) throw invalid(`unknown lock type ${c.type} or level ${c.level}`);
        const db = requireDbName(c.dbname).db;
        const table = level === "DB" || !c.tablename ? undefined : normalizeName(c.tablename);
        const partition = level === "PARTITION" && c.partitionname ? c.partitionname : undefined;
        return { type, level, db, table, partition };
      });
      const { id, state } = await requestLock(
        tx,
        {
          components,
          txnId: i64ToBigInt(rqst?.txnid) ?? 0n,
          user: rqst?.user ?? "",
          host: rqst?.hostname ?? "",
          agent: rqst?.agentInfo ?? "Unknown",
        },
        this.lockOptions(),
      );
      return new T.LockResponse({ lockid: Number(id) as never, state: LOCK_STATE_IDS[state] });
    });
  }

  check_lock(rqst: H.CheckLockRequest): Promise<H.LockResponse> {
    return this.run(D.checkLock, async (tx) => {
      const id = i64ToBigInt(rqst?.lockid) ?? 0n;
      const state = await checkLock(tx, id, this.lockOptions());
      return new T.LockResponse({ lockid: Number(id) as never, state: LOCK_STATE_IDS[state] });
    });
  }

  unlock(rqst: H.UnlockRequest): Promise<void> {
    return this.run(D.unlock, (tx) => releaseLock(tx, i64ToBigInt(rqst?.lockid) ?? 0n));
  }

  heartbeat(ids: H.HeartbeatRequest): Promise<void> {
    return this.run(D.heartbeat, async (tx) => {
      const id = i64ToBigInt(ids?.lockid);
      if (id !== undefined && id !== 0n) await heartbeatLock(tx, id, this.lockOptions());
    });
  }

  show_locks(rqst: H.ShowLocksRequest): Promise<H.ShowLocksResponse> {
    return this.run(D.none, async (tx) => {
      const db = rqst?.dbname ? requireDbName(rqst.dbname).db : undefined;
      const table = rqst?.tablename ? normalizeName(rqst.tablename) : undefined;
      const locks: H.ShowLocksResponseElement[] = [];
      for (const l of await tx.listLocks()) {
        for (const c of componentsOf(l)) {
          if (db !== undefined && c.db !== db) continue;
          if (table !== undefined && c.table !== table) continue;
          const e = new T.ShowLocksResponseElement({
            lockid: Number(l.id) as never,
            dbname: c.db,
            state: LOCK_STATE_IDS[l.state],
            type: LOCK_TYPE_IDS[c.type],
            lastheartbeat: l.lastHeartbeatMs as never,
            user: l.user,
            hostname: l.host,
          });
          if (c.table !== undefined) e.tablename = c.table;
          if (c.partition !== undefined) e.partname = c.partition;
          if (l.acquiredAtMs !== null) e.acquiredat = l.acquiredAtMs as never;
          e.txnid = Number(l.txnId) as never;
          e.heartbeatCount = l.heartbeatCount;
          e.agentInfo = l.agent;
          locks.push(e);
        }
      }
      const response = new T.ShowLocksResponse();
      response.locks = locks;
      return response;
    });
  }
}
