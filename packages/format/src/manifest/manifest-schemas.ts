/**
 * The Avro schemas Java Paimon 2.0 writes for manifests, manifest lists and index
 * manifests, as produced by `paimon-format/.../avro/AvroSchemaConverter` from the
 * serializers' row types (`VersionedObjectSerializer` prepends `_VERSION int`):
 *
 * - top record `org.apache.paimon.avro.generated.record`; a nested row gets the name
 *   `<parent name>_<field name>` (so `record__FILE`, `record__FILE__KEY_STATS`) in the
 *   same namespace; an array of rows names its element record after the field;
 * - NOT NULL types are plain, nullable ones `["null", T]` with `"default": null`;
 * - TINYINT/SMALLINT/INT → int, BIGINT → long, STRING → string, BYTES → bytes,
 *   TIMESTAMP(3) → long with logicalType timestamp-millis, ARRAY → array.
 *
 * Paimon 0.9 wrote the top record and nested rows as nullable unions; 1.0+ does not.
 * The rendered JSON of these schemas equals, byte for byte, the headers of the 1.x
 * golden files for the fields they share (checked by the tests).
 */
import { Avro, type AvroField, type AvroRecord, type AvroSchema } from "../avro/avro-schema.js";

const NS = "org.apache.paimon.avro.generated";

const field = (name: string, type: AvroSchema): AvroField => ({ name, type });
const nullable = (name: string, type: AvroSchema): AvroField => ({ name, type: Avro.nullable(type), default: null });

/** `SimpleStats.SCHEMA`: a NOT NULL row. */
function simpleStats(recordName: string): AvroRecord {
  return Avro.record(recordName, NS, [
    field("_MIN_VALUES", Avro.bytes),
    field("_MAX_VALUES", Avro.bytes),
    nullable("_NULL_COUNTS", Avro.array(Avro.nullable(Avro.long))),
  ]);
}

export const KEY_STATS_SCHEMA: AvroRecord = simpleStats("record__FILE__KEY_STATS");
export const VALUE_STATS_SCHEMA: AvroRecord = simpleStats("record__FILE__VALUE_STATS");
export const PARTITION_STATS_SCHEMA: AvroRecord = simpleStats("record__PARTITION_STATS");

/** `DataFileMeta.SCHEMA` (20 fields in 2.0). */
export const DATA_FILE_META_SCHEMA: AvroRecord = Avro.record("record__FILE", NS, [
  field("_FILE_NAME", Avro.string),
  field("_FILE_SIZE", Avro.long),
  field("_ROW_COUNT", Avro.long),
  field("_MIN_KEY", Avro.bytes),
  field("_MAX_KEY", Avro.bytes),
  field("_KEY_STATS", KEY_STATS_SCHEMA),
  field("_VALUE_STATS", VALUE_STATS_SCHEMA),
  field("_MIN_SEQUENCE_NUMBER", Avro.long),
  field("_MAX_SEQUENCE_NUMBER", Avro.long),
  field("_SCHEMA_ID", Avro.long),
  field("_LEVEL", Avro.int),
  field("_EXTRA_FILES", Avro.array(Avro.string)),
  nullable("_CREATION_TIME", Avro.timestampMillis),
  nullable("_DELETE_ROW_COUNT", Avro.long),
  nullable("_EMBEDDED_FILE_INDEX", Avro.bytes),
  nullable("_FILE_SOURCE", Avro.int),
  nullable("_VALUE_STATS_COLS", Avro.array(Avro.string)),
  nullable("_EXTERNAL_PATH", Avro.string),
  nullable("_FIRST_ROW_ID", Avro.long),
  nullable("_WRITE_COLS", Avro.array(Avro.string)),
]);

/** Manifest file rows: `ManifestEntrySerializer` (`_VERSION` 2). */
export const MANIFEST_ENTRY_SCHEMA: AvroRecord = Avro.record("record", NS, [
  field("_VERSION", Avro.int),
  field("_KIND", Avro.int),
  field("_PARTITION", Avro.bytes),
  field("_BUCKET", Avro.int),
  field("_TOTAL_BUCKETS", Avro.int),
  field("_FILE", DATA_FILE_META_SCHEMA),
]);

/** Manifest list rows: `ManifestFileMetaSerializer` (`_VERSION` 2). */
export const MANIFEST_FILE_META_SCHEMA: AvroRecord = Avro.record("record", NS, [
  field("_VERSION", Avro.int),
  field("_FILE_NAME", Avro.string),
  field("_FILE_SIZE", Avro.long),
  field("_NUM_ADDED_FILES", Avro.long),
  field("_NUM_DELETED_FILES", Avro.long),
  field("_PARTITION_STATS", PARTITION_STATS_SCHEMA),
  field("_SCHEMA_ID", Avro.long),
  nullable("_MIN_BUCKET", Avro.int),
  nullable("_MAX_BUCKET", Avro.int),
  nullable("_MIN_LEVEL", Avro.int),
  nullable("_MAX_LEVEL", Avro.int),
  nullable("_MIN_ROW_ID", Avro.long),
  nullable("_MAX_ROW_ID", Avro.long),
]);

/** `DeletionVectorMeta.SCHEMA`: a nullable row, hence nullable array items. */
const DELETION_VECTOR_META: AvroRecord = Avro.record("record__DELETIONS_VECTORS_RANGES", NS, [
  field("f0", Avro.string),
  field("f1", Avro.int),
  field("f2", Avro.int),
  nullable("_CARDINALITY", Avro.long),
]);

/** `GlobalIndexMeta.SCHEMA`: a nullable row. */
const GLOBAL_INDEX_META: AvroRecord = Avro.record("record__GLOBAL_INDEX", NS, [
  field("_ROW_RANGE_START", Avro.long),
  field("_ROW_RANGE_END", Avro.long),
  field("_INDEX_FIELD_ID", Avro.int),
  nullable("_EXTRA_FIELD_IDS", Avro.array(Avro.int)),
  nullable("_INDEX_META", Avro.bytes),
]);

/** Index manifest rows: `IndexManifestEntrySerializer` (`_VERSION` 1). */
export const INDEX_MANIFEST_ENTRY_SCHEMA: AvroRecord = Avro.record("record", NS, [
  field("_VERSION", Avro.int),
  field("_KIND", Avro.int),
  field("_PARTITION", Avro.bytes),
  field("_BUCKET", Avro.int),
  field("_INDEX_TYPE", Avro.string),
  field("_FILE_NAME", Avro.string),
  field("_FILE_SIZE", Avro.long),
  field("_ROW_COUNT", Avro.long),
  nullable("_DELETIONS_VECTORS_RANGES", Avro.array(Avro.nullable(DELETION_VECTOR_META))),
  nullable("_EXTERNAL_PATH", Avro.string),
  nullable("_GLOBAL_INDEX", GLOBAL_INDEX_META),
]);
