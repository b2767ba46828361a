/**
 * Reading and writing the three Avro manifest kinds (Paimon 2.0 `ManifestFile`,
 * `ManifestList`, `IndexManifestFile`). Avro rows are resolved by field name against the
 * 2.0 schema (older files read missing fields as null, newer ones' extra fields are
 * skipped). Manifest entries and manifest lists — read on every scan plan — are built
 * straight from the bytes into the typed models (`…FromValues`, given to the Avro decoder
 * as record builders); index manifests, and every ORC manifest, go through generic
 * records (`…FromRecord`), which end in the same builders. Every error carries the file
 * name and, from the Avro layer, the offset, or for a bad value the row and field.
 */
import type { AvroRecordBuilder, AvroRecordBuilders } from "../avro/avro-binary.js";
import type { AvroCodecName } from "../avro/avro-codecs.js";
import { readAvroContainer, writeAvroContainer } from "../avro/avro-container.js";
import type { AvroRecord } from "../avro/avro-schema.js";
import { dataInvalid, withErrorContext } from "../errors.js";
import { readOrcFile } from "../orc/orc-reader.js";
import { DATA_FILE_META_FIELDS, dataFileMetaFromValues } from "./data-file-meta.js";
import type { GenericRecord } from "./generic-record.js";
import { type IndexManifestEntry, indexManifestEntryFromRecord, indexManifestEntryToRecord } from "./index-manifest-entry.js";
import { MANIFEST_ENTRY_FIELDS, type ManifestEntry, manifestEntryFromRecord, manifestEntryFromValues, manifestEntryToRecord } from "./manifest-entry.js";
import {
  MANIFEST_FILE_META_FIELDS,
  type ManifestFileMeta,
  manifestFileMetaFromRecord,
  manifestFileMetaFromValues,
  manifestFileMetaToRecord,
} from "./manifest-file-meta.js";
import {
  DATA_FILE_META_SCHEMA,
  INDEX_MANIFEST_ENTRY_SCHEMA,
  KEY_STATS_SCHEMA,
  MANIFEST_ENTRY_SCHEMA,
  MANIFEST_FILE_META_SCHEMA,
  PARTITION_STATS_SCHEMA,
  VALUE_STATS_SCHEMA,
} from "./manifest-schemas.js";
import { SIMPLE_STATS_FIELDS, simpleStatsFromValues } from "./simple-stats.js";

const statsBuilder: AvroRecordBuilder = { fields: SIMPLE_STATS_FIELDS, build: simpleStatsFromValues };

const MANIFEST_ENTRY_BUILDERS: AvroRecordBuilders = new Map<AvroRecord, AvroRecordBuilder>([
  [MANIFEST_ENTRY_SCHEMA, { fields: MANIFEST_ENTRY_FIELDS, build: manifestEntryFromValues }],
  [DATA_FILE_META_SCHEMA, { fields: DATA_FILE_META_FIELDS, build: dataFileMetaFromValues }],
  [KEY_STATS_SCHEMA, statsBuilder],
  [VALUE_STATS_SCHEMA, statsBuilder],
]);

const MANIFEST_FILE_META_BUILDERS: AvroRecordBuilders = new Map<AvroRecord, AvroRecordBuilder>([
  [MANIFEST_FILE_META_SCHEMA, { fields: MANIFEST_FILE_META_FIELDS, build: manifestFileMetaFromValues }],
  [PARTITION_STATS_SCHEMA, statsBuilder],
]);

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

/** How one manifest kind is read: its reader schema, generic mapping and, optionally, typed Avro builders. */
interface ManifestKind<T> {
  readonly schema: AvroRecord;
  readonly fromRecord: (rec: GenericRecord) => T;
  /** Must include a builder for `schema` itself. */
  readonly builders?: AvroRecordBuilders;
}

function decode<T>(bytes: Uint8Array, fileName: string, kind: ManifestKind<T>): T[] {
  return withErrorContext({ file: fileName }, () => {
    if (!isOrc(bytes) && kind.builders !== undefined) {
      const rows = readAvroContainer(bytes, { readerSchema: kind.schema, builders: kind.builders }).records;
      // A writer schema of `["null", record]` (Paimon 0.9) may yield a null row.
      for (let i = 0; i < rows.length; i++) if (rows[i] === null) throw dataInvalid("manifest row is null", { row: i });
      return rows as T[];
    }
    const records = isOrc(bytes) ? readOrcFile(bytes, fileName).rows : readAvroContainer(bytes, { readerSchema: kind.schema }).records;
    const out: T[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      try {
        out[i] = kind.fromRecord(records[i] as GenericRecord);
      } catch (e) {
        throw withErrorContext({ row: i }, () => {
          throw e;
        });
      }
    }
    return out;
  });
}

const ENTRIES: ManifestKind<ManifestEntry> = { schema: MANIFEST_ENTRY_SCHEMA, fromRecord: manifestEntryFromRecord, builders: MANIFEST_ENTRY_BUILDERS };
const LIST: ManifestKind<ManifestFileMeta> = { schema: MANIFEST_FILE_META_SCHEMA, fromRecord: manifestFileMetaFromRecord, builders: MANIFEST_FILE_META_BUILDERS };
const INDEX: ManifestKind<IndexManifestEntry> = { schema: INDEX_MANIFEST_ENTRY_SCHEMA, fromRecord: indexManifestEntryFromRecord };

function encode<T>(items: readonly T[], schema: AvroRecord, toRecord: (item: T) => GenericRecord, options: ManifestWriteOptions): Uint8Array {
  return writeAvroContainer(items.map(toRecord), {
    schema,
    codec: options.codec ?? "zstandard",
    ...(options.random ? { random: options.random } : {}),
    ...(options.blockSizeBytes ? { blockSizeBytes: options.blockSizeBytes } : {}),
  });
}

export function decodeManifestEntries(bytes: Uint8Array, fileName: string): ManifestEntry[] {
  return decode(bytes, fileName, ENTRIES);
}

export function encodeManifestEntries(entries: readonly ManifestEntry[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(entries, MANIFEST_ENTRY_SCHEMA, manifestEntryToRecord, options);
}

export function decodeManifestList(bytes: Uint8Array, fileName: string): ManifestFileMeta[] {
  return decode(bytes, fileName, LIST);
}

export function encodeManifestList(metas: readonly ManifestFileMeta[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(metas, MANIFEST_FILE_META_SCHEMA, manifestFileMetaToRecord, options);
}

export function decodeIndexManifest(bytes: Uint8Array, fileName: string): IndexManifestEntry[] {
  return decode(bytes, fileName, INDEX);
}

export function encodeIndexManifest(entries: readonly IndexManifestEntry[], options: ManifestWriteOptions = {}): Uint8Array {
  return encode(entries, INDEX_MANIFEST_ENTRY_SCHEMA, indexManifestEntryToRecord, options);
}
