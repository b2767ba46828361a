/**
 * The write buffer of a primary-key writer (Paimon's `SortBufferWriteBuffer`, release
 * 2.0.0): records are held in memory up to `write-buffer-size` (estimated bytes); when
 * full, they are sorted by key and version and spilled to a local temp file as a sorted
 * run. On flush, the in-memory records are sorted and merged with every spilled run into
 * one stream in key-then-version order (merge/sort-merge.ts), which the writer folds by
 * key with the table's merge function.
 *
 * With `write-buffer-spillable = false` the owner must flush instead of spilling; `isFull`
 * tells it when.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataType, Row, RowKind } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import { mergeSortedRuns } from "../merge/sort-merge.js";
import type { KeyValueComparator } from "../merge/version-order.js";
import { integerKeyOrder } from "./integer-key-sort.js";
import { estimateRowBytes } from "./rolling-file-writer.js";
import { RowColumns } from "./row-columns.js";
import { readSpillFile, writeSpillFile } from "./spill-file.js";

export interface SortBufferOptions {
  readonly memoryBytes: number;
  readonly spillable: boolean;
  /** Parent of the spill directory (default: the OS temp dir). */
  readonly tempDir?: string;
  /**
   * Compares keys alone, for owners that add records in version order (ascending
   * sequence numbers, no `sequence.field`): the in-memory sort is stable, so the versions
   * of a key keep the order they came in and the version comparisons are skipped.
   */
  readonly keyOrder?: KeyValueComparator;
  /**
   * With `keyOrder`: the key is this one integral column of the rows, ordered by
   * integer-key-sort.ts when it can.
   */
  readonly integerKeyPosition?: number;
}

export class SortBuffer {
  /** The in-memory records, column by column (their keys are `keyOf` of their rows). */
  private readonly rows: RowColumns;
  private bytes = 0;
  private spillDir: string | null = null;
  private readonly spills: string[] = [];
  /** How many runs were spilled since creation (observability, tests). */
  spillCount = 0;

  constructor(
    private readonly compare: KeyValueComparator,
    private readonly valueTypes: readonly DataType[],
    private readonly keyOf: (value: KeyValue["value"]) => KeyValue["key"],
    private readonly options: SortBufferOptions,
  ) {
    this.rows = new RowColumns(valueTypes);
  }

  get size(): number {
    return this.rows.length + this.spills.length;
  }

  isEmpty(): boolean {
    return this.rows.length === 0 && this.spills.length === 0;
  }

  isFull(): boolean {
    return this.bytes >= this.options.memoryBytes;
  }

  /**
   * Adds a record, spilling the in-memory records first when the budget is used up. Only
   * its kind, sequence number and row are kept: the key is `keyOf(row)` again when read.
   */
  add(kv: KeyValue): void {
    this.addRow(kv.valueKind, kv.sequenceNumber, kv.value);
  }

  /** `add` without a KeyValue object. */
  addRow(kind: RowKind, sequenceNumber: bigint, value: Row): void {
    this.rows.push(kind, sequenceNumber, value);
    this.bytes += 48 + estimateRowBytes(value);
    if (this.options.spillable && this.isFull()) this.spill();
  }

  private spill(): void {
    if (this.rows.length === 0) return;
    if (this.spillDir === null) this.spillDir = mkdtempSync(join(this.options.tempDir ?? tmpdir(), "streamhouse-spill-"));
    const path = join(this.spillDir, `run-${this.spills.length}`);
    writeSpillFile(path, [...this.sortedInMemory()], this.valueTypes);
    this.spills.push(path);
    this.spillCount++;
    this.rows.clear();
    this.bytes = 0;
  }

  /** Every buffered record in key-then-version order (iterable more than once). Call `clear()` when done. */
  sorted(): Iterable<KeyValue> {
    const inMemory = this.sortedInMemory();
    if (this.spills.length === 0) return inMemory;
    const runs: Iterable<KeyValue>[] = this.spills.map((p) => ({ [Symbol.iterator]: () => readSpillFile(p, this.valueTypes, this.keyOf) }));
    runs.push(inMemory);
    return { [Symbol.iterator]: () => mergeSortedRuns(runs, this.compare) };
  }

  private record(i: number): KeyValue {
    const value = this.rows.row(i);
    return { key: this.keyOf(value), sequenceNumber: this.rows.sequenceAt(i), valueKind: this.rows.kindAt(i), value, level: -1 };
  }

  /**
   * The in-memory records sorted. With an integral key the order is computed from the key
   * column alone and the KeyValues are built as they are read; otherwise they are built
   * first and sorted with the comparator.
   */
  private sortedInMemory(): Iterable<KeyValue> {
    const { keyOrder, integerKeyPosition } = this.options;
    const n = this.rows.length;
    if (keyOrder !== undefined && integerKeyPosition !== undefined) {
      const rows = this.rows;
      const order = integerKeyOrder(n, (i) => rows.valueAt(integerKeyPosition, i));
      if (order !== null) {
        const record = (i: number) => this.record(i);
        return {
          *[Symbol.iterator]() {
            for (let i = 0; i < order.length; i++) yield record(order[i]!);
          },
        };
      }
    }
    const records: KeyValue[] = new Array(n);
    for (let i = 0; i < n; i++) records[i] = this.record(i);
    records.sort(keyOrder ?? this.compare);
    return records;
  }

  /** Drops every record and spill file. */
  clear(): void {
    this.rows.clear();
    this.bytes = 0;
    this.spills.length = 0;
    if (this.spillDir !== null) {
      rmSync(this.spillDir, { recursive: true, force: true });
      this.spillDir = null;
    }
  }
}
