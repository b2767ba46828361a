/**
 * Paimon types as Hive column type names, the names Paimon's Hive catalog writes
 * into a table's storage descriptor (`HiveTypeUtils.toTypeInfo(type).getTypeName()`,
 * paimon-hive-common, release 2.0.0). Pure.
 *
 * Hive has no TIME (→ string), one BINARY (→ binary for every length), CHAR up to
 * 255 and VARCHAR up to 65535 (longer → string), and MULTISET becomes a map to int.
 * TIMESTAMP WITH LOCAL TIME ZONE maps to what Paimon picks when it runs on a Hive
 * 2.x client (Spark's and Flink's usual one): `timestamp`; on Hive 3 jars Paimon
 * writes `timestamp with local time zone`, which Hive 2 readers cannot parse.
 */
import { type DataType, ErrorKind, StreamhouseError } from "@streamhouse/format";

export const HIVE_CHAR_LENGTH_MAX = 255;
export const HIVE_VARCHAR_LENGTH_MAX = 65535;

export function hiveTypeName(type: DataType): string {
  switch (type.root) {
    case "BOOLEAN":
      return "boolean";
    case "TINYINT":
      return "tinyint";
    case "SMALLINT":
      return "smallint";
    case "INT":
      return "int";
    case "BIGINT":
      return "bigint";
    case "FLOAT":
      return "float";
    case "DOUBLE":
      return "double";
    case "DECIMAL":
      return `decimal(${type.precision},${type.scale})`;
    case "CHAR":
      return type.length > HIVE_CHAR_LENGTH_MAX ? "string" : `char(${type.length})`;
    case "VARCHAR":
      return type.length > HIVE_VARCHAR_LENGTH_MAX ? "string" : `varchar(${type.length})`;
    case "BINARY":
    case "VARBINARY":
      return "binary";
    case "DATE":
      return "date";
    case "TIME":
      return "string";
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return "timestamp";
    case "ARRAY":
      return `array<${hiveTypeName(type.element)}>`;
    case "MULTISET":
      return `map<${hiveTypeName(type.element)},int>`;
    case "MAP":
      return `map<${hiveTypeName(type.key)},${hiveTypeName(type.value)}>`;
    case "ROW":
      return `struct<${type.fields.map((f) => `${f.name}:${hiveTypeName(f.type)}`).join(",")}>`;
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `type ${type.root} has no Hive column type`, { context: { type: type.root } });
  }
}
