/**
 * Dropping the rows a deletion vector marks deleted. A vector holds row POSITIONS
 * within its data file (0-based, in file order), so positions must be those of the
 * whole file even when only some row groups were read.
 */
import type { DeletionVector } from "@streamhouse/format";

/** The items at file positions `positionOf(i)` that `dv` does not delete (identity positions by default). */
export function dropDeleted<T>(items: readonly T[], dv: DeletionVector | null, positionOf: (index: number) => number = (i) => i): T[] {
  if (dv === null) return [...items];
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!dv.isDeleted(positionOf(i))) out.push(items[i]!);
  }
  return out;
}

/** Indexes 0 … count-1 whose file position `dv` does not delete: for reading columns without building rows. */
export function liveIndexes(count: number, dv: DeletionVector | null, positionOf: (index: number) => number = (i) => i): Uint32Array {
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (dv === null || !dv.isDeleted(positionOf(i))) out[n++] = i;
  }
  return out.subarray(0, n);
}
