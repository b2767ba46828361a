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
  type Row,
  type SimpleStats,
  type TableSchema,
  TableSchemas,
  type Value,
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
import type { ColumnValues } from "./arrow-columns.js";
import { columnStatsOf, FULL_STATS, simpleStatsOf, storedColumnStats, ValueStatsCollector } from "./column-stats.js";
import { localWallClockMillis } from "./data-file-path-factory.js";
import { ParquetFileEncoder, type ParquetWriteOptions } from "./parquet-file-writer.js";
import type { DataFileBatch, DataFileEncoder } from "./rolling-file-writer.js";
import { RowColumns, type StoredColumn } from "./row-columns.js";

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

/** One file's records split into columns, with what the meta needs besides stats. */
interface RecordColumns {
  readonly records: readonly KeyValue[];
  readonly keys: readonly ColumnValues[];
  readonly values: readonly ColumnValues[];
  readonly sequence: ColumnValues;
  readonly kinds: ColumnValues;
  readonly minSequence: bigint;
  readonly maxSequence: bigint;
  /** -U and -D records. */
  readonly deletes: number;
}

export class KeyValueFileEncoder implements DataFileEncoder<KeyValue> {
  private readonly parquet: ParquetFileEncoder;
  private readonly keyTypes: readonly DataType[];
  private readonly keyCount: number;
  private readonly thin: boolean;
  private readonly valueStats: ValueStatsCollector;
  private cached: RecordColumns | null = null;

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

  /** Keeps a file's records as columns (row-columns.ts) rather than as KeyValue objects. */
  newBatch(): DataFileBatch<KeyValue> {
    return new KeyValueBatch(this);
  }

  /** Encodes records stored by a KeyValueBatch. */
  encodeStored(keys: RowColumns, values: RowColumns): Uint8Array {
    const n = values.length;
    const kinds = values.kindsView();
    const stored: StoredColumn[] = [];
    if (!this.thin) for (let k = 0; k < this.keyCount; k++) stored.push(keys.column(k));
    stored.push({ kind: "bigint", data: values.sequencesView(), nulls: new Uint8Array(n) });
    stored.push({ kind: "int", data: Int32Array.from(kinds), nulls: new Uint8Array(n) });
    for (let j = 0; j < this.schema.fields.length; j++) stored.push(values.column(j));
    return this.parquet.encodeColumns(n, stored);
  }

  /** The meta of a file of records stored by a KeyValueBatch. */
  metaStored(keys: RowColumns, values: RowColumns, firstKey: Row, lastKey: Row, fileName: string, fileSize: number): DataFileMeta {
    const n = values.length;
    const sequences = values.sequencesView();
    const kinds = values.kindsView();
    let minSequence = sequences[0]!;
    let maxSequence = minSequence;
    let deletes = 0;
    for (let i = 0; i < n; i++) {
      const seq = sequences[i]!;
      if (seq < minSequence) minSequence = seq;
      if (seq > maxSequence) maxSequence = seq;
      const kind = kinds[i]!;
      if (kind === 1 || kind === 3) deletes++;
    }
    const keyStats = simpleStatsOf(
      this.keyTypes,
      this.keyTypes.map((t, k) => storedColumnStats(t, FULL_STATS, keys.column(k))),
    );
    const valueColumns = this.schema.fields.map((_, j) => values.column(j));
    return this.describe(n, fileName, fileSize, firstKey, lastKey, keyStats, this.valueStats.collectStored(valueColumns), minSequence, maxSequence, deletes);
  }

  /** The records' columns, read from the records once for both encode and meta. */
  private columnsOf(records: readonly KeyValue[]): RecordColumns {
    if (this.cached?.records === records) return this.cached;
    const n = records.length;
    const keys: (Value | null)[][] = Array.from({ length: this.keyCount }, () => new Array(n));
    const values: (Value | null)[][] = Array.from({ length: this.schema.fields.length }, () => new Array(n));
    const sequence: bigint[] = new Array(n);
    const kinds: number[] = new Array(n);
    let minSequence = records[0]!.sequenceNumber;
    let maxSequence = minSequence;
    let deletes = 0;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      for (let k = 0; k < keys.length; k++) keys[k]![i] = r.key[k] ?? null;
      const row = r.value;
      for (let j = 0; j < values.length; j++) values[j]![i] = row[j] ?? null;
      const seq = r.sequenceNumber;
      sequence[i] = seq;
      if (seq < minSequence) minSequence = seq;
      if (seq > maxSequence) maxSequence = seq;
      kinds[i] = r.valueKind;
      if (r.valueKind === 1 || r.valueKind === 3) deletes++;
    }
    this.cached = { records, keys, values, sequence, kinds, minSequence, maxSequence, deletes };
    return this.cached;
  }

  encode(records: readonly KeyValue[]): Uint8Array {
    const c = this.columnsOf(records);
    return this.parquet.encodeColumns(records.length, this.thin ? [c.sequence, c.kinds, ...c.values] : [...c.keys, c.sequence, c.kinds, ...c.values]);
  }

  meta(records: readonly KeyValue[], fileName: string, fileSize: number): DataFileMeta {
    const n = records.length;
    const c = this.columnsOf(records);
    // encode and meta see the same records one after the other (rolling-file-writer.ts).
    this.cached = null;
    const keyStats = simpleStatsOf(
      this.keyTypes,
      this.keyTypes.map((t, k) => columnStatsOf(t, FULL_STATS, c.keys[k]!)),
    );
    return this.describe(n, fileName, fileSize, records[0]!.key, records[n - 1]!.key, keyStats, this.valueStats.collectColumns(c.values), c.minSequence, c.maxSequence, c.deletes);
  }

  private describe(
    n: number,
    fileName: string,
    fileSize: number,
    firstKey: Row,
    lastKey: Row,
    keyStats: SimpleStats,
    valueStats: SimpleStats,
    minSequence: bigint,
    maxSequence: bigint,
    deletes: number,
  ): DataFileMeta {
    return {
      fileName,
      fileSize: BigInt(fileSize),
      rowCount: BigInt(n),
      minKey: encodeBinaryRow(this.keyTypes, firstKey),
      maxKey: encodeBinaryRow(this.keyTypes, lastKey),
      keyStats,
      valueStats,
      minSequenceNumber: minSequence,
      maxSequenceNumber: maxSequence,
      schemaId: BigInt(this.schema.id),
      level: this.level,
      extraFiles: [],
      creationTime: localWallClockMillis(this.clock()),
      deleteRowCount: BigInt(deletes),
      embeddedIndex: null,
      fileSource: FileSource.APPEND,
      valueStatsCols: this.valueStats.valueStatsCols,
      externalPath: null,
      firstRowId: null,
      writeCols: null,
    };
  }

  get valueTypes(): readonly DataType[] {
    return this.schema.fields.map((f) => f.type);
  }

  get keyColumnTypes(): readonly DataType[] {
    return this.keyTypes;
  }
}

/** The records of one primary-key data file, as columns; keys of the first and last kept for the meta. */
class KeyValueBatch implements DataFileBatch<KeyValue> {
  private readonly keys: RowColumns;
  private readonly values: RowColumns;
  private firstKey: Row | null = null;
  private lastKey: Row | null = null;

  constructor(private readonly encoder: KeyValueFileEncoder) {
    this.keys = new RowColumns(encoder.keyColumnTypes);
    this.values = new RowColumns(encoder.valueTypes);
  }

  get length(): number {
    return this.values.length;
  }

  add(record: KeyValue): void {
    this.keys.push(record.valueKind, record.sequenceNumber, record.key);
    this.values.push(record.valueKind, record.sequenceNumber, record.value);
    this.firstKey ??= record.key;
    this.lastKey = record.key;
  }

  encode(): Uint8Array {
    return this.encoder.encodeStored(this.keys, this.values);
  }

  meta(fileName: string, fileSize: number): DataFileMeta {
    return this.encoder.metaStored(this.keys, this.values, this.firstKey!, this.lastKey!, fileName, fileSize);
  }
}
