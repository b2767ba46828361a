/**
 * Table options with Paimon's names and defaults (mirrors `org.apache.paimon.CoreOptions`,
 * release 2.0.0). Options live in the schema as strings; `CoreOptions` reads them
 * with types and defaults, and throws a typed InvalidArgument error naming the
 * option when a value does not parse.
 *
 * Two defaults depend on the schema's version (see TableSchema): tables written
 * with schema version 1 default to `bucket=1`, and version ≤ 2 to `file.format=orc`.
 */
import { parseBoolean, parseDurationMs, parseEnum, parseInteger, parseMemorySize } from "./option-values.js";

export const MergeEngine = ["deduplicate", "partial-update", "aggregation", "first-row"] as const;
export type MergeEngine = (typeof MergeEngine)[number];

export const ChangelogProducer = ["none", "input", "full-compaction", "lookup"] as const;
export type ChangelogProducer = (typeof ChangelogProducer)[number];

export const SortOrder = ["ascending", "descending"] as const;
export type SortOrder = (typeof SortOrder)[number];

export const BucketFunctionType = ["default", "mod", "hive"] as const;
export type BucketFunctionType = (typeof BucketFunctionType)[number];

/** Bucket modes: a positive count is a fixed number of buckets. */
export const DYNAMIC_BUCKET = -1;
export const POSTPONE_BUCKET = -2;

export const DEFAULT_PARTITION_NAME = "__DEFAULT_PARTITION__";

const MB = 1024 * 1024;

/** The option names, as Paimon spells them. */
export const OptionKeys = {
  bucket: "bucket",
  bucketKey: "bucket-key",
  bucketFunctionType: "bucket-function.type",
  mergeEngine: "merge-engine",
  ignoreDelete: "ignore-delete",
  sequenceField: "sequence.field",
  sequenceFieldSortOrder: "sequence.field.sort-order",
  changelogProducer: "changelog-producer",
  fullCompactionDeltaCommits: "full-compaction.delta-commits",
  fileFormat: "file.format",
  fileCompression: "file.compression",
  statsMode: "metadata.stats-mode",
  targetFileSize: "target-file-size",
  writeBufferSize: "write-buffer-size",
  writeBufferSpillable: "write-buffer-spillable",
  pageSize: "page-size",
  writeOnly: "write-only",
  numSortedRunCompactionTrigger: "num-sorted-run.compaction-trigger",
  numSortedRunStopTrigger: "num-sorted-run.stop-trigger",
  numLevels: "num-levels",
  maxSizeAmplificationPercent: "compaction.max-size-amplification-percent",
  sizeRatio: "compaction.size-ratio",
  manifestFormat: "manifest.format",
  manifestCompression: "manifest.compression",
  manifestTargetFileSize: "manifest.target-file-size",
  manifestMergeMinCount: "manifest.merge-min-count",
  manifestFullCompactionThresholdSize: "manifest.full-compaction-threshold-size",
  deletionVectorsEnabled: "deletion-vectors.enabled",
  deletionVectorsBitmap64: "deletion-vectors.bitmap64",
  snapshotNumRetainedMin: "snapshot.num-retained.min",
  snapshotNumRetainedMax: "snapshot.num-retained.max",
  snapshotTimeRetained: "snapshot.time-retained",
  snapshotExpireLimit: "snapshot.expire.limit",
  commitMaxRetries: "commit.max-retries",
  commitMinRetryWait: "commit.min-retry-wait",
  commitMaxRetryWait: "commit.max-retry-wait",
  dynamicBucketTargetRowNum: "dynamic-bucket.target-row-num",
  partitionDefaultName: "partition.default-name",
  partitionLegacyName: "partition.legacy-name",
  dataFilePrefix: "data-file.prefix",
  changelogFilePrefix: "changelog-file.prefix",
  dataFileThinMode: "data-file.thin-mode",
  consumerExpirationTime: "consumer.expiration-time",
  fieldsDefaultAggregateFunction: "fields.default-aggregate-function",
  continuousDiscoveryInterval: "continuous.discovery-interval",
} as const;

export class CoreOptions {
  constructor(
    readonly options: Readonly<Record<string, string>>,
    /** The schema's JSON version; it changes two defaults. */
    readonly schemaVersion = 3,
  ) {}

  /** Returns options with `overrides` applied (like Paimon's dynamic options). */
  with(overrides: Readonly<Record<string, string>>): CoreOptions {
    return new CoreOptions({ ...this.options, ...overrides }, this.schemaVersion);
  }

  get(key: string): string | undefined {
    return this.options[key];
  }

  private str(key: string, fallback: string): string {
    return this.options[key] ?? fallback;
  }

  private int(key: string, fallback: number): number {
    const v = this.options[key];
    return v === undefined ? fallback : parseInteger(v, key);
  }

  private optInt(key: string): number | null {
    const v = this.options[key];
    return v === undefined ? null : parseInteger(v, key);
  }

  private bool(key: string, fallback: boolean): boolean {
    const v = this.options[key];
    return v === undefined ? fallback : parseBoolean(v, key);
  }

  private memory(key: string, fallback: number): number {
    const v = this.options[key];
    return v === undefined ? fallback : parseMemorySize(v, key);
  }

  private duration(key: string, fallbackMs: number): number {
    const v = this.options[key];
    return v === undefined ? fallbackMs : parseDurationMs(v, key);
  }

  private list(key: string): string[] {
    const v = this.options[key];
    if (v === undefined || v.trim() === "") return [];
    return v.split(",").map((x) => x.trim());
  }

  /** > 0 fixed buckets, -1 dynamic (PK) or bucket-unaware (append), -2 postpone. */
  bucket(): number {
    return this.int(OptionKeys.bucket, this.schemaVersion <= 1 ? 1 : DYNAMIC_BUCKET);
  }
  bucketKey(): string[] {
    return this.list(OptionKeys.bucketKey);
  }
  bucketFunctionType(): BucketFunctionType {
    return parseEnum(this.str(OptionKeys.bucketFunctionType, "default"), BucketFunctionType, OptionKeys.bucketFunctionType);
  }
  mergeEngine(): MergeEngine {
    return parseEnum(this.str(OptionKeys.mergeEngine, "deduplicate"), MergeEngine, OptionKeys.mergeEngine);
  }
  ignoreDelete(): boolean {
    // Older releases spelled it per engine; any of them switches it on.
    return (
      this.bool(OptionKeys.ignoreDelete, false) ||
      this.bool("first-row.ignore-delete", false) ||
      this.bool("deduplicate.ignore-delete", false) ||
      this.bool("partial-update.ignore-delete", false)
    );
  }
  sequenceFields(): string[] {
    return this.list(OptionKeys.sequenceField);
  }
  sequenceFieldSortOrder(): SortOrder {
    return parseEnum(this.str(OptionKeys.sequenceFieldSortOrder, "ascending"), SortOrder, OptionKeys.sequenceFieldSortOrder);
  }
  changelogProducer(): ChangelogProducer {
    return parseEnum(this.str(OptionKeys.changelogProducer, "none"), ChangelogProducer, OptionKeys.changelogProducer);
  }
  fullCompactionDeltaCommits(): number | null {
    return this.optInt(OptionKeys.fullCompactionDeltaCommits);
  }
  fileFormat(): string {
    return this.str(OptionKeys.fileFormat, this.schemaVersion <= 2 ? "orc" : "parquet").toLowerCase();
  }
  fileCompression(): string {
    return this.str(OptionKeys.fileCompression, "zstd").toLowerCase();
  }
  statsMode(): string {
    return this.str(OptionKeys.statsMode, "truncate(16)");
  }
  /** Per-field stats mode override (`fields.<name>.stats-mode`). */
  fieldStatsMode(field: string): string {
    return this.str(`fields.${field}.stats-mode`, this.statsMode());
  }
  targetFileSize(primaryKeyTable: boolean): number {
    return this.memory(OptionKeys.targetFileSize, primaryKeyTable ? 128 * MB : 256 * MB);
  }
  writeBufferSize(): number {
    return this.memory(OptionKeys.writeBufferSize, 256 * MB);
  }
  writeBufferSpillable(): boolean {
    return this.bool(OptionKeys.writeBufferSpillable, true);
  }
  pageSize(): number {
    return this.memory(OptionKeys.pageSize, 64 * 1024);
  }
  writeOnly(): boolean {
    return this.bool(OptionKeys.writeOnly, false);
  }
  numSortedRunCompactionTrigger(): number {
    return this.int(OptionKeys.numSortedRunCompactionTrigger, 5);
  }
  numSortedRunStopTrigger(): number {
    const trigger = this.numSortedRunCompactionTrigger();
    return Math.max(trigger, this.int(OptionKeys.numSortedRunStopTrigger, trigger + 3));
  }
  numLevels(): number {
    return this.int(OptionKeys.numLevels, this.numSortedRunCompactionTrigger() + 1);
  }
  maxSizeAmplificationPercent(): number {
    return this.int(OptionKeys.maxSizeAmplificationPercent, 200);
  }
  sizeRatio(): number {
    return this.int(OptionKeys.sizeRatio, 1);
  }
  manifestFormat(): string {
    return this.str(OptionKeys.manifestFormat, "avro").toLowerCase();
  }
  manifestCompression(): string {
    return this.str(OptionKeys.manifestCompression, "zstd").toLowerCase();
  }
  manifestTargetFileSize(): number {
    return this.memory(OptionKeys.manifestTargetFileSize, 8 * MB);
  }
  manifestMergeMinCount(): number {
    return this.int(OptionKeys.manifestMergeMinCount, 30);
  }
  manifestFullCompactionThresholdSize(): number {
    return this.memory(OptionKeys.manifestFullCompactionThresholdSize, 16 * MB);
  }
  deletionVectorsEnabled(): boolean {
    return this.bool(OptionKeys.deletionVectorsEnabled, false);
  }
  deletionVectorsBitmap64(): boolean {
    return this.bool(OptionKeys.deletionVectorsBitmap64, false);
  }
  snapshotNumRetainedMin(): number {
    return this.int(OptionKeys.snapshotNumRetainedMin, 10);
  }
  snapshotNumRetainedMax(): number {
    return this.int(OptionKeys.snapshotNumRetainedMax, 2147483647);
  }
  snapshotTimeRetainedMs(): number {
    return this.duration(OptionKeys.snapshotTimeRetained, 3_600_000);
  }
  snapshotExpireLimit(): number {
    return this.int(OptionKeys.snapshotExpireLimit, 10);
  }
  commitMaxRetries(): number {
    return this.int(OptionKeys.commitMaxRetries, 10);
  }
  commitMinRetryWaitMs(): number {
    return this.duration(OptionKeys.commitMinRetryWait, 10);
  }
  commitMaxRetryWaitMs(): number {
    return this.duration(OptionKeys.commitMaxRetryWait, 10_000);
  }
  dynamicBucketTargetRowNum(): number {
    return this.int(OptionKeys.dynamicBucketTargetRowNum, 2_000_000);
  }
  partitionDefaultName(): string {
    return this.str(OptionKeys.partitionDefaultName, DEFAULT_PARTITION_NAME);
  }
  partitionLegacyName(): boolean {
    return this.bool(OptionKeys.partitionLegacyName, true);
  }
  dataFilePrefix(): string {
    return this.str(OptionKeys.dataFilePrefix, "data-");
  }
  changelogFilePrefix(): string {
    return this.str(OptionKeys.changelogFilePrefix, "changelog-");
  }
  dataFileThinMode(): boolean {
    return this.bool(OptionKeys.dataFileThinMode, false);
  }
  consumerExpirationTimeMs(): number | null {
    const v = this.options[OptionKeys.consumerExpirationTime];
    return v === undefined ? null : parseDurationMs(v, OptionKeys.consumerExpirationTime);
  }
  continuousDiscoveryIntervalMs(): number {
    return this.duration(OptionKeys.continuousDiscoveryInterval, 10_000);
  }
  /** `fields.<name>.aggregate-function`, else `fields.default-aggregate-function`, else null. */
  fieldAggregateFunction(field: string): string | null {
    return this.options[`fields.${field}.aggregate-function`] ?? this.options[OptionKeys.fieldsDefaultAggregateFunction] ?? null;
  }
  /** `fields.<name>.ignore-retract` for aggregation. */
  fieldIgnoreRetract(field: string): boolean {
    return this.bool(`fields.${field}.ignore-retract`, false);
  }
  /** `fields.<a,b>.sequence-group = c,d` entries of partial-update: sequence fields → the fields they guard. */
  sequenceGroups(): { sequenceFields: string[]; fields: string[] }[] {
    const groups: { sequenceFields: string[]; fields: string[] }[] = [];
    for (const [k, v] of Object.entries(this.options)) {
      const m = /^fields\.(.+)\.sequence-group$/.exec(k);
      if (m !== null) groups.push({ sequenceFields: m[1]!.split(",").map((x) => x.trim()), fields: v.split(",").map((x) => x.trim()) });
    }
    return groups;
  }
}
