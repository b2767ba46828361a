/**
 * One row of a manifest list: a manifest file and a summary of it — mirrors
 * `org.apache.paimon.manifest.ManifestFileMeta` (Paimon 2.0), serialized by
 * `ManifestFileMetaSerializer` with `_VERSION` 2.
 *
 *   _VERSION int                 2
 *   _FILE_NAME string            manifest file name (in `manifest/`)
 *   _FILE_SIZE long              its size in bytes
 *   _NUM_ADDED_FILES long        ADD entries in it
 *   _NUM_DELETED_FILES long      DELETE entries in it
 *   _PARTITION_STATS SimpleStats min/max/null counts of the partition columns
 *   _SCHEMA_ID long              schema the manifest was written with
 *   _MIN_BUCKET/_MAX_BUCKET int?, _MIN_LEVEL/_MAX_LEVEL int?   (1.1) bucket/level ranges
 *   _MIN_ROW_ID/_MAX_ROW_ID long?                              (1.4) row-id range
 */
import { checkVersion, type GenericRecord, optInt, optLong, reqLong, reqNested, reqString } from "./generic-record.js";
import { type SimpleStats, simpleStatsFromRecord, simpleStatsToRecord } from "./simple-stats.js";

export const MANIFEST_FILE_META_VERSION = 2;

export interface ManifestFileMeta {
  readonly fileName: string;
  readonly fileSize: bigint;
  readonly numAddedFiles: bigint;
  readonly numDeletedFiles: bigint;
  readonly partitionStats: SimpleStats;
  readonly schemaId: bigint;
  readonly minBucket: number | null;
  readonly maxBucket: number | null;
  readonly minLevel: number | null;
  readonly maxLevel: number | null;
  readonly minRowId: bigint | null;
  readonly maxRowId: bigint | null;
}

export function manifestFileMetaFromRecord(rec: GenericRecord): ManifestFileMeta {
  checkVersion(rec, MANIFEST_FILE_META_VERSION, "manifest list entry");
  return {
    fileName: reqString(rec, "_FILE_NAME"),
    fileSize: reqLong(rec, "_FILE_SIZE"),
    numAddedFiles: reqLong(rec, "_NUM_ADDED_FILES"),
    numDeletedFiles: reqLong(rec, "_NUM_DELETED_FILES"),
    partitionStats: simpleStatsFromRecord(reqNested(rec, "_PARTITION_STATS")),
    schemaId: reqLong(rec, "_SCHEMA_ID"),
    minBucket: optInt(rec, "_MIN_BUCKET"),
    maxBucket: optInt(rec, "_MAX_BUCKET"),
    minLevel: optInt(rec, "_MIN_LEVEL"),
    maxLevel: optInt(rec, "_MAX_LEVEL"),
    minRowId: optLong(rec, "_MIN_ROW_ID"),
    maxRowId: optLong(rec, "_MAX_ROW_ID"),
  };
}

export function manifestFileMetaToRecord(m: ManifestFileMeta): GenericRecord {
  return {
    _VERSION: MANIFEST_FILE_META_VERSION,
    _FILE_NAME: m.fileName,
    _FILE_SIZE: m.fileSize,
    _NUM_ADDED_FILES: m.numAddedFiles,
    _NUM_DELETED_FILES: m.numDeletedFiles,
    _PARTITION_STATS: simpleStatsToRecord(m.partitionStats),
    _SCHEMA_ID: m.schemaId,
    _MIN_BUCKET: m.minBucket,
    _MAX_BUCKET: m.maxBucket,
    _MIN_LEVEL: m.minLevel,
    _MAX_LEVEL: m.maxLevel,
    _MIN_ROW_ID: m.minRowId,
    _MAX_ROW_ID: m.maxRowId,
  };
}
