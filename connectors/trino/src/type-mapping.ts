/**
 * How each Paimon type reaches Trino through the Thrift connector. The connector's
 * blocks carry only INTEGER, BIGINT, DOUBLE, VARCHAR, BOOLEAN, DATE, TIMESTAMP(3),
 * JSON, HyperLogLog and ARRAY(BIGINT) (Trino's `TrinoThriftBlock.fromBlock`, release
 * 476), so every other type is carried as one of those, losslessly:
 *
 * | Paimon                              | Trino           | block     | value sent                              |
 * |-------------------------------------|-----------------|-----------|-----------------------------------------|
 * | BOOLEAN                             | boolean         | boolean   |                                         |
 * | TINYINT, SMALLINT, INT              | integer         | integer   |                                         |
 * | BIGINT                              | bigint          | bigint    |                                         |
 * | FLOAT, DOUBLE                       | double          | double    | FLOAT widened exactly                   |
 * | CHAR(n), VARCHAR(n)                 | varchar(n)      | varchar   | UTF-8                                   |
 * | STRING                              | varchar         | varchar   | UTF-8                                   |
 * | DECIMAL(p, s)                       | varchar(p + 2)  | varchar   | exact decimal text, `-12.30`            |
 * | BINARY, VARBINARY, BYTES            | varchar         | varchar   | base64                                  |
 * | DATE                                | date            | date      | days since 1970-01-01                   |
 * | TIME(p)                             | varchar(12)     | varchar   | `HH:MM:SS[.fff]`                        |
 * | TIMESTAMP(p), p ≤ 3                 | timestamp(3)    | timestamp | epoch millis on a UTC wall clock        |
 * | TIMESTAMP(p), p > 3                 | varchar(29)     | varchar   | `YYYY-MM-DD HH:MM:SS.f…` with p digits  |
 * | TIMESTAMP_LTZ(p), p ≤ 3             | timestamp(3)    | timestamp | the instant's UTC wall clock            |
 * | TIMESTAMP_LTZ(p), p > 3             | varchar(33)     | varchar   | as TIMESTAMP, plus ` UTC`               |
 * | ARRAY<BIGINT>                       | array(bigint)   | bigintArray |                                       |
 * | other ARRAY, MULTISET, MAP, ROW, VECTOR | json        | json      | the NDJSON form of our CLI (valueToJson)|
 * | VARIANT, BLOB                       | —               | —         | Unsupported: the table cannot be queried|
 *
 * The varchar texts are Trino literal syntax, so `CAST(c AS decimal(p, s))` or
 * `CAST(c AS timestamp(6))` gives back the exact typed value.
 */
import { type DataType, ErrorKind, MAX_LENGTH, StreamhouseError, dataTypeToString } from "@streamhouse/format";

/** The member of TrinoThriftBlock a column's values travel in. */
export type BlockKind = "integer" | "bigint" | "double" | "varchar" | "boolean" | "date" | "timestamp" | "json" | "bigintArray";

export interface TrinoColumnType {
  /** Trino's type signature, e.g. `varchar(10)`. */
  readonly trinoType: string;
  readonly block: BlockKind;
}

/** Trino's longest bounded varchar (VarcharType.MAX_LENGTH). */
const TRINO_MAX_VARCHAR = 2147483646;

function varchar(length: number): TrinoColumnType {
  return { trinoType: length >= TRINO_MAX_VARCHAR || length >= MAX_LENGTH ? "varchar" : `varchar(${length})`, block: "varchar" };
}

/** The Trino type a Paimon type is served as; Unsupported for types no block can carry. */
export function trinoColumnType(type: DataType, column: string): TrinoColumnType {
  switch (type.root) {
    case "BOOLEAN":
      return { trinoType: "boolean", block: "boolean" };
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      return { trinoType: "integer", block: "integer" };
    case "BIGINT":
      return { trinoType: "bigint", block: "bigint" };
    case "FLOAT":
    case "DOUBLE":
      return { trinoType: "double", block: "double" };
    case "CHAR":
    case "VARCHAR":
      return varchar(type.length);
    case "DECIMAL":
      // sign and point
      return varchar(type.precision + 2);
    case "BINARY":
    case "VARBINARY":
      return varchar(MAX_LENGTH);
    case "DATE":
      return { trinoType: "date", block: "date" };
    case "TIME":
      return varchar(12);
    case "TIMESTAMP":
      return type.precision <= 3 ? { trinoType: "timestamp(3)", block: "timestamp" } : varchar(29);
    case "TIMESTAMP_LTZ":
      return type.precision <= 3 ? { trinoType: "timestamp(3)", block: "timestamp" } : varchar(33);
    case "ARRAY":
      return type.element.root === "BIGINT" ? { trinoType: "array(bigint)", block: "bigintArray" } : { trinoType: "json", block: "json" };
    case "MULTISET":
    case "MAP":
    case "ROW":
    case "VECTOR":
      return { trinoType: "json", block: "json" };
    case "VARIANT":
    case "BLOB":
      throw new StreamhouseError(
        ErrorKind.Unsupported,
        `column "${column}" has type ${dataTypeToString(type)}, which Trino's Thrift connector cannot carry (see connectors/trino/README.md for the type mapping)`,
        { context: { column, type: type.root } },
      );
  }
}
