/**
 * What `streamhouse inspect` shows: a table's schema, one snapshot, and the live data
 * files of that snapshot with their partition values and key ranges decoded. The
 * report is plain JSON-ready data; the CLI renders it for people or prints it as JSON.
 */
import {
  type DataType,
  dataTypeToString,
  decodeBinaryRow,
  type JsonOut,
  type ManifestEntry,
  partitionValueToString,
  type TableSchema,
  TableSchemas,
  valueToJson,
} from "@streamhouse/format";
import type { FileStoreTable } from "./file-store-table.js";
import { planSnapshot } from "./scan/table-scan.js";

export interface InspectedFile {
  readonly partition: Readonly<Record<string, string | null>>;
  readonly bucket: number;
  readonly level: number;
  readonly rowCount: number;
  readonly deleteRowCount: number | null;
  readonly minSequenceNumber: string;
  readonly maxSequenceNumber: string;
  readonly minKey: JsonOut;
  readonly maxKey: JsonOut;
  readonly schemaId: number;
  readonly fileSize: number;
  readonly fileName: string;
}

export interface InspectReport {
  readonly table: string;
  readonly schema: {
    readonly id: number;
    readonly fields: readonly { readonly id: number; readonly name: string; readonly type: string }[];
    readonly partitionKeys: readonly string[];
    readonly primaryKeys: readonly string[];
    readonly bucket: number;
    readonly bucketKeys: readonly string[];
    readonly mergeEngine: string | null;
    readonly options: Readonly<Record<string, string>>;
  };
  readonly snapshots: { readonly count: number; readonly earliest: number | null; readonly latest: number | null };
  readonly tags: readonly string[];
  readonly snapshot: null | {
    readonly id: number;
    readonly schemaId: number;
    readonly commitKind: string;
    readonly commitUser: string;
    readonly commitIdentifier: string;
    readonly timeMillis: number;
    readonly totalRecordCount: number;
    readonly deltaRecordCount: number;
    readonly changelogRecordCount: number | null;
  };
  readonly partitions: readonly Readonly<Record<string, string | null>>[];
  readonly buckets: readonly number[];
  readonly files: readonly InspectedFile[];
  readonly indexFiles: readonly { readonly type: string; readonly bucket: number; readonly fileName: string; readonly rowCount: number }[];
}

export async function inspectTable(table: FileStoreTable, snapshotId?: number): Promise<InspectReport> {
  const ids = await table.snapshots.listSnapshotIds();
  const plan = await planSnapshot(table, snapshotId);
  const latestSchema = table.schema;
  const schemaOf = async (id: number): Promise<TableSchema> => (id === latestSchema.id ? latestSchema : table.schemas.schema(id));

  const partitionFields = TableSchemas.partitionFields(latestSchema);
  const partitionOf = (e: ManifestEntry): Record<string, string | null> => {
    const values = decodeBinaryRow(
      partitionFields.map((f) => f.type),
      e.partition,
      { file: e.file.fileName, field: "_PARTITION" },
    );
    const out: Record<string, string | null> = {};
    partitionFields.forEach((f, i) => {
      out[f.name] = partitionValueToString(f.type, values[i] ?? null, table.options.partitionLegacyName());
    });
    return out;
  };

  const files: InspectedFile[] = [];
  for (const e of plan?.files ?? []) {
    const fileSchema = await schemaOf(Number(e.file.schemaId));
    const keyFields = TableSchemas.isPrimaryKeyTable(fileSchema) ? TableSchemas.fields(fileSchema, TableSchemas.trimmedPrimaryKeys(fileSchema)) : [];
    const keyJson = (bytes: Uint8Array, which: string): JsonOut => {
      if (keyFields.length === 0) return null;
      const types: DataType[] = keyFields.map((f) => f.type);
      const values = decodeBinaryRow(types, bytes, { file: e.file.fileName, field: which });
      const out: Record<string, JsonOut> = {};
      keyFields.forEach((f, i) => {
        out[f.name] = valueToJson(f.type, values[i] ?? null);
      });
      return out;
    };
    files.push({
      partition: partitionOf(e),
      bucket: e.bucket,
      level: e.file.level,
      rowCount: Number(e.file.rowCount),
      deleteRowCount: e.file.deleteRowCount === null ? null : Number(e.file.deleteRowCount),
      minSequenceNumber: e.file.minSequenceNumber.toString(),
      maxSequenceNumber: e.file.maxSequenceNumber.toString(),
      minKey: keyJson(e.file.minKey, "_MIN_KEY"),
      maxKey: keyJson(e.file.maxKey, "_MAX_KEY"),
      schemaId: Number(e.file.schemaId),
      fileSize: Number(e.file.fileSize),
      fileName: e.file.fileName,
    });
  }

  const partitions = new Map<string, Record<string, string | null>>();
  for (const f of files) partitions.set(JSON.stringify(f.partition), f.partition);
  const s = plan?.snapshot ?? null;
  return {
    table: table.path,
    schema: {
      id: latestSchema.id,
      fields: latestSchema.fields.map((f) => ({ id: f.id, name: f.name, type: dataTypeToString(f.type) })),
      partitionKeys: latestSchema.partitionKeys,
      primaryKeys: latestSchema.primaryKeys,
      bucket: table.options.bucket(),
      bucketKeys: TableSchemas.bucketKeys(latestSchema),
      mergeEngine: TableSchemas.isPrimaryKeyTable(latestSchema) ? table.options.mergeEngine() : null,
      options: latestSchema.options,
    },
    snapshots: { count: ids.length, earliest: ids[0] ?? null, latest: ids[ids.length - 1] ?? null },
    tags: await table.tagNames(),
    snapshot:
      s === null
        ? null
        : {
            id: s.id,
            schemaId: s.schemaId,
            commitKind: s.commitKind,
            commitUser: s.commitUser,
            commitIdentifier: s.commitIdentifier.toString(),
            timeMillis: s.timeMillis,
            totalRecordCount: s.totalRecordCount,
            deltaRecordCount: s.deltaRecordCount,
            changelogRecordCount: s.changelogRecordCount,
          },
    partitions: [...partitions.values()],
    buckets: [...new Set(files.map((f) => f.bucket))].sort((a, b) => a - b),
    files,
    indexFiles: (plan?.indexFiles ?? []).map((x) => ({
      type: x.indexFile.indexType,
      bucket: x.bucket,
      fileName: x.indexFile.fileName,
      rowCount: Number(x.indexFile.rowCount),
    })),
  };
}
