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
import { builtValue, bytesValue, checkVersionValue, type GenericRecord, intValue, nestedOrNull, valuesOf } from "./generic-record.js";

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

export function fileKindValue(v: unknown): FileKind {
  const kind = intValue(v, "_KIND");
  if (kind !== 0 && kind !== 1) throw dataInvalid(`unknown _KIND ${kind}`, { field: "_KIND" });
  return kind;
}

export function fileKindFromRecord(rec: GenericRecord): FileKind {
  return fileKindValue(rec["_KIND"]);
}

/** The fields of `ManifestEntrySerializer`'s rows, in order: the positions `manifestEntryFromValues` reads. */
export const MANIFEST_ENTRY_FIELDS: readonly string[] = ["_VERSION", "_KIND", "_PARTITION", "_BUCKET", "_TOTAL_BUCKETS", "_FILE"];

/** `v[5]` is the DataFileMeta, already built. */
export function manifestEntryFromValues(v: readonly unknown[]): ManifestEntry {
  checkVersionValue(v[0], MANIFEST_ENTRY_VERSION, "manifest entry");
  return {
    kind: fileKindValue(v[1]),
    partition: bytesValue(v[2], "_PARTITION"),
    bucket: intValue(v[3], "_BUCKET"),
    totalBuckets: intValue(v[4], "_TOTAL_BUCKETS"),
    file: builtValue<DataFileMeta>(v[5], "_FILE"),
  };
}

export function manifestEntryFromRecord(rec: GenericRecord): ManifestEntry {
  const v = valuesOf(rec, MANIFEST_ENTRY_FIELDS);
  v[5] = nestedOrNull(rec, "_FILE", dataFileMetaFromRecord);
  return manifestEntryFromValues(v);
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
