/**
 * Pure planning of the id ranges system tables push down: a constraint (column name →
 * ColumnRange, as Trino's tuple domain gives it) is checked against the columns, the
 * range on the pushed-down column becomes an inclusive interval of ids, and the ids
 * that exist are cut to it and grouped into splits. No IO here.
 */
import { type DataField, ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { ColumnRange } from "./system-tables.js";

/** Inclusive bounds; null is unbounded. Empty when both are set and lo > hi. */
export interface IdInterval {
  readonly lo: bigint | null;
  readonly hi: bigint | null;
}

export const UNBOUNDED: IdInterval = Object.freeze({ lo: null, hi: null });

const INTEGER_ROOTS: ReadonlySet<string> = new Set(["TINYINT", "SMALLINT", "INT", "BIGINT"]);

function badConstraint(table: string, message: string, column: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, message, { context: { table, column } });
}

function checkBound(bound: unknown, side: "low" | "high", table: string, column: string): void {
  if (bound === undefined) return;
  const b = bound as { value?: unknown; inclusive?: unknown } | null;
  if (b === null || typeof b !== "object" || typeof b.value !== "bigint" || typeof b.inclusive !== "boolean") {
    throw badConstraint(table, `the ${side} bound on "${column}" must be { value: bigint, inclusive: boolean }`, column);
  }
}

/**
 * Throws InvalidArgument for a constraint on a column the table does not have, on a
 * column that is not an integer, or with a malformed bound. Ranges on integer columns
 * that are not pushed down are accepted and ignored (Trino filters them itself).
 */
export function checkConstraint(constraint: ReadonlyMap<string, ColumnRange>, columns: readonly DataField[], table: string): void {
  if (!(constraint instanceof Map)) throw badConstraint(table, "the constraint must be a Map of column name to range", "");
  for (const [name, range] of constraint) {
    const column = columns.find((c) => c.name === name);
    if (column === undefined) throw badConstraint(table, `constraint on "${name}", which ${table} does not have`, name);
    if (!INTEGER_ROOTS.has(column.type.root)) throw badConstraint(table, `constraint on "${name}" (${column.type.root}): only integer columns take ranges`, name);
    if (range === null || typeof range !== "object") throw badConstraint(table, `the range on "${name}" must be an object`, name);
    checkBound(range.low, "low", table, name);
    checkBound(range.high, "high", table, name);
  }
}

/** The inclusive interval of `column`'s range in `constraint` (unbounded if absent). */
export function idInterval(constraint: ReadonlyMap<string, ColumnRange>, column: string): IdInterval {
  const range = constraint.get(column);
  if (range === undefined) return UNBOUNDED;
  const lo = range.low === undefined ? null : range.low.inclusive ? range.low.value : range.low.value + 1n;
  const hi = range.high === undefined ? null : range.high.inclusive ? range.high.value : range.high.value - 1n;
  return { lo, hi };
}

export function contains(interval: IdInterval, id: number | bigint): boolean {
  const v = BigInt(id);
  return (interval.lo === null || v >= interval.lo) && (interval.hi === null || v <= interval.hi);
}

/** The ids in `interval`, ascending (`ids` need not be sorted). */
export function idsWithin(ids: readonly number[], interval: IdInterval): number[] {
  return ids.filter((id) => contains(interval, id)).sort((a, b) => a - b);
}

/** Consecutive runs of ascending `ids`, each at most `runLengthMax` long, as [first, last]. */
export function idRuns(ids: readonly number[], runLengthMax: number): [number, number][] {
  if (!(runLengthMax >= 1)) throw new RangeError(`runLengthMax must be at least 1, got ${runLengthMax}`);
  const runs: [number, number][] = [];
  let first: number | null = null;
  let last = 0;
  let length = 0;
  for (const id of ids) {
    if (first !== null && id === last + 1 && length < runLengthMax) {
      last = id;
      length++;
      continue;
    }
    if (first !== null) runs.push([first, last]);
    first = id;
    last = id;
    length = 1;
  }
  if (first !== null) runs.push([first, last]);
  return runs;
}
