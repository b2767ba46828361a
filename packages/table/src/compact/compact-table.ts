/**
 * A dedicated compaction job (Paimon's `CompactAction` / `streamhouse compact`): opens
 * every partition-bucket of the latest snapshot (or of the partitions asked for),
 * compacts it — fully with `full`, else what the planner picks, forcing level-0 files up
 * where the table needs lookups — and commits the results as one COMPACT snapshot. It is
 * the way to compact tables whose writers run with `write-only = true`.
 *
 * Like any compaction, it conflicts with concurrent compactions of the same buckets
 * (a CommitConflict from the committer); running it again picks up the new state.
 */
import { randomUUID } from "node:crypto";

import {
  BATCH_COMMIT_IDENTIFIER,
  decodeBinaryRow,
  ErrorKind,
  partitionPath,
  partitionValueToString,
  type Snapshot,
  StreamhouseError,
  TableSchemas,
} from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { DataFileReader } from "../read/data-file-reader.js";
import { planSnapshot } from "../scan/table-scan.js";
import type { CommitMessage } from "../write/commit-message.js";
import { EMPTY_DATA_INCREMENT, isEmptyMessage } from "../write/commit-message.js";
import { FileStoreCommit, type FileStoreCommitOptions } from "../write/file-store-commit.js";
import { ParquetWriteOptions } from "../write/parquet-file-writer.js";
import type { BucketLocation, WriterContext } from "../write/writer-context.js";
import { AppendCompactor } from "./append-compactor.js";
import { restoreDeletionVectors, restoredBuckets } from "./bucket-restore.js";
import { CompactionExecutor } from "./compaction-executor.js";
import { MergeTreeCompactor } from "./merge-tree-compactor.js";

export interface CompactTableOptions {
  /** Only these partitions: each a map of partition column → value as in the path (`dt=2024-01-01`). */
  readonly partitions?: readonly Readonly<Record<string, string>>[];
  /** Compact every bucket into its last level (default: what the universal planner picks). */
  readonly full?: boolean;
  readonly commitUser?: string;
  /** Epoch ms for `_CREATION_TIME` and the snapshot (default Date.now). */
  readonly clock?: () => number;
  readonly commitOptions?: FileStoreCommitOptions;
}

export interface CompactTableResult {
  /** The COMPACT snapshot, or null when nothing needed compacting. */
  readonly snapshot: Snapshot | null;
  readonly buckets: number;
  readonly filesBefore: number;
  readonly filesAfter: number;
  readonly changelogFiles: number;
}

export async function compactTable(table: FileStoreTable, options: CompactTableOptions = {}): Promise<CompactTableResult> {
  const plan = await planSnapshot(table);
  const empty: CompactTableResult = { snapshot: null, buckets: 0, filesBefore: 0, filesAfter: 0, changelogFiles: 0 };
  if (plan === null) return empty;
  const schema = table.schema;
  const clock = options.clock ?? Date.now;
  const ctx: WriterContext = { io: table.io, tablePath: table.path, schema, options: table.options, parquet: ParquetWriteOptions.of(table.options), clock };
  if (table.options.fileFormat() !== "parquet") {
    throw new StreamhouseError(ErrorKind.Unsupported, `compacting file.format "${table.options.fileFormat()}" is not supported (only parquet)`);
  }
  const partFields = TableSchemas.partitionFields(schema);
  const wanted = options.partitions ?? null;
  for (const spec of wanted ?? []) {
    for (const k of Object.keys(spec)) {
      if (!partFields.some((f) => f.name === k)) throw new StreamhouseError(ErrorKind.InvalidArgument, `"${k}" is not a partition column`, { context: { table: table.path } });
    }
  }
  const reader = DataFileReader.of(table);
  const executor = new CompactionExecutor();
  const pk = TableSchemas.isPrimaryKeyTable(schema);
  if (!pk && table.options.deletionVectorsEnabled()) {
    throw new StreamhouseError(ErrorKind.Unsupported, "compacting append tables with deletion vectors is not supported", { context: { table: table.path } });
  }
  const messages: CommitMessage[] = [];
  let buckets = 0;
  for (const b of restoredBuckets(plan.files, plan.indexFiles).values()) {
    const values = decodeBinaryRow(
      partFields.map((f) => f.type),
      b.partition,
    );
    const spec = partFields.map((f, i) => [f.name, partitionValueToString(f.type, values[i] ?? null, table.options.partitionLegacyName())] as const);
    if (wanted !== null && !wanted.some((w) => Object.entries(w).every(([k, v]) => spec.some(([name, value]) => name === k && (value ?? table.options.partitionDefaultName()) === v)))) continue;
    buckets++;
    const location: BucketLocation = { partition: b.partition, partitionPath: partitionPath(spec, table.options.partitionDefaultName()), bucket: b.bucket, totalBuckets: b.totalBuckets };
    const compactor = pk
      ? new MergeTreeCompactor({ ctx, location, reader, executor, restoredFiles: b.files, deletionVectors: await restoreDeletionVectors(ctx, b) })
      : new AppendCompactor({ ctx, location, reader, executor, restoredFiles: b.files });
    try {
      const compactIncrement = await compactor.prepareCommit(options.full === true ? { fullCompaction: true } : { waitCompaction: true });
      const m: CommitMessage = { partition: b.partition, bucket: b.bucket, totalBuckets: b.totalBuckets, dataIncrement: EMPTY_DATA_INCREMENT, compactIncrement };
      if (!isEmptyMessage(m)) messages.push(m);
    } finally {
      await compactor.close();
    }
  }
  if (messages.length === 0) return { ...empty, buckets };
  const commit = new FileStoreCommit(table, options.commitUser ?? randomUUID(), { clock, ...options.commitOptions });
  const snapshots = await commit.commit([{ commitIdentifier: BATCH_COMMIT_IDENTIFIER, messages }]);
  const count = (pick: (m: CommitMessage) => number) => messages.reduce((n, m) => n + pick(m), 0);
  return {
    snapshot: snapshots[snapshots.length - 1] ?? null,
    buckets,
    filesBefore: count((m) => m.compactIncrement.compactBefore.length),
    filesAfter: count((m) => m.compactIncrement.compactAfter.length),
    changelogFiles: count((m) => m.compactIncrement.changelogFiles.length),
  };
}

export type CompactTableFn = (table: FileStoreTable, options?: CompactTableOptions) => Promise<CompactTableResult>;
