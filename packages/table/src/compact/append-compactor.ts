/**
 * Compaction of one bucket of an append table (Paimon's `BucketedAppendCompactManager`,
 * release 2.0.0): small files are rewritten, rows in their order, into files of about
 * `target-file-size` (level 0, `_FILE_SOURCE` COMPACT, sequence numbers renumbered from
 * the first file's). One compaction at a time, on the shared executor; a commit takes
 * what has finished (and waits when asked for a full compaction).
 */
import type { DataFileMeta } from "@streamhouse/format";
import { parseInteger } from "@streamhouse/format";
import { DataFileColumns, type DataFileReader } from "../read/data-file-reader.js";
import { AppendFileEncoder, type SequencedRow } from "../write/append-file-writer.js";
import type { CompactIncrement } from "../write/commit-message.js";
import { EMPTY_COMPACT_INCREMENT } from "../write/commit-message.js";
import type { Compactor, CompactorCommitOptions } from "../write/compactor.js";
import { DataFilePathFactory } from "../write/data-file-path-factory.js";
import { estimateRowBytes, RollingFileWriter } from "../write/rolling-file-writer.js";
import type { BucketLocation, WriterContext } from "../write/writer-context.js";
import { type AppendCompactionConfig, pickAppendCompaction, pickAppendFullCompaction } from "./append-compaction.js";
import { compactFileEncoder } from "./compact-file-encoder.js";
import { CompactionExecutor } from "./compaction-executor.js";

export interface AppendCompactorOptions {
  readonly ctx: WriterContext;
  readonly location: BucketLocation;
  readonly reader: DataFileReader;
  readonly restoredFiles?: readonly DataFileMeta[];
  readonly executor?: CompactionExecutor;
}

export class AppendCompactor implements Compactor {
  private files: DataFileMeta[];
  private readonly config: AppendCompactionConfig;
  private readonly executor: CompactionExecutor;
  private task: Promise<void> | null = null;
  private failure: unknown = null;
  private compactBefore: DataFileMeta[] = [];
  private compactAfter: DataFileMeta[] = [];

  constructor(private readonly options: AppendCompactorOptions) {
    const core = options.ctx.options;
    const int = (key: string, fallback: number) => {
      const v = core.get(key);
      return v === undefined ? fallback : parseInteger(v, key);
    };
    this.files = [...(options.restoredFiles ?? [])];
    this.config = { targetFileSize: core.targetFileSize(false), minFileNum: int("compaction.min.file-num", 5), maxFileNum: int("compaction.max.file-num", 50) };
    this.executor = options.executor ?? new CompactionExecutor();
  }

  addFiles(files: readonly DataFileMeta[]): void {
    this.files.push(...files);
  }

  async afterFlush(): Promise<void> {
    this.throwIfFailed();
    this.trigger(false);
  }

  async prepareCommit(options: CompactorCommitOptions = {}): Promise<CompactIncrement> {
    this.throwIfFailed();
    if (options.fullCompaction === true) {
      await this.awaitTask();
      this.trigger(true);
      await this.awaitTask();
    } else {
      this.trigger(false);
      if (options.waitCompaction === true) await this.awaitTask();
    }
    if (this.compactBefore.length + this.compactAfter.length === 0) return EMPTY_COMPACT_INCREMENT;
    const out: CompactIncrement = { ...EMPTY_COMPACT_INCREMENT, compactBefore: this.compactBefore, compactAfter: this.compactAfter };
    this.compactBefore = [];
    this.compactAfter = [];
    return out;
  }

  async awaitTask(): Promise<void> {
    while (this.task !== null) await this.task;
    this.throwIfFailed();
  }

  /** Waits for the running compaction, then deletes its outputs no commit took. */
  async close(): Promise<void> {
    while (this.task !== null) await this.task;
    const { ctx, location } = this.options;
    const dir = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket).bucketDir;
    for (const f of this.compactAfter) {
      try {
        await ctx.io.delete(f.externalPath ?? `${dir}/${f.fileName}`);
      } catch {
        // an orphan: harmless, and orphan cleaning removes it
      }
    }
    this.compactBefore = [];
    this.compactAfter = [];
  }

  private trigger(full: boolean): boolean {
    if (this.task !== null) return false;
    const picked = full ? pickAppendFullCompaction(this.files, this.config.targetFileSize) : pickAppendCompaction(this.files, this.config);
    if (picked === null) return false;
    const slot = this.executor
      .submit(() => this.rewrite(picked))
      .then(({ done }) => done)
      .then(
        (after) => this.apply(picked, after),
        (e: unknown) => {
          this.failure = e;
        },
      );
    this.task = slot.finally(() => {
      this.task = null;
    });
    return true;
  }

  private async rewrite(files: readonly DataFileMeta[]): Promise<DataFileMeta[]> {
    const { ctx, location, reader } = this.options;
    const paths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, ctx.options.dataFilePrefix());
    const out = new RollingFileWriter<SequencedRow>(ctx.io, paths, compactFileEncoder(new AppendFileEncoder(ctx.schema, ctx.options, ctx.parquet, ctx.clock)), this.config.targetFileSize);
    let sequence = files[0]!.minSequenceNumber;
    for (const file of files) {
      const data = await reader.read({ kind: 0, partition: location.partition, bucket: location.bucket, totalBuckets: location.totalBuckets, file });
      for (let i = 0; i < data.rowCount; i++) {
        const row = DataFileColumns.row(data, i);
        if (out.add({ row, sequenceNumber: sequence++ }, estimateRowBytes(row))) await out.roll();
      }
    }
    return out.close();
  }

  private apply(before: readonly DataFileMeta[], after: readonly DataFileMeta[]): void {
    const gone = new Set(before.map((f) => f.fileName));
    this.files = [...this.files.filter((f) => !gone.has(f.fileName)), ...after];
    const pendingAfter = new Set(this.compactAfter.map((f) => f.fileName));
    const intermediates: DataFileMeta[] = [];
    for (const f of before) {
      if (pendingAfter.has(f.fileName)) {
        // Written by an earlier compaction of this checkpoint and never committed.
        this.compactAfter = this.compactAfter.filter((a) => a.fileName !== f.fileName);
        intermediates.push(f);
      } else {
        this.compactBefore.push(f);
      }
    }
    this.compactAfter.push(...after);
    const { ctx, location } = this.options;
    const dir = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket).bucketDir;
    for (const f of intermediates) void ctx.io.delete(`${dir}/${f.fileName}`).catch(() => undefined);
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    const e = this.failure;
    this.failure = null;
    throw e;
  }
}
