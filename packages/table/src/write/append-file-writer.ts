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
  type TableSchema,
} from "@streamhouse/format";
import type { ValueAt } from "./arrow-columns.js";
import { ValueStatsCollector } from "./column-stats.js";
import { localWallClockMillis } from "./data-file-path-factory.js";
import { ParquetFileEncoder, type ParquetWriteOptions } from "./parquet-file-writer.js";
import type { DataFileEncoder } from "./rolling-file-writer.js";

/** An append row with the sequence number it was given. */
export interface SequencedRow {
  readonly row: Row;
  readonly sequenceNumber: bigint;
}

export class AppendFileEncoder implements DataFileEncoder<SequencedRow> {
  private readonly parquet: ParquetFileEncoder;
  private readonly valueStats: ValueStatsCollector;

  constructor(
    private readonly schema: TableSchema,
    options: CoreOptions,
    parquet: ParquetWriteOptions,
    private readonly clock: () => number,
  ) {
    this.parquet = new ParquetFileEncoder(schema.fields, parquet);
    this.valueStats = new ValueStatsCollector(schema.fields, options);
  }

  private columns(records: readonly SequencedRow[]): ValueAt[] {
    return this.schema.fields.map((_, j): ValueAt => (i) => records[i]!.row[j] ?? null);
  }

  encode(records: readonly SequencedRow[]): Uint8Array {
    return this.parquet.encode(records.length, this.columns(records));
  }

  meta(records: readonly SequencedRow[], fileName: string, fileSize: number): DataFileMeta {
    const n = records.length;
    return {
      fileName,
      fileSize: BigInt(fileSize),
      rowCount: BigInt(n),
      minKey: EMPTY_BINARY_ROW_BYTES,
      maxKey: EMPTY_BINARY_ROW_BYTES,
      keyStats: EMPTY_SIMPLE_STATS,
      valueStats: this.valueStats.collect(n, this.columns(records)),
      minSequenceNumber: records[0]!.sequenceNumber,
      maxSequenceNumber: records[n - 1]!.sequenceNumber,
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
