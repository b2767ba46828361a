/**
 * `sum` and `product` (mirror `FieldSumAgg` and `FieldProductAgg`, release 2.0.0) over
 * TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE and DECIMAL, with Java's overflow
 * behaviour (java-numbers.ts). Nulls are skipped: a null on either side returns the
 * other side. Both retract:
 * - sum subtracts; retracting from a null accumulator gives the negated input;
 * - product divides; a null on either side leaves the accumulator (even a null one).
 */
import type { DataField, Value } from "@streamhouse/format";
import { BaseFieldAggregator } from "./field-aggregator.js";
import { arithmetic, negate } from "./java-numbers.js";

export class SumAggregator extends BaseFieldAggregator {
  static readonly NAME = "sum";

  constructor(field: DataField) {
    super(SumAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return arithmetic(this.field.type, "add", acc, input);
  }

  override retract(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? (input === null ? null : negate(this.field.type, input)) : acc;
    return arithmetic(this.field.type, "subtract", acc, input);
  }
}

export class ProductAggregator extends BaseFieldAggregator {
  static readonly NAME = "product";

  constructor(field: DataField) {
    super(ProductAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return arithmetic(this.field.type, "multiply", acc, input);
  }

  override retract(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc;
    return arithmetic(this.field.type, "divide", acc, input);
  }
}
