/**
 * One row of an index manifest: an index file (dynamic-bucket HASH index, DELETION_VECTORS,
 * global index…) added to or removed from a partition-bucket — mirrors
 * `org.apache.paimon.manifest.IndexManifestEntry` with its `org.apache.paimon.index.IndexFileMeta`
 * flattened in (Paimon 2.0, `IndexManifestEntrySerializer`, `_VERSION` 1).
 *
 *   _VERSION int, _KIND int (0 ADD, 1 DELETE), _PARTITION bytes, _BUCKET int,
 *   _INDEX_TYPE string            "HASH", "DELETION_VECTORS", …
 *   _FILE_NAME string             file in `index/`
 *   _FILE_SIZE long, _ROW_COUNT long
 *   _DELETIONS_VECTORS_RANGES     [null, array<[null, record{f0 string data file name,
 *                                 f1 int offset, f2 int length, _CARDINALITY long? (0.9)}]>]
 *                                 (`DeletionVectorMeta`; the offset points at the 4-byte
 *                                 size that precedes each bitmap in the index file)
 *   _EXTERNAL_PATH string? (1.1)
 *   _GLOBAL_INDEX record? (1.3)   `GlobalIndexMeta`: _ROW_RANGE_START long,
 *                                 _ROW_RANGE_END long, _INDEX_FIELD_ID int,
 *                                 _EXTRA_FIELD_IDS array<int>?, _INDEX_META bytes?
 * Later Java builds add fields to _GLOBAL_INDEX (_SOURCE_META, _BUILD_SCHEMA_ID): they
 * are read past by name and not kept.
 */
import { dataInvalid } from "../errors.js";
import { fileKindFromRecord, type FileKind } from "./manifest-entry.js";
import {
  asRecord,
  checkVersion,
  type GenericRecord,
  optBytes,
  optIntArray,
  optLong,
  optString,
  reqArray,
  reqBytes,
  reqInt,
  reqLong,
  reqString,
} from "./generic-record.js";

export const INDEX_MANIFEST_ENTRY_VERSION = 1;

export interface DeletionVectorMeta {
  readonly dataFileName: string;
  readonly offset: number;
  readonly length: number;
  readonly cardinality: bigint | null;
}

export interface GlobalIndexMeta {
  readonly rowRangeStart: bigint;
  readonly rowRangeEnd: bigint;
  readonly indexFieldId: number;
  readonly extraFieldIds: readonly number[] | null;
  readonly indexMeta: Uint8Array | null;
}

export interface IndexFileMeta {
  readonly indexType: string;
  readonly fileName: string;
  readonly fileSize: bigint;
  readonly rowCount: bigint;
  readonly deletionVectorRanges: readonly DeletionVectorMeta[] | null;
  readonly externalPath: string | null;
  readonly globalIndex: GlobalIndexMeta | null;
}

export interface IndexManifestEntry {
  readonly kind: FileKind;
  readonly partition: Uint8Array;
  readonly bucket: number;
  readonly indexFile: IndexFileMeta;
}

function deletionVectorMetaFromRecord(v: unknown): DeletionVectorMeta {
  const rec = asRecord(v, "_DELETIONS_VECTORS_RANGES[]");
  return { dataFileName: reqString(rec, "f0"), offset: reqInt(rec, "f1"), length: reqInt(rec, "f2"), cardinality: optLong(rec, "_CARDINALITY") };
}

function globalIndexMetaFromRecord(v: unknown): GlobalIndexMeta | null {
  if (v === null || v === undefined) return null;
  const rec = asRecord(v, "_GLOBAL_INDEX");
  return {
    rowRangeStart: reqLong(rec, "_ROW_RANGE_START"),
    rowRangeEnd: reqLong(rec, "_ROW_RANGE_END"),
    indexFieldId: reqInt(rec, "_INDEX_FIELD_ID"),
    extraFieldIds: optIntArray(rec, "_EXTRA_FIELD_IDS"),
    indexMeta: optBytes(rec, "_INDEX_META"),
  };
}

export function indexManifestEntryFromRecord(rec: GenericRecord): IndexManifestEntry {
  checkVersion(rec, INDEX_MANIFEST_ENTRY_VERSION, "index manifest entry");
  const ranges = rec["_DELETIONS_VECTORS_RANGES"];
  let deletionVectorRanges: DeletionVectorMeta[] | null = null;
  if (ranges !== null && ranges !== undefined) {
    deletionVectorRanges = reqArray(rec, "_DELETIONS_VECTORS_RANGES").map(deletionVectorMetaFromRecord);
    const seen = new Set<string>();
    for (const r of deletionVectorRanges) {
      // Java keys the ranges by data file name (a LinkedHashMap): duplicates cannot round-trip.
      if (seen.has(r.dataFileName)) throw dataInvalid(`duplicate deletion vector range for ${r.dataFileName}`, { field: "_DELETIONS_VECTORS_RANGES" });
      seen.add(r.dataFileName);
    }
  }
  return {
    kind: fileKindFromRecord(rec),
    partition: reqBytes(rec, "_PARTITION"),
    bucket: reqInt(rec, "_BUCKET"),
    indexFile: {
      indexType: reqString(rec, "_INDEX_TYPE"),
      fileName: reqString(rec, "_FILE_NAME"),
      fileSize: reqLong(rec, "_FILE_SIZE"),
      rowCount: reqLong(rec, "_ROW_COUNT"),
      deletionVectorRanges,
      externalPath: optString(rec, "_EXTERNAL_PATH"),
      globalIndex: globalIndexMetaFromRecord(rec["_GLOBAL_INDEX"]),
    },
  };
}

export function indexManifestEntryToRecord(e: IndexManifestEntry): GenericRecord {
  const f = e.indexFile;
  const g = f.globalIndex;
  return {
    _VERSION: INDEX_MANIFEST_ENTRY_VERSION,
    _KIND: e.kind,
    _PARTITION: e.partition,
    _BUCKET: e.bucket,
    _INDEX_TYPE: f.indexType,
    _FILE_NAME: f.fileName,
    _FILE_SIZE: f.fileSize,
    _ROW_COUNT: f.rowCount,
    _DELETIONS_VECTORS_RANGES:
      f.deletionVectorRanges === null
        ? null
        : f.deletionVectorRanges.map((r) => ({ f0: r.dataFileName, f1: r.offset, f2: r.length, _CARDINALITY: r.cardinality })),
    _EXTERNAL_PATH: f.externalPath,
    _GLOBAL_INDEX:
      g === null
        ? null
        : {
            _ROW_RANGE_START: g.rowRangeStart,
            _ROW_RANGE_END: g.rowRangeEnd,
            _INDEX_FIELD_ID: g.indexFieldId,
            _EXTRA_FIELD_IDS: g.extraFieldIds,
            _INDEX_META: g.indexMeta,
          },
  };
}
