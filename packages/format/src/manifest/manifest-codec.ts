/**
 * Reading and writing the three Avro manifest kinds (Paimon 2.0 `ManifestFile`,
 * `ManifestList`, `IndexManifestFile`). Decoding is two steps, so an ORC reader can share
 * the second: container bytes → generic records (resolved by field name against the 2.0
 * schema: older files read missing fields as null, newer ones' extra fields are skipped)
 * → typed models; ORC manifests join at the generic-record step. Every error carries the file name and, from the Avro layer, the offset.
 */
import type { AvroCodecName } from "../avro/avro-codecs.js";
import { readAvroContainer, writeAvroContainer } from "../avro/avro-container.js";
import type { AvroRecord } from "../avro/avro-schema.js";
import { withErrorContext } from "../errors.js";
import { readOrcFile } from "../orc/orc-reader.js";
import type { GenericRecord } from "./generic-record.js";
import { type IndexManifestEntry, indexManifestEntryFromRecord, indexManifestEntryToRecord } from "./index-manifest-entry.js";
import { type ManifestEntry, manifestEntryFromRecord, manifestEntryToRecord } from "./manifest-entry.js";
import { type ManifestFileMeta, manifestFileMetaFromRecord, manifestFileMetaToRecord } from "./manifest-file-meta.js";
import { INDEX_MANIFEST_ENTRY_SCHEMA, MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA } from "./manifest-schemas.js";

export interface ManifestWriteOptions {
  /** Default `zstandard`, Paimon's `manifest.compression` default. */
  readonly codec?: AvroCodecName;
  /** Source of the sync marker bytes (tests pass a seeded one). */
  readonly random?: (into: Uint8Array) => void;
  readonly blockSizeBytes?: number;
}

/**
 * Manifests are Avro unless the table sets `manifest.format=orc` (five of the Java
 * vector tables do). The file's magic decides, so readers need not know the option.
 */
function isOrc(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x4f && bytes[1] === 0x52 && bytes[2] === 0x43;
}

function decode<T>(bytes: Uint8Array, fileName: string, schema: AvroRecord, map: (rec: GenericRecord) => T): T[] {
  return withErrorContext({ file: fileName }, () => {
    const records = isOrc(bytes) ? readOrcFile(bytes, fileName).rows : readAvroContainer(bytes, { readerSchema: schema }).records;
    const out: T[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      try {
        out[i] = map(records[i] as GenericRecord);
      } catch (e) {
        throw withErrorContext({ row: i }, () => {
          throw e;
        });
      }
    }
    return out;
  });
}

function encode<T>(items: readonly T[], schema: AvroRecord, toRecord: (item: T) => GenericRecord, options: ManifestWriteOptions): Uint8Array {
  return writeAvroContainer(items.map(toRecord), {
    schema,
    codec: options.codec ?? "zstandard",
    ...(options.random ? { random: options.random } : {}),
    ...(options.blockSizeBytes ? { blockSizeBytes: options.blockSizeBytes } : {}),
  });
}

export function decodeManifestEntries(bytes: Uint8Array, fileName: string): ManifestEntry[] {
  return decode(bytes, fileName, MANIFEST_ENTRY_SCHEMA, manifestEntryFromRecord);
}

export function encodeManifestEntries(entries: readonly ManifestEntry[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(entries, MANIFEST_ENTRY_SCHEMA, manifestEntryToRecord, options);
}

export function decodeManifestList(bytes: Uint8Array, fileName: string): ManifestFileMeta[] {
  return decode(bytes, fileName, MANIFEST_FILE_META_SCHEMA, manifestFileMetaFromRecord);
}

export function encodeManifestList(metas: readonly ManifestFileMeta[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(metas, MANIFEST_FILE_META_SCHEMA, manifestFileMetaToRecord, options);
}

export function decodeIndexManifest(bytes: Uint8Array, fileName: string): IndexManifestEntry[] {
  return decode(bytes, fileName, INDEX_MANIFEST_ENTRY_SCHEMA, indexManifestEntryFromRecord);
}

export function encodeIndexManifest(entries: readonly IndexManifestEntry[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(entries, INDEX_MANIFEST_ENTRY_SCHEMA, indexManifestEntryToRecord, options);
}
