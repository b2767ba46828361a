/**
 * Writes the metadata files of a commit — manifests, manifest lists, index
 * manifests — into `<table>/manifest/` (the writing half of Paimon's `ManifestFile`,
 * `ManifestList` and `IndexManifestFile`, release 2.0.0).
 *
 * Names follow Java: `manifest-<uuid>-<n>`, `manifest-list-<uuid>-<n>`,
 * `index-manifest-<uuid>-<n>`, one UUID per kind and committer, `n` counting from 0
 * and never reused by that committer, so a retried attempt never collides with the
 * files of an earlier one. Every file is created with `writeIfAbsent`; a name that
 * already exists is a bug, never overwritten.
 *
 * Each writer remembers the names it created (`created`), including those whose
 * write failed after it may have taken effect, so that an attempt that is known not
 * to have been published can delete them.
 */
import { randomUUID } from "node:crypto";
import type { FileIO } from "@streamhouse/fileio";
import {
  type AvroCodecName,
  type CoreOptions,
  type DataType,
  decodeBinaryRow,
  encodeBinaryRow,
  encodeIndexManifest,
  encodeManifestEntries,
  encodeManifestList,
  ErrorKind,
  FileKind,
  type IndexManifestEntry,
  type ManifestEntry,
  type ManifestFileMeta,
  type SimpleStats,
  StreamhouseError,
  type Value,
} from "@streamhouse/format";
import { compareValues } from "../merge/compare-values.js";
import { TablePaths } from "../table-paths.js";

/** The name sequences of one committer. */
export class ManifestFileNames {
  private readonly manifestUuid: string;
  private readonly listUuid: string;
  private readonly indexUuid: string;
  private manifestCount = 0;
  private listCount = 0;
  private indexCount = 0;

  constructor(uuid: () => string = randomUUID) {
    this.manifestUuid = uuid();
    this.listUuid = uuid();
    this.indexUuid = uuid();
  }

  manifest(): string {
    return `manifest-${this.manifestUuid}-${this.manifestCount++}`;
  }
  manifestList(): string {
    return `manifest-list-${this.listUuid}-${this.listCount++}`;
  }
  indexManifest(): string {
    return `index-manifest-${this.indexUuid}-${this.indexCount++}`;
  }
}

/** The Avro codec for `manifest.compression` (Paimon's names; `zstd` by default). */
export function manifestCodec(options: CoreOptions): AvroCodecName {
  const format = options.manifestFormat();
  if (format !== "avro") {
    throw new StreamhouseError(ErrorKind.Unsupported, `writing manifest.format=${format} is not supported (only avro)`, { context: { option: "manifest.format" } });
  }
  const c = options.manifestCompression();
  switch (c) {
    case "zstd":
    case "zstandard":
      return "zstandard";
    case "snappy":
      return "snappy";
    case "deflate":
      return "deflate";
    case "none":
    case "null":
    case "uncompressed":
      return "null";
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `manifest.compression=${c} is not supported`, { context: { option: "manifest.compression" } });
  }
}

export interface ManifestWriterOptions {
  readonly partitionTypes: readonly DataType[];
  /** The schema the table has at this commit (`_SCHEMA_ID` of the manifest list rows). */
  readonly schemaId: number;
  /** `manifest.target-file-size`: a manifest rolls over once it reaches this size. */
  readonly targetFileSizeBytes: number;
  readonly codec: AvroCodecName;
  /** Sync-marker bytes (tests pass seeded ones). */
  readonly random?: (into: Uint8Array) => void;
}

/** Entries per first size check; later checks aim at the target from the measured bytes per entry. */
const FIRST_ROLL_CHECK_ENTRIES = 16;

export class ManifestWriter {
  /** Every file this writer tried to create, in order. */
  readonly created: string[] = [];

  constructor(
    private readonly io: FileIO,
    private readonly tablePath: string,
    private readonly names: ManifestFileNames,
    private readonly options: ManifestWriterOptions,
  ) {}

  private async create(name: string, bytes: Uint8Array): Promise<void> {
    this.created.push(name);
    const path = TablePaths.manifest(this.tablePath, name);
    if (!(await this.io.writeIfAbsent(path, bytes))) {
      throw new StreamhouseError(ErrorKind.AlreadyExists, `manifest file ${name} already exists`, { context: { file: path } });
    }
  }

  private encodeOptions() {
    return { codec: this.options.codec, ...(this.options.random ? { random: this.options.random } : {}) };
  }

  /**
   * Writes `entries` into as many manifests as the target size asks for (none for no
   * entries), in order. Java checks the size of the file being written as it goes; we
   * encode the pending entries at checkpoints spaced by the bytes per entry measured so
   * far, so a file ends at the first checkpoint at or past the target.
   */
  async writeManifests(entries: readonly ManifestEntry[]): Promise<ManifestFileMeta[]> {
    const out: ManifestFileMeta[] = [];
    const target = Math.max(1, this.options.targetFileSizeBytes);
    let start = 0;
    while (start < entries.length) {
      let end = Math.min(entries.length, start + FIRST_ROLL_CHECK_ENTRIES);
      let bytes = encodeManifestEntries(entries.slice(start, end), this.encodeOptions());
      while (bytes.length < target && end < entries.length) {
        const perEntry = bytes.length / (end - start);
        const next = start + Math.ceil(target / Math.max(1, perEntry));
        end = Math.min(entries.length, Math.max(end + 1, next));
        bytes = encodeManifestEntries(entries.slice(start, end), this.encodeOptions());
      }
      const chunk = entries.slice(start, end);
      const name = this.names.manifest();
      await this.create(name, bytes);
      out.push(this.meta(name, bytes.length, chunk));
      start = end;
    }
    return out;
  }

  /** Writes a manifest list (an empty one too: every snapshot names its lists). */
  async writeManifestList(metas: readonly ManifestFileMeta[]): Promise<{ readonly name: string; readonly size: number }> {
    const bytes = encodeManifestList(metas, this.encodeOptions());
    const name = this.names.manifestList();
    await this.create(name, bytes);
    return { name, size: bytes.length };
  }

  async writeIndexManifest(entries: readonly IndexManifestEntry[]): Promise<string> {
    const bytes = encodeIndexManifest(entries, this.encodeOptions());
    const name = this.names.indexManifest();
    await this.create(name, bytes);
    return name;
  }

  /** The manifest-list row of a manifest holding `entries`. */
  private meta(fileName: string, size: number, entries: readonly ManifestEntry[]): ManifestFileMeta {
    let added = 0n;
    let deleted = 0n;
    let minBucket = Number.POSITIVE_INFINITY;
    let maxBucket = Number.NEGATIVE_INFINITY;
    let minLevel = Number.POSITIVE_INFINITY;
    let maxLevel = Number.NEGATIVE_INFINITY;
    for (const e of entries) {
      if (e.kind === FileKind.ADD) added++;
      else deleted++;
      minBucket = Math.min(minBucket, e.bucket);
      maxBucket = Math.max(maxBucket, e.bucket);
      minLevel = Math.min(minLevel, e.file.level);
      maxLevel = Math.max(maxLevel, e.file.level);
    }
    return {
      fileName,
      fileSize: BigInt(size),
      numAddedFiles: added,
      numDeletedFiles: deleted,
      partitionStats: partitionStats(this.options.partitionTypes, entries),
      schemaId: BigInt(this.options.schemaId),
      minBucket,
      maxBucket,
      minLevel,
      maxLevel,
      minRowId: null,
      maxRowId: null,
    };
  }
}

/**
 * Min, max and null count of each partition field over the entries' partitions —
 * full statistics, never truncated (Java's `SimpleStatsCollector` over the partition
 * type). Partitions repeat a lot, so each distinct one is decoded once.
 */
export function partitionStats(types: readonly DataType[], entries: readonly ManifestEntry[]): SimpleStats {
  const min: (Value | null)[] = types.map(() => null);
  const max: (Value | null)[] = types.map(() => null);
  const nulls: bigint[] = types.map(() => 0n);
  const counts = new Map<string, { readonly bytes: Uint8Array; n: bigint }>();
  for (const e of entries) {
    const key = Buffer.from(e.partition).toString("latin1");
    const c = counts.get(key);
    if (c === undefined) counts.set(key, { bytes: e.partition, n: 1n });
    else c.n++;
  }
  for (const { bytes, n } of counts.values()) {
    const row = decodeBinaryRow(types, bytes, { field: "_PARTITION" });
    for (let i = 0; i < types.length; i++) {
      const v = row[i] ?? null;
      if (v === null) {
        nulls[i]! += n;
        continue;
      }
      const t = types[i]!;
      if (min[i] === null || compareValues(t, v, min[i]!) < 0) min[i] = v;
      if (max[i] === null || compareValues(t, v, max[i]!) > 0) max[i] = v;
    }
  }
  return { minValues: encodeBinaryRow(types, min), maxValues: encodeBinaryRow(types, max), nullCounts: nulls };
}
