/**
 * One row of a manifest file: a data file added to or deleted from a partition-bucket —
 * mirrors `org.apache.paimon.manifest.ManifestEntry` (Paimon 2.0), serialized by
 * `ManifestEntrySerializer` with `_VERSION` 2.
 *
 *   _VERSION int        2
 *   _KIND int           0 ADD, 1 DELETE (`FileKind`, a Java TINYINT)
 *   _PARTITION bytes    serialized BinaryRow of the partition (empty row if unpartitioned)
 *   _BUCKET int         bucket id (-2 = postpone bucket)
 *   _TOTAL_BUCKETS int  bucket count of the table when the file was written
 *   _FILE record        DataFileMeta
 */
import { dataInvalid } from "../errors.js";
import { type DataFileMeta, dataFileMetaFromRecord, dataFileMetaToRecord } from "./data-file-meta.js";
import { checkVersion, type GenericRecord, reqBytes, reqInt, reqNested } from "./generic-record.js";

export const MANIFEST_ENTRY_VERSION = 2;

/** `org.apache.paimon.manifest.FileKind`. */
export const FileKind = { ADD: 0, DELETE: 1 } as const;
export type FileKind = (typeof FileKind)[keyof typeof FileKind];

export interface ManifestEntry {
  readonly kind: FileKind;
  readonly partition: Uint8Array;
  readonly bucket: number;
  readonly totalBuckets: number;
  readonly file: DataFileMeta;
}

export function fileKindFromRecord(rec: GenericRecord): FileKind {
  const kind = reqInt(rec, "_KIND");
  if (kind !== 0 && kind !== 1) throw dataInvalid(`unknown _KIND ${kind}`, { field: "_KIND" });
  return kind;
}

export function manifestEntryFromRecord(rec: GenericRecord): ManifestEntry {
  checkVersion(rec, MANIFEST_ENTRY_VERSION, "manifest entry");
  return {
    kind: fileKindFromRecord(rec),
    partition: reqBytes(rec, "_PARTITION"),
    bucket: reqInt(rec, "_BUCKET"),
    totalBuckets: reqInt(rec, "_TOTAL_BUCKETS"),
    file: dataFileMetaFromRecord(reqNested(rec, "_FILE")),
  };
}

export function manifestEntryToRecord(e: ManifestEntry): GenericRecord {
  return {
    _VERSION: MANIFEST_ENTRY_VERSION,
    _KIND: e.kind,
    _PARTITION: e.partition,
    _BUCKET: e.bucket,
    _TOTAL_BUCKETS: e.totalBuckets,
    _FILE: dataFileMetaToRecord(e.file),
  };
}
