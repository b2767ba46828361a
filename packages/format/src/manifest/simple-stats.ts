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
import { type GenericRecord, optNullableLongArray, reqBytes } from "./generic-record.js";

export interface SimpleStats {
  readonly minValues: Uint8Array;
  readonly maxValues: Uint8Array;
  readonly nullCounts: readonly (bigint | null)[] | null;
}

/** A serialized BinaryRow with no fields: 4-byte arity 0 + 8 bytes of header/null bits. */
export const EMPTY_BINARY_ROW_BYTES: Uint8Array = new Uint8Array(12);

export function simpleStatsFromRecord(rec: GenericRecord): SimpleStats {
  return {
    minValues: reqBytes(rec, "_MIN_VALUES"),
    maxValues: reqBytes(rec, "_MAX_VALUES"),
    nullCounts: optNullableLongArray(rec, "_NULL_COUNTS"),
  };
}

export function simpleStatsToRecord(s: SimpleStats): GenericRecord {
  return { _MIN_VALUES: s.minValues, _MAX_VALUES: s.maxValues, _NULL_COUNTS: s.nullCounts };
}

/** Java's `SimpleStats.EMPTY_STATS`: empty rows and an empty (not null) count array. */
export const EMPTY_SIMPLE_STATS: SimpleStats = { minValues: EMPTY_BINARY_ROW_BYTES, maxValues: EMPTY_BINARY_ROW_BYTES, nullCounts: [] };
