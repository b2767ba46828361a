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
  type GenericRecord,
  optBytes,
  optInt,
  optLong,
  optString,
  optStringArray,
  reqBytes,
  reqInt,
  reqLong,
  reqNested,
  reqString,
  reqStringArray,
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

export function dataFileMetaFromRecord(rec: GenericRecord): DataFileMeta {
  const fileSource = optInt(rec, "_FILE_SOURCE");
  if (fileSource !== null && fileSource !== 0 && fileSource !== 1) {
    throw dataInvalid(`unknown _FILE_SOURCE ${fileSource}`, { field: "_FILE_SOURCE" });
  }
  return {
    fileName: reqString(rec, "_FILE_NAME"),
    fileSize: reqLong(rec, "_FILE_SIZE"),
    rowCount: reqLong(rec, "_ROW_COUNT"),
    minKey: reqBytes(rec, "_MIN_KEY"),
    maxKey: reqBytes(rec, "_MAX_KEY"),
    keyStats: simpleStatsFromRecord(reqNested(rec, "_KEY_STATS")),
    valueStats: simpleStatsFromRecord(reqNested(rec, "_VALUE_STATS")),
    minSequenceNumber: reqLong(rec, "_MIN_SEQUENCE_NUMBER"),
    maxSequenceNumber: reqLong(rec, "_MAX_SEQUENCE_NUMBER"),
    schemaId: reqLong(rec, "_SCHEMA_ID"),
    level: reqInt(rec, "_LEVEL"),
    extraFiles: reqStringArray(rec, "_EXTRA_FILES"),
    creationTime: optLong(rec, "_CREATION_TIME"),
    deleteRowCount: optLong(rec, "_DELETE_ROW_COUNT"),
    embeddedIndex: optBytes(rec, "_EMBEDDED_FILE_INDEX"),
    fileSource,
    valueStatsCols: optStringArray(rec, "_VALUE_STATS_COLS"),
    externalPath: optString(rec, "_EXTERNAL_PATH"),
    firstRowId: optLong(rec, "_FIRST_ROW_ID"),
    writeCols: optStringArray(rec, "_WRITE_COLS"),
  };
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
