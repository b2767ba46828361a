/**
 * Per-field aggregation (mirrors `FieldAggregator`, release 2.0.0): the aggregation
 * merge engine folds each field of the versions of a key with one aggregator;
 * partial-update uses them inside sequence groups.
 *
 * - `agg(acc, input)` folds an added (+I/+U) value into the accumulator;
 * - `aggReversed(acc, input)` folds a value that is OLDER than the accumulator
 *   (partial-update, when a sequence group's version is behind) — by default
 *   `agg(input, acc)`;
 * - `retract(acc, input)` undoes a -U/-D value; most functions cannot, and throw
 *   Unsupported unless `fields.<f>.ignore-retract` wraps them in `IgnoreRetractAggregator`;
 * - `reset()` clears per-key state (first_value remembers whether it has seen a value).
 */
import type { DataField, Value } from "@streamhouse/format";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface FieldAggregator {
  /** The function's name as configured (`sum`, `last_non_null_value`, …). */
  readonly name: string;
  /** The field it aggregates. */
  readonly field: DataField;
  agg(acc: Value | null, input: Value | null): Value | null;
  aggReversed(acc: Value | null, input: Value | null): Value | null;
  retract(acc: Value | null, input: Value | null): Value | null;
  reset(): void;
}

export abstract class BaseFieldAggregator implements FieldAggregator {
  constructor(
    readonly name: string,
    readonly field: DataField,
  ) {}

  abstract agg(acc: Value | null, input: Value | null): Value | null;

  aggReversed(acc: Value | null, input: Value | null): Value | null {
    return this.agg(input, acc);
  }

  retract(_acc: Value | null, _input: Value | null): Value | null {
    throw new StreamhouseError(
      ErrorKind.Unsupported,
      `aggregate function '${this.name}' of field "${this.field.name}" does not support retraction (-U/-D); ` +
        `set 'fields.${this.field.name}.ignore-retract' = 'true' to ignore retractions`,
      { context: { field: this.field.name, function: this.name } },
    );
  }

  reset(): void {}
}

/** Primary-key fields (`FieldPrimaryKeyAgg`): every version carries the key, take it as is. */
export class PrimaryKeyAggregator extends BaseFieldAggregator {
  static readonly NAME = "primary_key";

  constructor(field: DataField) {
    super(PrimaryKeyAggregator.NAME, field);
  }

  agg(_acc: Value | null, input: Value | null): Value | null {
    return input;
  }

  override retract(_acc: Value | null, input: Value | null): Value | null {
    return input;
  }
}

/** `fields.<f>.ignore-retract = true` (`FieldIgnoreRetractAgg`): retractions leave the accumulator as is. */
export class IgnoreRetractAggregator implements FieldAggregator {
  constructor(private readonly inner: FieldAggregator) {}

  get name(): string {
    return this.inner.name;
  }

  get field(): DataField {
    return this.inner.field;
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    return this.inner.agg(acc, input);
  }

  aggReversed(acc: Value | null, input: Value | null): Value | null {
    return this.inner.aggReversed(acc, input);
  }

  retract(acc: Value | null, _input: Value | null): Value | null {
    return acc;
  }

  reset(): void {
    this.inner.reset();
  }
}
