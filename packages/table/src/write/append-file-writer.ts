/**
 * Data files of append tables (Paimon's `RowDataFileWriter`, release 2.0.0): the table
 * columns only. Meta: empty min/max key and key stats, value stats by the stats mode,
 * one sequence number per row (continuing per partition-bucket), level 0, no deletes.
 */
import {
  type CoreOptions,
  type DataFileMeta,
  EMPTY_BINARY_ROW_BYTES,
  EMPTY_SIMPLE_STATS,
  FileSource,
  type Row,
  RowKind,
  type SimpleStats,
  type TableSchema,
  type Value,
} from "@streamhouse/format";
import type { ColumnValues } from "./arrow-columns.js";
import { ValueStatsCollector } from "./column-stats.js";
import { localWallClockMillis } from "./data-file-path-factory.js";
import { ParquetFileEncoder, type ParquetWriteOptions } from "./parquet-file-writer.js";
import type { DataFileBatch, DataFileEncoder } from "./rolling-file-writer.js";
import { RowColumns } from "./row-columns.js";

/** An append row with the sequence number it was given. */
export interface SequencedRow {
  readonly row: Row;
  readonly sequenceNumber: bigint;
}

export class AppendFileEncoder implements DataFileEncoder<SequencedRow> {
  private readonly parquet: ParquetFileEncoder;
  private readonly valueStats: ValueStatsCollector;
  private cached: { readonly records: readonly SequencedRow[]; readonly columns: readonly ColumnValues[] } | null = null;

  constructor(
    private readonly schema: TableSchema,
    options: CoreOptions,
    parquet: ParquetWriteOptions,
    private readonly clock: () => number,
  ) {
    this.parquet = new ParquetFileEncoder(schema.fields, parquet);
    this.valueStats = new ValueStatsCollector(schema.fields, options);
  }

  /** The records' columns, read once for both encode and meta (which follow each other). */
  private columns(records: readonly SequencedRow[]): readonly ColumnValues[] {
    if (this.cached?.records === records) return this.cached.columns;
    const n = records.length;
    const columns: (Value | null)[][] = Array.from({ length: this.schema.fields.length }, () => new Array(n));
    for (let i = 0; i < n; i++) {
      const row = records[i]!.row;
      for (let j = 0; j < columns.length; j++) columns[j]![i] = row[j] ?? null;
    }
    this.cached = { records, columns };
    return columns;
  }

  /** Keeps a file's rows as columns (row-columns.ts) rather than as objects. */
  newBatch(): DataFileBatch<SequencedRow> {
    const rows = new RowColumns(this.schema.fields.map((f) => f.type));
    return {
      get length() {
        return rows.length;
      },
      add: (record) => rows.push(RowKind.INSERT, record.sequenceNumber, record.row),
      encode: () =>
        this.parquet.encodeColumns(
          rows.length,
          this.schema.fields.map((_, j) => rows.column(j)),
        ),
      meta: (fileName, fileSize) => {
        const sequences = rows.sequencesView();
        const valueStats = this.valueStats.collectStored(this.schema.fields.map((_, j) => rows.column(j)));
        return this.describe(rows.length, fileName, fileSize, valueStats, sequences[0]!, sequences[rows.length - 1]!);
      },
    };
  }

  encode(records: readonly SequencedRow[]): Uint8Array {
    return this.parquet.encodeColumns(records.length, this.columns(records));
  }

  meta(records: readonly SequencedRow[], fileName: string, fileSize: number): DataFileMeta {
    const n = records.length;
    const valueStats = this.valueStats.collectColumns(this.columns(records));
    this.cached = null;
    return this.describe(n, fileName, fileSize, valueStats, records[0]!.sequenceNumber, records[n - 1]!.sequenceNumber);
  }

  private describe(n: number, fileName: string, fileSize: number, valueStats: SimpleStats, minSequence: bigint, maxSequence: bigint): DataFileMeta {
    return {
      fileName,
      fileSize: BigInt(fileSize),
      rowCount: BigInt(n),
      minKey: EMPTY_BINARY_ROW_BYTES,
      maxKey: EMPTY_BINARY_ROW_BYTES,
      keyStats: EMPTY_SIMPLE_STATS,
      valueStats,
      minSequenceNumber: minSequence,
      maxSequenceNumber: maxSequence,
      schemaId: BigInt(this.schema.id),
      level: 0,
      extraFiles: [],
      creationTime: localWallClockMillis(this.clock()),
      deleteRowCount: 0n,
      embeddedIndex: null,
      fileSource: FileSource.APPEND,
      valueStatsCols: this.valueStats.valueStatsCols,
      externalPath: null,
      firstRowId: null,
      writeCols: null,
    };
  }
}
