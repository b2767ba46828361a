/**
 * `t$snapshots`: one row per snapshot that still exists (the columns of Paimon's
 * `SnapshotsTable`, release 2.0.0). `commit_time` is the commit's epoch millis as a
 * TIMESTAMP(3) on a UTC wall clock (Java shows it in the JVM's zone).
 *
 * A range on `snapshot_id` is pushed down: only snapshot files inside it are read.
 */
import { DataTypes, type Row, Timestamps } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";
import { checkConstraint, idInterval, idRuns, idsWithin } from "./id-range.js";
import { snapshotIfExists } from "./snapshot-files.js";
import { decodeIdRangeSplit, idRangeSplit } from "./split-payload.js";
import type { SystemTable } from "./system-tables.js";

const F = DataTypes.FIELD;

export const SNAPSHOTS_COLUMNS = Object.freeze([
  F(0, "snapshot_id", DataTypes.BIGINT(false)),
  F(1, "schema_id", DataTypes.BIGINT(false)),
  F(2, "commit_user", DataTypes.STRING(false)),
  F(3, "commit_identifier", DataTypes.BIGINT(false)),
  F(4, "commit_kind", DataTypes.STRING(false)),
  F(5, "commit_time", DataTypes.TIMESTAMP(3, false)),
  F(6, "base_manifest_list", DataTypes.STRING(false)),
  F(7, "delta_manifest_list", DataTypes.STRING(false)),
  F(8, "changelog_manifest_list", DataTypes.STRING()),
  F(9, "total_record_count", DataTypes.BIGINT()),
  F(10, "delta_record_count", DataTypes.BIGINT()),
  F(11, "changelog_record_count", DataTypes.BIGINT()),
  F(12, "watermark", DataTypes.BIGINT()),
]);

/** Snapshot files are small; one split reads this many at most. */
const SNAPSHOTS_PER_SPLIT_MAX = 1000;

export function openSnapshotsTable(table: FileStoreTable): SystemTable {
  return {
    columns: SNAPSHOTS_COLUMNS,
    async splits(constraint) {
      checkConstraint(constraint, SNAPSHOTS_COLUMNS, `${table.path}$snapshots`);
      const ids = idsWithin(await table.snapshots.listSnapshotIds(), idInterval(constraint, "snapshot_id"));
      return idRuns(ids, SNAPSHOTS_PER_SPLIT_MAX).map(([from, to]) => idRangeSplit("snapshots", from, to));
    },
    async *rows(split) {
      const { from, to } = decodeIdRangeSplit("snapshots", split);
      for (let id = from; id <= to; id++) {
        const s = await snapshotIfExists(table, id);
        if (s === null) continue;
        const row: Row = [
          BigInt(s.id),
          BigInt(s.schemaId),
          s.commitUser,
          s.commitIdentifier,
          s.commitKind,
          Timestamps.fromMillis(s.timeMillis),
          s.baseManifestList,
          s.deltaManifestList,
          s.changelogManifestList,
          BigInt(s.totalRecordCount),
          BigInt(s.deltaRecordCount),
          s.changelogRecordCount === null ? null : BigInt(s.changelogRecordCount),
          s.watermark,
        ];
        yield row;
      }
    },
  };
}
