/**
 * Primary-key data files made in memory for reader tests: records (key, sequence
 * number, row kind, row) written as Paimon lays them out —
 *   _KEY_<k>… | _SEQUENCE_NUMBER | _VALUE_KIND | table columns
 * with Paimon's field ids — through apache-arrow and parquet-wasm, into a MemoryFileIO,
 * with a manifest entry that DataFileReader can read. Small row groups make files
 * decode into several record batches.
 */
import { type DataType as ArrowType, Field, Float64, Int8, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, Utf8, vectorFromArray } from "apache-arrow";
import type { MemoryFileIO } from "@streamhouse/fileio";
import { type DataField, type DataType, type ManifestEntry, type Row, type TableSchema, TableSchemas, type Value } from "@streamhouse/format";
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { KEY_FIELD_ID_START, SEQUENCE_NUMBER_FIELD_ID, VALUE_KIND_FIELD_ID } from "../../src/read/field-id-mapping.js";

export interface PkRecord {
  readonly key: Row;
  readonly sequenceNumber: bigint;
  readonly valueKind: number;
  readonly value: Row;
}

function arrowType(t: DataType): ArrowType {
  switch (t.root) {
    case "BIGINT":
      return new Int64();
    case "INT":
      return new Int32();
    case "DOUBLE":
      return new Float64();
    case "VARCHAR":
    case "CHAR":
      return new Utf8();
    default:
      throw new Error(`pk-data-files: no Arrow type for ${t.root}`);
  }
}

function field(name: string, id: number, t: DataType): Field {
  return new Field(name, arrowType(t), t.nullable, new Map([["PARQUET:field_id", String(id)]]));
}

function column(t: ArrowType, values: readonly (Value | null)[]) {
  return vectorFromArray(values as unknown[], t).data[0]!;
}

/** The table's data directory for bucket 0 of an unpartitioned table. */
export const BUCKET_DIR = "bucket-0";

let fileCounter = 0;

/** Writes `records` (already in file order) as one data file of `schema`'s table at `tablePath`. */
export async function writePkFile(io: MemoryFileIO, tablePath: string, schema: TableSchema, records: readonly PkRecord[], level: number, rowGroupRows = 64): Promise<ManifestEntry> {
  const keyFields: DataField[] = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema));
  const fields = [
    ...keyFields.map((f) => field(`_KEY_${f.name}`, KEY_FIELD_ID_START + f.id, { ...f.type, nullable: false })),
    new Field("_SEQUENCE_NUMBER", new Int64(), false, new Map([["PARQUET:field_id", String(SEQUENCE_NUMBER_FIELD_ID)]])),
    new Field("_VALUE_KIND", new Int8(), false, new Map([["PARQUET:field_id", String(VALUE_KIND_FIELD_ID)]])),
    ...schema.fields.map((f) => field(f.name, f.id, f.type)),
  ];
  const children = [
    ...keyFields.map((_, k) => column(fields[k]!.type, records.map((r) => r.key[k] ?? null))),
    column(new Int64(), records.map((r) => r.sequenceNumber)),
    column(new Int8(), records.map((r) => r.valueKind)),
    ...schema.fields.map((_, c) => column(fields[keyFields.length + 2 + c]!.type, records.map((r) => r.value[c] ?? null))),
  ];
  const data = makeData({ type: new Struct(fields), length: records.length, nullCount: 0, children });
  const table = new Table([new RecordBatch(new Schema(fields), data)]);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(rowGroupRows).build();
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, "stream")), props);
  const fileName = `data-test-${fileCounter++}.parquet`;
  await io.overwrite(`${tablePath}/${BUCKET_DIR}/${fileName}`, bytes);
  return {
    kind: 0,
    partition: new Uint8Array(12),
    bucket: 0,
    totalBuckets: 1,
    file: { fileName, fileSize: BigInt(bytes.length), rowCount: BigInt(records.length), schemaId: 0n, level, externalPath: null },
  } as unknown as ManifestEntry;
}
