/**
 * The Parquet footer (`FileMetaData`, parquet-format `parquet.thrift`), decoded
 * for what parquet-wasm's metadata API does not expose: physical types (INT96
 * timestamps), field ids, and per-row-group min/max/null-count statistics.
 *
 * File layout:   "PAR1" | column chunks … | FileMetaData (Thrift compact) |
 *                i32 LE length of FileMetaData | "PAR1"
 *
 * Thrift field ids read (others are skipped):
 *   FileMetaData   1 version, 2 schema list<SchemaElement>, 3 num_rows i64,
 *                  4 row_groups list<RowGroup>, 6 created_by
 *   SchemaElement  1 type, 2 type_length, 3 repetition_type, 4 name, 5 num_children,
 *                  6 converted_type, 7 scale, 8 precision, 9 field_id
 *   RowGroup       1 columns list<ColumnChunk>, 3 num_rows i64
 *   ColumnChunk    3 meta_data ColumnMetaData
 *   ColumnMetaData 1 type, 3 path_in_schema list<string>, 5 num_values,
 *                  7 total_compressed_size, 9 data_page_offset, 11 dictionary_page_offset,
 *                  12 statistics
 *   Statistics     1 max, 2 min (deprecated: signed byte order), 3 null_count,
 *                  5 max_value, 6 min_value (the column's own sort order)
 */
import { dataInvalid } from "@streamhouse/format";
import { CompactType, ThriftCompactReader } from "./thrift-compact.js";

export const PhysicalType = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;

export interface SchemaElement {
  readonly name: string;
  /** null for groups. */
  readonly physicalType: number | null;
  readonly typeLength: number | null;
  readonly numChildren: number;
  readonly convertedType: number | null;
  readonly fieldId: number | null;
}

export interface ColumnStatistics {
  /** Raw plain-encoded bytes, null when the writer did not record them. */
  readonly min: Uint8Array | null;
  readonly max: Uint8Array | null;
  readonly nullCount: bigint | null;
  /** True when min/max come from the deprecated fields (signed byte order for binaries). */
  readonly legacyOrder: boolean;
}

export interface ColumnChunkMeta {
  /** Dotted path of the leaf, e.g. ["col1", "f2", "list", "element"]. */
  readonly path: readonly string[];
  readonly physicalType: number;
  readonly numValues: bigint;
  /** Byte range of the chunk's pages: from the dictionary page (if any) or the first data page. */
  readonly start: number;
  readonly totalCompressedSize: number;
  readonly statistics: ColumnStatistics | null;
}

export interface RowGroupMeta {
  readonly numRows: bigint;
  readonly columns: readonly ColumnChunkMeta[];
}

export interface ParquetFooter {
  readonly version: number;
  readonly numRows: bigint;
  readonly createdBy: string | null;
  /** The flattened schema tree in depth-first order; element 0 is the root. */
  readonly schema: readonly SchemaElement[];
  readonly rowGroups: readonly RowGroupMeta[];
}

export const PARQUET_MAGIC = "PAR1";
/** Footer trailer: 4-byte length + 4-byte magic. */
export const FOOTER_TRAILER_BYTES = 8;

/** The length of the Thrift metadata, from the last 8 bytes of the file. */
export function footerLength(trailer: Uint8Array): number {
  if (trailer.length !== FOOTER_TRAILER_BYTES) throw dataInvalid(`Parquet trailer must be ${FOOTER_TRAILER_BYTES} bytes`);
  const magic = String.fromCharCode(trailer[4]!, trailer[5]!, trailer[6]!, trailer[7]!);
  if (magic !== PARQUET_MAGIC) throw dataInvalid(`not a Parquet file: it ends with "${magic}", not "PAR1"`);
  return new DataView(trailer.buffer, trailer.byteOffset, 4).getInt32(0, true);
}

export function decodeParquetFooter(metadata: Uint8Array): ParquetFooter {
  const r = new ThriftCompactReader(metadata);
  let version = 0;
  let numRows = -1n;
  let createdBy: string | null = null;
  let schema: SchemaElement[] = [];
  let rowGroups: RowGroupMeta[] = [];
  r.struct((id, type) => {
    if (id === 1 && type === CompactType.I32) version = r.i32();
    else if (id === 2 && type === CompactType.LIST) schema = r.list(() => schemaElement(r));
    else if (id === 3 && type === CompactType.I64) numRows = r.i64();
    else if (id === 4 && type === CompactType.LIST) rowGroups = r.list(() => rowGroup(r));
    else if (id === 6 && type === CompactType.BINARY) createdBy = r.string();
    else return false;
    return true;
  });
  if (numRows < 0n || schema.length === 0) throw dataInvalid("Parquet footer lacks num_rows or schema");
  return { version, numRows, createdBy, schema, rowGroups };
}

function schemaElement(r: ThriftCompactReader): SchemaElement {
  let name = "";
  let physicalType: number | null = null;
  let typeLength: number | null = null;
  let numChildren = 0;
  let convertedType: number | null = null;
  let fieldId: number | null = null;
  r.struct((id, type) => {
    if (type !== CompactType.I32 && !(id === 4 && type === CompactType.BINARY)) return false;
    if (id === 1) physicalType = r.i32();
    else if (id === 2) typeLength = r.i32();
    else if (id === 4) name = r.string();
    else if (id === 5) numChildren = r.i32();
    else if (id === 6) convertedType = r.i32();
    else if (id === 9) fieldId = r.i32();
    else return false;
    return true;
  });
  return { name, physicalType, typeLength, numChildren, convertedType, fieldId };
}

function rowGroup(r: ThriftCompactReader): RowGroupMeta {
  let numRows = -1n;
  let columns: ColumnChunkMeta[] = [];
  r.struct((id, type) => {
    if (id === 1 && type === CompactType.LIST) columns = r.list(() => columnChunk(r));
    else if (id === 3 && type === CompactType.I64) numRows = r.i64();
    else return false;
    return true;
  });
  if (numRows < 0n) throw dataInvalid("Parquet row group lacks num_rows", { offset: r.pos });
  return { numRows, columns };
}

function columnChunk(r: ThriftCompactReader): ColumnChunkMeta {
  let meta: ColumnChunkMeta | null = null;
  r.struct((id, type) => {
    if (id !== 3 || type !== CompactType.STRUCT) return false;
    meta = columnMeta(r);
    return true;
  });
  if (meta === null) throw dataInvalid("Parquet column chunk lacks meta_data (external column chunks are not supported)", { offset: r.pos });
  return meta;
}

function columnMeta(r: ThriftCompactReader): ColumnChunkMeta {
  let physicalType = -1;
  let path: string[] = [];
  let numValues = 0n;
  let totalCompressedSize = 0n;
  let dataPageOffset = -1n;
  let dictionaryPageOffset = -1n;
  let statistics: ColumnStatistics | null = null;
  r.struct((id, type) => {
    if (id === 1 && type === CompactType.I32) physicalType = r.i32();
    else if (id === 3 && type === CompactType.LIST) path = r.list(() => r.string());
    else if (id === 5 && type === CompactType.I64) numValues = r.i64();
    else if (id === 7 && type === CompactType.I64) totalCompressedSize = r.i64();
    else if (id === 9 && type === CompactType.I64) dataPageOffset = r.i64();
    else if (id === 11 && type === CompactType.I64) dictionaryPageOffset = r.i64();
    else if (id === 12 && type === CompactType.STRUCT) statistics = columnStatistics(r);
    else return false;
    return true;
  });
  // Some writers record a dictionary offset of 0 for "none"; the dictionary always precedes the data pages.
  const start = dictionaryPageOffset > 0n && dictionaryPageOffset < dataPageOffset ? dictionaryPageOffset : dataPageOffset;
  if (start < 0n) throw dataInvalid("Parquet column chunk lacks data_page_offset", { offset: r.pos });
  return { path, physicalType, numValues, start: Number(start), totalCompressedSize: Number(totalCompressedSize), statistics };
}

function columnStatistics(r: ThriftCompactReader): ColumnStatistics {
  let max: Uint8Array | null = null;
  let min: Uint8Array | null = null;
  let maxValue: Uint8Array | null = null;
  let minValue: Uint8Array | null = null;
  let nullCount: bigint | null = null;
  r.struct((id, type) => {
    if (type === CompactType.BINARY && id === 1) max = r.binary();
    else if (type === CompactType.BINARY && id === 2) min = r.binary();
    else if (type === CompactType.I64 && id === 3) nullCount = r.i64();
    else if (type === CompactType.BINARY && id === 5) maxValue = r.binary();
    else if (type === CompactType.BINARY && id === 6) minValue = r.binary();
    else return false;
    return true;
  });
  const modern = minValue !== null || maxValue !== null;
  return modern ? { min: minValue, max: maxValue, nullCount, legacyOrder: false } : { min, max, nullCount, legacyOrder: min !== null || max !== null };
}
