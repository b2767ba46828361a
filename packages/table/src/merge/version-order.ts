/**
 * The order of the versions of one key (mirrors the comparators of Paimon's
 * `SortMergeReaderWithMinHeap`/`WithLoserTree` and `UserDefinedSeqComparator`, release 2.0.0):
 *
 *   key, then the `sequence.field` columns of the value, then `_SEQUENCE_NUMBER`.
 *
 * `sequence.field` may name several fields, compared in the order listed, all in the
 * direction of `sequence.field.sort-order`. A null sequence field sorts below every
 * value in both directions (the generated comparator uses `nullIsLast = false` and
 * the descending sign applies only between non-null values), so a version whose
 * sequence field is null loses against any version that has one; among versions
 * tied on the sequence fields, the later `_SEQUENCE_NUMBER` wins.
 */
import type { CoreOptions, DataType } from "@streamhouse/format";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { RecordComparator } from "./record-comparator.js";
import { createRecordComparator } from "./record-comparator.js";

export type KeyValueComparator = (a: KeyValue, b: KeyValue) => number;

/** The value row layout the comparators read: field names and types by position. */
export interface ValueFields {
  readonly names: readonly string[];
  readonly types: readonly DataType[];
}

export function compareSequenceNumbers(a: KeyValue, b: KeyValue): number {
  return a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0;
}

/**
 * Orders two versions of one key: `sequence.field` (if any) on the value rows, then
 * the sequence number. Throws InvalidArgument when a sequence field is not among
 * the value fields (readers must read the sequence fields).
 */
export function createVersionComparator(fields: ValueFields, options: CoreOptions): KeyValueComparator {
  const seq = options.sequenceFields();
  if (seq.length === 0) return compareSequenceNumbers;
  const userSeq = createSequenceFieldsComparator(fields, seq, options.sequenceFieldSortOrder() === "ascending");
  return (a, b) => userSeq(a.value, b.value) || compareSequenceNumbers(a, b);
}

/** Compares value rows by the named fields (used for `sequence.field` and sequence groups). */
export function createSequenceFieldsComparator(fields: ValueFields, sequenceFields: readonly string[], ascending: boolean): RecordComparator {
  const positions = sequenceFields.map((name) => {
    const i = fields.names.indexOf(name);
    if (i < 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `sequence field "${name}" is not among the fields read`, {
        context: { field: name },
      });
    }
    return i;
  });
  return createRecordComparator(fields.types, positions, ascending);
}

/** The full order of a sorted run: key, then version. */
export function createKeyValueComparator(keyComparator: RecordComparator, versionComparator: KeyValueComparator): KeyValueComparator {
  if (versionComparator === compareSequenceNumbers) {
    return (a, b) => keyComparator(a.key, b.key) || (a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0);
  }
  return (a, b) => keyComparator(a.key, b.key) || versionComparator(a, b);
}
