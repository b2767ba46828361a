/**
 * Chooses and builds the merge function of a primary-key table from `merge-engine`
 * (mirrors `PrimaryKeyTableUtils.createMergeFunctionFactory`, release 2.0.0), and the
 * comparators that go with it.
 *
 * `readFieldNames` is the layout of `KeyValue.value` when a reader projects columns
 * (default: every table field in schema order). Merge functions work on that layout;
 * partial-update needs the sequence fields of every read group, and `sequence.field`
 * must be read for the version order — both fail with InvalidArgument otherwise.
 */
import type { CoreOptions, DataField, TableSchema } from "@streamhouse/format";
import { ErrorKind, StreamhouseError, TableSchemas } from "@streamhouse/format";
import { AggregateMergeFunction } from "./aggregate-merge-function.js";
import { DeduplicateMergeFunction } from "./deduplicate-merge-function.js";
import { FirstRowMergeFunction } from "./first-row-merge-function.js";
import type { MergeFunction } from "./merge-function.js";
import { PartialUpdateMergeFunction } from "./partial-update-merge-function.js";
import type { RecordComparator } from "./record-comparator.js";
import { createKeyComparator } from "./record-comparator.js";
import type { KeyValueComparator } from "./version-order.js";
import { createVersionComparator } from "./version-order.js";

export function createMergeFunction(schema: TableSchema, options: CoreOptions, readFieldNames?: readonly string[]): MergeFunction {
  const engine = options.mergeEngine();
  switch (engine) {
    case "deduplicate":
      return new DeduplicateMergeFunction(options.ignoreDelete());
    case "first-row":
      return new FirstRowMergeFunction(options.ignoreDelete());
    case "partial-update":
      return PartialUpdateMergeFunction.create(schema.fields, readFields(schema, readFieldNames), schema.primaryKeys, options);
    case "aggregation":
      return AggregateMergeFunction.create(readFields(schema, readFieldNames), schema.primaryKeys, options);
  }
}

/** The fields `KeyValue.value` holds, by position. */
export function readFields(schema: TableSchema, readFieldNames?: readonly string[]): DataField[] {
  if (readFieldNames === undefined) return [...schema.fields];
  return readFieldNames.map((name) => {
    const f = schema.fields.find((x) => x.name === name);
    if (f === undefined) throw new StreamhouseError(ErrorKind.NotFound, `no field "${name}" in schema ${schema.id}`, { context: { field: name } });
    return f;
  });
}

export interface TableMerge {
  /** Orders trimmed primary-key rows. */
  readonly keyComparator: RecordComparator;
  /** Orders versions of one key (sequence.field, then _SEQUENCE_NUMBER). */
  readonly versionComparator: KeyValueComparator;
  readonly mergeFunction: MergeFunction;
}

/** Everything `mergeRuns` needs for a table. */
export function createTableMerge(schema: TableSchema, options: CoreOptions, readFieldNames?: readonly string[]): TableMerge {
  const keyTypes = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
  const fields = readFields(schema, readFieldNames);
  return {
    keyComparator: createKeyComparator(keyTypes),
    versionComparator: createVersionComparator({ names: fields.map((f) => f.name), types: fields.map((f) => f.type) }, options),
    mergeFunction: createMergeFunction(schema, options, readFieldNames),
  };
}
