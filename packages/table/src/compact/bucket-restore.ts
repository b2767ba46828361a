/**
 * What a writer or compaction job needs to pick up a partition-bucket where the latest
 * snapshot left it: its live files, largest sequence number, and deletion vectors; and
 * the compactor that goes with the table's options (`write-only`: none).
 */
import type { DataFileMeta, IndexFileMeta, IndexManifestEntry, ManifestEntry } from "@streamhouse/format";
import { DELETION_VECTORS_INDEX_TYPE, TableSchemas } from "@streamhouse/format";
import type { DataFileReader } from "../read/data-file-reader.js";
import type { Compactor } from "../write/compactor.js";
import { NO_COMPACTION } from "../write/compactor.js";
import type { BucketLocation, WriterContext } from "../write/writer-context.js";
import { AppendCompactor } from "./append-compactor.js";
import type { CompactionExecutor } from "./compaction-executor.js";
import { DeletionVectorsMaintainer } from "./deletion-vectors-maintainer.js";
import { MergeTreeCompactor } from "./merge-tree-compactor.js";

export interface RestoredBucket {
  readonly partition: Uint8Array;
  readonly bucket: number;
  readonly totalBuckets: number;
  readonly files: DataFileMeta[];
  readonly indexFiles: IndexFileMeta[];
  maxSequenceNumber: bigint;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** `<partition hex>/<bucket>`: the key TableWrite uses for its writers. */
export function bucketKey(partition: Uint8Array, bucket: number): string {
  return `${hex(partition)}/${bucket}`;
}

/** Groups a snapshot's live files and index files by partition-bucket. */
export function restoredBuckets(files: readonly ManifestEntry[], indexFiles: readonly IndexManifestEntry[]): Map<string, RestoredBucket> {
  const out = new Map<string, RestoredBucket>();
  const get = (partition: Uint8Array, bucket: number, totalBuckets: number): RestoredBucket => {
    const key = bucketKey(partition, bucket);
    let b = out.get(key);
    if (b === undefined) {
      b = { partition, bucket, totalBuckets, files: [], indexFiles: [], maxSequenceNumber: -1n };
      out.set(key, b);
    }
    return b;
  };
  for (const e of files) {
    const b = get(e.partition, e.bucket, e.totalBuckets);
    b.files.push(e.file);
    if (e.file.maxSequenceNumber > b.maxSequenceNumber) b.maxSequenceNumber = e.file.maxSequenceNumber;
  }
  for (const e of indexFiles) {
    if (e.kind !== 0 || e.indexFile.indexType !== DELETION_VECTORS_INDEX_TYPE) continue;
    const key = bucketKey(e.partition, e.bucket);
    // An index file of a bucket without data files is of no use to a writer.
    out.get(key)?.indexFiles.push(e.indexFile);
  }
  return out;
}

export interface CompactorParts {
  readonly ctx: WriterContext;
  readonly location: BucketLocation;
  readonly reader: DataFileReader;
  readonly executor: CompactionExecutor;
  readonly restoredFiles: readonly DataFileMeta[];
  /** Needed with deletion vectors on a primary-key table. */
  readonly deletionVectors: DeletionVectorsMaintainer | null;
}

/** The compactor of a bucket writer: none with `write-only`, else by table kind. */
export function createCompactor(parts: CompactorParts): Compactor {
  const { ctx } = parts;
  if (ctx.options.writeOnly()) return NO_COMPACTION;
  if (TableSchemas.isPrimaryKeyTable(ctx.schema)) {
    return new MergeTreeCompactor({ ...parts, deletionVectors: parts.deletionVectors ?? emptyDeletionVectors(ctx) });
  }
  // Append tables with deletion vectors would need their vectors applied while rewriting.
  if (ctx.options.deletionVectorsEnabled()) return NO_COMPACTION;
  return new AppendCompactor(parts);
}

export function emptyDeletionVectors(ctx: WriterContext): DeletionVectorsMaintainer {
  return DeletionVectorsMaintainer.empty(ctx.io, ctx.tablePath, { bitmap64: ctx.options.deletionVectorsBitmap64() });
}

/** Reads the deletion vectors of a restored bucket (none without the option). */
export async function restoreDeletionVectors(ctx: WriterContext, bucket: RestoredBucket | undefined): Promise<DeletionVectorsMaintainer | null> {
  if (!ctx.options.deletionVectorsEnabled() || !TableSchemas.isPrimaryKeyTable(ctx.schema)) return null;
  return DeletionVectorsMaintainer.restore(ctx.io, ctx.tablePath, bucket?.indexFiles ?? [], { bitmap64: ctx.options.deletionVectorsBitmap64() });
}
