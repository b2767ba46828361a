/**
 * `bool_and` and `bool_or` (mirror `FieldBoolAndAgg` and `FieldBoolOrAgg`, release
 * 2.0.0), for BOOLEAN fields: nulls are skipped (a null on either side returns the
 * other side). No retraction.
 */
import type { DataField, Value } from "@streamhouse/format";
import { BaseFieldAggregator } from "./field-aggregator.js";

export class BoolAndAggregator extends BaseFieldAggregator {
  static readonly NAME = "bool_and";

  constructor(field: DataField) {
    super(BoolAndAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return (acc as boolean) && (input as boolean);
  }
}

export class BoolOrAggregator extends BaseFieldAggregator {
  static readonly NAME = "bool_or";

  constructor(field: DataField) {
    super(BoolOrAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return (acc as boolean) || (input as boolean);
  }
}
