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
import { builtValue, checkVersionValue, type GenericRecord, longValue, nestedOrNull, optIntValue, optLongValue, stringValue, valuesOf } from "./generic-record.js";
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

/** The fields of `ManifestFileMetaSerializer`'s rows, in order: the positions `manifestFileMetaFromValues` reads. */
export const MANIFEST_FILE_META_FIELDS: readonly string[] = [
  "_VERSION",
  "_FILE_NAME",
  "_FILE_SIZE",
  "_NUM_ADDED_FILES",
  "_NUM_DELETED_FILES",
  "_PARTITION_STATS",
  "_SCHEMA_ID",
  "_MIN_BUCKET",
  "_MAX_BUCKET",
  "_MIN_LEVEL",
  "_MAX_LEVEL",
  "_MIN_ROW_ID",
  "_MAX_ROW_ID",
];

/** `v[5]` is the partition stats, already built. */
export function manifestFileMetaFromValues(v: readonly unknown[]): ManifestFileMeta {
  checkVersionValue(v[0], MANIFEST_FILE_META_VERSION, "manifest list entry");
  return {
    fileName: stringValue(v[1], "_FILE_NAME"),
    fileSize: longValue(v[2], "_FILE_SIZE"),
    numAddedFiles: longValue(v[3], "_NUM_ADDED_FILES"),
    numDeletedFiles: longValue(v[4], "_NUM_DELETED_FILES"),
    partitionStats: builtValue<SimpleStats>(v[5], "_PARTITION_STATS"),
    schemaId: longValue(v[6], "_SCHEMA_ID"),
    minBucket: optIntValue(v[7], "_MIN_BUCKET"),
    maxBucket: optIntValue(v[8], "_MAX_BUCKET"),
    minLevel: optIntValue(v[9], "_MIN_LEVEL"),
    maxLevel: optIntValue(v[10], "_MAX_LEVEL"),
    minRowId: optLongValue(v[11], "_MIN_ROW_ID"),
    maxRowId: optLongValue(v[12], "_MAX_ROW_ID"),
  };
}

export function manifestFileMetaFromRecord(rec: GenericRecord): ManifestFileMeta {
  const v = valuesOf(rec, MANIFEST_FILE_META_FIELDS);
  v[5] = nestedOrNull(rec, "_PARTITION_STATS", simpleStatsFromRecord);
  return manifestFileMetaFromValues(v);
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
