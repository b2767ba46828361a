/**
 * The TrinoThriftService methods over a Catalog. Every call opens what it needs
 * fresh from the catalog — no table, schema or snapshot is cached across calls —
 * so a snapshot committed before `trinoGetSplits` is what that query reads. The one
 * thing a query pins is its snapshot: `trinoGetSplits` plans the latest snapshot once
 * and writes its id into every split id (and into its continuation token).
 *
 * Immutable facts may be remembered: the file plan of snapshot N of a table never
 * changes, so reading many splits of one snapshot plans it once (a small LRU).
 */
import type { Catalog } from "@streamhouse/catalog";
import { type DataField, decodeBinaryRow, ErrorKind, type Row, StreamhouseError, type TableSchema, TableSchemas } from "@streamhouse/format";
import {
  columnarMergeEngine,
  createKeyComparator,
  type DataSplit,
  FileStoreTable,
  isRawReadable,
  makeSplits,
  type Predicate,
  planSnapshotOf,
  sharedDecodePool,
  type ScanPlan,
  TablePaths,
  TableRead,
} from "@streamhouse/table";
import { CountingFileIO } from "./counting-file-io.js";
import { isTrinoName, splitSystemName, trinoColumnNames } from "./names.js";
import { encodePage, type PageColumn, rowBytesEstimator } from "./page-encoder.js";
import { chunkLength, dropRows, isRowChunk, type PageChunk } from "./page-chunk.js";
import { type Cursor, RowCursors } from "./row-cursors.js";
import { encodeSelectionPage, type SelectionSlice, selectionRowsWithin } from "./selection-page-encoder.js";
import { type DataSplitId, decodePageToken, decodeSplitId, encodePageToken, encodeSplitId, type SplitId, type SystemSplitId } from "./split-id.js";
import { hex, planUnits } from "./split-plan.js";
import { mergedSplitSelections, rawSplitSelections } from "./split-selections.js";
import { openSystemTable, parseSystemTableName, type SystemTable, type SystemTableKind } from "./system/system-tables.js";
import { bigintRanges, isNone, type ThriftTupleDomainLike, tupleDomainPredicate } from "./tuple-domain.js";
import { trinoColumnType } from "./type-mapping.js";

export interface TrinoHandlerOptions {
  readonly catalog: Catalog;
  /** Largest split in data-file bytes before a bucket is cut finer (default 32 MiB). */
  readonly splitTargetBytes?: number;
  /** Most rows per page whatever `maxBytes` allows (default 262,144). */
  readonly maxPageRows?: number;
  /** Worker threads decoding Parquet (default 0). */
  readonly decodeThreads?: number;
}

export interface TrinoServiceStats {
  /** Data files opened by row reads since the service started. */
  readonly filesOpened: number;
  /** Splits handed out by trinoGetSplits. */
  readonly splitsPlanned: number;
  /** Pages returned by trinoGetRows. */
  readonly pagesServed: number;
  readonly rowsServed: number;
  /** Calls that failed (their error reached Trino). */
  readonly errors: number;
  /** Cursors of partly read splits currently held. */
  readonly openCursors: number;
}

export interface SchemaTableName {
  readonly schemaName: string;
  readonly tableName: string;
}

export interface ColumnMetadata {
  readonly name: string;
  readonly type: string;
  readonly comment: string | null;
  readonly hidden: boolean;
}

export interface TableMetadata {
  readonly schemaTableName: SchemaTableName;
  readonly columns: readonly ColumnMetadata[];
  readonly comment: string | null;
}

/** A split as TrinoThriftSplit: its id bytes (hosts: any — the coordinator picks). */
export interface SplitOut {
  readonly splitId: { readonly id: Buffer };
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
}

export interface SplitBatch {
  readonly splits: readonly SplitOut[];
  readonly nextToken: { readonly id: Buffer } | null;
}

/** What a name resolves to: a data table, or one of its system tables. */
type Resolved =
  | { readonly kind: "data"; readonly table: FileStoreTable; readonly fields: readonly DataField[]; readonly names: readonly string[] }
  | { readonly kind: "system"; readonly table: FileStoreTable; readonly system: SystemTableKind; readonly view: SystemTable; readonly names: readonly string[] };

const DEFAULT_SPLIT_TARGET_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_PAGE_ROWS = 262_144;
const PLAN_CACHE_SIZE = 16;

function notFound(what: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.NotFound, what);
}

export class TrinoThriftHandler {
  private readonly catalog: Catalog;
  private readonly splitTargetBytes: number;
  private readonly maxPageRows: number;
  private readonly decodeThreads: number;
  private readonly cursors = new RowCursors<PageChunk>();
  private readonly plans = new Map<string, Promise<ScanPlan>>();
  private counters = { filesOpened: 0, splitsPlanned: 0, pagesServed: 0, rowsServed: 0, errors: 0 };

  constructor(o: TrinoHandlerOptions) {
    this.catalog = o.catalog;
    this.splitTargetBytes = o.splitTargetBytes ?? DEFAULT_SPLIT_TARGET_BYTES;
    this.maxPageRows = o.maxPageRows ?? DEFAULT_MAX_PAGE_ROWS;
    this.decodeThreads = o.decodeThreads ?? 0;
  }

  stats(): TrinoServiceStats {
    return { ...this.counters, openCursors: this.cursors.size };
  }

  /** Counts a failed call (the server reports it to Trino). */
  noteError(): void {
    this.counters.errors++;
  }

  close(): void {
    this.cursors.closeAll();
  }

  async trinoListSchemaNames(): Promise<string[]> {
    return (await this.catalog.listDatabases()).filter(isTrinoName).sort();
  }

  async trinoListTables(schemaNameOrNull: { readonly schemaName?: string | null } | null): Promise<SchemaTableName[]> {
    const only = schemaNameOrNull?.schemaName ?? null;
    const schemas = only !== null ? [only] : await this.trinoListSchemaNames();
    const out: SchemaTableName[] = [];
    for (const schemaName of schemas) {
      if (!(await this.catalog.databaseExists(schemaName))) continue;
      for (const tableName of (await this.catalog.listTables(schemaName)).sort()) {
        if (isTrinoName(tableName)) out.push({ schemaName, tableName });
      }
    }
    return out;
  }

  async trinoGetTableMetadata(name: SchemaTableName): Promise<{ readonly tableMetadata: TableMetadata | null }> {
    const r = await this.resolve(name.schemaName, name.tableName);
    if (r === null) return { tableMetadata: null };
    const fields = r.kind === "data" ? r.fields : r.view.columns;
    const columns = fields.map((f, i) => ({
      name: r.names[i]!,
      type: trinoColumnType(f.type, f.name).trinoType,
      comment: f.description ?? null,
      hidden: false,
    }));
    const comment = r.kind === "data" ? r.table.schema.comment : `${r.system} of ${name.schemaName}.${baseName(name.tableName)}`;
    return { tableMetadata: { schemaTableName: { schemaName: name.schemaName, tableName: name.tableName }, columns, comment } };
  }

  async trinoGetSplits(
    name: SchemaTableName,
    _desiredColumns: unknown,
    outputConstraint: ThriftTupleDomainLike | null,
    maxSplitCount: number,
    nextToken: { readonly token?: { readonly id: Buffer } | null } | null,
  ): Promise<SplitBatch> {
    const r = await this.resolve(name.schemaName, name.tableName);
    if (r === null) throw notFound(`table ${name.schemaName}.${name.tableName} does not exist`);
    if (isNone(outputConstraint)) return { splits: [], nextToken: null };
    const token = nextToken?.token?.id ? decodeSplitsToken(nextToken.token.id) : null;
    let ids: SplitId[];
    let snapshotId: number | null = null;
    if (r.kind === "system") {
      const fields = r.view.columns;
      const bigints = fields.filter((f) => f.type.root === "BIGINT").map((f) => r.names[fields.indexOf(f)]!);
      const trinoRanges = bigintRanges(outputConstraint, bigints);
      const ranges = new Map([...trinoRanges].map(([trinoName, range]) => [fields[r.names.indexOf(trinoName)]!.name, range] as const));
      const payloads = await r.view.splits(ranges);
      ids = payloads.map((payload) => ({ kind: "system", database: name.schemaName, table: name.tableName, system: r.system, payload }));
    } else {
      const filter = tupleDomainPredicate(outputConstraint, r.fields, r.names);
      const planned = await this.planData(r.table, filter, token?.snapshotId ?? undefined);
      snapshotId = planned.snapshotId;
      ids = planned.units.map((u) => ({
        kind: "data",
        database: name.schemaName,
        table: name.tableName,
        snapshotId: planned.snapshotId!,
        schemaId: r.table.schema.id,
        partition: u.partition,
        bucket: u.bucket,
        files: u.files,
      }));
    }
    const from = token?.offset ?? 0;
    const count = Math.max(1, maxSplitCount);
    const page = ids.slice(from, from + count);
    this.counters.splitsPlanned += page.length;
    const more = from + count < ids.length;
    return {
      splits: page.map((id) => ({ splitId: { id: encodeSplitId(id) }, hosts: [] })),
      nextToken: more ? { id: Buffer.from(JSON.stringify({ snapshotId, offset: from + count })) } : null,
    };
  }

  async trinoGetIndexSplits(): Promise<SplitBatch> {
    // Tables declare no indexable keys, so Trino never plans an index join here.
    throw new StreamhouseError(ErrorKind.Unsupported, "this service offers no index lookups");
  }

  /** One page of a split's rows, already encoded as a TrinoThriftPageResult. */
  async trinoGetRows(
    splitId: { readonly id: Buffer },
    columns: readonly string[],
    maxBytes: bigint | number,
    nextToken: { readonly token?: { readonly id: Buffer } | null } | null,
  ): Promise<Buffer> {
    const split = decodeSplitId(splitId.id);
    const { fields, names, open } = await this.openSplit(split);
    const page: PageColumn[] = columns.map((c) => {
      const i = names.indexOf(c);
      if (i < 0) throw notFound(`${split.database}.${split.table} has no column ${c}`);
      const f = fields[i]!;
      return { name: c, type: f.type, block: trinoColumnType(f.type, f.name).block };
    });
    const projection = page.map((c) => fields[names.indexOf(c.name)]!.name);
    const token = nextToken?.token?.id ? decodePageToken(nextToken.token.id) : null;
    this.cursors.expire();
    let cursor: Cursor<PageChunk> | null = token === null ? null : this.cursors.take(token.cursor, token.offset);
    if (cursor === null) {
      const rows = open(projection)[Symbol.asyncIterator]();
      cursor = this.cursors.create(rows);
      this.cursors.take(cursor.id, 0);
      // Rebuilt after eviction: skip what earlier pages sent.
      let skip = token?.offset ?? 0;
      while (skip > 0) {
        const r = await rows.next();
        if (r.done === true) break;
        const length = chunkLength(r.value);
        if (length > skip) cursor.pending = dropRows(r.value, skip);
        skip -= Math.min(skip, length);
      }
      cursor.offset = token?.offset ?? 0;
    }
    // Headroom below maxBytes for block and message framing (the token, block headers).
    const budget = Math.max(1, Math.min(Number(maxBytes) * 0.9, Number(maxBytes) - 128 - 32 * page.length));
    const estimate = rowBytesEstimator(page);
    // A page holds rows or selection slices, never both: it ends where the kind changes.
    const out: Row[] = [];
    const slices: SelectionSlice[] = [];
    let count = 0;
    let bytes = 0;
    let done = false;
    try {
      fill: for (;;) {
        let chunk = cursor.pending;
        cursor.pending = null;
        if (chunk === null) {
          const r = await cursor.rows.next();
          if (r.done === true) {
            done = true;
            break;
          }
          chunk = r.value;
        }
        if (isRowChunk(chunk)) {
          if (slices.length > 0) {
            cursor.pending = chunk;
            break;
          }
          for (let i = 0; i < chunk.length; i++) {
            const row = chunk[i]!;
            const size = estimate(row);
            if (out.length > 0 && (bytes + size > budget || out.length >= this.maxPageRows)) {
              cursor.pending = chunk.slice(i);
              break fill;
            }
            out.push(row);
            bytes += size;
          }
        } else {
          if (out.length > 0) {
            cursor.pending = chunk;
            break;
          }
          const fit = selectionRowsWithin(page, chunk.selection, chunk.from, chunk.to, budget - bytes, this.maxPageRows - count, count === 0);
          const take = fit.rows;
          if (take === 0) {
            cursor.pending = chunk;
            break;
          }
          slices.push({ selection: chunk.selection, from: chunk.from, to: chunk.from + take });
          count += take;
          bytes += fit.bytes;
          if (chunk.from + take < chunk.to) {
            cursor.pending = dropRows(chunk, take);
            break;
          }
        }
      }
    } catch (e) {
      void cursor.rows.return?.(undefined)?.catch?.(() => {});
      throw e;
    }
    if (slices.length === 0) count = out.length;
    cursor.offset += count;
    let next: Buffer | null = null;
    if (!done) {
      this.cursors.keep(cursor);
      next = encodePageToken({ cursor: cursor.id, offset: cursor.offset });
    }
    this.counters.pagesServed++;
    this.counters.rowsServed += count;
    return slices.length > 0 ? encodeSelectionPage(page, slices, next, bytes) : encodePage(page, out, next);
  }

  /** Resolves a Trino name; null when no such table (or system table) exists. */
  private async resolve(schemaName: string, tableName: string): Promise<Resolved | null> {
    const table = await this.table(schemaName, tableName);
    if (table !== null) {
      const fields = table.schema.fields;
      return { kind: "data", table, fields, names: trinoColumnNames(fields.map((f) => f.name), `${schemaName}.${tableName}`) };
    }
    const parts = splitSystemName(tableName);
    if (parts === null) return null;
    const parsed = parseSystemTableName(`${parts.table}$${parts.suffix}`);
    if (parsed === null) return null;
    const base = await this.table(schemaName, parsed.table);
    if (base === null) return null;
    const view = await openSystemTable(base, parsed.kind);
    return { kind: "system", table: base, system: parsed.kind, view, names: trinoColumnNames(view.columns.map((f) => f.name), `${schemaName}.${tableName}`) };
  }

  private async table(database: string, table: string): Promise<FileStoreTable | null> {
    try {
      return await this.catalog.getTable({ database, table });
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) return null;
      throw e;
    }
  }

  /** The split units of the latest snapshot (or `snapshotId`) that `filter` may match. */
  private async planData(table: FileStoreTable, filter: Predicate | null, snapshotId?: number) {
    const read = new TableRead(table);
    const plan = await read.plan({ ...(filter !== null ? { filter } : {}), ...(snapshotId !== undefined ? { snapshotId } : {}) });
    if (plan.snapshot === null) return { snapshotId: null, units: [] };
    const schema = table.schema;
    const dv = table.options.deletionVectorsEnabled();
    const units = planUnits(plan.splits, {
      targetBytes: this.splitTargetBytes,
      rawReadable: (s) => !TableSchemas.isPrimaryKeyTable(schema) || dv || isRawReadable(s, schema, false),
      compareKeys: keyOrder(schema),
    });
    return { snapshotId: plan.snapshot.id, units };
  }

  /** Fields, served names and a row source (by projection) of one split. */
  private async openSplit(split: SplitId): Promise<{ fields: readonly DataField[]; names: readonly string[]; open: (projection: readonly string[]) => AsyncIterable<PageChunk> }> {
    const r = await this.resolve(split.database, split.table);
    if (r === null) throw notFound(`table ${split.database}.${split.table} does not exist (any more)`);
    if (split.kind === "system") {
      if (r.kind !== "system") throw new StreamhouseError(ErrorKind.InvalidArgument, `${split.table} is not a system table`);
      return { fields: r.view.columns, names: r.names, open: (projection) => this.systemRows(r.view, split, projection) };
    }
    if (r.kind !== "data") throw new StreamhouseError(ErrorKind.InvalidArgument, `${split.table} is not a data table`);
    return { fields: r.fields, names: r.names, open: (projection) => this.dataRows(r.table, split, projection) };
  }

  private async *systemRows(view: SystemTable, split: SystemSplitId, projection: readonly string[]): AsyncGenerator<readonly Row[]> {
    const indexes = projection.map((p) => view.columns.findIndex((f) => f.name === p));
    yield* batches(view.rows(split.payload), (row) => indexes.map((i) => row[i] ?? null));
  }

  private async *dataRows(handle: FileStoreTable, split: DataSplitId, projection: readonly string[]): AsyncGenerator<PageChunk> {
    const io = new CountingFileIO(handle.io, () => {
      this.counters.filesOpened++;
    });
    const table = await FileStoreTable.open(io, handle.path);
    const plan = await this.plan(table, split.snapshotId);
    if (plan === null) throw notFound(`snapshot ${split.snapshotId} of ${split.database}.${split.table} does not exist`);
    const wanted = new Set(split.files);
    const entries = plan.files.filter((e) => e.bucket === split.bucket && wanted.has(e.file.fileName) && hex(e.partition) === split.partition);
    if (entries.length !== wanted.size) {
      throw new StreamhouseError(ErrorKind.NotFound, `split of ${split.database}.${split.table} names files that snapshot ${split.snapshotId} does not hold (expired?)`, {
        context: { snapshot: split.snapshotId },
      });
    }
    const order = keyOrder(table.schema);
    const splits: DataSplit[] = makeSplits(split.snapshotId, entries, plan.indexFiles, order);
    const read = new TableRead(table, { decodeThreads: this.decodeThreads });
    const schema = table.schema;
    const primaryKey = TableSchemas.isPrimaryKeyTable(schema);
    const dv = table.options.deletionVectorsEnabled();
    const skipLevel0 = primaryKey && (dv || table.options.mergeEngine() === "first-row");
    const decode = this.decodeThreads > 0 ? sharedDecodePool(this.decodeThreads).decode : undefined;
    const engine = columnarMergeEngine(schema, table.options);
    for (const s of splits) {
      if (!primaryKey || dv || isRawReadable(s, schema, false)) {
        yield* rawSplitSelections(table, s, { projection, primaryKey, skipLevel0, ...(decode !== undefined ? { decode } : {}) });
      } else if (engine !== null && s.deletionVectors.size === 0) {
        yield* mergedSplitSelections(table, s, engine, { projection, primaryKey, skipLevel0, ...(decode !== undefined ? { decode } : {}) });
      } else {
        yield* batches(read.readSplit(s, { projection }), (row) => row);
      }
    }
  }

  /**
   * The file plan of one snapshot (immutable, so remembered). The snapshot file is read
   * every time and its commit time and user are part of the key, so a table dropped and
   * created again at the same path never gets the old table's plan.
   */
  private async plan(table: FileStoreTable, snapshotId: number): Promise<ScanPlan | null> {
    if (!(await table.io.exists(TablePaths.snapshot(table.path, snapshotId)))) return null;
    const snapshot = await table.snapshots.snapshot(snapshotId);
    const key = `${table.path}@${snapshotId}@${snapshot.timeMillis}@${snapshot.commitUser}`;
    let p = this.plans.get(key);
    if (p === undefined) {
      p = planSnapshotOf(table, snapshot);
      p.catch(() => this.plans.delete(key));
      this.plans.set(key, p);
      while (this.plans.size > PLAN_CACHE_SIZE) this.plans.delete(this.plans.keys().next().value!);
    }
    return p;
  }
}

/** The continuation of a split listing: the snapshot it planned and how many splits were sent. */
function decodeSplitsToken(bytes: Buffer): { snapshotId: number | null; offset: number } {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "not a split-listing token of this service", { cause: e });
  }
  const o = v as { snapshotId?: unknown; offset?: unknown } | null;
  if (typeof o?.offset !== "number" || !Number.isInteger(o.offset) || o.offset < 0 || (o.snapshotId !== null && typeof o.snapshotId !== "number")) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "not a split-listing token of this service");
  }
  return { snapshotId: o.snapshotId, offset: o.offset };
}

const BATCH_ROWS = 4096;

/** Rows of `source`, mapped, in arrays of up to BATCH_ROWS. */
async function* batches(source: AsyncIterable<Row>, map: (row: Row) => Row): AsyncGenerator<readonly Row[]> {
  let batch: Row[] = [];
  for await (const row of source) {
    batch.push(map(row));
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function baseName(tableName: string): string {
  return splitSystemName(tableName)?.table ?? tableName;
}

/** Orders files' serialized min/max keys by the key values. */
function keyOrder(schema: TableSchema): (a: Uint8Array, b: Uint8Array) => number {
  if (!TableSchemas.isPrimaryKeyTable(schema)) return () => 0;
  const types = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
  const compare = createKeyComparator(types);
  return (a, b) => compare(decodeBinaryRow(types, a), decodeBinaryRow(types, b));
}
