/**
 * The metastore record of a Paimon table, field for field as Paimon's HiveCatalog
 * writes it (`newHmsTable` + `updateHmsTable`, paimon-hive-catalog, release 2.0.0,
 * with its default `sync-all-properties=true`). Pure: schema in, Thrift struct out.
 *
 * - owner: the creating user; createTime and lastAccessTime: now, in seconds;
 *   retention: Integer.MAX_VALUE; tableType MANAGED_TABLE.
 * - parameters: every schema option, plus `primary-key`, `partition` and `bucket-key`
 *   (the schema's bucket keys: the `bucket-key` option, else the primary key without
 *   the partition keys) when non-empty, `comment` when the schema has one,
 *   `table_type=PAIMON` and `storage_handler=org.apache.paimon.hive.PaimonStorageHandler`.
 * - storage descriptor: Paimon's input/output formats and serde (serde parameters
 *   empty), the columns with Hive types and field descriptions as comments, the
 *   table location.
 * - partition keys: only with `metastore.partitioned-table=true` (default false);
 *   then the partition columns move from the columns to the partition keys.
 *
 * Engines recognise a Paimon table by the input and output format names
 * (`isPaimonTable`), not by `table_type`.
 */
import { type DataField, type TableSchema, TableSchemas } from "@streamhouse/format";
import type { Identifier } from "./catalog.js";
import { hmsTypes as T } from "./hms/generated.js";
import { hiveTypeName } from "./hive-types.js";

export const PAIMON_INPUT_FORMAT = "org.apache.paimon.hive.mapred.PaimonInputFormat";
export const PAIMON_OUTPUT_FORMAT = "org.apache.paimon.hive.mapred.PaimonOutputFormat";
export const PAIMON_SERDE = "org.apache.paimon.hive.PaimonSerDe";
export const PAIMON_STORAGE_HANDLER = "org.apache.paimon.hive.PaimonStorageHandler";
/** hive_metastoreConstants.META_TABLE_STORAGE. */
export const STORAGE_HANDLER_PARAM = "storage_handler";
export const TABLE_TYPE_PARAM = "table_type";
export const PAIMON_TABLE_TYPE = "PAIMON";
export const MANAGED_TABLE = "MANAGED_TABLE";
/** Java's Integer.MAX_VALUE, Paimon's retention. */
export const RETENTION_MAX = 2147483647;
export const PARTITIONED_TABLE_OPTION = "metastore.partitioned-table";

export type HmsTable = InstanceType<typeof T.Table>;

export interface RegistrationInput {
  readonly id: Identifier;
  readonly schema: TableSchema;
  /** The table directory as the metastore should record it. */
  readonly location: string;
  readonly owner: string;
  readonly nowMs: number;
}

/** The schema's bucket keys, as Paimon's `TableSchema.bucketKeys()` computes them. */
export function bucketKeys(schema: TableSchema): string[] {
  const option = schema.options["bucket-key"];
  if (option !== undefined && option.trim() !== "") return option.split(",").map((k) => k.trim());
  return schema.primaryKeys.filter((k) => !schema.partitionKeys.includes(k));
}

/** The table parameters Paimon syncs: all options plus the key lists, comment and markers. */
export function registrationParameters(schema: TableSchema): Record<string, string> {
  const p: Record<string, string> = { ...schema.options };
  if (schema.primaryKeys.length > 0) p["primary-key"] = schema.primaryKeys.join(",");
  if (schema.partitionKeys.length > 0) p["partition"] = schema.partitionKeys.join(",");
  const bucket = bucketKeys(schema);
  if (bucket.length > 0) p["bucket-key"] = bucket.join(",");
  p[TABLE_TYPE_PARAM] = PAIMON_TABLE_TYPE;
  p[STORAGE_HANDLER_PARAM] = PAIMON_STORAGE_HANDLER;
  if (schema.comment !== null) p["comment"] = schema.comment;
  return p;
}

function fieldSchema(f: DataField): InstanceType<typeof T.FieldSchema> {
  return new T.FieldSchema({ name: f.name, type: hiveTypeName(f.type), comment: f.description ?? (null as unknown as string) });
}

function partitionedInMetastore(schema: TableSchema): boolean {
  return (schema.options[PARTITIONED_TABLE_OPTION] ?? "false").trim().toLowerCase() === "true" && schema.partitionKeys.length > 0;
}

/** The Thrift Table to register; pure. */
export function hmsTableFor(input: RegistrationInput): HmsTable {
  const { schema } = input;
  const partitioned = partitionedInMetastore(schema);
  const fields = TableSchemas.rowType(schema).fields;
  const cols = (partitioned ? fields.filter((f) => !schema.partitionKeys.includes(f.name)) : fields).map(fieldSchema);
  const partitionKeys = partitioned ? schema.partitionKeys.map((k) => fieldSchema(fields.find((f) => f.name === k) as DataField)) : [];
  const seconds = Math.floor(input.nowMs / 1000);
  return new T.Table({
    tableName: input.id.table,
    dbName: input.id.database,
    owner: input.owner,
    createTime: seconds,
    lastAccessTime: seconds,
    retention: RETENTION_MAX,
    sd: new T.StorageDescriptor({
      cols,
      location: input.location,
      inputFormat: PAIMON_INPUT_FORMAT,
      outputFormat: PAIMON_OUTPUT_FORMAT,
      compressed: false,
      numBuckets: -1,
      // Paimon leaves the serde name unset.
      serdeInfo: new T.SerDeInfo({ name: null as unknown as string, serializationLib: PAIMON_SERDE, parameters: {} }),
      bucketCols: [],
      sortCols: [],
      parameters: {},
    }),
    partitionKeys,
    parameters: registrationParameters(schema),
    tableType: MANAGED_TABLE,
  } as ConstructorParameters<typeof T.Table>[0]);
}

/** Whether a metastore table is a Paimon table: Paimon's own test, by format class names. */
export function isPaimonTable(table: HmsTable): boolean {
  return table.sd?.inputFormat === PAIMON_INPUT_FORMAT && table.sd?.outputFormat === PAIMON_OUTPUT_FORMAT;
}
