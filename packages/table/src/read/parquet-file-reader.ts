/**
 * Opens one Parquet file through a FileIO and reads selected columns and row groups
 * into an Apache Arrow table, with parquet-wasm (Rust `parquet` + `arrow` compiled to
 * WebAssembly) doing the decoding.
 *
 * - parquet-wasm's Node build loads its wasm synchronously when first imported
 *   (`readFileSync` + `new WebAssembly.Module`, ~0.1 s); nothing to await.
 * - `readParquet(bytes, {columns})` ignores `columns`, so reads go through
 *   `ParquetFile.fromFile(blob).read({columns, rowGroups})`, which honors both and
 *   fetches only the byte ranges it needs from the blob (see file-range-source.ts).
 * - Results cross from wasm memory to JS as an Arrow IPC stream (one copy) and are
 *   decoded by apache-arrow without further copies.
 * - parquet-wasm's metadata has no statistics and hides physical types, so the
 *   footer is also decoded here (parquet-footer.ts).
 * - Corrupt page bytes can make parquet-wasm panic (an uncaught wasm `unreachable`,
 *   and a read that never settles); page CRCs are verified first when the whole
 *   file is in memory (page-checksums.ts). Ranged reads of large files and files
 *   written without page CRCs do not have this protection.
 *
 * Every failure names the file: NotFound for a missing file, DataInvalid for bytes
 * that are not a readable Parquet file (parquet-wasm's errors are wrapped), and
 * I/O errors of the FileIO are passed on as they are.
 */
import { type Schema as ArrowSchema, type Table as ArrowTable, tableFromIPC } from "apache-arrow";
import type { FileIO } from "@streamhouse/fileio";
import { ErrorKind, isStreamhouseError, StreamhouseError } from "@streamhouse/format";
import { ParquetFile } from "parquet-wasm";
import { FileRangeSource } from "./file-range-source.js";
import { verifyPageChecksums } from "./page-checksums.js";
import { decodeParquetFooter, FOOTER_TRAILER_BYTES, footerLength, type ParquetFooter } from "./parquet-footer.js";

/** Files up to this size are read with one whole-file read. */
export const WHOLE_FILE_READ_BYTES = 4 * 1024 * 1024;
/** For larger files, the tail read first; Paimon footers are a few KB. */
export const TAIL_PREFETCH_BYTES = 64 * 1024;

export interface ParquetReadOptions {
  /** Top-level column names to read; all when absent. */
  readonly columns?: readonly string[];
  /** Row-group indexes to read, ascending; all when absent. */
  readonly rowGroups?: readonly number[];
}

export interface ParquetOpenOptions {
  /** The file size if known (the manifest's `_FILE_SIZE`): saves a stat, and a mismatch is reported. */
  readonly fileSize?: number;
  /** Files up to this size are read whole (default WHOLE_FILE_READ_BYTES); larger ones by ranges. */
  readonly wholeFileReadBytes?: number;
  /** Verify page CRCs of whole-read files before decoding (default true; see page-checksums.ts). */
  readonly verifyChecksums?: boolean;
}

export class ParquetFileReader {
  private constructor(
    readonly path: string,
    readonly source: FileRangeSource,
    readonly footer: ParquetFooter,
    private readonly file: ParquetFile,
    /** The Arrow schema parquet-wasm derives (field ids are in `PARQUET:field_id` metadata). */
    readonly arrowSchema: ArrowSchema,
  ) {}

  get numRows(): bigint {
    return this.footer.numRows;
  }

  static async open(io: FileIO, path: string, options: ParquetOpenOptions = {}): Promise<ParquetFileReader> {
    const context = { file: path };
    let size = options.fileSize;
    let source: FileRangeSource;
    let whole: Uint8Array | null = null;
    try {
      if (size === undefined) {
        const status = await io.stat(path);
        if (status === null) throw notFound(path);
        size = status.size;
      }
      if (size <= (options.wholeFileReadBytes ?? WHOLE_FILE_READ_BYTES)) {
        const bytes = await io.read(path);
        if (bytes.length !== size) {
          throw new StreamhouseError(ErrorKind.DataInvalid, `Parquet file has ${bytes.length} bytes, its metadata says ${size}`, { context });
        }
        source = FileRangeSource.ofBytes(io, path, bytes);
        whole = bytes;
      } else {
        source = await FileRangeSource.withTail(io, path, size, Math.min(TAIL_PREFETCH_BYTES, options.wholeFileReadBytes ?? TAIL_PREFETCH_BYTES));
      }
    } catch (e) {
      if (isStreamhouseError(e, ErrorKind.NotFound)) throw notFound(path, e);
      if (isStreamhouseError(e)) throw e.withContext(context);
      throw e;
    }
    if (size < FOOTER_TRAILER_BYTES + 4) throw new StreamhouseError(ErrorKind.DataInvalid, `Parquet file of ${size} bytes is too short`, { context });
    const footer = await readFooter(source, size);
    if (whole !== null && options.verifyChecksums !== false) {
      try {
        verifyPageChecksums(whole, footer);
      } catch (e) {
        throw isStreamhouseError(e) ? e.withContext(context) : e;
      }
    }
    let file: ParquetFile | undefined;
    try {
      file = await ParquetFile.fromFile(source.asBlob() as unknown as Blob);
      const schemaIpc = file.schema().intoIPCStream();
      const arrowSchema = tableFromIPC(schemaIpc).schema;
      return new ParquetFileReader(path, source, footer, file, arrowSchema);
    } catch (e) {
      file?.free();
      throw wrapDecodeError(source, e, "cannot open Parquet file");
    }
  }

  /** Reads the requested columns of the requested row groups; the row count is checked against the footer. */
  async read(options: ParquetReadOptions = {}): Promise<ArrowTable> {
    const rowGroups = options.rowGroups;
    if (rowGroups !== undefined) {
      for (const g of rowGroups) {
        if (!Number.isInteger(g) || g < 0 || g >= this.footer.rowGroups.length) {
          throw new StreamhouseError(ErrorKind.InvalidArgument, `row group ${g} does not exist`, { context: { file: this.path } });
        }
      }
    }
    const expected =
      rowGroups === undefined ? this.footer.numRows : rowGroups.reduce((n, g) => n + this.footer.rowGroups[g]!.numRows, 0n);
    let table: ArrowTable;
    try {
      const wasmTable = await this.file.read({
        columns: options.columns === undefined ? undefined : [...options.columns],
        rowGroups: rowGroups === undefined ? undefined : [...rowGroups],
        // One batch per row group where possible; batches are views, so size costs nothing.
        batchSize: Math.max(1, Math.min(Number(expected), 1 << 20)),
      });
      table = tableFromIPC(wasmTable.intoIPCStream());
    } catch (e) {
      throw wrapDecodeError(this.source, e, "cannot decode Parquet file");
    }
    if (BigInt(table.numRows) !== expected) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `Parquet file decoded to ${table.numRows} rows, its row groups hold ${expected}`, {
        context: { file: this.path },
      });
    }
    return table;
  }

  /** Releases the wasm-side reader. The Arrow tables already read stay valid (they live in JS memory). */
  close(): void {
    this.file.free();
  }
}

async function readFooter(source: FileRangeSource, size: number): Promise<ParquetFooter> {
  const context = { file: source.path };
  try {
    const trailer = await source.bytes(size - FOOTER_TRAILER_BYTES, size);
    const len = footerLength(trailer);
    if (len <= 0 || len > size - FOOTER_TRAILER_BYTES - 4) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `Parquet footer length ${len} does not fit a file of ${size} bytes`, { context });
    }
    const start = size - FOOTER_TRAILER_BYTES - len;
    return decodeParquetFooter(await source.bytes(start, start + len));
  } catch (e) {
    if (isStreamhouseError(e)) throw e.withContext(context);
    throw new StreamhouseError(ErrorKind.DataInvalid, `cannot read Parquet footer: ${String(e)}`, { context, cause: e });
  }
}

function notFound(path: string, cause?: unknown): StreamhouseError {
  return new StreamhouseError(ErrorKind.NotFound, `data file ${path} does not exist`, { context: { file: path }, cause });
}

/** parquet-wasm throws Errors or plain strings; an I/O failure of ours wins over its rewording. */
function wrapDecodeError(source: FileRangeSource, e: unknown, what: string): StreamhouseError {
  const io = source.ioError;
  if (io !== undefined) {
    if (isStreamhouseError(io)) return io.withContext({ file: source.path });
    return new StreamhouseError(ErrorKind.Io, `reading ${source.path} failed: ${String(io)}`, { context: { file: source.path }, cause: io });
  }
  if (isStreamhouseError(e)) return e.withContext({ file: source.path });
  const message = e instanceof Error ? e.message : String(e);
  return new StreamhouseError(ErrorKind.DataInvalid, `${what}: ${message}`, { context: { file: source.path }, cause: e });
}
