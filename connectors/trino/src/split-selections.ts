/**
 * A data split's rows as selections over decoded files (see selection-page-encoder.ts),
 * for the splits that need at most the columnar merge:
 * - no merge (append files, deletion-vector tables, primary-key buckets whose keys each
 *   live in one file): per file, its rows minus those deletion vectors remove and minus
 *   retractions (-U, -D) of primary-key files; level-0 files skipped where batch reads
 *   skip them — the rows and order of raw-split-rows.ts;
 * - deduplicate / first-row merges without deletion vectors: @streamhouse/table's
 *   `mergeSelection` over all runs — the rows and order of merged-split-rows.ts.
 *
 * With a decode pool every file of the split is handed to it at once, so its workers
 * decode in parallel while this thread encodes the pages of files already decoded.
 */
import { joinPath } from "@streamhouse/fileio";
import { decodeDeletionVectorAt, type ManifestEntry, TableSchemas } from "@streamhouse/format";
import {
  type ColumnarMergeEngine,
  DataFileColumns,
  DataFileReader,
  type DataSplit,
  type FileStoreTable,
  mergeSelection,
  type ParquetDecode,
  type Segment,
  type Selection,
  TablePaths,
} from "@streamhouse/table";
import type { SelectionSlice } from "./selection-page-encoder.js";

export interface SplitSelectionOptions {
  /** Read-schema column names, in output order. */
  readonly projection: readonly string[];
  readonly primaryKey: boolean;
  /** Leave level-0 files out (primary-key tables with deletion vectors, first-row). */
  readonly skipLevel0: boolean;
  readonly decode?: ParquetDecode;
}

/** The live rows of `split` read without merging: one selection per file. */
export async function* rawSplitSelections(table: FileStoreTable, split: DataSplit, o: SplitSelectionOptions): AsyncGenerator<SelectionSlice> {
  const reader = DataFileReader.of(table);
  const options = { projection: o.projection, ...(o.decode !== undefined ? { decode: o.decode } : {}) };
  const entries = split.runs.filter((r) => !(o.skipLevel0 && r.level === 0)).flatMap((r) => r.files);
  // With workers, every file is in flight at once; without, one at a time on demand.
  const pending = o.decode !== undefined ? entries.map((e) => reader.read(e, options)) : null;
  // Keeps unhandled rejections of files never awaited (the reader stopped early) quiet; the awaited ones still throw.
  for (const p of pending ?? []) p.catch(() => {});
  for (let f = 0; f < entries.length; f++) {
    const entry = entries[f]!;
    const data = pending !== null ? await pending[f]! : await reader.read(entry, options);
    const deleted = await deletionVector(table, split, entry);
    const kinds = o.primaryKey ? data.valueKinds : null;
    const selection = fileSelection(data, (i) => {
      if (kinds !== null) {
        const kind = kinds[i]!;
        if (kind === 1 || kind === 3) return false;
      }
      return deleted === null || !deleted.isDeleted(DataFileColumns.positionOf(data, i));
    }, kinds === null && deleted === null);
    if (selection.length > 0) yield { selection, from: 0, to: selection.length };
  }
}

/** The merged rows of `split` (deduplicate or first-row, no deletion vectors): one selection. */
export async function* mergedSplitSelections(table: FileStoreTable, split: DataSplit, engine: ColumnarMergeEngine, o: SplitSelectionOptions): AsyncGenerator<SelectionSlice> {
  const reader = DataFileReader.of(table);
  const options = { projection: o.projection, ...(o.decode !== undefined ? { decode: o.decode } : {}) };
  const runFiles = split.runs.filter((r) => !(o.skipLevel0 && r.level === 0)).map((r) => r.files);
  let runs: DataFileColumns[][];
  if (o.decode !== undefined) {
    runs = await Promise.all(runFiles.map((files) => Promise.all(files.map((e) => reader.read(e, options)))));
  } else {
    runs = [];
    for (const files of runFiles) {
      const loaded: DataFileColumns[] = [];
      for (const e of files) loaded.push(await reader.read(e, options));
      runs.push(loaded);
    }
  }
  const schema = table.schema;
  const keyTypes = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
  const selection = mergeSelection(runs, keyTypes, engine);
  if (selection.length > 0) yield { selection, from: 0, to: selection.length };
}

/** The rows `keep` accepts of one decoded file, by record batch; `all` skips asking. */
function fileSelection(data: DataFileColumns, keep: (row: number) => boolean, all: boolean): Selection {
  const starts = data.arrow.batchStarts;
  const segments: Segment[] = [];
  for (let b = 0; b + 1 < starts.length; b++) {
    const length = starts[b + 1]! - starts[b]!;
    if (length > 0) segments.push({ file: data, batch: b, start: starts[b]!, length });
  }
  const segment = new Int32Array(data.rowCount);
  const row = new Int32Array(data.rowCount);
  let n = 0;
  segments.forEach((s, si) => {
    for (let i = 0; i < s.length; i++) {
      if (!all && !keep(s.start + i)) continue;
      segment[n] = si;
      row[n] = i;
      n++;
    }
  });
  return { segments, segment, row, length: n };
}

async function deletionVector(table: FileStoreTable, split: DataSplit, entry: ManifestEntry) {
  const dv = split.deletionVectors.get(entry.file.fileName);
  if (dv === undefined) return null;
  const path = joinPath(TablePaths.indexDir(table.path), dv.indexFile);
  const bytes = await table.io.read(path);
  return decodeDeletionVectorAt(bytes, dv.range.offset, dv.range.length, path);
}
