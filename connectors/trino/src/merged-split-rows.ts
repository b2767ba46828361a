/**
 * Rows of a split that needs merge-on-read with a merge engine whose result is one
 * input row unchanged (deduplicate, first-row; no `sequence.field`): its files read with
 * only the requested columns decoded (keys, sequence numbers and row kinds always are),
 * merged by `mergeSelection` (@streamhouse/table's columnar merge), and emitted in
 * batches. The same rows in the same order as `TableRead.readSplit`'s columnar branch,
 * which decodes every column.
 */
import { type Row, TableSchemas } from "@streamhouse/format";
import { type ColumnarMergeEngine, type DataFileColumns, DataFileReader, type DataSplit, type FileStoreTable, mergeSelection, type ParquetDecode } from "@streamhouse/table";

export interface MergedSplitOptions {
  /** Read-schema column names, in output order. */
  readonly projection: readonly string[];
  /** Leave level-0 files out (first-row tables). */
  readonly skipLevel0: boolean;
  /** With a decode pool, all files of the split decode at once on its workers. */
  readonly decode?: ParquetDecode;
}

const BATCH_ROWS = 4096;

export async function* mergedSplitRows(table: FileStoreTable, split: DataSplit, engine: ColumnarMergeEngine, o: MergedSplitOptions): AsyncGenerator<readonly Row[]> {
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
  const width = o.projection.length;
  let batch: Row[] = [];
  for (let j = 0; j < selection.length; j++) {
    const s = selection.segments[selection.segment[j]!]!;
    const i = s.start + selection.row[j]!;
    const columns = s.file.columns;
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
