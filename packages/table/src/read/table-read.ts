/**
 * Reading a table at one snapshot: plan splits, prune them, read their files, and
 * merge primary-key versions — merge-on-read (Paimon's `TableRead` over
 * `MergeFileSplitRead` / `RawFileSplitRead`, release 2.0.0).
 *
 * - Append tables: every file's rows, minus rows their deletion vectors remove.
 * - Primary-key tables: the sorted runs of each split merged by key with the table's
 *   merge engine; retractions are dropped. With deletion vectors, level-0 files are not
 *   yet visible and files above level 0 are read without merging, minus deleted rows.
 *
 * Filters prune partitions exactly and files by their statistics — for primary-key
 * tables only through key columns, since a newer version in another file may change
 * any value column — and then apply to the rows.
 */
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
import { bindPredicate, evaluate, type FieldStats, mightMatch, type Predicate } from "../predicate/predicate.js";
import { candidateBuckets } from "../predicate/bucket-filter.js";
import { type DataSplit, isRawReadable, makeSplits } from "../scan/data-split.js";
import { planSnapshot, snapshotIdOfTag } from "../scan/table-scan.js";
import { TablePaths } from "../table-paths.js";
import { DataFileColumns, DataFileReader } from "./data-file-reader.js";

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

  constructor(readonly table: FileStoreTable) {
    this.files = DataFileReader.of(table);
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
    const id = await this.resolveSnapshotId(options);
    const planned = id === null ? null : await planSnapshot(this.table, id);
    if (planned === null) return { snapshot: null, splits: [], fields, skippedFiles: 0 };

    let kept: ManifestEntry[] = [...planned.files];
    if (options.filter !== undefined) kept = await this.prune(kept, options.filter);
    const keyComparator = this.minKeyComparator(schema);
    const splits = makeSplits(planned.snapshot.id, kept, planned.indexFiles, keyComparator);
    return { snapshot: planned.snapshot, splits, fields, skippedFiles: planned.files.length - kept.length };
  }

  /** Rows of the selected snapshot, filtered and projected. */
  async *rows(options: ReadOptions = {}): AsyncGenerator<Row, void, undefined> {
    const plan = await this.plan(options);
    for (const split of plan.splits) yield* this.readSplit(split, options);
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
    if (!pk || dvEnabled || isRawReadable(split, schema, false)) {
      // No merging: append files, or a primary-key split whose keys each live in one file.
      for (const run of split.runs) {
        if (pk && dvEnabled && run.level === 0) continue;
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
    const merge = createTableMerge(schema, this.table.options);
    const runs = split.runs.map((run) => this.runKeyValues(split, run.files));
    for await (const kv of mergeRunsAsync(runs, { ...merge, dropDelete: true })) {
      const out = emit(kv.value);
      if (out !== null) yield out;
    }
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

