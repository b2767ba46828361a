/**
 * Open reads of splits between pages. A split larger than one page (`maxBytes`) is
 * read once: its row iterator waits here between `trinoGetRows` calls, under the
 * token the previous page returned. Bounded in number and idle time; an evicted or
 * unknown cursor is rebuilt by reading the split again and skipping the rows already
 * sent (the token carries their count), so eviction costs time, never correctness.
 */
import { randomUUID } from "node:crypto";
import type { Row } from "@streamhouse/format";

export interface Cursor<T = readonly Row[]> {
  readonly id: string;
  /** Batches of rows (batches spare a promise per row). */
  readonly rows: AsyncIterator<T>;
  /** Rows read ahead of the last page (the first rows of the next page). */
  pending: T | null;
  /** Rows sent so far. */
  offset: number;
  lastUsedMs: number;
}

export class RowCursors<T = readonly Row[]> {
  private readonly open = new Map<string, Cursor<T>>();

  constructor(
    /** Each open cursor may hold a split's decoded files: keep few. */
    private readonly maxOpen = 64,
    private readonly idleMs = 2 * 60_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get size(): number {
    return this.open.size;
  }

  create(rows: AsyncIterator<T>): Cursor<T> {
    this.expire();
    while (this.open.size >= this.maxOpen) {
      const oldest = this.open.keys().next().value;
      if (oldest === undefined) break;
      this.close(oldest);
    }
    const c: Cursor<T> = { id: randomUUID(), rows, pending: null, offset: 0, lastUsedMs: this.nowMs() };
    this.open.set(c.id, c);
    return c;
  }

  /** The cursor under `id` if it is still open at `offset`; it leaves the store until `keep` puts it back. */
  take(id: string, offset: number): Cursor<T> | null {
    const c = this.open.get(id);
    if (c === undefined) return null;
    this.open.delete(id);
    if (c.offset !== offset) {
      void c.rows.return?.(undefined);
      return null;
    }
    return c;
  }

  keep(c: Cursor<T>): void {
    c.lastUsedMs = this.nowMs();
    this.open.set(c.id, c);
  }

  close(id: string): void {
    const c = this.open.get(id);
    if (c === undefined) return;
    this.open.delete(id);
    void c.rows.return?.(undefined)?.catch?.(() => {});
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }

  /** Closes cursors idle for longer than the limit (Trino never says it abandoned a split, e.g. after a LIMIT). */
  expire(): void {
    const now = this.nowMs();
    for (const [id, c] of this.open) if (now - c.lastUsedMs > this.idleMs) this.close(id);
  }
}
