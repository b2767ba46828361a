/**
 * Encodes one Parquet data file in memory: Arrow columns (arrow-columns.ts) → Arrow IPC →
 * parquet-wasm (arrow-rs) → a footer patch (parquet-footer-patch.ts).
 *
 * Writer properties follow the table options as Java Paimon reads them:
 *   file.compression          zstd (default), snappy, gzip, lz4, brotli, none/uncompressed
 *   parquet.block.size        row-group size in bytes (128 MB)
 *   parquet.page.size         data-page size limit in bytes (1 MB)
 *   parquet.enable.dictionary dictionary encoding (true)
 * zstd uses level 1, Paimon's `file.compression.zstd-level` default. Pages are V1 data
 * pages, as parquet-mr writes by default. Statistics are kept per column chunk.
 */
import { RecordBatch, Struct, Table, tableToIPC } from "apache-arrow";
import { type CoreOptions, type DataField, ErrorKind, parseBoolean, parseMemorySize, StreamhouseError } from "@streamhouse/format";
import { Compression, EnabledStatistics, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet } from "parquet-wasm";
import { columnData, type ValueAt } from "./arrow-columns.js";
import { patchParquetFooter } from "./parquet-footer-patch.js";
import { dataFileArrowSchema, type DataFileArrowSchema } from "./parquet-schema.js";
import { makeData } from "apache-arrow";

const MB = 1024 * 1024;

export interface ParquetWriteOptions {
  readonly compression: string;
  readonly rowGroupBytes: number;
  readonly pageBytes: number;
  readonly dictionary: boolean;
}

export const ParquetWriteOptions = {
  of(options: CoreOptions): ParquetWriteOptions {
    const block = options.get("parquet.block.size");
    const page = options.get("parquet.page.size");
    const dict = options.get("parquet.enable.dictionary");
    return {
      compression: options.fileCompression(),
      rowGroupBytes: block === undefined ? 128 * MB : parseMemorySize(block, "parquet.block.size"),
      pageBytes: page === undefined ? MB : parseMemorySize(page, "parquet.page.size"),
      dictionary: dict === undefined ? true : parseBoolean(dict, "parquet.enable.dictionary"),
    };
  },
} as const;

function compressionOf(name: string): Compression {
  switch (name) {
    case "zstd":
      return Compression.ZSTD;
    case "snappy":
      return Compression.SNAPPY;
    case "gzip":
      return Compression.GZIP;
    case "lz4":
      return Compression.LZ4_RAW;
    case "brotli":
      return Compression.BROTLI;
    case "none":
    case "uncompressed":
      return Compression.UNCOMPRESSED;
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `file.compression "${name}" is not supported for Parquet`, { context: { option: "file.compression" } });
  }
}

/** A reusable encoder for files whose columns are `fields` (schema and properties built once). */
export class ParquetFileEncoder {
  private readonly arrow: DataFileArrowSchema;
  private readonly compression: Compression;

  constructor(
    readonly fields: readonly DataField[],
    private readonly options: ParquetWriteOptions,
  ) {
    this.arrow = dataFileArrowSchema(fields);
    this.compression = compressionOf(options.compression);
  }

  /** Encodes `rowCount` rows; `columns[j](i)` is the value of column j in row i. */
  encode(rowCount: number, columns: readonly ValueAt[]): Uint8Array {
    const schema = this.arrow.schema;
    const children = this.fields.map((f, j) => columnData(schema.fields[j]!, f.type, rowCount, columns[j]!));
    const struct = makeData({ type: new Struct(schema.fields), length: rowCount, nullCount: 0, children });
    const ipc = tableToIPC(new Table([new RecordBatch(schema, struct)]), "stream");
    const wasmTable = WasmTable.fromIPCStream(ipc);
    const bytes = writeParquet(wasmTable, this.properties());
    return patchParquetFooter(bytes, this.arrow.int96Paths);
  }

  // WriterProperties are consumed by writeParquet, so each file builds its own.
  private properties() {
    let b = new WriterPropertiesBuilder()
      .setCompression(this.compression)
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupBytes(this.options.rowGroupBytes)
      .setDataPageSizeLimit(this.options.pageBytes)
      .setDictionaryEnabled(this.options.dictionary)
      .setStatisticsEnabled(EnabledStatistics.Chunk);
    for (const path of this.arrow.int96Paths) {
      b = b.setColumnDictionaryEnabled(path, false).setColumnStatisticsEnabled(path, EnabledStatistics.None);
    }
    return b.build();
  }
}
