/**
 * Encodes one Parquet data file in memory: Arrow columns (arrow-columns.ts) → Arrow IPC →
 * parquet-wasm (arrow-rs) → a footer patch (parquet-footer-patch.ts).
 *
 * Writer properties follow the table options as Java Paimon reads them:
 *   file.compression          zstd (default), snappy, gzip, lz4, brotli, none/uncompressed
 *   parquet.block.size        row-group size in bytes (128 MB)
 *   parquet.page.size         data-page size limit in bytes (1 MB)
 *   parquet.enable.dictionary dictionary encoding (true); when on, columns of mostly
 *                             distinct values are still written plain (dictionaryPaysOff)
 * zstd uses level 1, Paimon's `file.compression.zstd-level` default. Pages are V1 data
 * pages, as parquet-mr writes by default. Statistics are kept per column chunk.
 */
import { RecordBatch, Struct, Table, tableToIPC } from "apache-arrow";
import { type CoreOptions, type DataField, type DataType, ErrorKind, parseBoolean, parseMemorySize, StreamhouseError, type Value } from "@streamhouse/format";
import { Compression, EnabledStatistics, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet } from "parquet-wasm";
import { type ColumnValues, columnData, materialize, storedColumnData, type ValueAt } from "./arrow-columns.js";
import { patchParquetFooter } from "./parquet-footer-patch.js";
import { dataFileArrowSchema, type DataFileArrowSchema } from "./parquet-schema.js";
import type { StoredColumn } from "./row-columns.js";
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
    return this.encodeColumns(
      rowCount,
      columns.map((at) => materialize(rowCount, at)),
    );
  }

  /** Encodes `rowCount` rows; `columns[j][i]` is the value of column j in row i. */
  encodeColumns(rowCount: number, columns: readonly (ColumnValues | StoredColumn)[]): Uint8Array {
    const schema = this.arrow.schema;
    const children = this.fields.map((f, j) => {
      const column = columns[j]!;
      const length = isStored(column) ? column.nulls.length : column.length;
      if (length !== rowCount) throw new RangeError(`column ${f.name} has ${length} values, expected ${rowCount}`);
      return isStored(column) ? storedColumnData(schema.fields[j]!, f.type, column) : columnData(schema.fields[j]!, f.type, column);
    });
    const plain = this.options.dictionary ? this.fields.filter((f, j) => !dictionaryPaysOff(f.type, columns[j]!)).map((f) => f.name) : [];
    const struct = makeData({ type: new Struct(schema.fields), length: rowCount, nullCount: 0, children });
    const ipc = tableToIPC(new Table([new RecordBatch(schema, struct)]), "stream");
    const wasmTable = WasmTable.fromIPCStream(ipc);
    const bytes = writeParquet(wasmTable, this.properties(plain));
    return patchParquetFooter(bytes, this.arrow.int96Paths);
  }

  // WriterProperties are consumed by writeParquet, so each file builds its own.
  // `plainColumns`: top-level columns written without a dictionary.
  private properties(plainColumns: readonly string[]) {
    let b = new WriterPropertiesBuilder()
      .setCompression(this.compression)
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupBytes(this.options.rowGroupBytes)
      .setDataPageSizeLimit(this.options.pageBytes)
      .setDictionaryEnabled(this.options.dictionary)
      .setStatisticsEnabled(EnabledStatistics.Chunk);
    for (const name of plainColumns) b = b.setColumnDictionaryEnabled(name, false);
    for (const path of this.arrow.int96Paths) {
      b = b.setColumnDictionaryEnabled(path, false).setColumnStatisticsEnabled(path, EnabledStatistics.None);
    }
    return b.build();
  }
}

const DICTIONARY_SAMPLE = 1024;

/**
 * Whether dictionary encoding is worth it for a column: parquet-mr (Java's writer) starts
 * every column with a dictionary and falls back to plain encoding when, after the first
 * page, the dictionary does not make the data smaller (`FallbackValuesWriter`). arrow-rs
 * keeps the dictionary until it outgrows its page limit, which costs a hash lookup per
 * value for nothing on columns of mostly distinct values (keys, sequence numbers,
 * measurements). So the choice is made up front from the first values: more than half of
 * them distinct → plain. Only scalar columns compared by value are judged; the rest keep
 * the dictionary.
 */
export function dictionaryPaysOff(type: DataType, column: ColumnValues | StoredColumn): boolean {
  switch (type.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DATE":
    case "TIME":
    case "CHAR":
    case "VARCHAR":
      break;
    default:
      return true;
  }
  const seen = new Set<Value>();
  let sampled = 0;
  if (isStored(column)) {
    const { nulls } = column;
    const data = column.kind === "value" ? column.values : column.data;
    for (let i = 0; i < nulls.length && sampled < DICTIONARY_SAMPLE; i++) {
      if (nulls[i] === 1) continue;
      seen.add(data[i]!);
      sampled++;
    }
  } else {
    for (let i = 0; i < column.length && sampled < DICTIONARY_SAMPLE; i++) {
      const v = column[i] ?? null;
      if (v === null) continue;
      seen.add(v);
      sampled++;
    }
  }
  return seen.size * 2 <= sampled;
}

function isStored(column: ColumnValues | StoredColumn): column is StoredColumn {
  return !Array.isArray(column);
}
