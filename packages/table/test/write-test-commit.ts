/**
 * Test-only helpers for the writer tests: create a table directory, and publish a
 * Committable as one APPEND snapshot (one manifest, a delta manifest list, and the
 * previous snapshot's base + delta as the new base) — just enough for TableRead and
 * Java to see the files. Not the real committer: no conflict checks, no retries.
 */
import type { FileIO } from "@streamhouse/fileio";
import {
  type DataField,
  decodeBinaryRow,
  encodeBinaryRow,
  type SimpleStats,
  TableSchemas,
  type Value,
  encodeManifestEntries,
  encodeManifestList,
  encodeSnapshot,
  encodeTableSchema,
  FileKind,
  type ManifestEntry,
  type ManifestFileMeta,
  SCHEMA_VERSION,
  type TableSchema,
} from "@streamhouse/format";
import { compareValues, FileStoreTable, TablePaths } from "../src/index.js";
import type { Committable } from "../src/write/commit-message.js";

export async function createTable(
  io: FileIO,
  path: string,
  fields: readonly DataField[],
  spec: { primaryKeys?: string[]; partitionKeys?: string[]; options?: Record<string, string> } = {},
): Promise<FileStoreTable> {
  const schema: TableSchema = {
    version: SCHEMA_VERSION,
    id: 0,
    fields,
    highestFieldId: Math.max(...fields.map((f) => maxId(f))),
    partitionKeys: spec.partitionKeys ?? [],
    primaryKeys: spec.primaryKeys ?? [],
    options: spec.options ?? {},
    comment: null,
    timeMillis: 1_700_000_000_000,
  };
  await io.writeIfAbsent(TablePaths.schema(path, 0), new TextEncoder().encode(encodeTableSchema(schema)));
  return FileStoreTable.open(io, path);
}

function maxId(f: DataField): number {
  const t = f.type;
  return t.root === "ROW" ? Math.max(f.id, ...t.fields.map(maxId)) : f.id;
}

let counter = 0;

export async function commitForTest(table: FileStoreTable, committable: Committable, commitUser = "test-user"): Promise<number> {
  const io = table.io;
  const latest = await table.snapshots.latestSnapshotId();
  const previous = latest === null ? null : await table.snapshots.snapshot(latest);
  const entries: ManifestEntry[] = committable.messages.flatMap((m) =>
    m.dataIncrement.newFiles.map((file) => ({ kind: FileKind.ADD, partition: m.partition, bucket: m.bucket, totalBuckets: m.totalBuckets, file })),
  );
  const tag = `${process.pid}-${Date.now()}-${counter++}`;
  const manifestName = `manifest-test-${tag}`;
  const manifestBytes = encodeManifestEntries(entries);
  await io.writeIfAbsent(TablePaths.manifest(table.path, manifestName), manifestBytes);
  const manifestMeta: ManifestFileMeta = {
    fileName: manifestName,
    fileSize: BigInt(manifestBytes.length),
    numAddedFiles: BigInt(entries.length),
    numDeletedFiles: 0n,
    partitionStats: partitionStats(table, entries),
    schemaId: BigInt(table.schema.id),
    minBucket: null,
    maxBucket: null,
    minLevel: null,
    maxLevel: null,
    minRowId: null,
    maxRowId: null,
  };
  const base: ManifestFileMeta[] = [];
  if (previous !== null) {
    for (const list of [previous.baseManifestList, previous.deltaManifestList]) base.push(...(await table.manifests.manifestList(list)));
  }
  const baseName = `manifest-list-test-${tag}-0`;
  const deltaName = `manifest-list-test-${tag}-1`;
  const baseBytes = encodeManifestList(base);
  const deltaBytes = encodeManifestList([manifestMeta]);
  await io.writeIfAbsent(TablePaths.manifest(table.path, baseName), baseBytes);
  await io.writeIfAbsent(TablePaths.manifest(table.path, deltaName), deltaBytes);
  const rows = entries.reduce((n, e) => n + Number(e.file.rowCount), 0);
  const id = (latest ?? 0) + 1;
  const snapshot = {
    version: 3,
    id,
    schemaId: table.schema.id,
    baseManifestList: baseName,
    baseManifestListSize: baseBytes.length,
    deltaManifestList: deltaName,
    deltaManifestListSize: deltaBytes.length,
    changelogManifestList: null,
    changelogManifestListSize: null,
    indexManifest: null,
    commitUser,
    commitIdentifier: committable.commitIdentifier,
    commitKind: "APPEND" as const,
    timeMillis: Date.now(),
    totalRecordCount: (previous?.totalRecordCount ?? 0) + rows,
    deltaRecordCount: rows,
    changelogRecordCount: 0,
    watermark: null,
    statistics: null,
    properties: null,
    nextRowId: null,
    extra: {},
  };
  await io.writeIfAbsent(TablePaths.snapshot(table.path, id), new TextEncoder().encode(encodeSnapshot(snapshot)));
  await io.overwrite(TablePaths.latestHint(table.path), new TextEncoder().encode(String(id)));
  return id;
}

/** Min/max/null counts of the partition fields over the entries (Java filters manifests by them). */
function partitionStats(table: FileStoreTable, entries: readonly ManifestEntry[]): SimpleStats {
  const types = TableSchemas.partitionFields(table.schema).map((f) => f.type);
  const mins: (Value | null)[] = types.map(() => null);
  const maxs: (Value | null)[] = types.map(() => null);
  const nulls = types.map(() => 0n);
  for (const e of entries) {
    decodeBinaryRow(types, e.partition).forEach((v, i) => {
      if (v === null) nulls[i]!++;
      else {
        if (mins[i] === null || compareValues(types[i]!, v, mins[i]!) < 0) mins[i] = v;
        if (maxs[i] === null || compareValues(types[i]!, v, maxs[i]!) > 0) maxs[i] = v;
      }
    });
  }
  return { minValues: encodeBinaryRow(types, mins), maxValues: encodeBinaryRow(types, maxs), nullCounts: nulls };
}
