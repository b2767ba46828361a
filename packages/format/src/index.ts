// Public API of @streamhouse/format: every export is listed by name.
export type { ErrorContext, StreamhouseErrorOptions } from "./errors.js";
export { dataInvalid, ErrorKind, isStreamhouseError, StreamhouseError, withErrorContext } from "./errors.js";
export type {
  ArrayType,
  AtomicRoot,
  AtomicType,
  DataField,
  DataType,
  DecimalType,
  LengthType,
  MapType,
  PrecisionType,
  RowType,
  TypeRoot,
  VectorType,
} from "./types/data-type.js";
export {
  DataTypes,
  dataTypeEquals,
  dataTypeToString,
  isFixedLength,
  MAX_COMPACT_DECIMAL_PRECISION,
  MAX_COMPACT_TIMESTAMP_PRECISION,
  MAX_LENGTH,
  withNullability,
} from "./types/data-type.js";
export type { DataFieldJson, DataTypeJson } from "./types/data-type-json.js";
export { dataFieldFromJson, dataFieldToJson, dataTypeFromJson, dataTypeToJson, highestFieldId } from "./types/data-type-json.js";
export { parseDataType, parseFieldList } from "./types/data-type-parser.js";
export type { Decimal, Row, Timestamp, Value, Variant } from "./types/values.js";
export { Dates, Decimals, Timestamps } from "./types/values.js";
export type { JsonValue } from "./util/json.js";
export { parseJson, stringifyJackson } from "./util/json.js";
export type { Snapshot } from "./snapshot/snapshot.js";
export {
  BATCH_COMMIT_IDENTIFIER,
  CommitKind,
  decodeSnapshot,
  encodeSnapshot,
  JsonFields,
  SNAPSHOT_VERSION,
  snapshotFromJsonValue,
  snapshotToJsonValue,
} from "./snapshot/snapshot.js";
export type { Tag } from "./snapshot/tag.js";
export { decodeTag, encodeTag } from "./snapshot/tag.js";
export type { TableSchema } from "./schema/table-schema.js";
export {
  decodeTableSchema,
  encodeTableSchema,
  SCHEMA_VERSION,
  TableSchemas,
  tableSchemaFromJsonValue,
  tableSchemaToJsonValue,
  validateTableSchema,
} from "./schema/table-schema.js";
export {
  BucketFunctionType,
  ChangelogProducer,
  CoreOptions,
  DEFAULT_PARTITION_NAME,
  DYNAMIC_BUCKET,
  MergeEngine,
  OptionKeys,
  POSTPONE_BUCKET,
  SortOrder,
} from "./options/core-options.js";
export { parseBoolean, parseDurationMs, parseEnum, parseInteger, parseMemorySize } from "./options/option-values.js";
export type { PartitionSpec } from "./partition/partition-path.js";
export {
  escapePathName,
  parsePartitionPath,
  partitionPath,
  partitionValueToString,
  unescapePathName,
} from "./partition/partition-path.js";
export type { JsonOut } from "./types/value-json.js";
export { fromBase64, toBase64, valueFromJson, valueToJson } from "./types/value-json.js";
export { ARITY_PREFIX_BYTES, fixedPartSize, nullBitsWidth } from "./binary-row/binary-row-layout.js";
export { binaryRowArity, binaryRowRowKind, decodeBinaryRow } from "./binary-row/binary-row-reader.js";
export { BinaryRowWriter, encodeBinaryRow } from "./binary-row/binary-row-writer.js";
export type { RowKindShortString } from "./binary-row/row-kind.js";
export { isRowKind, RowKind, rowKindFromByte, rowKindFromShortString, rowKindToShortString } from "./binary-row/row-kind.js";
export type { BucketFunction } from "./bucket/bucket-function.js";
export { binaryRowHash, bucketForKey, bucketOf, createBucketFunction, modBucketOf } from "./bucket/bucket-function.js";
export { decodeHashIndexFile, encodeHashIndexFile, HASH_INDEX_TYPE } from "./bucket/hash-index-file.js";
export { fmix32, murmur3Words, PAIMON_HASH_SEED } from "./bucket/murmur3.js";
export type {
  AvroArray,
  AvroEnum,
  AvroField,
  AvroFixed,
  AvroLogicalType,
  AvroMap,
  AvroPrimitive,
  AvroPrimitiveKind,
  AvroRecord,
  AvroSchema,
  AvroUnion,
} from "./avro/avro-schema.js";
export { Avro, avroSchemaFromJson, avroSchemaToJson, parseAvroSchema } from "./avro/avro-schema.js";
export type { AvroDecoder, AvroEncoder } from "./avro/avro-binary.js";
export { compileDecoder, compileEncoder, compileResolvingDecoder } from "./avro/avro-binary.js";
export { AvroReader, AvroWriter } from "./avro/avro-cursor.js";
export type { AvroCodec, AvroCodecName } from "./avro/avro-codecs.js";
export { AVRO_CODEC_NAMES, avroCodec } from "./avro/avro-codecs.js";
export type { AvroContainer, AvroContainerHeader, AvroReadOptions, AvroWriteOptions } from "./avro/avro-container.js";
export { readAvroContainer, readAvroHeader, writeAvroContainer } from "./avro/avro-container.js";
export { crc32, crc32Update } from "./util/crc32.js";
export { snappyCompress, snappyDecompress } from "./compression/snappy.js";
export { zstdCompress, zstdDecompress } from "./compression/zstd-frame.js";
export type { GenericRecord } from "./manifest/generic-record.js";
export type { SimpleStats } from "./manifest/simple-stats.js";
export { EMPTY_BINARY_ROW_BYTES, EMPTY_SIMPLE_STATS, simpleStatsFromRecord, simpleStatsToRecord } from "./manifest/simple-stats.js";
export type { DataFileMeta } from "./manifest/data-file-meta.js";
export { dataFileMetaFromRecord, dataFileMetaToRecord, FileSource } from "./manifest/data-file-meta.js";
export type { ManifestEntry } from "./manifest/manifest-entry.js";
export { FileKind, MANIFEST_ENTRY_VERSION, manifestEntryFromRecord, manifestEntryToRecord } from "./manifest/manifest-entry.js";
export type { ManifestFileMeta } from "./manifest/manifest-file-meta.js";
export { MANIFEST_FILE_META_VERSION, manifestFileMetaFromRecord, manifestFileMetaToRecord } from "./manifest/manifest-file-meta.js";
export type { DeletionVectorMeta, GlobalIndexMeta, IndexFileMeta, IndexManifestEntry } from "./manifest/index-manifest-entry.js";
export { INDEX_MANIFEST_ENTRY_VERSION, indexManifestEntryFromRecord, indexManifestEntryToRecord } from "./manifest/index-manifest-entry.js";
export { INDEX_MANIFEST_ENTRY_SCHEMA, MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA } from "./manifest/manifest-schemas.js";
export type { ManifestWriteOptions } from "./manifest/manifest-codec.js";
export {
  decodeIndexManifest,
  decodeManifestEntries,
  decodeManifestList,
  encodeIndexManifest,
  encodeManifestEntries,
  encodeManifestList,
} from "./manifest/manifest-codec.js";
export type { ContainerKind } from "./deletion-vector/roaring-bitmap.js";
export { RoaringBitmap, SERIAL_COOKIE, SERIAL_COOKIE_NO_RUNCONTAINER } from "./deletion-vector/roaring-bitmap.js";
export type { DeletionVector, DeletionVectorKind, RowPosition } from "./deletion-vector/deletion-vector.js";
export {
  BITMAP32_MAGIC,
  BITMAP32_MAX_POSITION,
  BITMAP64_MAGIC,
  BITMAP64_MAX_POSITION,
  Bitmap64DeletionVector,
  BitmapDeletionVector,
  decodeDeletionVector,
  encodeDeletionVector,
} from "./deletion-vector/deletion-vector.js";
export type { DeletionVectorRange, DvIndexEntry } from "./deletion-vector/dv-index-file.js";
export {
  DELETION_VECTORS_INDEX_TYPE,
  DV_INDEX_FILE_VERSION,
  decodeDeletionVectorAt,
  decodeDeletionVectorEntry,
  decodeDvIndexFile,
  deletionVectorReadSpan,
  encodeDvIndexFile,
} from "./deletion-vector/dv-index-file.js";
export type { OrcFile, OrcTail } from "./orc/orc-reader.js";
export { readOrcFile, readOrcTail } from "./orc/orc-reader.js";
export type { OrcFooter, OrcPostScript, OrcStripeInformation } from "./orc/orc-metadata.js";
export type { OrcField, OrcType, OrcTypeKind } from "./orc/orc-type.js";
export { orcTypeToString } from "./orc/orc-type.js";
