/**
 * Helpers for the committer tests: tables made from a field list, hand-made data file
 * metadata (the committer never opens data files, so the names may be fake), and
 * commit messages.
 */
import type { FileIO } from "@streamhouse/fileio";
import {
  type DataFileMeta,
  type DataType,
  EMPTY_BINARY_ROW_BYTES,
  EMPTY_SIMPLE_STATS,
  encodeBinaryRow,
  encodeTableSchema,
  FileSource,
  parseFieldList,
  type Row,
  type TableSchema,
  TableSchemas,
} from "@streamhouse/format";
import { FileStoreTable, planSnapshot } from "@streamhouse/table";
import { type CommitMessage, EMPTY_COMPACT_INCREMENT, EMPTY_DATA_INCREMENT } from "../src/write/commit-message.js";

export interface TableSpec {
  readonly fields: string;
  readonly primaryKeys?: readonly string[];
  readonly partitionKeys?: readonly string[];
  readonly options?: Readonly<Record<string, string>>;
}

export async function createTable(io: FileIO, path: string, spec: TableSpec, dynamicOptions: Record<string, string> = {}): Promise<FileStoreTable> {
  const fields = parseFieldList(spec.fields);
  const schema: TableSchema = {
    version: 3,
    id: 0,
    fields,
    highestFieldId: fields.length - 1,
    partitionKeys: [...(spec.partitionKeys ?? [])],
    primaryKeys: [...(spec.primaryKeys ?? [])],
    options: { ...(spec.options ?? {}) },
    comment: null,
    timeMillis: 1_700_000_000_000,
  };
  await io.writeIfAbsent(`${path}/schema/schema-0`, new TextEncoder().encode(encodeTableSchema(schema)));
  return FileStoreTable.open(io, path, dynamicOptions);
}

/** Serialized partition row of `table` for `values` (in partition key order). */
export function partitionOf(table: FileStoreTable, ...values: Row): Uint8Array {
  const types = TableSchemas.partitionFields(table.schema).map((f) => f.type);
  return types.length === 0 ? EMPTY_BINARY_ROW_BYTES : encodeBinaryRow(types, values);
}

/** Serialized trimmed primary key of `table`. */
export function keyOf(table: FileStoreTable, ...values: Row): Uint8Array {
  const types: DataType[] = TableSchemas.fields(table.schema, TableSchemas.trimmedPrimaryKeys(table.schema)).map((f) => f.type);
  return encodeBinaryRow(types, values);
}

export interface FileSpec {
  readonly rows?: number;
  readonly level?: number;
  readonly minKey?: Uint8Array;
  readonly maxKey?: Uint8Array;
  readonly seq?: readonly [number, number];
  readonly source?: FileSource;
}

export function dataFile(name: string, spec: FileSpec = {}): DataFileMeta {
  const rows = BigInt(spec.rows ?? 1);
  return {
    fileName: name,
    fileSize: 1000n + rows,
    rowCount: rows,
    minKey: spec.minKey ?? EMPTY_BINARY_ROW_BYTES,
    maxKey: spec.maxKey ?? EMPTY_BINARY_ROW_BYTES,
    keyStats: EMPTY_SIMPLE_STATS,
    valueStats: EMPTY_SIMPLE_STATS,
    minSequenceNumber: BigInt(spec.seq?.[0] ?? 0),
    maxSequenceNumber: BigInt(spec.seq?.[1] ?? 0),
    schemaId: 0n,
    level: spec.level ?? 0,
    extraFiles: [],
    creationTime: 1_700_000_000_000n,
    deleteRowCount: 0n,
    embeddedIndex: null,
    fileSource: spec.source ?? FileSource.APPEND,
    valueStatsCols: null,
    externalPath: null,
    firstRowId: null,
    writeCols: null,
  };
}

export interface MessageSpec {
  readonly partition: Uint8Array;
  readonly bucket?: number;
  readonly totalBuckets?: number;
  readonly newFiles?: readonly DataFileMeta[];
  readonly deletedFiles?: readonly DataFileMeta[];
  readonly changelogFiles?: readonly DataFileMeta[];
  readonly compactBefore?: readonly DataFileMeta[];
  readonly compactAfter?: readonly DataFileMeta[];
}

export function message(spec: MessageSpec): CommitMessage {
  return {
    partition: spec.partition,
    bucket: spec.bucket ?? 0,
    totalBuckets: spec.totalBuckets ?? 1,
    dataIncrement: { ...EMPTY_DATA_INCREMENT, newFiles: spec.newFiles ?? [], deletedFiles: spec.deletedFiles ?? [], changelogFiles: spec.changelogFiles ?? [] },
    compactIncrement: { ...EMPTY_COMPACT_INCREMENT, compactBefore: spec.compactBefore ?? [], compactAfter: spec.compactAfter ?? [] },
  };
}

/** Names of the live data files of a snapshot (default latest), sorted. */
export async function liveFileNames(table: FileStoreTable, snapshotId?: number): Promise<string[]> {
  const plan = await planSnapshot(table, snapshotId);
  return plan === null ? [] : plan.files.map((e) => e.file.fileName).sort();
}

/** A clock that ticks one millisecond per call. */
export function tickingClock(start = 1_750_000_000_000): () => number {
  let t = start;
  return () => t++;
}

export const noSleep = async (): Promise<void> => {};
