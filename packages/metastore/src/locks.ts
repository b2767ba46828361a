/**
 * Hive-style locks kept in the store, so that every metastore process sharing
 * a store sees the same locks. A lock is a set of components (database, table
 * or partition, each with a lock type); it is granted when no lock with a
 * lower id holds or waits for a conflicting component — first come, first
 * served — and otherwise WAITING, which the client polls with check_lock.
 * A lock not heartbeated (lock, check_lock and heartbeat all count) within
 * the timeout is dropped, so a crashed client cannot block a table forever.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { notFound } from "./objects.js";
import type { LockRow, StoreTx } from "./store/store.js";

export type LockTypeName = "SHARED_READ" | "SHARED_WRITE" | "EXCLUSIVE" | "EXCL_WRITE";
export type LockLevelName = "DB" | "TABLE" | "PARTITION";

export interface LockComponentSpec {
  readonly type: LockTypeName;
  readonly level: LockLevelName;
  readonly db: string;
  readonly table?: string | undefined;
  readonly partition?: string | undefined;
}

/** Pairs of lock types that cannot be held together on overlapping objects. */
function typesConflict(a: LockTypeName, b: LockTypeName): boolean {
  if (a === "EXCLUSIVE" || b === "EXCLUSIVE") return true;
  if (a === "SHARED_READ" || b === "SHARED_READ") return false;
  // Writers: EXCL_WRITE excludes every other writer; SHARED_WRITEs coexist.
  return a === "EXCL_WRITE" || b === "EXCL_WRITE";
}

function overlap(a: LockComponentSpec, b: LockComponentSpec): boolean {
  if (a.db !== b.db) return false;
  if (a.table === undefined || b.table === undefined) return true;
  if (a.table !== b.table) return false;
  if (a.partition === undefined || b.partition === undefined) return true;
  return a.partition === b.partition;
}

export function componentsOf(row: LockRow): LockComponentSpec[] {
  return JSON.parse(row.components) as LockComponentSpec[];
}

function blocks(earlier: LockRow, mine: readonly LockComponentSpec[]): boolean {
  const theirs = componentsOf(earlier);
  return mine.some((m) => theirs.some((t) => overlap(m, t) && typesConflict(m.type, t.type)));
}

export interface LockOptions {
  readonly timeoutMs: number;
  readonly nowMs: number;
}

/** Drops locks whose holders stopped heartbeating. */
export async function expireLocks(tx: StoreTx, o: LockOptions): Promise<void> {
  for (const l of await tx.listLocks()) {
    if (o.nowMs - l.lastHeartbeatMs > o.timeoutMs) await tx.deleteLock(l.id);
  }
}

/** Grants `id` if nothing earlier conflicts; returns its state afterwards. */
async function tryAcquire(tx: StoreTx, id: bigint, nowMs: number): Promise<LockRow["state"]> {
  const all = await tx.listLocks();
  const me = all.find((l) => l.id === id);
  if (me === undefined) throw notFound("lock", `No such lock ${id}`);
  if (me.state === "ACQUIRED") return "ACQUIRED";
  const mine = componentsOf(me);
  const blocked = all.some((l) => l.id < id && blocks(l, mine));
  if (blocked) return "WAITING";
  await tx.updateLock(id, { state: "ACQUIRED", acquiredAtMs: nowMs });
  return "ACQUIRED";
}

export interface NewLock {
  readonly components: readonly LockComponentSpec[];
  readonly txnId: bigint;
  readonly user: string;
  readonly host: string;
  readonly agent: string;
}

export async function requestLock(tx: StoreTx, lock: NewLock, o: LockOptions): Promise<{ id: bigint; state: LockRow["state"] }> {
  if (lock.components.length === 0) throw new StreamhouseError(ErrorKind.InvalidArgument, "a lock request needs at least one component");
  await expireLocks(tx, o);
  const id = await tx.insertLock({
    state: "WAITING",
    components: JSON.stringify(lock.components),
    txnId: lock.txnId,
    user: lock.user,
    host: lock.host,
    agent: lock.agent,
    acquiredAtMs: null,
    lastHeartbeatMs: o.nowMs,
    heartbeatCount: 0,
  });
  return { id, state: await tryAcquire(tx, id, o.nowMs) };
}

export async function checkLock(tx: StoreTx, id: bigint, o: LockOptions): Promise<LockRow["state"]> {
  await expireLocks(tx, o);
  const row = await tx.getLock(id);
  if (row === undefined) throw notFound("lock", `No such lock ${id}`);
  await tx.updateLock(id, { lastHeartbeatMs: o.nowMs, heartbeatCount: row.heartbeatCount + 1 });
  return tryAcquire(tx, id, o.nowMs);
}

export async function heartbeatLock(tx: StoreTx, id: bigint, o: LockOptions): Promise<void> {
  await expireLocks(tx, o);
  const row = await tx.getLock(id);
  if (row === undefined) throw notFound("lock", `No such lock ${id}`);
  await tx.updateLock(id, { lastHeartbeatMs: o.nowMs, heartbeatCount: row.heartbeatCount + 1 });
}

export async function releaseLock(tx: StoreTx, id: bigint): Promise<void> {
  if (!(await tx.deleteLock(id))) throw notFound("lock", `No such lock ${id}`);
}
