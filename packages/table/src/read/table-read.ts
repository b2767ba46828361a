/**
 * Reading a table at one snapshot: plan splits, prune them, read their files, and
 * merge primary-key versions — merge-on-read (Paimon's `TableRead` over
 * `MergeFileSplitRead` / `RawFileSplitRead`, release 2.0.0).
 *
 * - Append tables: every file's rows, minus rows their deletion vectors remove.
 * - Primary-key tables: the sorted runs of each split merged by key with the table's
 *   merge engine; retractions are dropped. With deletion vectors or the first-row
 *   engine, level-0 files are not yet visible; with deletion vectors, files above level 0
 *   are read without merging, minus deleted rows.
 *
 * Filters prune partitions exactly and files by their statistics — for primary-key
 * tables only through key columns, since a newer version in another file may change
 * any value column — and then apply to the rows.
 *
 * Merge engines whose result is one input row unchanged (deduplicate, first-row) with
 * no `sequence.field` merge columnar (columnar-merge.ts): keys and sequence numbers are
 * compared in the decoded Arrow buffers and only winning rows are materialized — as
 * rows, or as Arrow record batches gathered buffer to buffer (`arrowBatches`). The
 * other engines merge KeyValue records (merge/sort-merge.ts). With `decodeThreads`,
 * the columnar paths decode Parquet on worker threads (columnar-decode-pool.ts).
 */
import type { RecordBatch } from "apache-arrow";
import {
  type DataField,
  decodeBinaryRow,
  decodeDeletionVectorAt,
  ErrorKind,
  type ManifestEntry,
  type Row,
  type Snapshot,
  StreamhouseError,
  type TableSchema,
  TableSchemas,
  type Value,
} from "@streamhouse/format";
import { joinPath } from "@streamhouse/fileio";
import type { FileStoreTable } from "../file-store-table.js";
import type { KeyValue } from "../kv/key-value.js";
import { createTableMerge } from "../merge/merge-function-factory.js";
import { createKeyComparator } from "../merge/record-comparator.js";
import { mergeRunsAsync } from "../merge/sort-merge.js";
import { type BoundPredicate, bindPredicate, evaluate, type FieldStats, mightMatch, type Predicate } from "../predicate/predicate.js";
import { candidateBuckets } from "../predicate/bucket-filter.js";
import { type DataSplit, isRawReadable, makeSplits } from "../scan/data-split.js";
import { planSnapshot, planSnapshotOf, snapshotIdOfTag } from "../scan/table-scan.js";
import { TablePaths } from "../table-paths.js";
import { gatherBatch, gatherPlan } from "./columnar-batches.js";
import { type ParquetDecodePool, sharedDecodePool } from "./columnar-decode-pool.js";
import { type ColumnarMergeEngine, columnarMergeEngine, mergeSelection, rawSelection, Selection } from "./columnar-merge.js";
import { readsWithLookupSemantics, withLookupSemantics } from "./lookup-read-merge.js";
import { DataFileColumns, type DataFileReadOptions, DataFileReader } from "./data-file-reader.js";

/** Which snapshot to read: at most one of these; the latest when none is given. */
export interface SnapshotSelector {
  readonly snapshotId?: number;
  readonly tag?: string;
  /** The latest snapshot committed at or before this time (epoch ms). */
  readonly timestampMillis?: number;
}

export interface ReadOptions extends SnapshotSelector {
  /** Output columns by name, in this order (default: every column). */
  readonly projection?: readonly string[];
  readonly filter?: Predicate;
  /**
   * Reads only files whose LSM level passes, on top of the level-0 rule of
   * `skipsLevel0`: a streaming reader's first full read uses it (stream-scan.ts).
   */
  readonly levelFilter?: (level: number) => boolean;
  /**
   * Default true: merge columnar where the merge engine allows it (see columnarMergeEngine).
   * False forces the general KeyValue merge (for comparisons and tests).
   */
  readonly columnar?: boolean;
}

export interface ArrowReadOptions extends ReadOptions {
  /** Rows per record batch (default 65,536); a split's last batch may be shorter. */
  readonly batchRows?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

export interface TableReadOptions {
  /**
   * Worker threads that decode Parquet for the columnar paths (default 0: decode on the
   * calling thread). A process-wide pool per count; idle workers do not keep the process alive.
   */
  readonly decodeThreads?: number;
}

/** A split read columnar: its runs' files (newest run first) and the merge, if any. */
interface ColumnarSplit {
  readonly split: DataSplit;
  readonly runs: readonly (readonly ManifestEntry[])[];
  readonly engine: ColumnarMergeEngine | null;
}

export interface ReadPlan {
  readonly snapshot: Snapshot | null;
  readonly splits: readonly DataSplit[];
  /** Output fields, in output order. */
  readonly fields: readonly DataField[];
  /** Files skipped by partition pruning and statistics, for observability. */
  readonly skippedFiles: number;
}

export class TableRead {
  private readonly files: DataFileReader;

  private readonly pool: ParquetDecodePool | null;

  constructor(
    readonly table: FileStoreTable,
    options: TableReadOptions = {},
  ) {
    this.files = DataFileReader.of(table);
    this.pool = (options.decodeThreads ?? 0) > 0 ? sharedDecodePool(options.decodeThreads!) : null;
  }

  async resolveSnapshotId(sel: SnapshotSelector): Promise<number | null> {
    const given = [sel.snapshotId, sel.tag, sel.timestampMillis].filter((x) => x !== undefined).length;
    if (given > 1) throw new StreamhouseError(ErrorKind.InvalidArgument, "choose at most one of snapshot id, tag and timestamp");
    if (sel.snapshotId !== undefined) return sel.snapshotId;
    if (sel.tag !== undefined) return snapshotIdOfTag(this.table, sel.tag);
    if (sel.timestampMillis !== undefined) {
      const s = await this.table.snapshots.snapshotAtOrBefore(sel.timestampMillis);
      if (s === null) {
        throw new StreamhouseError(ErrorKind.NotFound, `no snapshot at or before ${new Date(sel.timestampMillis).toISOString()}`, {
          context: { table: this.table.path },
        });
      }
      return s.id;
    }
    return this.table.snapshots.latestSnapshotId();
  }

  async plan(options: ReadOptions = {}): Promise<ReadPlan> {
    const schema = this.table.schema;
    const fields = options.projection === undefined ? [...schema.fields] : TableSchemas.fields(schema, options.projection);
    let planned: Awaited<ReturnType<typeof planSnapshot>>;
    if (options.tag !== undefined && options.snapshotId === undefined && options.timestampMillis === undefined) {
      // Read the snapshot the tag file holds: snapshot-N itself may have expired.
      const tag = await this.table.tag(options.tag);
      if (tag === null) throw new StreamhouseError(ErrorKind.NotFound, `tag "${options.tag}" does not exist`, { context: { table: this.table.path } });
      planned = await planSnapshotOf(this.table, tag.snapshot);
    } else {
      const id = await this.resolveSnapshotId(options);
      planned = id === null ? null : await planSnapshot(this.table, id);
    }
    if (planned === null) return { snapshot: null, splits: [], fields, skippedFiles: 0 };

    const levelFilter = options.levelFilter;
    let visible = this.skipsLevel0() ? planned.files.filter((e) => e.file.level > 0) : planned.files;
    if (levelFilter !== undefined) visible = visible.filter((e) => levelFilter(e.file.level));
    let kept: ManifestEntry[] = [...visible];
    if (options.filter !== undefined) kept = await this.prune(kept, options.filter);
    const keyComparator = this.minKeyComparator(schema);
    const splits = makeSplits(planned.snapshot.id, kept, planned.indexFiles, keyComparator);
    return { snapshot: planned.snapshot, splits, fields, skippedFiles: visible.length - kept.length };
  }

  /**
   * Whether batch reads leave level-0 files out: primary-key tables with deletion vectors
   * or the first-row engine, whose level-0 files become visible only once compaction
   * (with its lookups) has moved them up — Java's `CoreOptions.batchScanSkipLevel0`, applied
   * by `DataTableBatchScan` as a level filter on the plan, release 2.0.0.
   */
  private skipsLevel0(): boolean {
    const options = this.table.options;
    return TableSchemas.isPrimaryKeyTable(this.table.schema) && (options.deletionVectorsEnabled() || options.mergeEngine() === "first-row");
  }

  /** Rows of the selected snapshot, filtered and projected. */
  async *rows(options: ReadOptions = {}): AsyncGenerator<Row, void, undefined> {
    const plan = await this.plan(options);
    const schema = this.table.schema;
    const filter = options.filter === undefined ? null : bindPredicate(options.filter, schema.fields);
    const outIndexes = plan.fields.map((f) => schema.fields.findIndex((x) => x.name === f.name));
    const splits = plan.splits;
    const hows = splits.map((split) => (options.columnar === false ? null : this.columnarSplit(split, true)));
    // Columnar merges are yielded from here (one async generator per row, not two); with
    // decode workers, the next split decodes while this one's rows are consumed.
    const start = (i: number): Promise<Selection> | null => {
      const how = hows[i];
      if (how === null || how === undefined || how.engine === null) return null;
      const p = this.selectColumnar(how);
      p.catch(() => undefined); // awaited below; a generator closed early must not leave it unhandled
      return p;
    };
    let next: Promise<Selection> | null = null;
    for (let i = 0; i < splits.length; i++) {
      const how = hows[i]!;
      const pending = next;
      next = null;
      if (how !== null && how.engine !== null) {
        const selection = await (pending ?? this.selectColumnar(how));
        if (this.pool !== null) next = start(i + 1);
        for (const row of selectedRows(selection, filter, outIndexes)) yield row;
      } else {
        yield* this.readSplit(splits[i]!, options);
      }
    }
  }

  async toArray(options: ReadOptions = {}): Promise<Row[]> {
    const out: Row[] = [];
    for await (const r of this.rows(options)) out.push(r);
    return out;
  }

  /** Rows of one split, filtered by `options.filter` and projected to `options.projection`. */
  async *readSplit(split: DataSplit, options: ReadOptions = {}): AsyncGenerator<Row, void, undefined> {
    const schema = this.table.schema;
    const filter = options.filter === undefined ? null : bindPredicate(options.filter, schema.fields);
    const outIndexes = (options.projection ?? schema.fields.map((f) => f.name)).map((n) => schema.fields.findIndex((f) => f.name === n));
    const emit = (row: Row): Row | null => {
      if (filter !== null && evaluate(filter, row) !== true) return null;
      return outIndexes.map((i) => row[i] ?? null);
    };
    const pk = TableSchemas.isPrimaryKeyTable(schema);
    const dvEnabled = this.table.options.deletionVectorsEnabled();
    const skipLevel0 = this.skipsLevel0();
    if (!pk || dvEnabled || isRawReadable(split, schema, false)) {
      // No merging: append files, or a primary-key split whose keys each live in one file.
      for (const run of split.runs) {
        if (skipLevel0 && run.level === 0) continue;
        for (const entry of run.files) {
          const data = await this.files.read(entry);
          const deleted = await this.deletionVector(split, entry);
          for (let i = 0; i < data.rowCount; i++) {
            if (deleted?.isDeleted(DataFileColumns.positionOf(data, i))) continue;
            if (pk && data.valueKinds !== null) {
              const kind = data.valueKinds[i]!;
              if (kind === 1 || kind === 3) continue;
            }
            const out = emit(DataFileColumns.row(data, i));
            if (out !== null) yield out;
          }
        }
      }
      return;
    }
    const selection = options.columnar === false ? null : await this.mergedSelection(split);
    if (selection !== null) {
      for (const row of selectedRows(selection, filter, outIndexes)) yield row;
      return;
    }
    const merge = createTableMerge(schema, this.table.options);
    const mergeFunction = readsWithLookupSemantics(this.table.options, TableSchemas.isPrimaryKeyTable(schema)) ? withLookupSemantics(merge.mergeFunction) : merge.mergeFunction;
    const runs = split.runs.filter((run) => !skipLevel0 || run.level > 0).map((run) => this.runKeyValues(split, run.files));
    for await (const kv of mergeRunsAsync(runs, { ...merge, mergeFunction, dropDelete: true })) {
      const out = emit(kv.value);
      if (out !== null) yield out;
    }
  }

  /**
   * Rows of the selected snapshot as Apache Arrow record batches, filtered and projected,
   * split by split. Needs every split to be readable columnar — an append table, a
   * primary-key split without overlapping runs, or a deduplicate / first-row merge without
   * `sequence.field` — and its columns to need no cast from an older schema's type and to
   * be flat (no ARRAY, MAP, MULTISET, ROW); otherwise it fails with Unsupported and
   * `rows()` reads the table.
   */
  async *arrowBatches(options: ArrowReadOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    const schema = this.table.schema;
    const plan = await this.plan(options);
    const filter = options.filter === undefined ? null : bindPredicate(options.filter, schema.fields);
    const columns = plan.fields.map((f) => schema.fields.findIndex((x) => x.name === f.name));
    const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new StreamhouseError(ErrorKind.InvalidArgument, `batchRows must be a positive integer, got ${batchRows}`);
    const reads = plan.splits.map((split) => {
      const how = this.columnarSplit(split, options.columnar !== false);
      if (how === null) {
        throw new StreamhouseError(
          ErrorKind.Unsupported,
          `Arrow batches need a merge the columnar reader implements (merge-engine deduplicate or first-row without sequence.field), not merge-engine ${this.table.options.mergeEngine()}; read rows instead`,
          { context: { table: this.table.path } },
        );
      }
      return how;
    });
    // With decode workers, the next split decodes while this one merges and gathers.
    const load = (i: number) => {
      const p = this.selectColumnar(reads[i]!);
      p.catch(() => undefined); // awaited below; a generator closed early must not leave it unhandled
      return p;
    };
    let next = reads.length > 0 ? load(0) : null;
    for (let i = 0; i < reads.length; i++) {
      let selection = await next!;
      next = this.pool !== null && i + 1 < reads.length ? load(i + 1) : null;
      if (filter !== null) {
        const sel = selection;
        selection = Selection.filter(sel, (j) => {
          const s = sel.segments[sel.segment[j]!]!;
          return evaluate(filter, DataFileColumns.row(s.file, s.start + sel.row[j]!)) === true;
        });
      }
      if (selection.length > 0) {
        const files = [...new Set(selection.segments.map((s) => s.file))];
        const gather = gatherPlan(files, schema.fields, columns);
        if (gather === null) {
          throw new StreamhouseError(
            ErrorKind.Unsupported,
            "Arrow batches need flat columns that every data file holds in the table's current type (no nested types, no casts from older schemas); read rows instead",
            { context: { table: this.table.path, bucket: reads[i]!.split.bucket } },
          );
        }
        for (let from = 0; from < selection.length; from += batchRows) {
          yield gatherBatch(gather, selection, from, Math.min(selection.length, from + batchRows));
        }
      }
      if (next === null && i + 1 < reads.length) next = load(i + 1);
    }
  }

  /**
   * How `split` is read columnar: without merging (append files, a primary-key split
   * whose keys each live in one file, deletion-vector tables) or by the columnar merge;
   * null when it needs the general KeyValue merge (or `columnar` is false and it needs a merge).
   */
  private columnarSplit(split: DataSplit, columnar: boolean): ColumnarSplit | null {
    const schema = this.table.schema;
    const pk = TableSchemas.isPrimaryKeyTable(schema);
    const runs = split.runs.filter((run) => !(this.skipsLevel0() && run.level === 0)).map((run) => run.files);
    if (!pk || this.table.options.deletionVectorsEnabled() || isRawReadable(split, schema, false)) return { split, runs, engine: null };
    if (!columnar) return null;
    const engine = columnarMergeEngine(schema, this.table.options);
    if (engine === null || split.deletionVectors.size > 0) return null;
    return { split, runs, engine };
  }

  /** Reads the files of a columnar split (all at once with decode workers) and selects its rows. */
  private async selectColumnar(how: ColumnarSplit): Promise<Selection> {
    const schema = this.table.schema;
    const options: DataFileReadOptions = this.pool === null ? {} : { decode: this.pool.decode };
    const runs: DataFileColumns[][] = [];
    if (this.pool === null) {
      for (const files of how.runs) {
        const loaded: DataFileColumns[] = [];
        for (const entry of files) loaded.push(await this.files.read(entry, options));
        runs.push(loaded);
      }
    } else {
      runs.push(...(await Promise.all(how.runs.map((files) => Promise.all(files.map((entry) => this.files.read(entry, options)))))));
    }
    if (how.engine !== null) {
      const keyTypes = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
      return mergeSelection(runs, keyTypes, how.engine);
    }
    const pk = TableSchemas.isPrimaryKeyTable(schema);
    const files = runs.flat();
    const entries = how.runs.flat();
    const deleted: (Awaited<ReturnType<TableRead["deletionVector"]>> | null)[] = [];
    for (const entry of entries) deleted.push(await this.deletionVector(how.split, entry));
    return rawSelection(files, (f, fileRow) => {
      const data = files[f]!;
      if (deleted[f]?.isDeleted(DataFileColumns.positionOf(data, fileRow))) return true;
      const kind = pk && data.valueKinds !== null ? data.valueKinds[fileRow]! : 0;
      return kind === 1 || kind === 3;
    });
  }

  /** The merged rows of a split as a selection, or null when its merge engine needs the general merge. */
  private async mergedSelection(split: DataSplit): Promise<Selection | null> {
    const how = this.columnarSplit(split, true);
    return how === null || how.engine === null ? null : this.selectColumnar(how);
  }

  /** The records of one sorted run: its files' records in file order. */
  private async *runKeyValues(split: DataSplit, files: readonly ManifestEntry[]): AsyncGenerator<KeyValue, void, undefined> {
    for (const entry of files) {
      const data = await this.files.read(entry);
      const deleted = await this.deletionVector(split, entry);
      const kvs = DataFileColumns.keyValues(data);
      for (let i = 0; i < kvs.length; i++) {
        if (deleted?.isDeleted(DataFileColumns.positionOf(data, i))) continue;
        yield kvs[i]!;
      }
    }
  }

  private async deletionVector(split: DataSplit, entry: ManifestEntry) {
    const dv = split.deletionVectors.get(entry.file.fileName);
    if (dv === undefined) return null;
    const path = joinPath(TablePaths.indexDir(this.table.path), dv.indexFile);
    const bytes = await this.table.io.read(path);
    return decodeDeletionVectorAt(bytes, dv.range.offset, dv.range.length, path);
  }

  /** Orders files' serialized min keys by key value (for level ≥ 1 runs). */
  private minKeyComparator(schema: TableSchema): (a: Uint8Array, b: Uint8Array) => number {
    if (!TableSchemas.isPrimaryKeyTable(schema)) return () => 0;
    const types = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
    const compare = createKeyComparator(types);
    return (a, b) => compare(decodeBinaryRow(types, a), decodeBinaryRow(types, b));
  }

  /** Drops files whose partition or statistics rule the filter out. */
  private async prune(files: readonly ManifestEntry[], filter: Predicate): Promise<ManifestEntry[]> {
    const schema = this.table.schema;
    const partFields = TableSchemas.partitionFields(schema);
    const partPred = bindPredicate(filter, partFields, true);
    const pk = TableSchemas.isPrimaryKeyTable(schema);
    const statFields = pk ? TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)) : schema.fields;
    const statPred = bindPredicate(filter, statFields, true);
    const options = this.table.options;
    const buckets = candidateBuckets(filter, TableSchemas.fields(schema, TableSchemas.bucketKeys(schema)), options.bucket(), options.bucketFunctionType());
    const out: ManifestEntry[] = [];
    for (const e of files) {
      if (buckets !== null && !buckets.has(e.bucket)) continue;
      const partValues = decodeBinaryRow(
        partFields.map((f) => f.type),
        e.partition,
        { file: e.file.fileName, field: "_PARTITION" },
      );
      if (evaluate(partPred, partValues) === false) continue;
      const stats = await this.fileStats(e, statFields, pk);
      if (stats !== null && !mightMatch(statPred, stats, Number(e.file.rowCount))) continue;
      out.push(e);
    }
    return out;
  }

  /**
   * Statistics of `e` for `fields` (matched by field id against the schema the file
   * was written with), or null when the file's stats cannot be interpreted.
   */
  private async fileStats(e: ManifestEntry, fields: readonly DataField[], keyStats: boolean): Promise<(FieldStats | undefined)[] | null> {
    const fileSchema = Number(e.file.schemaId) === this.table.schema.id ? this.table.schema : await this.table.schemas.schema(Number(e.file.schemaId));
    const statsFields: DataField[] = keyStats
      ? TableSchemas.fields(fileSchema, TableSchemas.trimmedPrimaryKeys(fileSchema))
      : e.file.valueStatsCols === null
        ? [...fileSchema.fields]
        : TableSchemas.fields(fileSchema, e.file.valueStatsCols);
    const stats = keyStats ? e.file.keyStats : e.file.valueStats;
    const arity = (b: Uint8Array): number => (b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getInt32(0, false) : -1);
    if (arity(stats.minValues) !== statsFields.length || arity(stats.maxValues) !== statsFields.length) return null;
    const types = statsFields.map((f) => f.type);
    const mins = decodeBinaryRow(types, stats.minValues, { file: e.file.fileName, field: "stats" });
    const maxs = decodeBinaryRow(types, stats.maxValues, { file: e.file.fileName, field: "stats" });
    return fields.map((f) => {
      const i = statsFields.findIndex((s) => s.id === f.id);
      // Only stats of an unchanged type bound the values read with today's type.
      if (i < 0 || statsFields[i]!.type.root !== f.type.root) return undefined;
      const nulls = stats.nullCounts?.[i];
      return {
        min: (mins[i] ?? null) as Value | null,
        max: (maxs[i] ?? null) as Value | null,
        nullCount: nulls === undefined || nulls === null ? null : Number(nulls),
      };
    });
  }
}

/** The rows a selection picks, filtered and projected (columns by read-field position). */
function* selectedRows(selection: Selection, filter: BoundPredicate | null, outIndexes: readonly number[]): Generator<Row, void, undefined> {
  const { segments, segment, row } = selection;
  for (let j = 0; j < selection.length; j++) {
    const s = segments[segment[j]!]!;
    const i = s.start + row[j]!;
    const columns = s.file.columns;
    if (filter !== null && evaluate(filter, columns.map((c) => c.get(i))) !== true) continue;
    yield outIndexes.map((k) => columns[k]!.get(i));
  }
}
