/**
 * Where background compactions run: at most `maxConcurrent` at once, the rest waiting
 * in a queue of at most `queueCapacity` (Paimon runs compactions on a bounded executor,
 * one task per bucket at a time). `submit` resolves when the task is queued — it waits
 * while the queue is full, which holds writers back — and returns the task's outcome.
 * JavaScript runs one thing at a time, so "background" means interleaved with the
 * writer at every await: a compaction's file IO overlaps the writer's.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export class CompactionExecutor {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];

  constructor(
    readonly maxConcurrent = 1,
    readonly queueCapacity = 1024,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new StreamhouseError(ErrorKind.InvalidArgument, `maxConcurrent must be ≥ 1, got ${maxConcurrent}`);
    if (!Number.isInteger(queueCapacity) || queueCapacity < 1) throw new StreamhouseError(ErrorKind.InvalidArgument, `queueCapacity must be ≥ 1, got ${queueCapacity}`);
  }

  get queued(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.running;
  }

  /** Queues `task`; the outer promise resolves once queued, the inner one with the task's result. */
  async submit<T>(task: () => Promise<T>): Promise<{ readonly done: Promise<T> }> {
    while (this.queue.length >= this.queueCapacity) await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    const done = new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.pump();
          });
      });
    });
    this.pump();
    return { done };
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      this.queue.shift()!();
      this.spaceWaiters.shift()?.();
    }
  }
}
