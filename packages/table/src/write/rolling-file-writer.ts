/**
 * Writes a stream of records into data files of about `target-file-size` each (Paimon's
 * `RollingFileWriter`, release 2.0.0). Records are held in memory until a file is full,
 * then encoded and written with `writeIfAbsent` — files are only ever created whole, so a
 * crash leaves either a complete file (an orphan until committed) or none.
 *
 * File size is judged by an estimate of the records' in-memory size, which is above the
 * compressed Parquet size: our files come out smaller than Java's for the same option.
 * `add` is synchronous and says when the file is full, so callers await only then.
 */
import type { FileIO } from "@streamhouse/fileio";
import { type DataFileMeta, ErrorKind, StreamhouseError, type Value } from "@streamhouse/format";
import type { DataFilePathFactory } from "./data-file-path-factory.js";

/** Encodes one file of records and describes it. */
export interface DataFileEncoder<T> {
  encode(records: readonly T[]): Uint8Array;
  meta(records: readonly T[], fileName: string, fileSize: number): DataFileMeta;
  /**
   * A batch that keeps the records of one file in the encoder's own compact form (e.g.
   * columns) instead of as the objects given; without it the records are kept as given.
   */
  newBatch?(): DataFileBatch<T>;
}

/** The records of the file being filled. */
export interface DataFileBatch<T> {
  readonly length: number;
  add(record: T): void;
  encode(): Uint8Array;
  meta(fileName: string, fileSize: number): DataFileMeta;
}

function arrayBatch<T>(encoder: DataFileEncoder<T>): DataFileBatch<T> {
  const records: T[] = [];
  return {
    get length() {
      return records.length;
    },
    add: (record) => records.push(record),
    encode: () => encoder.encode(records),
    meta: (fileName, fileSize) => encoder.meta(records, fileName, fileSize),
  };
}

export class RollingFileWriter<T> {
  private batch: DataFileBatch<T>;
  private batchBytes = 0;
  private readonly written: DataFileMeta[] = [];

  constructor(
    private readonly io: FileIO,
    private readonly paths: DataFilePathFactory,
    private readonly encoder: DataFileEncoder<T>,
    private readonly targetFileBytes: number,
  ) {
    this.batch = this.newBatch();
  }

  private newBatch(): DataFileBatch<T> {
    return this.encoder.newBatch?.() ?? arrayBatch(this.encoder);
  }

  /** Buffers a record; true when the current file reached the target size and should be rolled. */
  add(record: T, estimatedBytes: number): boolean {
    this.batch.add(record);
    this.batchBytes += estimatedBytes;
    return this.batchBytes >= this.targetFileBytes;
  }

  get bufferedBytes(): number {
    return this.batchBytes;
  }

  get bufferedRecords(): number {
    return this.batch.length;
  }

  /** Writes the buffered records as one file (nothing when empty). */
  async roll(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = this.newBatch();
    this.batchBytes = 0;
    const bytes = batch.encode();
    const { name, path } = this.paths.next();
    if (!(await this.io.writeIfAbsent(path, bytes))) {
      throw new StreamhouseError(ErrorKind.AlreadyExists, `data file ${path} already exists`, { context: { file: path } });
    }
    this.written.push(batch.meta(name, bytes.length));
  }

  /** Rolls what is buffered and returns every file written since the last call. */
  async close(): Promise<DataFileMeta[]> {
    await this.roll();
    return this.written.splice(0);
  }
}

/** A cheap upper-bound-ish estimate of the memory a value takes, for buffer accounting. */
export function estimateBytes(v: Value | null | undefined): number {
  if (v === null || v === undefined) return 1;
  switch (typeof v) {
    case "string":
      return 16 + 2 * v.length;
    case "object":
      if (v instanceof Uint8Array) return 16 + v.length;
      if (Array.isArray(v)) {
        let n = 16;
        for (const x of v) n += estimateBytes(x as Value | null);
        return n;
      }
      return 32;
    default:
      return 8;
  }
}

export function estimateRowBytes(row: readonly (Value | null)[]): number {
  let n = 16;
  for (let i = 0; i < row.length; i++) n += estimateBytes(row[i]);
  return n;
}
