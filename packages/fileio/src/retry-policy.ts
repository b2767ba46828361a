/**
 * Bounded retries with exponential backoff and full jitter: attempt n (from 0)
 * waits a uniformly random time in [0, min(backoffMsMax, backoffMsBase · 2^n)).
 * Jitter spreads out clients that failed together (a throttled bucket, a lost
 * conditional-write race) so they do not retry in lockstep.
 */

export interface RetryOptions {
  /** Total attempts including the first (default 5). 1 disables retries. */
  readonly attemptsMax?: number;
  /** The backoff cap before the first retry (default 50 ms). */
  readonly backoffMsBase?: number;
  /** The largest backoff cap (default 2000 ms). */
  readonly backoffMsMax?: number;
  /** Source of jitter in [0, 1) (default Math.random); tests pass a seeded one. */
  readonly random?: () => number;
  /** How to wait (default setTimeout); tests may skip waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export class RetryPolicy {
  readonly attemptsMax: number;
  readonly backoffMsBase: number;
  readonly backoffMsMax: number;
  private readonly random: () => number;
  private readonly sleepFn: (ms: number) => Promise<void>;

  constructor(options: RetryOptions = {}) {
    this.attemptsMax = options.attemptsMax ?? 5;
    this.backoffMsBase = options.backoffMsBase ?? 50;
    this.backoffMsMax = options.backoffMsMax ?? 2000;
    if (!Number.isInteger(this.attemptsMax) || this.attemptsMax < 1) throw new RangeError(`attemptsMax must be a positive integer, got ${this.attemptsMax}`);
    if (!(this.backoffMsBase >= 0 && this.backoffMsMax >= this.backoffMsBase)) {
      throw new RangeError(`need 0 <= backoffMsBase <= backoffMsMax, got ${this.backoffMsBase}, ${this.backoffMsMax}`);
    }
    this.random = options.random ?? Math.random;
    this.sleepFn = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The wait before retry number `retry` (0 = the first retry). */
  backoffMs(retry: number): number {
    const cap = Math.min(this.backoffMsMax, this.backoffMsBase * 2 ** Math.min(retry, 30));
    return Math.floor(this.random() * cap);
  }

  sleep(retry: number): Promise<void> {
    return this.sleepFn(this.backoffMs(retry));
  }
}
