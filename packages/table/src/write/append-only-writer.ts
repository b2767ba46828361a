/**
 * The writer of one partition-bucket of an append table (Paimon's `AppendOnlyWriter`,
 * release 2.0.0): rows keep their arrival order, get the bucket's next sequence numbers,
 * and go to files rolled at `target-file-size`; what is left is written at prepareCommit.
 * Written files go to the compactor (see compactor.ts), which may merge small ones.
 */
import type { DataFileMeta, Row } from "@streamhouse/format";
import { AppendFileEncoder, type SequencedRow } from "./append-file-writer.js";
import type { CommitMessage } from "./commit-message.js";
import { type Compactor, type CompactorCommitOptions, NO_COMPACTION } from "./compactor.js";
import { DataFilePathFactory } from "./data-file-path-factory.js";
import { estimateRowBytes, RollingFileWriter } from "./rolling-file-writer.js";
import type { BucketLocation, WriterContext } from "./writer-context.js";

export class AppendOnlyWriter {
  private nextSequence: bigint;
  private readonly files: RollingFileWriter<SequencedRow>;
  /** Files written since the last prepareCommit. */
  private newFiles: DataFileMeta[] = [];

  constructor(
    readonly ctx: WriterContext,
    readonly location: BucketLocation,
    maxSequenceNumber: bigint,
    private readonly compactor: Compactor = NO_COMPACTION,
  ) {
    this.nextSequence = maxSequenceNumber + 1n;
    const { schema, options } = ctx;
    const paths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, options.dataFilePrefix());
    this.files = new RollingFileWriter(ctx.io, paths, new AppendFileEncoder(schema, options, ctx.parquet, ctx.clock), options.targetFileSize(false));
  }

  /** Buffers a row; true when the current file is full and `flush()` must be awaited. */
  add(row: Row): boolean {
    return this.files.add({ row, sequenceNumber: this.nextSequence++ }, estimateRowBytes(row));
  }

  get nextSequenceNumber(): bigint {
    return this.nextSequence;
  }

  async flush(): Promise<void> {
    const written = await this.files.close();
    if (written.length === 0) return;
    this.newFiles.push(...written);
    this.compactor.addFiles(written);
    await this.compactor.afterFlush();
  }

  async prepareCommit(options: CompactorCommitOptions = {}): Promise<CommitMessage> {
    await this.flush();
    const newFiles = this.newFiles;
    this.newFiles = [];
    const compactIncrement = await this.compactor.prepareCommit(options);
    const { partition, bucket, totalBuckets } = this.location;
    return {
      partition,
      bucket,
      totalBuckets,
      dataIncrement: { newFiles, deletedFiles: [], changelogFiles: [], newIndexFiles: [], deletedIndexFiles: [] },
      compactIncrement,
    };
  }

  async close(): Promise<void> {
    await this.compactor.close();
  }
}
