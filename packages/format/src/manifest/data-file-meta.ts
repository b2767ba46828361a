/**
 * Metadata of one data file — mirrors `org.apache.paimon.io.DataFileMeta` (the
 * `DataFileMeta.SCHEMA` row of Paimon 2.0, serialized by `DataFileMetaSerializer`).
 *
 * Avro field (type; since)          model field
 *   _FILE_NAME string                 fileName
 *   _FILE_SIZE long                   fileSize
 *   _ROW_COUNT long                   rowCount (adds + deletes)
 *   _MIN_KEY / _MAX_KEY bytes         minKey / maxKey: BinaryRow of the trimmed primary key
 *   _KEY_STATS SimpleStats            keyStats
 *   _VALUE_STATS SimpleStats          valueStats (all columns, or _VALUE_STATS_COLS)
 *   _MIN/_MAX_SEQUENCE_NUMBER long    minSequenceNumber / maxSequenceNumber
 *   _SCHEMA_ID long                   schemaId
 *   _LEVEL int                        level (LSM level; 0 for append tables)
 *   _EXTRA_FILES array<string>        extraFiles (e.g. `<file>.index` sidecars)
 *   _CREATION_TIME [null, timestamp-millis]  creationTime: local wall-clock millis
 *                                     stored as if UTC (Java `LocalDateTime.now()`)
 *   _DELETE_ROW_COUNT long? (0.9)     deleteRowCount
 *   _EMBEDDED_FILE_INDEX bytes? (0.9) embeddedIndex
 *   _FILE_SOURCE int? (0.9)           fileSource: 0 APPEND, 1 COMPACT (Java TINYINT)
 *   _VALUE_STATS_COLS array? (1.0)    valueStatsCols: null = stats cover all columns
 *   _EXTERNAL_PATH string? (1.0)      externalPath
 *   _FIRST_ROW_ID long? (1.3)         firstRowId (row tracking)
 *   _WRITE_COLS array? (1.3)          writeCols (data evolution)
 */
import {
  builtValue,
  bytesValue,
  type GenericRecord,
  intValue,
  longValue,
  nestedOrNull,
  optBytesValue,
  optIntValue,
  optLongValue,
  optStringArrayValue,
  optStringValue,
  stringArrayValue,
  stringValue,
  valuesOf,
} from "./generic-record.js";
import { type SimpleStats, simpleStatsFromRecord, simpleStatsToRecord } from "./simple-stats.js";
import { dataInvalid } from "../errors.js";

/** `org.apache.paimon.manifest.FileSource`: how a data file came to be. */
export const FileSource = { APPEND: 0, COMPACT: 1 } as const;
export type FileSource = (typeof FileSource)[keyof typeof FileSource];

export interface DataFileMeta {
  readonly fileName: string;
  readonly fileSize: bigint;
  readonly rowCount: bigint;
  readonly minKey: Uint8Array;
  readonly maxKey: Uint8Array;
  readonly keyStats: SimpleStats;
  readonly valueStats: SimpleStats;
  readonly minSequenceNumber: bigint;
  readonly maxSequenceNumber: bigint;
  readonly schemaId: bigint;
  readonly level: number;
  readonly extraFiles: readonly string[];
  readonly creationTime: bigint | null;
  readonly deleteRowCount: bigint | null;
  readonly embeddedIndex: Uint8Array | null;
  readonly fileSource: FileSource | null;
  readonly valueStatsCols: readonly string[] | null;
  readonly externalPath: string | null;
  readonly firstRowId: bigint | null;
  readonly writeCols: readonly string[] | null;
}

/** `DataFileMeta.SCHEMA`'s fields, in order: the positions `dataFileMetaFromValues` reads. */
export const DATA_FILE_META_FIELDS: readonly string[] = [
  "_FILE_NAME",
  "_FILE_SIZE",
  "_ROW_COUNT",
  "_MIN_KEY",
  "_MAX_KEY",
  "_KEY_STATS",
  "_VALUE_STATS",
  "_MIN_SEQUENCE_NUMBER",
  "_MAX_SEQUENCE_NUMBER",
  "_SCHEMA_ID",
  "_LEVEL",
  "_EXTRA_FILES",
  "_CREATION_TIME",
  "_DELETE_ROW_COUNT",
  "_EMBEDDED_FILE_INDEX",
  "_FILE_SOURCE",
  "_VALUE_STATS_COLS",
  "_EXTERNAL_PATH",
  "_FIRST_ROW_ID",
  "_WRITE_COLS",
];

/** `v[5]`/`v[6]` are the stats, already built (or null when the file has none: an error). */
export function dataFileMetaFromValues(v: readonly unknown[]): DataFileMeta {
  const fileSource = optIntValue(v[15], "_FILE_SOURCE");
  if (fileSource !== null && fileSource !== 0 && fileSource !== 1) {
    throw dataInvalid(`unknown _FILE_SOURCE ${fileSource}`, { field: "_FILE_SOURCE" });
  }
  return {
    fileName: stringValue(v[0], "_FILE_NAME"),
    fileSize: longValue(v[1], "_FILE_SIZE"),
    rowCount: longValue(v[2], "_ROW_COUNT"),
    minKey: bytesValue(v[3], "_MIN_KEY"),
    maxKey: bytesValue(v[4], "_MAX_KEY"),
    keyStats: builtValue<SimpleStats>(v[5], "_KEY_STATS"),
    valueStats: builtValue<SimpleStats>(v[6], "_VALUE_STATS"),
    minSequenceNumber: longValue(v[7], "_MIN_SEQUENCE_NUMBER"),
    maxSequenceNumber: longValue(v[8], "_MAX_SEQUENCE_NUMBER"),
    schemaId: longValue(v[9], "_SCHEMA_ID"),
    level: intValue(v[10], "_LEVEL"),
    extraFiles: stringArrayValue(v[11], "_EXTRA_FILES"),
    creationTime: optLongValue(v[12], "_CREATION_TIME"),
    deleteRowCount: optLongValue(v[13], "_DELETE_ROW_COUNT"),
    embeddedIndex: optBytesValue(v[14], "_EMBEDDED_FILE_INDEX"),
    fileSource,
    valueStatsCols: optStringArrayValue(v[16], "_VALUE_STATS_COLS"),
    externalPath: optStringValue(v[17], "_EXTERNAL_PATH"),
    firstRowId: optLongValue(v[18], "_FIRST_ROW_ID"),
    writeCols: optStringArrayValue(v[19], "_WRITE_COLS"),
  };
}

export function dataFileMetaFromRecord(rec: GenericRecord): DataFileMeta {
  const v = valuesOf(rec, DATA_FILE_META_FIELDS);
  v[5] = nestedOrNull(rec, "_KEY_STATS", simpleStatsFromRecord);
  v[6] = nestedOrNull(rec, "_VALUE_STATS", simpleStatsFromRecord);
  return dataFileMetaFromValues(v);
}

export function dataFileMetaToRecord(f: DataFileMeta): GenericRecord {
  return {
    _FILE_NAME: f.fileName,
    _FILE_SIZE: f.fileSize,
    _ROW_COUNT: f.rowCount,
    _MIN_KEY: f.minKey,
    _MAX_KEY: f.maxKey,
    _KEY_STATS: simpleStatsToRecord(f.keyStats),
    _VALUE_STATS: simpleStatsToRecord(f.valueStats),
    _MIN_SEQUENCE_NUMBER: f.minSequenceNumber,
    _MAX_SEQUENCE_NUMBER: f.maxSequenceNumber,
    _SCHEMA_ID: f.schemaId,
    _LEVEL: f.level,
    _EXTRA_FILES: f.extraFiles,
    _CREATION_TIME: f.creationTime,
    _DELETE_ROW_COUNT: f.deleteRowCount,
    _EMBEDDED_FILE_INDEX: f.embeddedIndex,
    _FILE_SOURCE: f.fileSource,
    _VALUE_STATS_COLS: f.valueStatsCols,
    _EXTERNAL_PATH: f.externalPath,
    _FIRST_ROW_ID: f.firstRowId,
    _WRITE_COLS: f.writeCols,
  };
}
