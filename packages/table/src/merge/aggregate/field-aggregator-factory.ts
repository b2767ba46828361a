/**
 * Creates a field's aggregator by function name (mirrors `FieldAggregatorFactory.create`
 * and the factories registered in paimon-core's `META-INF/services`, release 2.0.0).
 *
 * Type checks follow the Java factories: sum/product need a numeric type, listagg a
 * VARCHAR, bool_and/bool_or a BOOLEAN (InvalidArgument otherwise). A name Paimon does
 * not know fails with Unsupported naming field and function, as Java does ("Use
 * unsupported aggregation"). Paimon functions we do not implement yet fail with
 * Unsupported too, saying so. `count` is not a Paimon 2.0 function: it was removed in
 * Paimon 0.9 (apache/paimon#3932, "cannot be implemented correctly"), so a table using
 * it cannot be read by Java either.
 */
import type { CoreOptions, DataField } from "@streamhouse/format";
import { ErrorKind, parseBoolean, StreamhouseError } from "@streamhouse/format";
import { BoolAndAggregator, BoolOrAggregator } from "./bool-and-or.js";
import type { FieldAggregator } from "./field-aggregator.js";
import { IgnoreRetractAggregator, PrimaryKeyAggregator } from "./field-aggregator.js";
import { isNumericType } from "./java-numbers.js";
import { ListaggAggregator } from "./listagg.js";
import { MaxAggregator, MinAggregator } from "./min-max.js";
import { ProductAggregator, SumAggregator } from "./sum-product.js";
import { FirstNonNullValueAggregator, FirstValueAggregator, LastNonNullValueAggregator, LastValueAggregator } from "./value-pickers.js";

/** Functions Paimon 2.0 has that Streamhouse does not implement yet. */
const NOT_YET_IMPLEMENTED = new Set([
  "collect",
  "merge_map",
  "merge_map_with_keytime",
  "nested_update",
  "nested_partial_update",
  "hll_sketch",
  "theta_sketch",
  "rbm32",
  "rbm64",
]);

export const DEFAULT_LIST_AGG_DELIMITER = ",";

/** The functions this module implements, by the names Paimon accepts. */
export const SUPPORTED_AGGREGATE_FUNCTIONS: readonly string[] = [
  PrimaryKeyAggregator.NAME,
  SumAggregator.NAME,
  ProductAggregator.NAME,
  MaxAggregator.NAME,
  MinAggregator.NAME,
  LastValueAggregator.NAME,
  LastNonNullValueAggregator.NAME,
  FirstValueAggregator.NAME,
  FirstNonNullValueAggregator.NAME,
  FirstNonNullValueAggregator.LEGACY_NAME,
  ListaggAggregator.NAME,
  BoolAndAggregator.NAME,
  BoolOrAggregator.NAME,
];

/** Builds `name` for `field`, wrapped to ignore retractions when `fields.<f>.ignore-retract` is set. */
export function createFieldAggregator(field: DataField, name: string, options: CoreOptions): FieldAggregator {
  const agg = createBare(field, name, options);
  return options.fieldIgnoreRetract(field.name) ? new IgnoreRetractAggregator(agg) : agg;
}

function createBare(field: DataField, name: string, options: CoreOptions): FieldAggregator {
  const type = field.type;
  switch (name) {
    case PrimaryKeyAggregator.NAME:
      return new PrimaryKeyAggregator(field);
    case SumAggregator.NAME:
      requireType(field, name, isNumericType(type), "a numeric type");
      return new SumAggregator(field);
    case ProductAggregator.NAME:
      requireType(field, name, isNumericType(type), "a numeric type");
      return new ProductAggregator(field);
    case MaxAggregator.NAME:
      return new MaxAggregator(field);
    case MinAggregator.NAME:
      return new MinAggregator(field);
    case LastValueAggregator.NAME:
      return new LastValueAggregator(field);
    case LastNonNullValueAggregator.NAME:
      return new LastNonNullValueAggregator(field);
    case FirstValueAggregator.NAME:
      return new FirstValueAggregator(field);
    case FirstNonNullValueAggregator.NAME:
    case FirstNonNullValueAggregator.LEGACY_NAME:
      return new FirstNonNullValueAggregator(field, name);
    case ListaggAggregator.NAME: {
      requireType(field, name, type.root === "VARCHAR", "VARCHAR");
      const delimiter = options.get(`fields.${field.name}.list-agg-delimiter`) ?? DEFAULT_LIST_AGG_DELIMITER;
      const distinctKey = `fields.${field.name}.distinct`;
      const distinctText = options.get(distinctKey);
      const distinct = distinctText === undefined ? false : parseBoolean(distinctText, distinctKey);
      return new ListaggAggregator(field, delimiter, distinct);
    }
    case BoolAndAggregator.NAME:
      requireType(field, name, type.root === "BOOLEAN", "BOOLEAN");
      return new BoolAndAggregator(field);
    case BoolOrAggregator.NAME:
      requireType(field, name, type.root === "BOOLEAN", "BOOLEAN");
      return new BoolOrAggregator(field);
    default: {
      const context = { field: field.name, function: name };
      if (NOT_YET_IMPLEMENTED.has(name)) {
        throw new StreamhouseError(ErrorKind.Unsupported, `aggregate function '${name}' of field "${field.name}" is not implemented by Streamhouse yet`, {
          context,
        });
      }
      if (name === "count") {
        throw new StreamhouseError(
          ErrorKind.Unsupported,
          `aggregate function 'count' of field "${field.name}" is not supported: Paimon removed it in 0.9 (use sum over a column of 1s)`,
          { context },
        );
      }
      throw new StreamhouseError(ErrorKind.Unsupported, `unsupported aggregate function '${name}' for field "${field.name}" (misspelled?)`, {
        context,
      });
    }
  }
}

function requireType(field: DataField, name: string, ok: boolean, expected: string): void {
  if (!ok) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `aggregate function '${name}' needs ${expected} but field "${field.name}" is ${field.type.root}`, {
      context: { field: field.name, function: name, type: field.type.root },
    });
  }
}
