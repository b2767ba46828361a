/**
 * Reads one Paimon data file (a live manifest entry) into columns of the table's
 * current schema (Paimon's `KeyValueFileReaderFactory` / `RawFileSplitRead` for one
 * file, release 2.0.0).
 *
 *   append file   table columns, as written by the file's schema
 *   PK file       _KEY_<k>… | _SEQUENCE_NUMBER | _VALUE_KIND | table columns
 *   PK thin mode  (`data-file.thin-mode`) no _KEY_ columns: keys are the value columns
 *
 * Columns are matched by field id (field-id-mapping.ts), values are converted lazily
 * (column-vector.ts). Checks that turn silent partial reads into errors: the file's
 * row count must equal the manifest's `_ROW_COUNT`, every decoded row group must
 * hold the rows its footer promises, and `_VALUE_KIND` must be a row kind.
 */
import type { Table as ArrowTable, Data } from "apache-arrow";
import { Type } from "apache-arrow";
import type { FileIO } from "@streamhouse/fileio";
import { joinPath } from "@streamhouse/fileio";
import {
  type DataField,
  type DataType,
  dataInvalid,
  decodeBinaryRow,
  type ManifestEntry,
  partitionPath,
  partitionValueToString,
  type Row,
  type TableSchema,
  TableSchemas,
} from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import type { KeyValue } from "../kv/key-value.js";
import { TablePaths } from "../table-paths.js";
import { type ColumnVector, columnChunks, columnVector, int64Column, int8Column, nullColumn } from "./column-vector.js";
import {
  type ColumnMapping,
  type FileColumn,
  FileColumnIndex,
  fileColumnsOf,
  keyColumn,
  mapColumns,
  SEQUENCE_NUMBER_FIELD,
  SEQUENCE_NUMBER_FIELD_ID,
  VALUE_KIND_FIELD,
  VALUE_KIND_FIELD_ID,
} from "./field-id-mapping.js";
import type { ParquetDecode } from "./columnar-decode-pool.js";
import { ParquetFileReader } from "./parquet-file-reader.js";
import { type RowGroupPredicate, rowGroupStats, selectRowGroups } from "./row-group-stats.js";

export interface DataFileReadOptions {
  /** Names of read-schema fields to return, in this order; all fields when absent. */
  readonly projection?: readonly string[];
  /** Skips row groups whose statistics show they cannot match. */
  readonly rowGroupFilter?: RowGroupPredicate;
  /** Files up to this size are read whole, larger ones by byte ranges (see parquet-file-reader.ts). */
  readonly wholeFileReadBytes?: number;
  /** Decodes the file's selected columns (default: `ParquetFileReader.read` on this thread; see columnar-decode-pool.ts). */
  readonly decode?: ParquetDecode;
}

/** The decoded rows of one data file. */
export interface DataFileColumns {
  readonly path: string;
  /** LSM level from the manifest entry. */
  readonly level: number;
  /** Rows decoded (all rows of the file unless row groups were skipped). */
  readonly rowCount: number;
  /** The projected read-schema fields, one column each. */
  readonly fields: readonly DataField[];
  readonly columns: readonly ColumnVector[];
  /** Primary-key files: the trimmed primary key fields and their columns; null for append files. */
  readonly keyFields: readonly DataField[] | null;
  readonly keyColumns: readonly ColumnVector[] | null;
  readonly sequenceNumbers: BigInt64Array | null;
  readonly valueKinds: Int8Array | null;
  /** Row groups read, in order, with the file position of their first row. */
  readonly rowGroups: readonly { readonly index: number; readonly firstRow: number; readonly rowCount: number }[];
  /** The Arrow data behind `columns` and `keyColumns`, for columnar readers (columnar-*.ts). */
  readonly arrow: DataFileArrow;
}

/**
 * The decoded Arrow data of one file. All columns share the record-batch boundaries
 * of the read: chunk `b` of every column holds rows `batchStarts[b]` … `batchStarts[b + 1] - 1`.
 */
export interface DataFileArrow {
  /** Row offsets of the record batches, plus the row count at the end. */
  readonly batchStarts: readonly number[];
  /** Per read field, in `fields` order. */
  readonly columns: readonly ArrowColumnChunks[];
  /** Per trimmed primary-key field; null for append files. */
  readonly keys: readonly ArrowColumnChunks[] | null;
}

export interface ArrowColumnChunks {
  /** The type the file holds, or null when the file predates the field (its values are all null). */
  readonly fileType: DataType | null;
  readonly readType: DataType;
  /** One per record batch; empty when `fileType` is null. */
  readonly chunks: readonly Data[];
}

export const DataFileColumns = {
  /** The position of decoded row `i` in the file (what deletion vectors index). */
  positionOf(data: DataFileColumns, i: number): number {
    let skipped = 0;
    for (const g of data.rowGroups) {
      if (i - skipped < g.rowCount) return g.firstRow + (i - skipped);
      skipped += g.rowCount;
    }
    throw new RangeError(`row ${i} outside 0 … ${data.rowCount - 1}`);
  },

  row(data: DataFileColumns, i: number): Row {
    return data.columns.map((c) => c.get(i));
  },

  /** Every row as an array of values (append tables). */
  rows(data: DataFileColumns): Row[] {
    const out: Row[] = [];
    for (let i = 0; i < data.rowCount; i++) out.push(DataFileColumns.row(data, i));
    return out;
  },

  /** Every record as a KeyValue (primary-key tables). */
  keyValues(data: DataFileColumns): KeyValue[] {
    const { keyColumns, sequenceNumbers, valueKinds } = data;
    if (keyColumns === null || sequenceNumbers === null || valueKinds === null) {
      throw dataInvalid("not a primary-key data file: it has no keys", { file: data.path });
    }
    const out: KeyValue[] = [];
    for (let i = 0; i < data.rowCount; i++) {
      out.push({
        key: keyColumns.map((c) => c.get(i)),
        sequenceNumber: sequenceNumbers[i]!,
        valueKind: valueKinds[i]! as KeyValue["valueKind"],
        value: DataFileColumns.row(data, i),
        level: data.level,
      });
    }
    return out;
  },
} as const;

/** Where a data file of `entry` lives: its external path, or `<table>/<partition>/bucket-<b>/<name>`. */
export function dataFilePath(tablePath: string, schema: TableSchema, entry: ManifestEntry, defaultPartitionName: string, legacyName: boolean): string {
  if (entry.file.externalPath !== null) return entry.file.externalPath;
  const partitionFields = TableSchemas.partitionFields(schema);
  const values = decodeBinaryRow(
    partitionFields.map((f) => f.type),
    entry.partition,
    { file: entry.file.fileName, field: "_PARTITION" },
  );
  const spec = partitionFields.map((f, i) => [f.name, partitionValueToString(f.type, values[i] ?? null, legacyName)] as const);
  return joinPath(TablePaths.bucketDir(tablePath, partitionPath(spec, defaultPartitionName), entry.bucket), entry.file.fileName);
}

export class DataFileReader {
  constructor(
    readonly io: FileIO,
    readonly tablePath: string,
    /** The read schema: normally the table's latest. */
    readonly schema: TableSchema,
    /** The schema each file was written with, by `_SCHEMA_ID`. */
    readonly schemaOf: (id: number) => Promise<TableSchema>,
    readonly partitionDefaultName = "__DEFAULT_PARTITION__",
    readonly partitionLegacyName = true,
  ) {}

  static of(table: FileStoreTable): DataFileReader {
    return new DataFileReader(
      table.io,
      table.path,
      table.schema,
      (id) => (id === table.schema.id ? Promise.resolve(table.schema) : table.schemas.schema(id)),
      table.options.partitionDefaultName(),
      table.options.partitionLegacyName(),
    );
  }

  pathOf(entry: ManifestEntry): string {
    return dataFilePath(this.tablePath, this.schema, entry, this.partitionDefaultName, this.partitionLegacyName);
  }

  async read(entry: ManifestEntry, options: DataFileReadOptions = {}): Promise<DataFileColumns> {
    const path = this.pathOf(entry);
    const fileSchema = await this.schemaOf(Number(entry.file.schemaId));
    const readFields = options.projection === undefined ? this.schema.fields : TableSchemas.fields(this.schema, options.projection);
    const isPk = TableSchemas.isPrimaryKeyTable(this.schema);

    const reader = await ParquetFileReader.open(this.io, path, { fileSize: Number(entry.file.fileSize), wholeFileReadBytes: options.wholeFileReadBytes });
    try {
      if (reader.numRows !== entry.file.rowCount) {
        throw dataInvalid(`data file holds ${reader.numRows} rows, the manifest says ${entry.file.rowCount}`, { file: path });
      }
      const index = new FileColumnIndex(fileColumnsOf(reader.arrowSchema), path);
      const mappings = mapColumns(readFields, fileSchema.fields, index);

      // Key columns: `_KEY_<k>` by the key field's id, or (thin mode) the value column of the same id.
      let keyFields: DataField[] | null = null;
      let keySources: { column: FileColumn; fileField: DataField; readField: DataField }[] = [];
      if (isPk) {
        keyFields = TableSchemas.fields(this.schema, TableSchemas.trimmedPrimaryKeys(this.schema));
        const thin = !index.hasKeyColumns();
        keySources = keyFields.map((readField) => {
          const fileField = fileSchema.fields.find((f) => f.id === readField.id);
          if (fileField === undefined) throw dataInvalid(`key field "${readField.name}" (id ${readField.id}) is not in schema ${fileSchema.id}`, { file: path });
          const column = thin ? index.require(fileField.id, fileField.name, "key field") : keyColumn(index, fileField);
          return { column, fileField, readField };
        });
      }
      const seqColumn = isPk ? index.require(SEQUENCE_NUMBER_FIELD_ID, SEQUENCE_NUMBER_FIELD, "system field") : null;
      const kindColumn = isPk ? index.require(VALUE_KIND_FIELD_ID, VALUE_KIND_FIELD, "system field") : null;

      let rowGroupIndexes: number[] | undefined;
      if (options.rowGroupFilter !== undefined) {
        rowGroupIndexes = selectRowGroups(rowGroupStats(reader.footer, mappings), options.rowGroupFilter);
      }
      const wanted: FileColumn[] = [];
      const add = (c: FileColumn | null) => {
        if (c !== null && !wanted.includes(c)) wanted.push(c);
      };
      for (const k of keySources) add(k.column);
      add(seqColumn);
      add(kindColumn);
      for (const m of mappings) add(m.column);
      wanted.sort((a, b) => a.index - b.index);

      const groups = groupLayout(reader, rowGroupIndexes);
      const rowCount = groups.reduce((n, g) => n + g.rowCount, 0);
      const table =
        rowGroupIndexes !== undefined && rowGroupIndexes.length === 0
          ? null
          : await (options.decode ?? ((r, o) => r.read(o)))(reader, { columns: wanted.map((c) => c.name), rowGroups: rowGroupIndexes });
      const position = new Map(wanted.map((c, i) => [c, i]));
      const chunksOf = (c: FileColumn) => (table === null ? [] : columnChunks(table, position.get(c)!));
      checkProjection(table, wanted, path);

      const columns = mappings.map((m) => columnOf(m, rowCount, chunksOf, path));
      const keyColumns = isPk
        ? keySources.map((k) => columnVector(chunksOf(k.column), k.fileField.type, k.readField.type, { file: path, column: k.column.name }))
        : null;
      const batchStarts = [0];
      for (const b of table?.batches ?? []) batchStarts.push(batchStarts[batchStarts.length - 1]! + b.numRows);
      const arrow: DataFileArrow = {
        batchStarts,
        columns: mappings.map((m) =>
          m.column === null || m.fileField === null
            ? { fileType: null, readType: m.readField.type, chunks: [] }
            : { fileType: m.fileField.type, readType: m.readField.type, chunks: chunksOf(m.column) },
        ),
        keys: isPk ? keySources.map((k) => ({ fileType: k.fileField.type, readType: k.readField.type, chunks: chunksOf(k.column) })) : null,
      };
      const sequenceNumbers = seqColumn === null ? null : systemInt64(chunksOf(seqColumn), path);
      const valueKinds = kindColumn === null ? null : systemKinds(chunksOf(kindColumn), path);
      return {
        path,
        level: entry.file.level,
        rowCount,
        fields: readFields,
        columns,
        keyFields,
        keyColumns,
        sequenceNumbers,
        valueKinds,
        rowGroups: groups,
        arrow,
      };
    } finally {
      reader.close();
    }
  }
}

function groupLayout(reader: ParquetFileReader, selected: readonly number[] | undefined) {
  const groups: { index: number; firstRow: number; rowCount: number }[] = [];
  let first = 0;
  reader.footer.rowGroups.forEach((rg, index) => {
    const rowCount = Number(rg.numRows);
    if (selected === undefined || selected.includes(index)) groups.push({ index, firstRow: first, rowCount });
    first += rowCount;
  });
  return groups;
}

function checkProjection(table: ArrowTable | null, wanted: readonly FileColumn[], path: string): void {
  if (table === null) return;
  const names = table.schema.fields.map((f) => f.name);
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i]!.name)) {
    throw dataInvalid(`Parquet reader returned columns [${names.join(", ")}], expected [${wanted.map((c) => c.name).join(", ")}]`, { file: path });
  }
}

function columnOf(m: ColumnMapping, rowCount: number, chunksOf: (c: FileColumn) => ReturnType<typeof columnChunks>, path: string): ColumnVector {
  if (m.column === null || m.fileField === null) return nullColumn(rowCount);
  return columnVector(chunksOf(m.column), m.fileField.type, m.readField.type, { file: path, column: m.column.name });
}

function systemInt64(chunks: ReturnType<typeof columnChunks>, path: string): BigInt64Array {
  for (const d of chunks) {
    if (d.typeId !== Type.Int || !(d.values instanceof BigInt64Array) || d.nullCount !== 0) {
      throw dataInvalid(`${SEQUENCE_NUMBER_FIELD} must be a BIGINT NOT NULL column, found ${String(d.type)}`, { file: path });
    }
  }
  return int64Column(chunks);
}

function systemKinds(chunks: ReturnType<typeof columnChunks>, path: string): Int8Array {
  for (const d of chunks) {
    if (d.typeId !== Type.Int || !(d.values instanceof Int8Array) || d.nullCount !== 0) {
      throw dataInvalid(`${VALUE_KIND_FIELD} must be a TINYINT NOT NULL column, found ${String(d.type)}`, { file: path });
    }
  }
  const kinds = int8Column(chunks);
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    if (k < 0 || k > 3) throw dataInvalid(`${VALUE_KIND_FIELD} ${k} at row ${i} is not a row kind`, { file: path });
  }
  return kinds;
}
