/**
 * `t$files`: the live data files of a snapshot (the columns of Paimon's `FilesTable`,
 * release 2.0.0, with `deleteRowCount` spelt `delete_row_count`, `write_cols` as JSON
 * text, and one column of ours: `snapshot_id`, the snapshot the row describes).
 *
 * Without a bound on `snapshot_id` the rows are the latest snapshot's files
 * (resolved when the splits are planned, so every split of a query sees the same
 * snapshot). `snapshot_id = N` chooses snapshot N; a range gives the files of every
 * existing snapshot in it, one split per snapshot. Only the chosen snapshots and their
 * manifests are read.
 *
 * `partition` is JSON text (`{"day":"2025-11-20"}`), null for an unpartitioned table;
 * `min_key` / `max_key` are the trimmed primary key as JSON, null for append tables;
 * the statistics columns are JSON objects by column (file-meta-json.ts).
 */
import { DataTypes, FileSource, type Row, type TableSchema, Timestamps } from "@streamhouse/format";
import { dataFilePath, type FileStoreTable, planSnapshotOf } from "@streamhouse/table";
import { keyJson, partitionJson, valueStatsJson } from "./file-meta-json.js";
import { checkConstraint, idInterval, idsWithin } from "./id-range.js";
import { snapshotIfExists } from "./snapshot-files.js";
import { decodeIdRangeSplit, idRangeSplit } from "./split-payload.js";
import type { SystemTable } from "./system-tables.js";

const F = DataTypes.FIELD;

export const FILES_COLUMNS = Object.freeze([
  F(0, "partition", DataTypes.STRING()),
  F(1, "bucket", DataTypes.INT(false)),
  F(2, "file_path", DataTypes.STRING(false)),
  F(3, "file_format", DataTypes.STRING(false)),
  F(4, "schema_id", DataTypes.BIGINT(false)),
  F(5, "level", DataTypes.INT(false)),
  F(6, "record_count", DataTypes.BIGINT(false)),
  F(7, "file_size_in_bytes", DataTypes.BIGINT(false)),
  F(8, "min_key", DataTypes.STRING()),
  F(9, "max_key", DataTypes.STRING()),
  F(10, "null_value_counts", DataTypes.STRING(false)),
  F(11, "min_value_stats", DataTypes.STRING(false)),
  F(12, "max_value_stats", DataTypes.STRING(false)),
  F(13, "min_sequence_number", DataTypes.BIGINT()),
  F(14, "max_sequence_number", DataTypes.BIGINT()),
  F(15, "creation_time", DataTypes.TIMESTAMP(3)),
  F(16, "delete_row_count", DataTypes.BIGINT()),
  F(17, "file_source", DataTypes.STRING()),
  F(18, "first_row_id", DataTypes.BIGINT()),
  F(19, "write_cols", DataTypes.STRING()),
  F(20, "snapshot_id", DataTypes.BIGINT(false)),
]);

const FILE_SOURCE_NAMES: Readonly<Record<number, string>> = { [FileSource.APPEND]: "APPEND", [FileSource.COMPACT]: "COMPACT" };

/** Java's `DataFilePathFactory.formatIdentifier`: the file name's extension. */
function formatOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot + 1);
}

export function openFilesTable(table: FileStoreTable): SystemTable {
  const schemaOf = (id: number): Promise<TableSchema> => (id === table.schema.id ? Promise.resolve(table.schema) : table.schemas.schema(id));
  return {
    columns: FILES_COLUMNS,
    async splits(constraint) {
      checkConstraint(constraint, FILES_COLUMNS, `${table.path}$files`);
      const interval = idInterval(constraint, "snapshot_id");
      if (interval.lo === null && interval.hi === null) {
        const latest = await table.snapshots.latestSnapshotId();
        return latest === null ? [] : [idRangeSplit("files", latest, latest)];
      }
      const ids = idsWithin(await table.snapshots.listSnapshotIds(), interval);
      return ids.map((id) => idRangeSplit("files", id, id));
    },
    async *rows(split) {
      const { from, to } = decodeIdRangeSplit("files", split);
      const options = table.options;
      for (let id = from; id <= to; id++) {
        const snapshot = await snapshotIfExists(table, id);
        if (snapshot === null) continue;
        const plan = await planSnapshotOf(table, snapshot);
        for (const e of plan.files) {
          const file = e.file;
          const fileSchema = await schemaOf(Number(file.schemaId));
          const stats = valueStatsJson(file, fileSchema, table.schema);
          const row: Row = [
            partitionJson(table.schema, e.partition, options.partitionLegacyName(), file.fileName),
            e.bucket,
            dataFilePath(table.path, table.schema, e, options.partitionDefaultName(), options.partitionLegacyName()),
            formatOf(file.fileName),
            file.schemaId,
            file.level,
            file.rowCount,
            file.fileSize,
            keyJson(fileSchema, file.minKey, "_MIN_KEY", file.fileName),
            keyJson(fileSchema, file.maxKey, "_MAX_KEY", file.fileName),
            stats.nullValueCounts,
            stats.minValues,
            stats.maxValues,
            file.minSequenceNumber,
            file.maxSequenceNumber,
            file.creationTime === null ? null : Timestamps.fromMillis(Number(file.creationTime)),
            file.deleteRowCount,
            file.fileSource === null ? null : (FILE_SOURCE_NAMES[file.fileSource] ?? String(file.fileSource)),
            file.firstRowId,
            file.writeCols === null ? null : JSON.stringify(file.writeCols),
            BigInt(snapshot.id),
          ];
          yield row;
        }
      }
    },
  };
}
