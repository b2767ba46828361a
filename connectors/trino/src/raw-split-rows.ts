/**
 * Rows of a split that needs no merging — append files, deletion-vector tables, a
 * primary-key bucket whose keys each live in one file — read file by file with only the
 * requested columns decoded, in batches: one await per file instead of a promise per
 * row. The same rows, in the same order, as `TableRead.readSplit`'s unmerged branch
 * (release of this repository): level-0 files skipped where batch reads skip them,
 * rows removed by deletion vectors dropped, and retractions (-U, -D) of primary-key
 * files dropped.
 */
import { joinPath } from "@streamhouse/fileio";
import { decodeDeletionVectorAt, type ManifestEntry, type Row } from "@streamhouse/format";
import { type DataSplit, DataFileColumns, DataFileReader, type FileStoreTable, type ParquetDecode, TablePaths } from "@streamhouse/table";

export interface RawSplitOptions {
  /** Read-schema column names, in output order. */
  readonly projection: readonly string[];
  readonly primaryKey: boolean;
  /** Leave level-0 files out (primary-key tables with deletion vectors or first-row). */
  readonly skipLevel0: boolean;
  readonly decode?: ParquetDecode;
}

const BATCH_ROWS = 4096;

export async function* rawSplitRows(table: FileStoreTable, split: DataSplit, o: RawSplitOptions): AsyncGenerator<readonly Row[]> {
  const reader = DataFileReader.of(table);
  for (const run of split.runs) {
    if (o.skipLevel0 && run.level === 0) continue;
    for (const entry of run.files) {
      const data = await reader.read(entry, { projection: o.projection, ...(o.decode !== undefined ? { decode: o.decode } : {}) });
      const deleted = await deletionVector(table, split, entry);
      const kinds = o.primaryKey ? data.valueKinds : null;
      const columns = data.columns;
      const width = columns.length;
      let batch: Row[] = [];
      for (let i = 0; i < data.rowCount; i++) {
        if (deleted?.isDeleted(DataFileColumns.positionOf(data, i))) continue;
        if (kinds !== null) {
          const kind = kinds[i]!;
          if (kind === 1 || kind === 3) continue;
        }
        const row = new Array(width);
        for (let k = 0; k < width; k++) row[k] = columns[k]!.get(i);
        batch.push(row);
        if (batch.length >= BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
}

async function deletionVector(table: FileStoreTable, split: DataSplit, entry: ManifestEntry) {
  const dv = split.deletionVectors.get(entry.file.fileName);
  if (dv === undefined) return null;
  const path = joinPath(TablePaths.indexDir(table.path), dv.indexFile);
  const bytes = await table.io.read(path);
  return decodeDeletionVectorAt(bytes, dv.range.offset, dv.range.length, path);
}
