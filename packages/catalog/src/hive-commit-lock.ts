/**
 * The metastore's table lock around a commit, as Paimon's HiveCatalogLock takes it
 * (paimon-hive-catalog, release 2.0.0): `lock` with one EXCLUSIVE, TABLE-level
 * component (no operation type, no transaction) for the user and host; while the
 * answer is WAITING, `check_lock` after a sleep that doubles from 100 ms up to
 * `lock-check-max-sleep` (default 8 s) until `lock-acquire-timeout` (default 8 min);
 * then the work; then `unlock`, also when the work failed. A lock still WAITING
 * at the timeout is released before the failure is reported.
 */
import { hostname, userInfo } from "node:os";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { Identifier } from "./catalog.js";
import type { CommitLock } from "./commit-lock.js";
import { hmsTypes as T } from "./hms/generated.js";
import type { HmsClient } from "./hms/hms-client.js";
import { fullName } from "./identifier.js";

export interface HiveCommitLockOptions {
  readonly checkMaxSleepMs?: number;
  readonly acquireTimeoutMs?: number;
  readonly user?: string;
  readonly hostname?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

export const DEFAULT_LOCK_CHECK_MAX_SLEEP_MS = 8_000;
export const DEFAULT_LOCK_ACQUIRE_TIMEOUT_MS = 8 * 60_000;
const FIRST_SLEEP_MS = 100;

type LockId = InstanceType<typeof T.LockResponse>["lockid"];

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env["USER"] ?? "streamhouse";
  }
}

function lockStateName(state: number): string {
  return Object.entries(T.LockState).find(([, v]) => v === state)?.[0] ?? String(state);
}

function lockIdText(id: LockId): string {
  return typeof id === "number" ? String(id) : String((id as { toNumber?: () => number }).toNumber?.() ?? id);
}

export class HiveCommitLock implements CommitLock {
  private readonly checkMaxSleepMs: number;
  private readonly acquireTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(
    private readonly client: HmsClient,
    readonly id: Identifier,
    private readonly options: HiveCommitLockOptions = {},
  ) {
    this.checkMaxSleepMs = options.checkMaxSleepMs ?? DEFAULT_LOCK_CHECK_MAX_SLEEP_MS;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_LOCK_ACQUIRE_TIMEOUT_MS;
    this.sleep = options.sleep ?? realSleep;
    this.clock = options.clock ?? Date.now;
  }

  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const lockId = await this.acquire();
    try {
      return await fn();
    } finally {
      await this.client.call("unlock", (c) => c.unlock(new T.UnlockRequest({ lockid: lockId })), { idempotent: true });
    }
  }

  /** Takes the lock; resolves with its id once ACQUIRED. */
  async acquire(): Promise<LockId> {
    const component = new T.LockComponent({ type: T.LockType.EXCLUSIVE, level: T.LockLevel.TABLE, dbname: this.id.database, tablename: this.id.table });
    // Paimon unsets the operation type: the component goes out without it.
    delete (component as { operationType?: unknown }).operationType;
    const request = new T.LockRequest({
      component: [component],
      user: this.options.user ?? currentUser(),
      hostname: this.options.hostname ?? hostname(),
    });
    let response = await this.client.call("lock", (c) => c.lock(request));
    const started = this.clock();
    let sleepMs = FIRST_SLEEP_MS / 2;
    while (response.state === T.LockState.WAITING) {
      sleepMs = Math.min(sleepMs * 2, this.checkMaxSleepMs);
      await this.sleep(sleepMs);
      const lockid = response.lockid;
      response = await this.client.call("check_lock", (c) => c.check_lock(new T.CheckLockRequest({ lockid })), { idempotent: true });
      if (this.clock() - started > this.acquireTimeoutMs) break;
    }
    if (response.state === T.LockState.ACQUIRED) return response.lockid;
    const waited = this.clock() - started;
    if (response.state === T.LockState.WAITING) {
      const lockid = response.lockid;
      await this.client.call("unlock", (c) => c.unlock(new T.UnlockRequest({ lockid })), { idempotent: true });
    }
    throw new StreamhouseError(ErrorKind.CommitConflict, `could not take the metastore lock on ${fullName(this.id)} within ${waited} ms`, {
      context: { table: fullName(this.id), lockId: lockIdText(response.lockid), state: lockStateName(response.state) },
    });
  }
}
