/**
 * One record of a primary-key table's LSM tree, as stored in its data files
 * (Paimon's `KeyValue`, release 2.0.0): the trimmed primary key, the sequence
 * number that orders versions of a key, the row kind, and the full row.
 *
 * Data files of primary-key tables hold, per record, the columns
 *   _KEY_<k>… | _SEQUENCE_NUMBER | _VALUE_KIND | every table column
 * and readers turn each into a KeyValue. Merging (merge/…) takes KeyValues of
 * several sorted runs and produces at most one per key.
 */
import type { Row, RowKind } from "@streamhouse/format";

export interface KeyValue {
  /** Trimmed primary key (primary key minus partition keys), by key position. */
  readonly key: Row;
  /** Orders versions of one key: later writes have larger numbers (per partition-bucket). */
  readonly sequenceNumber: bigint;
  /** +I 0, -U 1, +U 2, -D 3. */
  readonly valueKind: RowKind;
  /** All columns of the read schema, by position. */
  readonly value: Row;
  /** The LSM level of the file it came from (0 = newest runs); -1 when not from a file. */
  readonly level: number;
}

export const KeyValues = {
  /** +I and +U add or replace a row; -U and -D retract it. */
  isAdd(kv: KeyValue): boolean {
    return kv.valueKind === 0 || kv.valueKind === 2;
  },
} as const;
