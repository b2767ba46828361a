/**
 * A FileIO wrapper that fails on purpose, deterministically from a seed, for
 * simulation tests of everything built on FileIO (commits above all).
 *
 * Faults, each drawn per call from the seeded generator:
 * - error before: the call fails (a retryable Io error) without touching the store.
 * - error after: a mutation takes effect, then the caller gets a retryable Io
 *   error — the ambiguous case of a lost reply. A caller that retries a
 *   `writeIfAbsent` then sees false for a file it did write.
 * - crash: at operation number `crashAtOperation` (1-based, counted since the
 *   start or the last `restart()`), the process "dies". That call and every call
 *   after it throw a crash error until `restart()`. FileIO writes are atomic, so a
 *   write cut by the crash has either fully happened or not at all (a coin flip);
 *   there are no torn files to model. Calls already in flight when the crash
 *   happens finish against the store (their effects stand) but report the crash.
 *   Running a writer once per crash point (1, 2, 3…) crashes it at every step.
 *
 * Decisions are drawn synchronously when a call starts, always the same number of
 * draws per call, so for one seed the same sequence of calls meets the same
 * faults whatever the probabilities of the other kinds. Every call is logged;
 * `describeLog()` renders the log with the seed for failure messages.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { FileIO, FileStatus } from "./file-io.js";
import { SeededRandom } from "./seeded-random.js";

export type FileIOOperation = "read" | "readRange" | "writeIfAbsent" | "overwrite" | "stat" | "exists" | "list" | "delete" | "deleteRecursive";

const MUTATIONS: ReadonlySet<FileIOOperation> = new Set(["writeIfAbsent", "overwrite", "delete", "deleteRecursive"]);

export interface FaultOptions {
  readonly seed: number;
  /** Probability that a call fails before it reaches the store (default 0). */
  readonly errorBeforeProbability?: number;
  /** Probability that a mutation takes effect and then reports a failure (default 0). */
  readonly errorAfterProbability?: number;
  /** Crash at this call (1-based, since the start or last restart); undefined never crashes. */
  readonly crashAtOperation?: number;
  /** The operations random errors apply to (default all); crashes stop every operation. */
  readonly operations?: readonly FileIOOperation[];
  /** Log entries kept, oldest dropped first (default 10,000). */
  readonly logEntriesMax?: number;
}

export type FaultOutcome =
  /** Passed through and succeeded. */
  | "ok"
  /** Passed through; the wrapped FileIO itself failed. */
  | "failed"
  | "error-before"
  | "error-after"
  /** This call crashed the process after its mutation took effect. */
  | "crash-applied"
  /** This call crashed the process before it touched the store. */
  | "crash-not-applied"
  /** In flight when the process crashed: it ran, but its caller saw the crash. */
  | "crash-in-flight"
  /** Refused: the process was down. */
  | "crashed";

export interface FaultLogEntry {
  /** Sequence number over the wrapper's whole life (restarts do not reset it). */
  readonly seq: number;
  /** The process incarnation: 0 at first, +1 per restart. */
  readonly epoch: number;
  readonly op: FileIOOperation;
  readonly path: string;
  readonly outcome: FaultOutcome;
  readonly detail?: string;
}

/** Whether `e` is the error a crashed FaultInjectingFileIO throws. */
export function isCrash(e: unknown): e is StreamhouseError {
  return e instanceof StreamhouseError && e.context["crashed"] === true;
}

/** Whether `e` is an error a FaultInjectingFileIO made up (before, after, or crash). */
export function isInjectedFault(e: unknown): e is StreamhouseError {
  return e instanceof StreamhouseError && e.context["injected"] !== undefined;
}

function probability(name: string, p: number | undefined): number {
  const v = p ?? 0;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
  return v;
}

export class FaultInjectingFileIO implements FileIO {
  /** The wrapped FileIO: the true state of the store, for checks that bypass faults. */
  readonly inner: FileIO;
  readonly seed: number;
  private readonly random: SeededRandom;
  private readonly errorBeforeProbability: number;
  private readonly errorAfterProbability: number;
  private readonly faultyOperations: ReadonlySet<FileIOOperation>;
  private readonly logEntriesMax: number;
  private readonly entries: FaultLogEntry[] = [];
  private crashAtOperation: number | undefined;
  private seq = 0;
  private callsSinceRestart = 0;
  private epoch = 0;
  private down = false;

  constructor(inner: FileIO, options: FaultOptions) {
    this.inner = inner;
    this.seed = options.seed;
    this.random = new SeededRandom(options.seed);
    this.errorBeforeProbability = probability("errorBeforeProbability", options.errorBeforeProbability);
    this.errorAfterProbability = probability("errorAfterProbability", options.errorAfterProbability);
    this.faultyOperations = new Set(options.operations ?? ["read", "readRange", "writeIfAbsent", "overwrite", "stat", "exists", "list", "delete", "deleteRecursive"]);
    this.logEntriesMax = options.logEntriesMax ?? 10_000;
    this.crashAtOperation = options.crashAtOperation;
  }

  /** Whether the simulated process is down (every call throws until restart()). */
  get crashed(): boolean {
    return this.down;
  }

  /** Calls made since the start or the last restart, including refused ones. */
  get operationCount(): number {
    return this.callsSinceRestart;
  }

  get log(): readonly FaultLogEntry[] {
    return this.entries;
  }

  /** Crashes now: every call throws until restart(). */
  crash(): void {
    this.down = true;
  }

  /** Brings the process back; optionally arms the next crash (counted from this restart). */
  restart(options: { readonly crashAtOperation?: number } = {}): void {
    this.down = false;
    this.epoch++;
    this.callsSinceRestart = 0;
    this.crashAtOperation = options.crashAtOperation;
  }

  /** The last `entriesMax` log entries, one per line, headed by the seed: for failure messages. */
  describeLog(entriesMax = 100): string {
    const shown = this.entries.slice(-entriesMax);
    const lines = shown.map(
      (e) => `  #${e.seq} [epoch ${e.epoch}] ${e.op} ${e.path} → ${e.outcome}${e.detail === undefined ? "" : ` (${e.detail})`}`,
    );
    const omitted = this.seq - shown.length;
    return [`FaultInjectingFileIO seed=${this.seed}, ${this.seq} calls${omitted > 0 ? `, first ${omitted} not shown` : ""}:`, ...lines].join("\n");
  }

  private record(entry: FaultLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.logEntriesMax) this.entries.splice(0, this.entries.length - this.logEntriesMax);
  }

  private injected(op: FileIOOperation, path: string, seq: number, injected: string, message: string, retryable: boolean): StreamhouseError {
    return new StreamhouseError(ErrorKind.Io, message, {
      context: { file: path, op, seq, seed: this.seed, injected, crashed: injected.startsWith("crash") ? true : undefined },
      retryable,
    });
  }

  private async run<T>(op: FileIOOperation, path: string, action: () => Promise<T>): Promise<T> {
    const seq = ++this.seq;
    const call = ++this.callsSinceRestart;
    const epoch = this.epoch;
    const log = (outcome: FaultOutcome, detail?: string) => this.record({ seq, epoch, op, path, outcome, detail });
    if (this.down) {
      log("crashed");
      throw this.injected(op, path, seq, "crash", `crashed: ${op} refused: ${path}`, false);
    }
    const mutation = MUTATIONS.has(op);
    const subject = this.faultyOperations.has(op);
    // Two draws on every call, used or not, keep the sequence independent of the options.
    const failBefore = this.random.nextFloat() < this.errorBeforeProbability && subject;
    const failAfter = this.random.nextFloat() < this.errorAfterProbability && subject && mutation;

    if (this.crashAtOperation !== undefined && call >= this.crashAtOperation) {
      this.down = true;
      let applied = mutation && this.random.chance(0.5);
      let detail: string | undefined;
      if (applied) {
        try {
          await action();
        } catch (e) {
          applied = false;
          detail = `the call itself failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
      log(applied ? "crash-applied" : "crash-not-applied", detail);
      throw this.injected(op, path, seq, applied ? "crash-applied" : "crash-not-applied", `crashed during ${op}: ${path}`, false);
    }
    if (failBefore) {
      log("error-before");
      throw this.injected(op, path, seq, "before", `injected fault before ${op}: ${path}`, true);
    }
    let result: T;
    try {
      result = await action();
    } catch (e) {
      log("failed", e instanceof Error ? e.message : String(e));
      throw e;
    }
    if (this.down || this.epoch !== epoch) {
      log("crash-in-flight");
      throw this.injected(op, path, seq, "crash-in-flight", `crashed while ${op} was in flight: ${path}`, false);
    }
    if (failAfter) {
      log("error-after");
      throw this.injected(op, path, seq, "after", `injected fault after ${op} took effect: ${path}`, true);
    }
    log("ok");
    return result;
  }

  read(path: string): Promise<Uint8Array> {
    return this.run("read", path, () => this.inner.read(path));
  }

  readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    return this.run("readRange", path, () => this.inner.readRange(path, offset, length));
  }

  writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    return this.run("writeIfAbsent", path, () => this.inner.writeIfAbsent(path, data));
  }

  overwrite(path: string, data: Uint8Array): Promise<void> {
    return this.run("overwrite", path, () => this.inner.overwrite(path, data));
  }

  stat(path: string): Promise<FileStatus | null> {
    return this.run("stat", path, () => this.inner.stat(path));
  }

  exists(path: string): Promise<boolean> {
    return this.run("exists", path, () => this.inner.exists(path));
  }

  list(dir: string): Promise<FileStatus[]> {
    return this.run("list", dir, () => this.inner.list(dir));
  }

  delete(path: string): Promise<boolean> {
    return this.run("delete", path, () => this.inner.delete(path));
  }

  deleteRecursive(dir: string): Promise<void> {
    return this.run("deleteRecursive", dir, () => this.inner.deleteRecursive(dir));
  }
}
