/**
 * The writer of one partition-bucket of a primary-key table (Paimon's `MergeTreeWriter`,
 * release 2.0.0; compaction is the Compactor's business — see compactor.ts).
 *
 * Every record gets the next sequence number of the bucket (continuing after the largest
 * `maxSequenceNumber` of the bucket's live files), goes into the sort buffer, and on flush
 * the versions of each key are merged with the table's merge engine — Java writes at most
 * one record per key per level-0 file, tombstones (-D/-U results) included, because older
 * levels may still hold the key. Flushes happen at prepareCommit, or when the buffer is
 * full and not spillable; each flush writes level-0 files rolled at `target-file-size`,
 * hands them to the compactor (which may hold the writer back), and with
 * `changelog-producer = input` also writes every buffered input record, unmerged, as
 * changelog files (`changelog-<uuid>-<n>.parquet`, level 0).
 */
import { type DataFileMeta, type Row, type RowKind, TableSchemas } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import { createTableMerge, type TableMerge } from "../merge/merge-function-factory.js";
import { mergeByKey } from "../merge/sort-merge.js";
import { compareSequenceNumbers, createKeyValueComparator } from "../merge/version-order.js";
import type { CommitMessage } from "./commit-message.js";
import { type Compactor, type CompactorCommitOptions, NO_COMPACTION } from "./compactor.js";
import { DataFilePathFactory } from "./data-file-path-factory.js";
import { isIntegerKey } from "./integer-key-sort.js";
import { KeyValueFileEncoder } from "./key-value-file-writer.js";
import { estimateRowBytes, RollingFileWriter } from "./rolling-file-writer.js";
import { SortBuffer } from "./sort-buffer.js";
import type { BucketLocation, WriterContext } from "./writer-context.js";

export class MergeTreeWriter {
  private nextSequence: bigint;
  private readonly keyPositions: readonly number[];
  private readonly keyOf: (value: Row) => Row;
  private readonly spillable: boolean;
  private readonly merge: TableMerge;
  readonly buffer: SortBuffer;
  private readonly files: RollingFileWriter<KeyValue>;
  private readonly changelog: RollingFileWriter<KeyValue> | null;
  /** Files flushed since the last prepareCommit. */
  private newFiles: DataFileMeta[] = [];
  private changelogFiles: DataFileMeta[] = [];

  constructor(
    readonly ctx: WriterContext,
    readonly location: BucketLocation,
    /** The largest sequence number in the bucket's live files, or -1 for a new bucket. */
    maxSequenceNumber: bigint,
    private readonly compactor: Compactor = NO_COMPACTION,
  ) {
    const { schema, options } = ctx;
    this.nextSequence = maxSequenceNumber + 1n;
    const keyNames = TableSchemas.trimmedPrimaryKeys(schema);
    this.keyPositions = keyNames.map((k) => schema.fields.findIndex((f) => f.name === k));
    this.merge = createTableMerge(schema, options);
    const positions = this.keyPositions;
    this.keyOf = positions.length === 1 ? singleKeyOf(positions[0]!) : (value: Row): Row => positions.map((p) => value[p] ?? null);
    this.spillable = options.writeBufferSpillable();
    // Records get ascending sequence numbers as they are added, so without a
    // `sequence.field` the buffer may sort by key alone (see SortBufferOptions.keyOrder).
    const keyComparator = this.merge.keyComparator;
    const keyOrder = this.merge.versionComparator === compareSequenceNumbers ? (a: KeyValue, b: KeyValue) => keyComparator(a.key, b.key) : undefined;
    this.buffer = new SortBuffer(
      createKeyValueComparator(this.merge.keyComparator, this.merge.versionComparator),
      schema.fields.map((f) => f.type),
      this.keyOf,
      {
        memoryBytes: options.writeBufferSize(),
        spillable: this.spillable,
        tempDir: ctx.tempDir,
        keyOrder,
        integerKeyPosition: isIntegerKey(TableSchemas.fields(schema, keyNames).map((f) => f.type)) ? this.keyPositions[0] : undefined,
      },
    );
    const paths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, options.dataFilePrefix());
    this.files = new RollingFileWriter(ctx.io, paths, new KeyValueFileEncoder(schema, options, ctx.parquet, 0, ctx.clock), options.targetFileSize(true));
    if (options.changelogProducer() === "input") {
      const changelogPaths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, options.changelogFilePrefix());
      this.changelog = new RollingFileWriter(ctx.io, changelogPaths, new KeyValueFileEncoder(schema, options, ctx.parquet, 0, ctx.clock), options.targetFileSize(true));
    } else {
      this.changelog = null;
    }
  }

  /** Buffers a record; true when the buffer is full and `flush()` must be awaited. */
  add(kind: RowKind, value: Row): boolean {
    this.buffer.addRow(kind, this.nextSequence++, value);
    return !this.spillable && this.buffer.isFull();
  }

  /** The sequence number the next record gets. */
  get nextSequenceNumber(): bigint {
    return this.nextSequence;
  }

  /** Merges the buffer by key and writes it as level-0 files. */
  async flush(): Promise<void> {
    if (this.buffer.isEmpty()) return;
    let written: DataFileMeta[];
    try {
      const sorted = this.buffer.sorted();
      const changelog = this.changelog;
      if (changelog !== null) {
        for (const kv of sorted) {
          if (changelog.add(kv, 48 + estimateRowBytes(kv.value))) await changelog.roll();
        }
        this.changelogFiles.push(...(await changelog.close()));
      }
      const merged = mergeByKey(sorted, this.merge.keyComparator, this.merge.mergeFunction);
      for (const kv of merged) {
        if (this.files.add(kv, 48 + estimateRowBytes(kv.value))) await this.files.roll();
      }
      written = await this.files.close();
    } finally {
      this.buffer.clear();
    }
    this.newFiles.push(...written);
    this.compactor.addFiles(written);
    await this.compactor.afterFlush();
  }

  async prepareCommit(options: CompactorCommitOptions = {}): Promise<CommitMessage> {
    await this.flush();
    const newFiles = this.newFiles;
    const changelogFiles = this.changelogFiles;
    this.newFiles = [];
    this.changelogFiles = [];
    const compactIncrement = await this.compactor.prepareCommit(options);
    const { partition, bucket, totalBuckets } = this.location;
    return {
      partition,
      bucket,
      totalBuckets,
      dataIncrement: { newFiles, deletedFiles: [], changelogFiles, newIndexFiles: [], deletedIndexFiles: [] },
      compactIncrement,
    };
  }

  async close(): Promise<void> {
    this.buffer.clear();
    await this.compactor.close();
  }
}

function singleKeyOf(position: number): (value: Row) => Row {
  return (value) => [value[position] ?? null];
}
