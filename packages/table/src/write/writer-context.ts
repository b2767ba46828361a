/**
 * What every per-partition-bucket writer of one table shares: storage, schema, options,
 * Parquet settings, the clock for `_CREATION_TIME`, and where to spill.
 */
import type { FileIO } from "@streamhouse/fileio";
import type { CoreOptions, TableSchema } from "@streamhouse/format";
import type { ParquetWriteOptions } from "./parquet-file-writer.js";

export interface WriterContext {
  readonly io: FileIO;
  readonly tablePath: string;
  readonly schema: TableSchema;
  readonly options: CoreOptions;
  readonly parquet: ParquetWriteOptions;
  /** Epoch milliseconds now. */
  readonly clock: () => number;
  /** Parent directory for spill files (default: the OS temp dir). */
  readonly tempDir?: string;
}

/** Where one writer's files go and what its messages say. */
export interface BucketLocation {
  /** Serialized partition BinaryRow. */
  readonly partition: Uint8Array;
  /** `k1=v1/…/` ("" when unpartitioned). */
  readonly partitionPath: string;
  readonly bucket: number;
  readonly totalBuckets: number;
}
