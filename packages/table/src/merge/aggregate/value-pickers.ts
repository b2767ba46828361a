/**
 * The aggregators that pick one of the values (mirror `FieldLastValueAgg`,
 * `FieldLastNonNullValueAgg`, `FieldFirstValueAgg`, `FieldFirstNonNullValueAgg`,
 * release 2.0.0), for any type:
 *
 * | function             | agg                              | retract                         |
 * |----------------------|----------------------------------|---------------------------------|
 * | last_value           | the input, null included         | null                            |
 * | last_non_null_value  | the input unless null            | null if the input is non-null   |
 * | first_value          | the first input seen, even null  | unsupported                     |
 * | first_non_null_value | the first non-null input         | unsupported                     |
 *
 * `last_non_null_value` is the default for fields without a function. The first_*
 * functions remember, per key, whether they have taken a value (reset() forgets);
 * `first_not_null_value` is a legacy name of `first_non_null_value`.
 */
import type { DataField, Value } from "@streamhouse/format";
import { BaseFieldAggregator } from "./field-aggregator.js";

export class LastValueAggregator extends BaseFieldAggregator {
  static readonly NAME = "last_value";

  constructor(field: DataField) {
    super(LastValueAggregator.NAME, field);
  }

  agg(_acc: Value | null, input: Value | null): Value | null {
    return input;
  }

  override retract(_acc: Value | null, _input: Value | null): Value | null {
    return null;
  }
}

export class LastNonNullValueAggregator extends BaseFieldAggregator {
  static readonly NAME = "last_non_null_value";

  constructor(field: DataField) {
    super(LastNonNullValueAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    return input === null ? acc : input;
  }

  override retract(acc: Value | null, input: Value | null): Value | null {
    return input !== null ? null : acc;
  }
}

export class FirstValueAggregator extends BaseFieldAggregator {
  static readonly NAME = "first_value";
  private initialized = false;

  constructor(field: DataField) {
    super(FirstValueAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (this.initialized) return acc;
    this.initialized = true;
    return input;
  }

  override reset(): void {
    this.initialized = false;
  }
}

export class FirstNonNullValueAggregator extends BaseFieldAggregator {
  static readonly NAME = "first_non_null_value";
  static readonly LEGACY_NAME = "first_not_null_value";
  private initialized = false;

  constructor(field: DataField, name = FirstNonNullValueAggregator.NAME) {
    super(name, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (this.initialized || input === null) return acc;
    this.initialized = true;
    return input;
  }

  override reset(): void {
    this.initialized = false;
  }
}
