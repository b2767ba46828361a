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
import type { DataType } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import { mergeSortedRuns } from "../merge/sort-merge.js";
import type { KeyValueComparator } from "../merge/version-order.js";
import { estimateRowBytes } from "./rolling-file-writer.js";
import { readSpillFile, writeSpillFile } from "./spill-file.js";

export interface SortBufferOptions {
  readonly memoryBytes: number;
  readonly spillable: boolean;
  /** Parent of the spill directory (default: the OS temp dir). */
  readonly tempDir?: string;
}

export class SortBuffer {
  private records: KeyValue[] = [];
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
  ) {}

  get size(): number {
    return this.records.length + this.spills.length;
  }

  isEmpty(): boolean {
    return this.records.length === 0 && this.spills.length === 0;
  }

  isFull(): boolean {
    return this.bytes >= this.options.memoryBytes;
  }

  /** Adds a record, spilling the in-memory records first when the budget is used up. */
  add(kv: KeyValue): void {
    this.records.push(kv);
    this.bytes += 48 + estimateRowBytes(kv.value);
    if (this.options.spillable && this.isFull()) this.spill();
  }

  private spill(): void {
    if (this.records.length === 0) return;
    if (this.spillDir === null) this.spillDir = mkdtempSync(join(this.options.tempDir ?? tmpdir(), "streamhouse-spill-"));
    const path = join(this.spillDir, `run-${this.spills.length}`);
    this.records.sort(this.compare);
    writeSpillFile(path, this.records, this.valueTypes);
    this.spills.push(path);
    this.spillCount++;
    this.records = [];
    this.bytes = 0;
  }

  /** Every buffered record in key-then-version order. Call `clear()` when done. */
  sorted(): Iterable<KeyValue> {
    this.records.sort(this.compare);
    if (this.spills.length === 0) return this.records;
    const runs: Iterable<KeyValue>[] = this.spills.map((p) => ({ [Symbol.iterator]: () => readSpillFile(p, this.valueTypes, this.keyOf) }));
    runs.push(this.records);
    return { [Symbol.iterator]: () => mergeSortedRuns(runs, this.compare) };
  }

  /** Drops every record and spill file. */
  clear(): void {
    this.records = [];
    this.bytes = 0;
    this.spills.length = 0;
    if (this.spillDir !== null) {
      rmSync(this.spillDir, { recursive: true, force: true });
      this.spillDir = null;
    }
  }
}
