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
export { fmix32, murmur3Words, PAIMON_HASH_SEED } from "./bucket/murmur3.js";
