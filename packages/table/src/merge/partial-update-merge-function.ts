/**
 * `merge-engine = partial-update` (mirrors `PartialUpdateMergeFunction`, release 2.0.0).
 *
 * Without sequence groups, each field takes the latest non-null value over the
 * +I/+U versions (a null in a NOT NULL field is an error). Retractions (-U/-D):
 * - `ignore-delete`: skipped;
 * - `partial-update.remove-record-on-delete`: a -D empties the row (keeping only NOT
 *   NULL fields, copied from the -D) and makes the result -D unless a later +I/+U
 *   follows; a -U is skipped — but, as in Java, still clears the "deleted" mark of an
 *   earlier -D, and still advances the result's sequence number;
 * - otherwise: Unsupported (Java throws IllegalArgumentException).
 *
 * Sequence groups (`fields.<s1,s2>.sequence-group = f1,f2`): the fields of a group
 * change only when the version's group sequence (s1, s2 compared ascending, nulls
 * first) is ≥ the one kept; then they take the version's values, nulls included,
 * and the sequence fields are updated together. A version whose sequence fields are
 * all null leaves the group alone. Fields outside every group keep the
 * latest-non-null rule. With groups, a retraction whose group sequence is ≥ the kept
 * one sets the group's fields to null (or retracts their aggregators) and advances
 * the sequence; when `partial-update.remove-record-on-sequence-group` names that
 * group's sequence field, a -D removes the whole row instead.
 *
 * Aggregators: a field of a group may have `fields.<f>.aggregate-function`; an older
 * version is then folded with `aggReversed`. Fields outside groups may only use
 * `last_non_null_value` (the default behaviour); primary-key fields use `primary_key`.
 *
 * The result is +I, or -D when the key was deleted or only retractions were seen
 * (tombstones, see merge-function.ts); its sequence number is that of the last
 * version not ignored.
 */
import type { CoreOptions, DataField, Row, Value } from "@streamhouse/format";
import { ErrorKind, parseBoolean, RowKind, StreamhouseError } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { FieldAggregator } from "./aggregate/field-aggregator.js";
import { createFieldAggregator } from "./aggregate/field-aggregator-factory.js";
import { PrimaryKeyAggregator } from "./aggregate/field-aggregator.js";
import { LastNonNullValueAggregator } from "./aggregate/value-pickers.js";
import { notNullFieldsOf } from "./aggregate-merge-function.js";
import type { MergeFunction } from "./merge-function.js";
import { isRetract } from "./merge-function.js";
import type { RecordComparator } from "./record-comparator.js";
import { createRecordComparator } from "./record-comparator.js";

export const PARTIAL_UPDATE_REMOVE_RECORD_ON_DELETE = "partial-update.remove-record-on-delete";
export const PARTIAL_UPDATE_REMOVE_RECORD_ON_SEQUENCE_GROUP = "partial-update.remove-record-on-sequence-group";

/** One sequence group over the read row: its sequence fields and their comparator. */
export interface SequenceGroup {
  readonly sequenceFields: readonly number[];
  readonly compare: RecordComparator;
}

export interface PartialUpdateConfig {
  /** The read fields, by position. */
  readonly fields: readonly DataField[];
  /** Per read field: the group that guards it (data fields and the group's own sequence fields). */
  readonly groups: readonly (SequenceGroup | undefined)[];
  readonly aggregators: readonly (FieldAggregator | undefined)[];
  /** The table has sequence groups (even if none is read): retractions are then group retractions. */
  readonly sequenceGroupsEnabled: boolean;
  readonly ignoreDelete: boolean;
  readonly removeRecordOnDelete: boolean;
  /** Read positions of the sequence fields named by `partial-update.remove-record-on-sequence-group`. */
  readonly removeRecordOnSequenceGroup: ReadonlySet<number>;
}

export class PartialUpdateMergeFunction implements MergeFunction {
  private readonly anyGroupRead: boolean;
  private row: (Value | null)[] = [];
  private currentKey: Row | null = null;
  private latestSequenceNumber = 0n;
  private deleteRow = false;
  private notNullFilled = false;
  private meetInsert = false;

  constructor(private readonly config: PartialUpdateConfig) {
    this.anyGroupRead = config.groups.some((g) => g !== undefined);
    this.reset();
  }

  static create(schemaFields: readonly DataField[], readFields: readonly DataField[], primaryKeys: readonly string[], options: CoreOptions) {
    return new PartialUpdateMergeFunction(partialUpdateConfig(schemaFields, readFields, primaryKeys, options));
  }

  reset(): void {
    this.row = new Array<Value | null>(this.config.fields.length).fill(null);
    this.currentKey = null;
    this.latestSequenceNumber = 0n;
    this.deleteRow = false;
    this.notNullFilled = false;
    this.meetInsert = false;
    for (const a of this.config.aggregators) a?.reset();
  }

  add(kv: KeyValue): void {
    const c = this.config;
    this.currentKey = kv.key;
    this.deleteRow = false;
    if (isRetract(kv)) {
      if (!this.notNullFilled) {
        this.copyNotNullFields(kv.value);
        this.notNullFilled = true;
      }
      if (c.ignoreDelete) return;
      this.latestSequenceNumber = kv.sequenceNumber;
      if (c.sequenceGroupsEnabled) {
        this.retractWithGroups(kv);
        return;
      }
      if (c.removeRecordOnDelete) {
        if (kv.valueKind === RowKind.DELETE) {
          this.deleteRow = true;
          this.row = notNullFieldsOf(c.fields, kv.value);
        }
        return;
      }
      throw new StreamhouseError(
        ErrorKind.Unsupported,
        "the partial-update merge engine cannot accept delete records by default; set 'ignore-delete' to ignore them, " +
          "'partial-update.remove-record-on-delete' to remove the whole row, or sequence groups to retract some columns " +
          "(with 'partial-update.remove-record-on-sequence-group' to remove the row on deletes of a group)",
        { context: { mergeEngine: "partial-update", valueKind: kv.valueKind, sequenceNumber: kv.sequenceNumber } },
      );
    }
    this.latestSequenceNumber = kv.sequenceNumber;
    if (this.anyGroupRead) this.updateWithGroups(kv.value);
    else this.updateNonNull(kv.value);
    this.meetInsert = true;
    this.notNullFilled = true;
  }

  getResult(): KeyValue | null {
    if (this.currentKey === null) return null;
    return {
      key: this.currentKey,
      sequenceNumber: this.latestSequenceNumber,
      valueKind: this.deleteRow || !this.meetInsert ? RowKind.DELETE : RowKind.INSERT,
      value: [...this.row],
      level: -1,
    };
  }

  private copyNotNullFields(value: Row): void {
    const fresh = notNullFieldsOf(this.config.fields, value);
    this.config.fields.forEach((f, i) => {
      if (!f.type.nullable) this.row[i] = fresh[i] ?? null;
    });
  }

  private updateNonNull(value: Row): void {
    const fields = this.config.fields;
    for (let i = 0; i < fields.length; i++) {
      const v = value[i] ?? null;
      if (v !== null) this.row[i] = v;
      else if (!fields[i]!.type.nullable) {
        throw new StreamhouseError(ErrorKind.SchemaMismatch, `field "${fields[i]!.name}" is NOT NULL but the record has null`, {
          context: { field: fields[i]!.name },
        });
      }
    }
  }

  /** True (and the group's sequence fields marked done) when the version has no sequence for the group. */
  private static isEmptyGroup(value: Row, g: SequenceGroup, done: boolean[]): boolean {
    for (const s of g.sequenceFields) if ((value[s] ?? null) !== null) return false;
    for (const s of g.sequenceFields) done[s] = true;
    return true;
  }

  private updateWithGroups(value: Row): void {
    const { groups, aggregators } = this.config;
    const row = this.row;
    const done = new Array<boolean>(row.length).fill(false);
    for (let i = 0; i < row.length; i++) {
      const g = groups[i];
      const agg = aggregators[i];
      const acc = row[i] ?? null;
      const input = value[i] ?? null;
      if (g === undefined) {
        if (agg !== undefined) row[i] = agg.agg(acc, input);
        else if (input !== null) row[i] = input;
        continue;
      }
      if (done[i] || PartialUpdateMergeFunction.isEmptyGroup(value, g, done)) continue;
      if (g.compare(value, row) >= 0) {
        if (g.sequenceFields.includes(i)) {
          // The sequence fields of a group move together.
          for (const s of g.sequenceFields) {
            row[s] = value[s] ?? null;
            done[s] = true;
          }
          continue;
        }
        row[i] = agg === undefined ? input : agg.agg(acc, input);
      } else if (agg !== undefined) {
        row[i] = agg.aggReversed(acc, input);
      }
    }
  }

  private retractWithGroups(kv: KeyValue): void {
    const { groups, aggregators, removeRecordOnSequenceGroup, fields } = this.config;
    const value = kv.value;
    const row = this.row;
    const done = new Array<boolean>(row.length).fill(false);
    const updated = new Set<number>();
    for (let i = 0; i < row.length; i++) {
      const g = groups[i];
      if (g === undefined) continue;
      const agg = aggregators[i];
      if (done[i] || PartialUpdateMergeFunction.isEmptyGroup(value, g, done)) continue;
      if (g.compare(value, row) >= 0) {
        if (g.sequenceFields.includes(i)) {
          for (const s of g.sequenceFields) {
            if (!updated.has(s)) {
              if (kv.valueKind === RowKind.DELETE && removeRecordOnSequenceGroup.has(s)) {
                this.deleteRow = true;
                this.row = notNullFieldsOf(fields, value);
                return;
              }
              row[s] = value[s] ?? null;
              updated.add(s);
            }
            done[s] = true;
          }
        } else {
          row[i] = agg === undefined ? null : agg.retract(row[i] ?? null, value[i] ?? null);
        }
      } else if (agg !== undefined) {
        row[i] = agg.retract(row[i] ?? null, value[i] ?? null);
      }
    }
  }
}

interface GroupDef {
  readonly sequenceFields: readonly string[];
}

function invalid(message: string, context: Record<string, string>): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, message, { context });
}

function optionalBoolean(options: CoreOptions, key: string): boolean {
  const v = options.get(key);
  return v === undefined ? false : parseBoolean(v, key);
}

/** Validates the partial-update options against the schema and lays them out over the read fields. */
export function partialUpdateConfig(
  schemaFields: readonly DataField[],
  readFields: readonly DataField[],
  primaryKeys: readonly string[],
  options: CoreOptions,
): PartialUpdateConfig {
  const names = schemaFields.map((f) => f.name);
  const requireField = (name: string): void => {
    if (!names.includes(name)) throw invalid(`sequence-group field "${name}" is not in the table schema`, { field: name });
  };

  // Field name → the group guarding it, as Java's factory builds it (a data field may
  // belong to one group only; a sequence field maps to its own group).
  const groupOf = new Map<string, GroupDef>();
  const sequenceFieldNames: string[] = [];
  const protectedFields = new Set<string>();
  for (const { sequenceFields, fields } of options.sequenceGroups()) {
    sequenceFields.forEach(requireField);
    const def: GroupDef = { sequenceFields };
    for (const f of fields) {
      requireField(f);
      if (groupOf.has(f)) throw invalid(`field "${f}" is defined repeatedly by multiple sequence groups`, { field: f });
      groupOf.set(f, def);
      protectedFields.add(f);
    }
    for (const s of sequenceFields) {
      groupOf.set(s, def);
      sequenceFieldNames.push(s);
    }
  }

  const functionOf = (name: string): string | null => {
    if (sequenceFieldNames.includes(name)) return null;
    if (primaryKeys.includes(name)) return PrimaryKeyAggregator.NAME;
    const fn = options.fieldAggregateFunction(name);
    if (fn !== null && fn !== LastNonNullValueAggregator.NAME && !protectedFields.has(name)) {
      throw invalid(`field "${name}" has aggregate function '${fn}' but is not in a sequence group; partial-update needs one`, {
        field: name,
        function: fn,
      });
    }
    return fn;
  };
  for (const f of schemaFields) functionOf(f.name);

  const ignoreDelete = options.ignoreDelete();
  const removeRecordOnDelete = optionalBoolean(options, PARTIAL_UPDATE_REMOVE_RECORD_ON_DELETE);
  const removeOnGroup = options.get(PARTIAL_UPDATE_REMOVE_RECORD_ON_SEQUENCE_GROUP);
  if (removeRecordOnDelete && ignoreDelete) {
    throw invalid(`'ignore-delete' and '${PARTIAL_UPDATE_REMOVE_RECORD_ON_DELETE}' conflict; set only one`, {});
  }
  if (removeOnGroup !== undefined && ignoreDelete) {
    throw invalid(`'ignore-delete' and '${PARTIAL_UPDATE_REMOVE_RECORD_ON_SEQUENCE_GROUP}' conflict; set only one`, {});
  }
  if (removeRecordOnDelete && groupOf.size > 0) {
    throw invalid(`sequence groups and '${PARTIAL_UPDATE_REMOVE_RECORD_ON_DELETE}' conflict; set only one`, {});
  }
  const removeOnGroupFields = removeOnGroup === undefined ? [] : removeOnGroup.split(",").map((s) => s.trim());
  for (const s of removeOnGroupFields) {
    if (!sequenceFieldNames.includes(s)) {
      throw invalid(`field "${s}" named by '${PARTIAL_UPDATE_REMOVE_RECORD_ON_SEQUENCE_GROUP}' must be a sequence field of a sequence group`, {
        field: s,
      });
    }
  }

  // Lay the groups out over the read fields; a read field's group needs its sequence fields read too.
  const readNames = readFields.map((f) => f.name);
  const readTypes = readFields.map((f) => f.type);
  const laidOut = new Map<GroupDef, SequenceGroup>();
  const groups = readFields.map((f): SequenceGroup | undefined => {
    const def = groupOf.get(f.name);
    if (def === undefined) return undefined;
    let g = laidOut.get(def);
    if (g === undefined) {
      const positions = def.sequenceFields.map((s) => {
        const p = readNames.indexOf(s);
        if (p < 0) throw invalid(`sequence field "${s}" guarding "${f.name}" must be read with it`, { field: f.name, sequenceField: s });
        return p;
      });
      // Group sequences always compare ascending, whatever sequence.field.sort-order says.
      g = { sequenceFields: positions, compare: createRecordComparator(readTypes, positions, true) };
      laidOut.set(def, g);
    }
    return g;
  });
  const aggregators = readFields.map((f) => {
    const fn = functionOf(f.name);
    return fn === null ? undefined : createFieldAggregator(f, fn, options);
  });
  return {
    fields: readFields,
    groups,
    aggregators,
    sequenceGroupsEnabled: groupOf.size > 0,
    ignoreDelete,
    removeRecordOnDelete,
    removeRecordOnSequenceGroup: new Set(removeOnGroupFields.map((s) => readNames.indexOf(s)).filter((p) => p >= 0)),
  };
}
