/**
 * Writing rows into a table (Paimon's `TableWriteImpl` over `KeyValueFileStoreWrite` /
 * `AppendFileStoreWrite`, release 2.0.0): rows are checked against the schema, routed
 * to their partition and bucket, and handed to one writer per partition-bucket; at a
 * checkpoint `prepareCommit` flushes every writer and returns the Committable the
 * committer publishes. Nothing becomes visible before that commit.
 *
 * Buckets:
 *   bucket = n > 0   fixed: Java's bucket function over the bucket key (`bucket-key`,
 *                    else the trimmed primary key), `bucket-function.type` default/mod
 *   bucket = -1      append tables: bucket-unaware, everything in bucket 0 (totalBuckets -1)
 *                    primary-key tables: dynamic buckets (totalBuckets -1): a key's bucket
 *                    comes from the partition's HASH index (dynamic-bucket-assigner.ts),
 *                    and each bucket written gets a new HASH file at the checkpoint
 *                    (hash-index-maintainer.ts); cross-partition upsert — not yet
 *   bucket = -2      postpone — not yet
 * Each call validates ALL of its rows before any of them is buffered, so a bad row
 * fails the call with a SchemaMismatch and leaves no trace. Sequence numbers continue,
 * per partition-bucket, after the largest one of the latest snapshot's live files.
 */
import type { RecordBatch } from "apache-arrow";
import {
  BinaryRowWriter,
  binaryRowHash,
  bucketOf,
  createBucketFunction,
  type BucketFunction,
  type DataType,
  EMPTY_BINARY_ROW_BYTES,
  encodeBinaryRow,
  ErrorKind,
  type IndexManifestEntry,
  isRowKind,
  partitionPath,
  partitionValueToString,
  type Row,
  RowKind,
  type RowKindShortString,
  rowKindFromShortString,
  StreamhouseError,
  TableSchemas,
  type Value,
} from "@streamhouse/format";
import { createCompactor, type RestoredBucket, restoreDeletionVectors, restoredBuckets } from "../compact/bucket-restore.js";
import { CompactionExecutor } from "../compact/compaction-executor.js";
import type { DeletionVectorsMaintainer } from "../compact/deletion-vectors-maintainer.js";
import type { FileStoreTable } from "../file-store-table.js";
import { DataFileReader } from "../read/data-file-reader.js";
import { planSnapshot } from "../scan/table-scan.js";
import { AppendOnlyWriter } from "./append-only-writer.js";
import { rowsOfRecordBatch } from "./arrow-input.js";
import { type CommitMessage, type Committable, isEmptyMessage } from "./commit-message.js";
import { DynamicBucketOptions, PartitionBucketAssigner } from "./dynamic-bucket-assigner.js";
import { HashIndexLoader, type PartitionHashes } from "./hash-index-loader.js";
import { HashIndexMaintainer } from "./hash-index-maintainer.js";
import { MergeTreeWriter } from "./merge-tree-writer.js";
import { ParquetWriteOptions } from "./parquet-file-writer.js";
import { type InputRow, RowNormalizer } from "./row-normalizer.js";
import type { BucketLocation, WriterContext } from "./writer-context.js";

export type RowKindLike = RowKind | RowKindShortString;

export interface Change {
  readonly kind: RowKindLike;
  readonly row: InputRow;
}

export interface TableWriteOptions {
  /** Epoch milliseconds now, for `_CREATION_TIME` (default Date.now). */
  readonly clock?: () => number;
  /** Parent directory of spill files (default: the OS temp dir). */
  readonly tempDir?: string;
}

type BucketWriter = MergeTreeWriter | AppendOnlyWriter;

/** What a writer of a dynamic-bucket primary-key table keeps besides its bucket writers. */
interface DynamicBuckets {
  readonly options: DynamicBucketOptions;
  readonly loader: HashIndexLoader;
  /** Positions of the trimmed primary key, whose BinaryRow hash is the key hash. */
  readonly keyPositions: readonly number[];
  readonly keyRows: BinaryRowWriter;
  /** Per partition (hex of its BinaryRow): the assigner and the HASH files it started from. */
  readonly partitions: Map<string, { readonly assigner: PartitionBucketAssigner; readonly restored: PartitionHashes }>;
  /** Per writer key: the bucket's HASH index. */
  readonly maintainers: Map<string, HashIndexMaintainer>;
}

export class TableWrite {
  private readonly ctx: WriterContext;
  private readonly normalizer: RowNormalizer;
  private readonly primaryKey: boolean;
  private readonly numBuckets: number;
  private readonly partitionPositions: readonly number[];
  private readonly partitionTypes: readonly DataType[];
  private readonly bucketPositions: readonly number[];
  private readonly bucketKeyRows: BinaryRowWriter | null;
  private readonly bucketFunction: BucketFunction;
  private readonly dynamic: DynamicBuckets | null;
  private readonly writers = new Map<string, BucketWriter>();
  /** Writer keys of an unpartitioned table by bucket (no string built per row). */
  private readonly unpartitionedKeys: string[] = [];
  private readonly bucketKeyScratch: (Value | null)[] = [];
  private closed = false;
  private readonly reader: DataFileReader;
  private readonly executor = new CompactionExecutor();
  /** prepareCommit calls so far (full-compaction changelog every `full-compaction.delta-commits`). */
  private commits = 0;

  private constructor(
    readonly table: FileStoreTable,
    /** Live files and largest sequence number per writer key at open. */
    private readonly restored: ReadonlyMap<string, RestoredBucket>,
    /** Deletion vectors per writer key at open (deletion-vectors.enabled only). */
    private readonly deletionVectors: ReadonlyMap<string, DeletionVectorsMaintainer>,
    /** Index manifest entries of the snapshot opened (the HASH index of dynamic buckets). */
    indexEntries: readonly IndexManifestEntry[],
    options: TableWriteOptions,
  ) {
    this.reader = DataFileReader.of(table);
    const { schema } = table;
    const tableOptions = table.options;
    this.ctx = {
      io: table.io,
      tablePath: table.path,
      schema,
      options: tableOptions,
      parquet: ParquetWriteOptions.of(tableOptions),
      clock: options.clock ?? Date.now,
      tempDir: options.tempDir,
    };
    if (tableOptions.fileFormat() !== "parquet") {
      throw new StreamhouseError(ErrorKind.Unsupported, `writing file.format "${tableOptions.fileFormat()}" is not supported (only parquet)`);
    }
    this.primaryKey = TableSchemas.isPrimaryKeyTable(schema);
    this.normalizer = new RowNormalizer(schema.fields, schema.primaryKeys);
    const position = (name: string) => schema.fields.findIndex((f) => f.name === name);
    this.partitionPositions = schema.partitionKeys.map(position);
    this.partitionTypes = TableSchemas.partitionFields(schema).map((f) => f.type);
    this.numBuckets = tableOptions.bucket();
    this.dynamic = this.numBuckets === -1 && this.primaryKey ? TableWrite.dynamicBuckets(table, indexEntries) : null;
    if (this.numBuckets === -2 || this.numBuckets === 0 || this.numBuckets < -2) {
      throw new StreamhouseError(ErrorKind.Unsupported, `writing tables with bucket = ${this.numBuckets} is not supported yet`, { context: { table: table.path } });
    }
    const bucketKeys = this.dynamic === null ? TableSchemas.bucketKeys(schema) : [];
    if (this.numBuckets > 0 && bucketKeys.length === 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, "an append table with a fixed bucket count needs the bucket-key option", {
        context: { table: table.path },
      });
    }
    this.bucketPositions = bucketKeys.map(position);
    const bucketKeyTypes = TableSchemas.fields(schema, bucketKeys).map((f) => f.type);
    this.bucketKeyRows = this.numBuckets > 0 ? new BinaryRowWriter(bucketKeyTypes) : null;
    const fnType = tableOptions.bucketFunctionType();
    this.bucketFunction = this.numBuckets > 0 ? createBucketFunction(fnType, bucketKeyTypes) : bucketOf;
  }

  /** Opens a writer for `table`, restoring sequence numbers from its latest snapshot. */
  static async open(table: FileStoreTable, options: TableWriteOptions = {}): Promise<TableWrite> {
    const restored = new Map<string, RestoredBucket>();
    const deletionVectors = new Map<string, DeletionVectorsMaintainer>();
    const plan = await planSnapshot(table);
    const ctx = { io: table.io, tablePath: table.path, schema: table.schema, options: table.options, parquet: ParquetWriteOptions.of(table.options), clock: Date.now };
    for (const b of restoredBuckets(plan?.files ?? [], plan?.indexFiles ?? []).values()) {
      const key = b.partition.length === EMPTY_BINARY_ROW_BYTES.length ? `/${b.bucket}` : writerKey(b.partition, b.bucket);
      restored.set(key, b);
      if (b.indexFiles.length > 0) {
        const dv = await restoreDeletionVectors(ctx, b);
        if (dv !== null) deletionVectors.set(key, dv);
      }
    }
    return new TableWrite(table, restored, deletionVectors, plan?.indexFiles ?? [], options);
  }

  private static dynamicBuckets(table: FileStoreTable, indexEntries: readonly IndexManifestEntry[]): DynamicBuckets {
    const { schema } = table;
    if (!schema.partitionKeys.every((k) => schema.primaryKeys.includes(k))) {
      // Paimon's KEY_DYNAMIC mode: a key may move between partitions, which needs a
      // table-wide key index (Java builds it from all data at start-up).
      throw new StreamhouseError(
        ErrorKind.Unsupported,
        "writing cross-partition upsert tables (bucket = -1 with a primary key that lacks partition fields) is not supported yet",
        { context: { table: table.path, primaryKey: schema.primaryKeys.join(","), partition: schema.partitionKeys.join(",") } },
      );
    }
    const bucketKey = schema.options["bucket-key"];
    if (bucketKey !== undefined && bucketKey.trim() !== "") {
      throw new StreamhouseError(ErrorKind.InvalidArgument, "a dynamic-bucket table (bucket = -1) cannot have a bucket-key: its buckets follow the primary key", {
        context: { table: table.path, option: "bucket-key" },
      });
    }
    const keyNames = TableSchemas.trimmedPrimaryKeys(schema);
    return {
      options: DynamicBucketOptions.of(table.options),
      loader: new HashIndexLoader(table.io, table.path, indexEntries),
      keyPositions: keyNames.map((name) => schema.fields.findIndex((f) => f.name === name)),
      keyRows: new BinaryRowWriter(TableSchemas.fields(schema, keyNames).map((f) => f.type)),
      partitions: new Map(),
      maintainers: new Map(),
    };
  }

  /** Writes rows of one kind (default +I). */
  async write(rows: readonly InputRow[], kind: RowKindLike = RowKind.INSERT): Promise<void> {
    const k = toRowKind(kind, 0);
    await this.writeValidated(this.validate(rows, () => k));
  }

  /** Writes rows each with its own kind. */
  async writeChanges(changes: readonly Change[]): Promise<void> {
    const kinds = changes.map((c, i) => toRowKind(c.kind, i));
    await this.writeValidated(this.validate(changes.map((c) => c.row), (i) => kinds[i]!));
  }

  /** Writes the rows of an Arrow batch (kinds from an optional `_row_kind` column, else +I). */
  async writeArrow(batch: RecordBatch): Promise<void> {
    const { rows, kinds } = rowsOfRecordBatch(batch, this.table.schema.fields);
    await this.writeValidated(this.validate(rows, (i) => kinds?.[i] ?? RowKind.INSERT));
  }

  private validate(rows: readonly InputRow[], kindOf: (i: number) => RowKind): { rows: Row[]; kinds: RowKind[] } {
    this.checkOpen();
    const out: Row[] = new Array(rows.length);
    const kinds: RowKind[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const kind = kindOf(i);
      if (!this.primaryKey && kind !== RowKind.INSERT && !this.ctx.options.ignoreDelete()) {
        throw new StreamhouseError(ErrorKind.SchemaMismatch, `row ${i}: an append table takes only +I rows`, { context: { row: i } });
      }
      out[i] = this.normalizer.normalize(rows[i]!, i);
      kinds[i] = kind;
    }
    return { rows: out, kinds };
  }

  private async writeValidated({ rows, kinds }: { rows: Row[]; kinds: RowKind[] }): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const kind = kinds[i]!;
      // Append tables with ignore-delete drop retractions, as Java's writer does.
      if (!this.primaryKey && kind !== RowKind.INSERT) continue;
      const writer = this.writerFor(row) ?? (await this.loadPartitionThenWriterFor(row));
      const full = writer instanceof MergeTreeWriter ? writer.add(kind, row) : writer.add(row);
      if (full) await writer.flush();
    }
  }

  private unpartitionedKey(bucket: number): string {
    let key = this.unpartitionedKeys[bucket];
    if (key === undefined) {
      key = `/${bucket}`;
      this.unpartitionedKeys[bucket] = key;
    }
    return key;
  }

  /** The bucket key values of `row`, in a reused array (BinaryRowWriter.write copies them out). */
  private bucketKeyOf(row: Row): Row {
    const positions = this.bucketPositions;
    const out = this.bucketKeyScratch;
    for (let k = 0; k < positions.length; k++) out[k] = row[positions[k]!] ?? null;
    return out;
  }

  /** The writer of `row`'s bucket; null when a dynamic-bucket partition's index is not loaded yet. */
  private writerFor(row: Row): BucketWriter | null {
    // Unpartitioned tables (the common case) skip encoding a partition row per record.
    const partitioned = this.partitionPositions.length > 0;
    const partValues = partitioned ? this.partitionPositions.map((p) => row[p] ?? null) : [];
    const partition = partitioned ? encodeBinaryRow(this.partitionTypes, partValues) : EMPTY_BINARY_ROW_BYTES;
    const dynamic = this.dynamic;
    let bucket: number;
    let hash = 0;
    if (dynamic === null) {
      bucket = this.bucketKeyRows === null ? 0 : this.bucketFunction(this.bucketKeyRows.write(this.bucketKeyOf(row)), this.numBuckets);
    } else {
      const part = dynamic.partitions.get(partitioned ? partitionHex(partition) : EMPTY_PARTITION_HEX);
      if (part === undefined) return null;
      hash = binaryRowHash(dynamic.keyRows.write(dynamic.keyPositions.map((p) => row[p] ?? null)));
      bucket = part.assigner.assign(hash);
    }
    const key = partitioned ? writerKey(partition, bucket) : this.unpartitionedKey(bucket);
    let writer = this.writers.get(key);
    if (writer === undefined) {
      writer = this.createWriter(partition, partValues, bucket, key);
      this.writers.set(key, writer);
    }
    if (dynamic !== null) dynamic.maintainers.get(key)!.notifyNewKey(hash);
    return writer;
  }

  /** Reads the HASH index of `row`'s partition (dynamic buckets), then routes the row. */
  private async loadPartitionThenWriterFor(row: Row): Promise<BucketWriter> {
    const dynamic = this.dynamic!;
    const partition = this.partitionPositions.length > 0 ? encodeBinaryRow(this.partitionTypes, this.partitionPositions.map((p) => row[p] ?? null)) : EMPTY_BINARY_ROW_BYTES;
    const key = partitionHex(partition);
    const restored = await dynamic.loader.load(key);
    dynamic.partitions.set(key, { assigner: new PartitionBucketAssigner(dynamic.options, restored), restored });
    return this.writerFor(row)!;
  }

  private createWriter(partition: Uint8Array, partValues: Row, bucket: number, key: string): BucketWriter {
    const restored = this.restored.get(key);
    const maxSequence = restored?.maxSequenceNumber ?? -1n;
    const { schema, options } = this.ctx;
    const fields = TableSchemas.partitionFields(schema);
    const spec = fields.map((f, i) => [f.name, partitionValueToString(f.type, partValues[i] ?? null, options.partitionLegacyName())] as const);
    const location: BucketLocation = {
      partition,
      partitionPath: partitionPath(spec, options.partitionDefaultName()),
      bucket,
      totalBuckets: this.numBuckets,
    };
    if (this.dynamic !== null) {
      const restoredHashes = this.dynamic.partitions.get(partitionHex(partition))?.restored.get(bucket);
      this.dynamic.maintainers.set(key, new HashIndexMaintainer(this.ctx.io, this.ctx.tablePath, restoredHashes));
    }
    const compactor = createCompactor({
      ctx: this.ctx,
      location,
      reader: this.reader,
      executor: this.executor,
      restoredFiles: restored?.files ?? [],
      deletionVectors: this.deletionVectors.get(key) ?? null,
    });
    return this.primaryKey ? new MergeTreeWriter(this.ctx, location, maxSequence, compactor) : new AppendOnlyWriter(this.ctx, location, maxSequence, compactor);
  }

  /**
   * Flushes every writer and returns what to commit for `checkpointId` (the commit
   * identifier), with what compaction finished. Writers stay open: their sequence numbers
   * continue after the commit. With `changelog-producer = full-compaction` every
   * `full-compaction.delta-commits`-th call (default 1) fully compacts each bucket
   * written since open; `options.fullCompaction` asks for that now.
   */
  async prepareCommit(checkpointId: bigint, options: { readonly fullCompaction?: boolean } = {}): Promise<Committable> {
    this.checkOpen();
    this.commits++;
    const tableOptions = this.ctx.options;
    const every = tableOptions.fullCompactionDeltaCommits() ?? 1;
    const fullCompaction = options.fullCompaction === true || (tableOptions.changelogProducer() === "full-compaction" && this.commits % Math.max(1, every) === 0);
    const messages: CommitMessage[] = [];
    for (const [key, writer] of this.writers) {
      let m = await writer.prepareCommit({ fullCompaction });
      const hashFiles = (await this.dynamic?.maintainers.get(key)?.prepareCommit()) ?? [];
      if (hashFiles.length > 0) m = { ...m, dataIncrement: { ...m.dataIncrement, newIndexFiles: [...m.dataIncrement.newIndexFiles, ...hashFiles] } };
      if (!isEmptyMessage(m)) messages.push(m);
    }
    return { commitIdentifier: checkpointId, messages };
  }

  /** Drops buffered rows and spill files. Files already written stay (orphans unless committed). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.writers.values()) await w.close();
    this.writers.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw new StreamhouseError(ErrorKind.InvalidArgument, "this TableWrite is closed");
  }
}

function toRowKind(kind: RowKindLike, index: number): RowKind {
  if (typeof kind === "number") {
    if (isRowKind(kind)) return kind;
  } else {
    try {
      return rowKindFromShortString(kind);
    } catch {
      // reported below
    }
  }
  throw new StreamhouseError(ErrorKind.SchemaMismatch, `row ${index}: invalid row kind ${JSON.stringify(kind)}`, { context: { row: index } });
}

let hexTable: string[] | null = null;

function partitionHex(partition: Uint8Array): string {
  hexTable ??= Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  let s = "";
  for (let i = 0; i < partition.length; i++) s += hexTable[partition[i]!];
  return s;
}

function writerKey(partition: Uint8Array, bucket: number): string {
  return `${partitionHex(partition)}/${bucket}`;
}

const EMPTY_PARTITION_HEX = partitionHex(EMPTY_BINARY_ROW_BYTES);
