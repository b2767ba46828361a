/**
 * Data files of primary-key tables (Paimon's `KeyValueDataFileWriter`, release 2.0.0).
 * Records arrive sorted by key (one per key per level-0 file, merged by the writer) and
 * are stored as
 *
 *   _KEY_<k>… | _SEQUENCE_NUMBER | _VALUE_KIND | every table column
 *
 * (no `_KEY_` columns with `data-file.thin-mode`). The file's meta: min/max key = the
 * first and last record's trimmed key as BinaryRows; key stats always `full`; value
 * stats by the stats mode (column-stats.ts); sequence range; `_DELETE_ROW_COUNT` = -U/-D
 * records; level as given; `_FILE_SOURCE` APPEND for new data.
 */
import {
  type CoreOptions,
  type DataField,
  type DataFileMeta,
  type DataType,
  encodeBinaryRow,
  FileSource,
  type TableSchema,
  TableSchemas,
} from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import {
  KEY_FIELD_ID_START,
  KEY_FIELD_PREFIX,
  SEQUENCE_NUMBER_FIELD,
  SEQUENCE_NUMBER_FIELD_ID,
  VALUE_KIND_FIELD,
  VALUE_KIND_FIELD_ID,
} from "../read/field-id-mapping.js";
import type { ValueAt } from "./arrow-columns.js";
import { columnStats, FULL_STATS, simpleStatsOf, ValueStatsCollector } from "./column-stats.js";
import { localWallClockMillis } from "./data-file-path-factory.js";
import { ParquetFileEncoder, type ParquetWriteOptions } from "./parquet-file-writer.js";
import type { DataFileEncoder } from "./rolling-file-writer.js";

/** The columns of a primary-key data file, in file order. */
export function keyValueFileFields(schema: TableSchema, thinMode: boolean): DataField[] {
  const keys = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema));
  const keyFields = thinMode ? [] : keys.map((k) => ({ id: KEY_FIELD_ID_START + k.id, name: KEY_FIELD_PREFIX + k.name, type: { ...k.type, nullable: false } }));
  return [
    ...keyFields,
    { id: SEQUENCE_NUMBER_FIELD_ID, name: SEQUENCE_NUMBER_FIELD, type: { root: "BIGINT", nullable: false } },
    { id: VALUE_KIND_FIELD_ID, name: VALUE_KIND_FIELD, type: { root: "TINYINT", nullable: false } },
    ...schema.fields,
  ];
}

export class KeyValueFileEncoder implements DataFileEncoder<KeyValue> {
  private readonly parquet: ParquetFileEncoder;
  private readonly keyTypes: readonly DataType[];
  private readonly keyCount: number;
  private readonly thin: boolean;
  private readonly valueStats: ValueStatsCollector;

  constructor(
    private readonly schema: TableSchema,
    options: CoreOptions,
    parquet: ParquetWriteOptions,
    private readonly level: number,
    private readonly clock: () => number,
  ) {
    this.thin = options.dataFileThinMode();
    this.parquet = new ParquetFileEncoder(keyValueFileFields(schema, this.thin), parquet);
    this.keyTypes = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
    this.keyCount = this.keyTypes.length;
    this.valueStats = new ValueStatsCollector(schema.fields, options);
  }

  encode(records: readonly KeyValue[]): Uint8Array {
    const columns: ValueAt[] = [];
    if (!this.thin) for (let k = 0; k < this.keyCount; k++) columns.push((i) => records[i]!.key[k] ?? null);
    columns.push((i) => records[i]!.sequenceNumber);
    columns.push((i) => records[i]!.valueKind);
    for (let j = 0; j < this.schema.fields.length; j++) columns.push((i) => records[i]!.value[j] ?? null);
    return this.parquet.encode(records.length, columns);
  }

  meta(records: readonly KeyValue[], fileName: string, fileSize: number): DataFileMeta {
    const n = records.length;
    let minSeq = records[0]!.sequenceNumber;
    let maxSeq = minSeq;
    let deletes = 0n;
    for (const r of records) {
      if (r.sequenceNumber < minSeq) minSeq = r.sequenceNumber;
      if (r.sequenceNumber > maxSeq) maxSeq = r.sequenceNumber;
      if (r.valueKind === 1 || r.valueKind === 3) deletes++;
    }
    const keyStats = simpleStatsOf(
      this.keyTypes,
      this.keyTypes.map((t, k) => columnStats(t, FULL_STATS, n, (i) => records[i]!.key[k] ?? null)),
    );
    const valueColumns = this.schema.fields.map((_, j): ValueAt => (i) => records[i]!.value[j] ?? null);
    return {
      fileName,
      fileSize: BigInt(fileSize),
      rowCount: BigInt(n),
      minKey: encodeBinaryRow(this.keyTypes, records[0]!.key),
      maxKey: encodeBinaryRow(this.keyTypes, records[n - 1]!.key),
      keyStats,
      valueStats: this.valueStats.collect(n, valueColumns),
      minSequenceNumber: minSeq,
      maxSequenceNumber: maxSeq,
      schemaId: BigInt(this.schema.id),
      level: this.level,
      extraFiles: [],
      creationTime: localWallClockMillis(this.clock()),
      deleteRowCount: deletes,
      embeddedIndex: null,
      fileSource: FileSource.APPEND,
      valueStatsCols: this.valueStats.valueStatsCols,
      externalPath: null,
      firstRowId: null,
      writeCols: null,
    };
  }
}
