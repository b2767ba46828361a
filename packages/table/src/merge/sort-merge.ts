/**
 * Merge-on-read of sorted runs (Paimon's `SortMergeReaderWithMinHeap`, release 2.0.0).
 *
 * `mergeSortedRuns` is a k-way merge over a binary min-heap of run cursors: it holds
 * one record per run, so memory is O(runs) whatever the run sizes, and each record
 * costs O(log runs) comparisons. `mergeByKey` then feeds the versions of each key, in
 * order, to a merge function without collecting them. Both have async twins for
 * runs that arrive as async iterables (file readers).
 *
 * Every run must be sorted by key and version (a data file of a primary-key table
 * is). That is checked as records stream by — one comparison per record — and a run
 * that goes backwards fails with DataInvalid naming the run: merging it anyway would
 * silently return stale versions.
 */
import { dataInvalid } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { MergeFunction } from "./merge-function.js";
import { isRetract } from "./merge-function.js";
import type { RecordComparator } from "./record-comparator.js";
import type { KeyValueComparator } from "./version-order.js";

export interface MergeByKeyOptions {
  /** Drop results that are retractions (reads, and compaction into the last level). */
  readonly dropDelete?: boolean;
}

interface Cursor {
  head: KeyValue;
  readonly run: number;
  position: number;
}

/** A min-heap of cursors ordered by their head record, ties by run index (deterministic output). */
class CursorHeap {
  private readonly items: Cursor[] = [];

  constructor(private readonly compare: KeyValueComparator) {}

  get size(): number {
    return this.items.length;
  }

  peek(): Cursor | undefined {
    return this.items[0];
  }

  push(c: Cursor): void {
    const items = this.items;
    items.push(c);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[parent]!, c)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = c;
  }

  /** Re-establishes the heap after the top cursor's head changed. */
  siftDownTop(): void {
    const items = this.items;
    const n = items.length;
    const c = items[0];
    if (c === undefined) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.less(items[r]!, items[l]!) ? r : l;
      if (this.less(c, items[child]!)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = c;
  }

  removeTop(): void {
    const last = this.items.pop();
    if (last !== undefined && this.items.length > 0) {
      this.items[0] = last;
      this.siftDownTop();
    }
  }

  private less(a: Cursor, b: Cursor): boolean {
    const c = this.compare(a.head, b.head);
    return c < 0 || (c === 0 && a.run < b.run);
  }
}

function checkOrder(compare: KeyValueComparator, previous: KeyValue, next: KeyValue, cursor: Cursor): void {
  if (compare(previous, next) > 0) {
    throw dataInvalid("sorted run is out of order: a record sorts before the one preceding it", {
      run: cursor.run,
      position: cursor.position,
      sequenceNumber: next.sequenceNumber,
    });
  }
}

/** Yields the records of all runs in `compare` order (key, then version). */
export function* mergeSortedRuns(runs: readonly Iterable<KeyValue>[], compare: KeyValueComparator): Generator<KeyValue, void, undefined> {
  const heap = new CursorHeap(compare);
  const iterators = runs.map((r) => r[Symbol.iterator]());
  try {
    iterators.forEach((it, run) => {
      const first = it.next();
      if (first.done !== true) heap.push({ head: first.value, run, position: 0 });
    });
    while (heap.size > 0) {
      const top = heap.peek()!;
      const current = top.head;
      yield current;
      const next = iterators[top.run]!.next();
      if (next.done === true) {
        heap.removeTop();
      } else {
        top.position++;
        checkOrder(compare, current, next.value, top);
        top.head = next.value;
        heap.siftDownTop();
      }
    }
  } finally {
    for (const it of iterators) it.return?.();
  }
}

/** Async twin of `mergeSortedRuns`. */
export async function* mergeSortedRunsAsync(
  runs: readonly (AsyncIterable<KeyValue> | Iterable<KeyValue>)[],
  compare: KeyValueComparator,
): AsyncGenerator<KeyValue, void, undefined> {
  const heap = new CursorHeap(compare);
  const iterators = runs.map((r) => (Symbol.asyncIterator in r ? r[Symbol.asyncIterator]() : toAsync(r[Symbol.iterator]())));
  try {
    for (let run = 0; run < iterators.length; run++) {
      const first = await iterators[run]!.next();
      if (first.done !== true) heap.push({ head: first.value, run, position: 0 });
    }
    while (heap.size > 0) {
      const top = heap.peek()!;
      const current = top.head;
      yield current;
      const next = await iterators[top.run]!.next();
      if (next.done === true) {
        heap.removeTop();
      } else {
        top.position++;
        checkOrder(compare, current, next.value, top);
        top.head = next.value;
        heap.siftDownTop();
      }
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}

function toAsync(it: Iterator<KeyValue>): AsyncIterator<KeyValue> {
  return {
    next: () => Promise.resolve(it.next()),
    return: () => Promise.resolve(it.return?.() ?? { done: true, value: undefined }),
  };
}

/**
 * Groups a stream sorted by key and version into keys and merges each with `mf`,
 * yielding one result per key (none when the merge function returns null, or a
 * retraction with `dropDelete`). Holds one key's merge state, never its versions.
 */
export function* mergeByKey(
  sorted: Iterable<KeyValue>,
  keyComparator: RecordComparator,
  mf: MergeFunction,
  options: MergeByKeyOptions = {},
): Generator<KeyValue, void, undefined> {
  let current: KeyValue | null = null;
  for (const kv of sorted) {
    if (current !== null && keyComparator(current.key, kv.key) !== 0) {
      const r = result(mf, options);
      if (r !== null) yield r;
      current = null;
    }
    if (current === null) {
      mf.reset();
      current = kv;
    }
    mf.add(kv);
  }
  if (current !== null) {
    const r = result(mf, options);
    if (r !== null) yield r;
  }
}

/** Async twin of `mergeByKey`. */
export async function* mergeByKeyAsync(
  sorted: AsyncIterable<KeyValue>,
  keyComparator: RecordComparator,
  mf: MergeFunction,
  options: MergeByKeyOptions = {},
): AsyncGenerator<KeyValue, void, undefined> {
  let current: KeyValue | null = null;
  for await (const kv of sorted) {
    if (current !== null && keyComparator(current.key, kv.key) !== 0) {
      const r = result(mf, options);
      if (r !== null) yield r;
      current = null;
    }
    if (current === null) {
      mf.reset();
      current = kv;
    }
    mf.add(kv);
  }
  if (current !== null) {
    const r = result(mf, options);
    if (r !== null) yield r;
  }
}

function result(mf: MergeFunction, options: MergeByKeyOptions): KeyValue | null {
  const r = mf.getResult();
  if (r === null) return null;
  return options.dropDelete === true && isRetract(r) ? null : r;
}

export interface MergeRunsOptions extends MergeByKeyOptions {
  readonly keyComparator: RecordComparator;
  readonly versionComparator: KeyValueComparator;
  readonly mergeFunction: MergeFunction;
}

/** Sorted runs in, one merged record per key out (keys ascending). */
export function mergeRuns(runs: readonly Iterable<KeyValue>[], options: MergeRunsOptions): Generator<KeyValue, void, undefined> {
  const { keyComparator, versionComparator } = options;
  const compare: KeyValueComparator = (a, b) => keyComparator(a.key, b.key) || versionComparator(a, b);
  return mergeByKey(mergeSortedRuns(runs, compare), keyComparator, options.mergeFunction, options);
}

/** Async twin of `mergeRuns`. */
export function mergeRunsAsync(
  runs: readonly (AsyncIterable<KeyValue> | Iterable<KeyValue>)[],
  options: MergeRunsOptions,
): AsyncGenerator<KeyValue, void, undefined> {
  const { keyComparator, versionComparator } = options;
  const compare: KeyValueComparator = (a, b) => keyComparator(a.key, b.key) || versionComparator(a, b);
  return mergeByKeyAsync(mergeSortedRunsAsync(runs, compare), keyComparator, options.mergeFunction, options);
}
