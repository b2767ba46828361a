/**
 * `min` and `max` (mirror `FieldMinAgg` and `FieldMaxAgg`, release 2.0.0). Nulls are
 * skipped. Values are compared with `InternalRowUtils.compare`, which knows DECIMAL,
 * the integral types, DATE, TIME, FLOAT/DOUBLE (`Float.compare`), TIMESTAMP(_LTZ),
 * BINARY/VARBINARY (unsigned bytes) and CHAR/VARCHAR (UTF-8 bytes) — not BOOLEAN
 * or nested types; Java fails only when two non-null values meet, and so do we.
 * Neither retracts.
 */
import type { DataField, Value } from "@streamhouse/format";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { compareValues } from "../compare-values.js";
import { BaseFieldAggregator } from "./field-aggregator.js";

const COMPARABLE = new Set([
  "DECIMAL",
  "TINYINT",
  "SMALLINT",
  "INT",
  "DATE",
  "TIME",
  "BIGINT",
  "FLOAT",
  "DOUBLE",
  "TIMESTAMP",
  "TIMESTAMP_LTZ",
  "BINARY",
  "VARBINARY",
  "CHAR",
  "VARCHAR",
]);

abstract class CompareAggregator extends BaseFieldAggregator {
  protected compare(a: Value, b: Value): number {
    const type = this.field.type;
    if (!COMPARABLE.has(type.root)) {
      throw new StreamhouseError(ErrorKind.Unsupported, `aggregate function '${this.name}' cannot compare values of type ${type.root}`, {
        context: { field: this.field.name, function: this.name, type: type.root },
      });
    }
    return compareValues(type, a, b);
  }
}

export class MaxAggregator extends CompareAggregator {
  static readonly NAME = "max";

  constructor(field: DataField) {
    super(MaxAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return this.compare(acc, input) < 0 ? input : acc;
  }
}

export class MinAggregator extends CompareAggregator {
  static readonly NAME = "min";

  constructor(field: DataField) {
    super(MinAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    return this.compare(acc, input) < 0 ? acc : input;
  }
}
