/**
 * A Blob-shaped view of one file that parquet-wasm's `ParquetFile.fromFile` can
 * read through: it only calls `size`, `slice(start, end)` and `arrayBuffer()`, so
 * a plain object with those members serves ranged reads through a FileIO — the
 * footer first (8 bytes, then the metadata), then the column chunks of the
 * selected row groups and columns.
 *
 * Small files are read whole once; larger ones keep the last `tailBytes` in
 * memory (the footer almost always fits) and fetch other ranges on demand. An
 * error thrown by the FileIO is remembered, because it reaches us again only as
 * whatever parquet-wasm makes of a rejected promise.
 */
import type { FileIO } from "@streamhouse/fileio";

export interface BlobLike {
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export class FileRangeSource {
  /** The first I/O error, to report instead of parquet-wasm's rewording of it. */
  ioError: unknown = undefined;
  /** Ranges fetched from the FileIO (not served from memory): for tests and metrics. */
  fetches = 0;

  private constructor(
    readonly io: FileIO,
    readonly path: string,
    readonly size: number,
    /** Bytes [cachedFrom, size) held in memory. */
    private readonly cached: Uint8Array,
    private readonly cachedFrom: number,
  ) {}

  /** The whole file, already in memory. */
  static ofBytes(io: FileIO, path: string, bytes: Uint8Array): FileRangeSource {
    return new FileRangeSource(io, path, bytes.length, bytes, 0);
  }

  /** Fetches the tail of a file of known size and serves the rest on demand. */
  static async withTail(io: FileIO, path: string, size: number, tailBytes: number): Promise<FileRangeSource> {
    const from = Math.max(0, size - tailBytes);
    const tail = await io.readRange(path, from, size - from);
    const source = new FileRangeSource(io, path, size, tail, from);
    source.fetches = 1;
    return source;
  }

  async range(start: number, end: number): Promise<Uint8Array> {
    if (start >= this.cachedFrom) return this.cached.subarray(start - this.cachedFrom, end - this.cachedFrom);
    try {
      this.fetches++;
      return await this.io.readRange(this.path, start, end - start);
    } catch (e) {
      this.ioError ??= e;
      throw e;
    }
  }

  /** The bytes [start, end) of the file (for the footer parser). */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    return this.range(start, end);
  }

  asBlob(): BlobLike {
    return this.view(0, this.size);
  }

  private view(from: number, to: number): BlobLike {
    return {
      size: to - from,
      type: "",
      slice: (start = 0, end = to - from) => {
        const s = clamp(start, to - from);
        const e = clamp(end, to - from);
        return this.view(from + s, from + Math.max(s, e));
      },
      arrayBuffer: async () => {
        const b = await this.range(from, to);
        // parquet-wasm copies out of the buffer it is given; hand it exactly the range.
        return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
          ? (b.buffer as ArrayBuffer)
          : (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      },
    };
  }
}

/** Blob.slice semantics: negative offsets count from the end; results are clamped to [0, size]. */
function clamp(i: number, size: number): number {
  if (i < 0) return Math.max(0, size + i);
  return Math.min(i, size);
}
