/**
 * The checks Paimon runs before it writes a schema file (a subset of
 * `org.apache.paimon.schema.SchemaValidation.validateTableSchema`, release 2.0.0),
 * on top of the structural ones of `validateTableSchema` in the format package.
 * A schema that fails here is refused with InvalidArgument before anything is written.
 */
import { CoreOptions, DYNAMIC_BUCKET, ErrorKind, POSTPONE_BUCKET, StreamhouseError, type TableSchema, TableSchemas, validateTableSchema } from "@streamhouse/format";

/** Column names the data files use for system columns; a table column may not take them. */
const SYSTEM_FIELD_NAMES = new Set(["_SEQUENCE_NUMBER", "_VALUE_KIND", "_LEVEL", "rowkind", "_ROW_ID"]);
const KEY_FIELD_PREFIX = "_KEY_";

const FILE_FORMATS = new Set(["parquet", "orc", "avro", "csv", "json", "lance", "blob"]);

export function schemaInvalid(message: string, context: Record<string, string | number> = {}): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, message, { context });
}

export function validateSchema(schema: TableSchema): void {
  try {
    validateTableSchema(schema);
  } catch (e) {
    if (e instanceof StreamhouseError) throw schemaInvalid(e.reason);
    throw e;
  }
  if (schema.fields.length === 0) throw schemaInvalid("a table needs at least one column");
  for (const f of schema.fields) {
    if (SYSTEM_FIELD_NAMES.has(f.name) || f.name.startsWith(KEY_FIELD_PREFIX)) {
      throw schemaInvalid(`column name "${f.name}" is reserved for system columns`, { column: f.name });
    }
  }
  const pk = schema.primaryKeys;
  // Paimon accepts a primary key without every partition field (cross-partition
  // upsert, dynamic buckets with a global key index); our writer does not have that
  // mode, so tables we create or alter keep the partition fields in the key.
  for (const k of schema.partitionKeys) {
    if (pk.length > 0 && !pk.includes(k)) throw schemaInvalid(`schema: partition key "${k}" must be part of the primary key (cross-partition upsert is not supported)`, { column: k });
  }
  if (new Set(pk).size !== pk.length) throw schemaInvalid(`primary key (${pk.join(", ")}) names a column twice`);
  if (new Set(schema.partitionKeys).size !== schema.partitionKeys.length) throw schemaInvalid(`partition keys (${schema.partitionKeys.join(", ")}) name a column twice`);
  for (const k of pk) {
    if (TableSchemas.field(schema, k).type.nullable) throw schemaInvalid(`primary key column "${k}" must be NOT NULL`, { column: k });
  }
  if (pk.length > 0 && schema.partitionKeys.length > 0 && pk.every((k) => schema.partitionKeys.includes(k))) {
    throw schemaInvalid(`primary key (${pk.join(", ")}) must not be the partition keys alone: a partition would hold one row`);
  }

  const options = new CoreOptions(schema.options, schema.version);
  let bucket: number;
  try {
    bucket = options.bucket();
    options.mergeEngine();
    options.changelogProducer();
    options.bucketFunctionType();
    options.sequenceFieldSortOrder();
    options.snapshotTimeRetainedMs();
    options.snapshotExpireLimit();
    options.consumerExpirationTimeMs();
    options.targetFileSize(pk.length > 0);
    options.deletionVectorsEnabled();
    options.ignoreDelete();
  } catch (e) {
    if (e instanceof StreamhouseError) throw schemaInvalid(e.reason, { ...(e.context as Record<string, string>) });
    throw e;
  }
  if (bucket === 0 || bucket < POSTPONE_BUCKET) throw schemaInvalid(`bucket must be -2, -1 or a positive count, got ${bucket}`, { option: "bucket" });
  if (bucket === POSTPONE_BUCKET && pk.length === 0) throw schemaInvalid("bucket = -2 (postpone) needs a primary key", { option: "bucket" });
  const format = options.fileFormat();
  if (!FILE_FORMATS.has(format)) throw schemaInvalid(`unknown file.format "${format}"`, { option: "file.format" });

  const min = options.snapshotNumRetainedMin();
  const max = options.snapshotNumRetainedMax();
  if (min < 1) throw schemaInvalid("snapshot.num-retained.min must be at least 1", { option: "snapshot.num-retained.min" });
  if (min > max) throw schemaInvalid(`snapshot.num-retained.min (${min}) must not exceed snapshot.num-retained.max (${max})`, { option: "snapshot.num-retained.max" });

  const bucketKeys = options.bucketKey();
  if (bucketKeys.length > 0) {
    if (bucket === DYNAMIC_BUCKET) throw schemaInvalid("bucket-key needs a bucket count: set bucket, or remove bucket-key", { option: "bucket-key" });
    for (const k of bucketKeys) {
      if (!schema.fields.some((f) => f.name === k)) throw schemaInvalid(`bucket key "${k}" is not a column`, { option: "bucket-key" });
      if (schema.partitionKeys.includes(k)) throw schemaInvalid(`bucket key "${k}" must not be a partition key`, { option: "bucket-key" });
      if (pk.length > 0 && !pk.includes(k)) throw schemaInvalid(`bucket key "${k}" must be part of the primary key`, { option: "bucket-key" });
    }
  } else if (pk.length === 0 && bucket > 0) {
    throw schemaInvalid("an append table with a bucket count needs the bucket-key option", { option: "bucket-key" });
  }

  if (pk.length === 0 && options.changelogProducer() !== "none") {
    throw schemaInvalid("changelog-producer needs a primary key", { option: "changelog-producer" });
  }
  for (const f of options.sequenceFields()) {
    if (!schema.fields.some((x) => x.name === f)) throw schemaInvalid(`sequence field "${f}" is not a column`, { option: "sequence.field" });
  }
  if (options.mergeEngine() === "first-row" && pk.length > 0 && !["none", "lookup"].includes(options.changelogProducer())) {
    throw schemaInvalid("the first-row merge engine only works with changelog-producer none or lookup", { option: "changelog-producer" });
  }
}
