/**
 * `merge-engine = aggregation` (mirrors `AggregateMergeFunction`, release 2.0.0): each
 * field of the versions of a key is folded, oldest first, by its aggregator:
 *
 * - primary-key fields: `primary_key` (take the value as is);
 * - `sequence.field` fields: `last_value` (they order versions, they are not summed);
 * - others: `fields.<f>.aggregate-function`, else `fields.default-aggregate-function`,
 *   else `last_non_null_value`.
 *
 * +I/+U call `agg`, -U/-D call `retract` (which throws for functions that cannot,
 * unless `fields.<f>.ignore-retract`). The result is always +I with the key and
 * sequence number of the last version — aggregation never produces a tombstone —
 * except with `aggregation.remove-record-on-delete = true`: a -D then replaces the
 * accumulated row by an empty one (only NOT NULL fields, copied from the -D) and,
 * if it is the last version, the result is -D. Aggregator state such as
 * first_value's "seen" flag is not cleared by that -D (Java does not either).
 * `ignore-delete` is not consulted here: Paimon applies it when writing.
 */
import type { CoreOptions, DataField, Row, Value } from "@streamhouse/format";
import { ErrorKind, parseBoolean, RowKind, StreamhouseError } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { FieldAggregator } from "./aggregate/field-aggregator.js";
import { createFieldAggregator } from "./aggregate/field-aggregator-factory.js";
import { PrimaryKeyAggregator } from "./aggregate/field-aggregator.js";
import { LastNonNullValueAggregator, LastValueAggregator } from "./aggregate/value-pickers.js";
import type { MergeFunction } from "./merge-function.js";
import { isRetract } from "./merge-function.js";

export const AGGREGATION_REMOVE_RECORD_ON_DELETE = "aggregation.remove-record-on-delete";

export class AggregateMergeFunction implements MergeFunction {
  private latest: KeyValue | null = null;
  private row: (Value | null)[];
  private deleteRow = false;

  constructor(
    private readonly fields: readonly DataField[],
    private readonly aggregators: readonly FieldAggregator[],
    private readonly removeRecordOnDelete: boolean,
  ) {
    this.row = new Array<Value | null>(fields.length).fill(null);
  }

  /** Builds the aggregators for `fields` (the read fields) from the table's options. */
  static create(fields: readonly DataField[], primaryKeys: readonly string[], options: CoreOptions): AggregateMergeFunction {
    const sequenceFields = options.sequenceFields();
    const aggregators = fields.map((f) => createFieldAggregator(f, aggregateFunctionName(f.name, primaryKeys, sequenceFields, options), options));
    const raw = options.get(AGGREGATION_REMOVE_RECORD_ON_DELETE);
    const removeRecordOnDelete = raw === undefined ? false : parseBoolean(raw, AGGREGATION_REMOVE_RECORD_ON_DELETE);
    return new AggregateMergeFunction(fields, aggregators, removeRecordOnDelete);
  }

  reset(): void {
    this.latest = null;
    this.row = new Array<Value | null>(this.fields.length).fill(null);
    this.deleteRow = false;
    for (const a of this.aggregators) a.reset();
  }

  add(kv: KeyValue): void {
    this.latest = kv;
    this.deleteRow = this.removeRecordOnDelete && kv.valueKind === RowKind.DELETE;
    if (this.deleteRow) {
      this.row = notNullFieldsOf(this.fields, kv.value);
      return;
    }
    const retract = isRetract(kv);
    const row = this.row;
    for (let i = 0; i < this.aggregators.length; i++) {
      const agg = this.aggregators[i]!;
      const input = kv.value[i] ?? null;
      row[i] = retract ? agg.retract(row[i] ?? null, input) : agg.agg(row[i] ?? null, input);
    }
  }

  getResult(): KeyValue | null {
    const latest = this.latest;
    if (latest === null) return null;
    return {
      key: latest.key,
      sequenceNumber: latest.sequenceNumber,
      valueKind: this.deleteRow ? RowKind.DELETE : RowKind.INSERT,
      value: [...this.row],
      level: -1,
    };
  }
}

/** The aggregate function of a field under the aggregation engine (Java's `getAggFuncName`). */
export function aggregateFunctionName(field: string, primaryKeys: readonly string[], sequenceFields: readonly string[], options: CoreOptions): string {
  if (sequenceFields.includes(field)) return LastValueAggregator.NAME;
  if (primaryKeys.includes(field)) return PrimaryKeyAggregator.NAME;
  return options.fieldAggregateFunction(field) ?? LastNonNullValueAggregator.NAME;
}

/**
 * A row holding only the NOT NULL fields of `value` (Java's `initRow`): what survives a
 * whole-row delete. A null in a NOT NULL field means the record does not fit the schema.
 */
export function notNullFieldsOf(fields: readonly DataField[], value: Row): (Value | null)[] {
  const row = new Array<Value | null>(fields.length).fill(null);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.type.nullable) continue;
    const v = value[i] ?? null;
    if (v === null) {
      throw new StreamhouseError(ErrorKind.SchemaMismatch, `field "${f.name}" is NOT NULL but the record has null`, { context: { field: f.name } });
    }
    row[i] = v;
  }
  return row;
}
