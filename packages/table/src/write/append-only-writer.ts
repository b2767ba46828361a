/**
 * The writer of one partition-bucket of an append table (Paimon's `AppendOnlyWriter`,
 * release 2.0.0, without compaction for now): rows keep their arrival order, get the
 * bucket's next sequence numbers, and go to files rolled at `target-file-size`; what is
 * left is written at prepareCommit.
 */
import type { Row } from "@streamhouse/format";
import { AppendFileEncoder, type SequencedRow } from "./append-file-writer.js";
import type { CommitMessage } from "./commit-message.js";
import { type Compactor, NO_COMPACTION } from "./compactor.js";
import { DataFilePathFactory } from "./data-file-path-factory.js";
import { estimateRowBytes, RollingFileWriter } from "./rolling-file-writer.js";
import type { BucketLocation, WriterContext } from "./writer-context.js";

export class AppendOnlyWriter {
  private nextSequence: bigint;
  private readonly files: RollingFileWriter<SequencedRow>;

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
    await this.files.roll();
  }

  async prepareCommit(): Promise<CommitMessage> {
    const newFiles = await this.files.close();
    this.compactor.addFiles(newFiles);
    const compactIncrement = await this.compactor.prepareCommit();
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
