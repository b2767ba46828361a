/**
 * Min/max/null-count statistics of a set of columns — mirrors
 * `org.apache.paimon.stats.SimpleStats` (Paimon 2.0).
 *
 * Avro record (`SimpleStats.SCHEMA`, a non-null ROW):
 *   _MIN_VALUES   bytes                      serialized BinaryRow of the minimums
 *   _MAX_VALUES   bytes                      serialized BinaryRow of the maximums
 *   _NULL_COUNTS  ["null", array<["null", long]>]  one count per column, null = unknown
 * The rows stay opaque bytes here; the BinaryRow codec interprets them.
 */
import { bytesValue, type GenericRecord, optNullableLongArrayValue, valuesOf } from "./generic-record.js";

export interface SimpleStats {
  readonly minValues: Uint8Array;
  readonly maxValues: Uint8Array;
  readonly nullCounts: readonly (bigint | null)[] | null;
}

/** A serialized BinaryRow with no fields: 4-byte arity 0 + 8 bytes of header/null bits. */
export const EMPTY_BINARY_ROW_BYTES: Uint8Array = new Uint8Array(12);

/** `SimpleStats.SCHEMA`'s fields, in order: the positions `simpleStatsFromValues` reads. */
export const SIMPLE_STATS_FIELDS: readonly string[] = ["_MIN_VALUES", "_MAX_VALUES", "_NULL_COUNTS"];

export function simpleStatsFromValues(v: readonly unknown[]): SimpleStats {
  return {
    minValues: bytesValue(v[0], "_MIN_VALUES"),
    maxValues: bytesValue(v[1], "_MAX_VALUES"),
    nullCounts: optNullableLongArrayValue(v[2], "_NULL_COUNTS"),
  };
}

export function simpleStatsFromRecord(rec: GenericRecord): SimpleStats {
  return simpleStatsFromValues(valuesOf(rec, SIMPLE_STATS_FIELDS));
}

export function simpleStatsToRecord(s: SimpleStats): GenericRecord {
  return { _MIN_VALUES: s.minValues, _MAX_VALUES: s.maxValues, _NULL_COUNTS: s.nullCounts };
}

/** Java's `SimpleStats.EMPTY_STATS`: empty rows and an empty (not null) count array. */
export const EMPTY_SIMPLE_STATS: SimpleStats = { minValues: EMPTY_BINARY_ROW_BYTES, maxValues: EMPTY_BINARY_ROW_BYTES, nullCounts: [] };
