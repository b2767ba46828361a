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
