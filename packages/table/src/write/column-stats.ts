/**
 * Min/max/null-count statistics of the columns of a data file, as Java Paimon 2.0 records
 * them in `DataFileMeta` for Parquet files. Java reads them back from the Parquet footer
 * (`ParquetSimpleStatsExtractor`) and passes them through the column's stats collector
 * (`metadata.stats-mode`, or `fields.<name>.stats-mode`):
 *
 *   none          no stats: the column is left out of the value stats rows, which then
 *                 name their columns in `_VALUE_STATS_COLS` (dense store); all-none → []
 *   counts        null count only (min/max null)
 *   full          min, max, null count
 *   truncate(n)   as full, but CHAR/VARCHAR min/max cut to n code points; a cut max has
 *                 its last code point incremented so it stays an upper bound (when no
 *                 code point can be incremented, min and max are both null)
 *
 * Facts checked against files Java 2.0 wrote: nested columns (ARRAY, MAP, MULTISET, ROW)
 * have no stats at all, like `none`; TIMESTAMP(7..9) (INT96) columns have a null count but
 * null min/max; a NaN min or max of FLOAT/DOUBLE is stored as null (Parquet orders NaN
 * above every number, so max is NaN as soon as one value is); key stats (`_KEY_` columns)
 * are always `full`, whatever the mode. Nulls in a stats row of a non-compact DECIMAL or
 * TIMESTAMP reserve their variable-part bytes, as `encodeBinaryRow` does by default.
 */
import {
  type CoreOptions,
  type DataField,
  type DataType,
  encodeBinaryRow,
  EMPTY_SIMPLE_STATS,
  ErrorKind,
  type SimpleStats,
  StreamhouseError,
  type Value,
} from "@streamhouse/format";
import { compareJavaDouble, type ValueComparator, valueComparator } from "../merge/compare-values.js";
import { type ColumnValues, materialize, type ValueAt } from "./arrow-columns.js";
import type { StoredColumn } from "./row-columns.js";

export type StatsMode = { readonly kind: "none" | "counts" | "full" } | { readonly kind: "truncate"; readonly length: number };

export const FULL_STATS: StatsMode = { kind: "full" };

/** Java's `SimpleColStatsCollector.from`: case-insensitive `none`, `counts`, `full`, `truncate(n)`. */
export function parseStatsMode(text: string, option: string): StatsMode {
  const t = text.trim().toLowerCase();
  if (t === "none" || t === "counts" || t === "full") return { kind: t };
  const m = /^truncate\((\d+)\)$/.exec(t);
  if (m !== null && Number(m[1]) > 0) return { kind: "truncate", length: Number(m[1]) };
  throw new StreamhouseError(ErrorKind.InvalidArgument, `unknown stats mode "${text}"`, { context: { option } });
}

export function statsModeOf(options: CoreOptions, field: string): StatsMode {
  return parseStatsMode(options.fieldStatsMode(field), `fields.${field}.stats-mode`);
}

export interface ColumnStats {
  readonly min: Value | null;
  readonly max: Value | null;
  readonly nullCount: bigint | null;
}

/** Types that never have stats (Java leaves them out of the value stats). */
export function hasNoStats(type: DataType): boolean {
  switch (type.root) {
    case "ARRAY":
    case "MULTISET":
    case "MAP":
    case "ROW":
    case "VARIANT":
    case "BLOB":
    case "VECTOR":
      return true;
    default:
      return false;
  }
}

export function columnStats(type: DataType, mode: StatsMode, length: number, at: ValueAt): ColumnStats {
  return columnStatsOf(type, mode, materialize(length, at));
}

/** `columnStats` over a column's values. */
export function columnStatsOf(type: DataType, mode: StatsMode, values: ColumnValues): ColumnStats {
  if (mode.kind === "none" || hasNoStats(type)) return { min: null, max: null, nullCount: null };
  const ordered = mode.kind !== "counts" && !((type.root === "TIMESTAMP" || type.root === "TIMESTAMP_LTZ") && type.precision > 6);
  const { min: lo, max: hi, nulls } = ordered ? minMax(type, values) : { min: null, max: null, nulls: countNulls(values) };
  let min = lo;
  let max = hi;
  const nullCount = BigInt(nulls);
  if ((type.root === "FLOAT" || type.root === "DOUBLE") && (Number.isNaN(min) || Number.isNaN(max))) {
    if (Number.isNaN(min)) min = null;
    if (Number.isNaN(max)) max = null;
  }
  if (mode.kind === "truncate" && (type.root === "CHAR" || type.root === "VARCHAR") && min !== null && max !== null) {
    const upper = truncateMax(max as string, mode.length);
    if (upper === null) return { min: null, max: null, nullCount };
    return { min: truncateMin(min as string, mode.length), max: upper, nullCount };
  }
  return { min, max, nullCount };
}

/** `columnStats` over a stored column (row-columns.ts), numbers read from their typed arrays. */
export function storedColumnStats(type: DataType, mode: StatsMode, column: StoredColumn): ColumnStats {
  if (column.kind === "value") return columnStatsOf(type, mode, column.values);
  if (mode.kind === "none" || hasNoStats(type)) return { min: null, max: null, nullCount: null };
  const { nulls, data } = column;
  let count = 0;
  let lo = -1;
  let hi = -1;
  // Positions of the min and max: the first of equal values, as columnStatsOf keeps.
  const double = column.kind === "double";
  for (let i = 0; i < nulls.length; i++) {
    if (nulls[i] === 1) {
      count++;
      continue;
    }
    if (mode.kind === "counts") continue;
    const v = data[i]!;
    if (lo < 0) {
      lo = i;
      hi = i;
      continue;
    }
    if (double ? compareJavaDouble(v as number, data[lo] as number) < 0 : v < data[lo]!) lo = i;
    if (double ? compareJavaDouble(v as number, data[hi] as number) > 0 : v > data[hi]!) hi = i;
  }
  const nullCount = BigInt(count);
  if (mode.kind === "counts") return { min: null, max: null, nullCount };
  let min: Value | null = lo < 0 ? null : data[lo]!;
  let max: Value | null = hi < 0 ? null : data[hi]!;
  if (double && (Number.isNaN(min) || Number.isNaN(max))) {
    if (Number.isNaN(min)) min = null;
    if (Number.isNaN(max)) max = null;
  }
  return { min, max, nullCount };
}

function countNulls(values: ColumnValues): number {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] ?? null) === null) nulls++;
  return nulls;
}

interface MinMax {
  readonly min: Value | null;
  readonly max: Value | null;
  readonly nulls: number;
}

/** Min, max (the first of equal values, in Paimon's order) and null count in one pass. */
function minMax(type: DataType, values: ColumnValues): MinMax {
  switch (type.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return minMaxPrimitive(values as readonly (number | null)[]);
    case "BIGINT":
      return minMaxPrimitive(values as readonly (bigint | null)[]);
    default:
      return minMaxCompared(valueComparator(type), values);
  }
}

// Integers and bigints: no NaN, no -0.0, so relational operators are Paimon's order.
function minMaxPrimitive<T extends number | bigint>(values: readonly (T | null)[]): MinMax {
  let nulls = 0;
  let min: T | null = null;
  let max: T | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    if (v === null) {
      nulls++;
      continue;
    }
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return { min, max, nulls };
}

function minMaxCompared(compare: ValueComparator, values: ColumnValues): MinMax {
  let nulls = 0;
  let min: Value | null = null;
  let max: Value | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    if (v === null) {
      nulls++;
      continue;
    }
    if (min === null || compare(v, min) < 0) min = v;
    if (max === null || compare(v, max) > 0) max = v;
  }
  return { min, max, nulls };
}

/** The first `length` code points. */
export function truncateMin(s: string, length: number): string {
  let i = 0;
  let n = 0;
  while (i < s.length && n < length) {
    i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    n++;
  }
  return s.slice(0, i);
}

/** A string of at most `length` code points that sorts at or above `s`; null when none exists. */
export function truncateMax(s: string, length: number): string | null {
  const cut = truncateMin(s, length);
  if (cut.length === s.length) return s;
  const points = Array.from(cut, (c) => c.codePointAt(0)!);
  for (let i = points.length - 1; i >= 0; i--) {
    const next = points[i]! + 1;
    if (next <= 0x10ffff) return String.fromCodePoint(...points.slice(0, i), next);
  }
  return null;
}

/** One SimpleStats row for `fields` (all included). */
export function simpleStatsOf(types: readonly DataType[], stats: readonly ColumnStats[]): SimpleStats {
  if (types.length === 0) return EMPTY_SIMPLE_STATS;
  return {
    minValues: encodeBinaryRow(types, stats.map((s) => s.min)),
    maxValues: encodeBinaryRow(types, stats.map((s) => s.max)),
    nullCounts: stats.map((s) => s.nullCount),
  };
}

/**
 * Value stats with Java's dense store: columns without stats (mode none, nested types)
 * are left out and the rest named in `valueStatsCols`, which is null when none was left out.
 */
export class ValueStatsCollector {
  private readonly modes: readonly StatsMode[];
  private readonly kept: readonly number[];
  private readonly keptTypes: readonly DataType[];
  readonly valueStatsCols: readonly string[] | null;

  constructor(readonly fields: readonly DataField[], options: CoreOptions) {
    this.modes = fields.map((f) => statsModeOf(options, f.name));
    this.kept = fields.map((_, i) => i).filter((i) => this.modes[i]!.kind !== "none" && !hasNoStats(fields[i]!.type));
    this.keptTypes = this.kept.map((i) => fields[i]!.type);
    this.valueStatsCols = this.kept.length === fields.length ? null : this.kept.map((i) => fields[i]!.name);
  }

  /** `columns[j]` reads column j of `fields`. */
  collect(length: number, columns: readonly ValueAt[]): SimpleStats {
    const stats = this.kept.map((i) => columnStats(this.fields[i]!.type, this.modes[i]!, length, columns[i]!));
    return simpleStatsOf(this.keptTypes, stats);
  }

  /** `columns[j]` is column j of `fields`, as stored by row-columns.ts. */
  collectStored(columns: readonly StoredColumn[]): SimpleStats {
    const stats = this.kept.map((i) => storedColumnStats(this.fields[i]!.type, this.modes[i]!, columns[i]!));
    return simpleStatsOf(this.keptTypes, stats);
  }

  /** `columns[j]` holds the values of column j of `fields`. */
  collectColumns(columns: readonly ColumnValues[]): SimpleStats {
    const stats = this.kept.map((i) => columnStatsOf(this.fields[i]!.type, this.modes[i]!, columns[i]!));
    return simpleStatsOf(this.keptTypes, stats);
  }
}
