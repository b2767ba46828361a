/**
 * `t$changes`: the table as a change log, every committed change in snapshot order —
 * exactly what our streaming reader (`StreamScan.snapshotChanges`) yields for each
 * snapshot: the delta files of APPEND snapshots without a changelog producer, the
 * changelog files of APPEND snapshots with `input`, of COMPACT snapshots with
 * `lookup` / `full-compaction`. Columns: the table's (latest schema), then
 * `_row_kind` (`+I -U +U -D`) and `_snapshot_id`. Paimon's nearest relative is the
 * `audit_log` table, which reads one snapshot rather than the log.
 *
 * A range on `_snapshot_id` is pushed down: splits cover only existing snapshots
 * inside it, a few consecutive snapshots each, read in ascending order; no snapshot
 * outside the range is opened. Snapshots expired before or during the read are
 * skipped (their changes are gone with their files).
 */
import { type DataField, DataTypes, isStreamhouseError, type Row, rowKindToShortString } from "@streamhouse/format";
import { type FileStoreTable, StreamScan, TablePaths } from "@streamhouse/table";
import { checkConstraint, idInterval, idRuns, idsWithin } from "./id-range.js";
import { decodeIdRangeSplit, idRangeSplit } from "./split-payload.js";
import type { SystemTable } from "./system-tables.js";

export const ROW_KIND_COLUMN = "_row_kind";
export const SNAPSHOT_ID_COLUMN = "_snapshot_id";

/** Snapshots per split: a snapshot's delta may be large, so splits stay small. */
const SNAPSHOTS_PER_SPLIT_MAX = 8;

/** The table's columns plus the two change columns, under ids above the table's. */
export function changesColumns(table: FileStoreTable): readonly DataField[] {
  const next = table.schema.highestFieldId + 1;
  return Object.freeze([
    ...table.schema.fields,
    DataTypes.FIELD(next, ROW_KIND_COLUMN, DataTypes.STRING(false)),
    DataTypes.FIELD(next + 1, SNAPSHOT_ID_COLUMN, DataTypes.BIGINT(false)),
  ]);
}

export function openChangesTable(table: FileStoreTable): SystemTable {
  const columns = changesColumns(table);
  const scan = new StreamScan(table);
  return {
    columns,
    async splits(constraint) {
      checkConstraint(constraint, columns, `${table.path}$changes`);
      const ids = idsWithin(await table.snapshots.listSnapshotIds(), idInterval(constraint, SNAPSHOT_ID_COLUMN));
      return idRuns(ids, SNAPSHOTS_PER_SPLIT_MAX).map(([from, to]) => idRangeSplit("changes", from, to));
    },
    async *rows(split) {
      const { from, to } = decodeIdRangeSplit("changes", split);
      for (let id = from; id <= to; id++) {
        if (!(await table.io.exists(TablePaths.snapshot(table.path, id)))) continue;
        const snapshotId = BigInt(id);
        let yielded = false;
        try {
          for await (const c of scan.snapshotChanges(id)) {
            yielded = true;
            const row: Row = [...c.row, rowKindToShortString(c.kind), snapshotId];
            yield row;
          }
        } catch (e) {
          // Expired between the existence check and the read: skip it, as if expired before.
          const expired = !yielded && isStreamhouseError(e, "NotFound") && !(await table.io.exists(TablePaths.snapshot(table.path, id)));
          if (!expired) throw e;
        }
      }
    },
  };
}
