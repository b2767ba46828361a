/**
 * One column of decoded rows, read value by value: `get(i)` converts only the value
 * asked for (see arrow-value-reader.ts). A column spans the record batches of one
 * read; lookups remember the last batch, so sequential access costs no search.
 */
import type { Data, Table as ArrowTable } from "apache-arrow";
import type { DataType, Value } from "@streamhouse/format";
import { type ValueGetter, valueGetter } from "./arrow-value-reader.js";

export interface ColumnVector {
  readonly length: number;
  get(index: number): Value | null;
}

/** A column of nulls: a field the file predates. */
export function nullColumn(length: number): ColumnVector {
  return { length, get: () => null };
}

class ChunkedColumn implements ColumnVector {
  private last = 0;

  constructor(
    readonly length: number,
    private readonly starts: readonly number[],
    private readonly getters: readonly ValueGetter[],
  ) {}

  get(index: number): Value | null {
    if (index < 0 || index >= this.length) throw new RangeError(`row ${index} outside 0 … ${this.length - 1}`);
    let c = this.last;
    if (index < this.starts[c]! || index >= this.starts[c + 1]!) {
      // Binary search for the batch holding `index`.
      let lo = 0;
      let hi = this.getters.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.starts[mid]! <= index) lo = mid;
        else hi = mid - 1;
      }
      c = lo;
      this.last = c;
    }
    return this.getters[c]!(index - this.starts[c]!);
  }
}

/** The data chunks of column `columnIndex`, one per record batch. */
export function columnChunks(table: ArrowTable, columnIndex: number): Data[] {
  return table.batches.map((b) => b.data.children[columnIndex]!);
}

/** A column over `chunks`, holding Paimon `fileType` values presented as `readType`. */
export function columnVector(chunks: readonly Data[], fileType: DataType, readType: DataType, where: { file: string; column: string }): ColumnVector {
  const starts: number[] = [0];
  const getters: ValueGetter[] = [];
  for (const d of chunks) {
    getters.push(valueGetter(d, fileType, readType, where));
    starts.push(starts[starts.length - 1]! + d.length);
  }
  const length = starts[starts.length - 1]!;
  if (getters.length === 1) {
    const only = getters[0]!;
    return {
      length,
      get: (index) => {
        if (index < 0 || index >= length) throw new RangeError(`row ${index} outside 0 … ${length - 1}`);
        return only(index);
      },
    };
  }
  return new ChunkedColumn(length, starts, getters);
}

/** Copies an Int64 column (no nulls) into one array: `_SEQUENCE_NUMBER`. */
export function int64Column(chunks: readonly Data[]): BigInt64Array {
  const total = chunks.reduce((n, d) => n + d.length, 0);
  const out = new BigInt64Array(total);
  let at = 0;
  for (const d of chunks) {
    out.set((d.values as BigInt64Array).subarray(0, d.length), at);
    at += d.length;
  }
  return out;
}

/** Copies an Int8 column (no nulls) into one array: `_VALUE_KIND`. */
export function int8Column(chunks: readonly Data[]): Int8Array {
  const total = chunks.reduce((n, d) => n + d.length, 0);
  const out = new Int8Array(total);
  let at = 0;
  for (const d of chunks) {
    out.set((d.values as Int8Array).subarray(0, d.length), at);
    at += d.length;
  }
  return out;
}
