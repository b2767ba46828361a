/**
 * Encodes a page straight from decoded Arrow buffers: rows picked by a selection
 * (@streamhouse/table's columnar merge, or every live row of unmerged files) go into
 * Trino's blocks without a row array or a JavaScript value per cell.
 *
 * - integer/date, bigint, double blocks: the values are gathered into one typed array
 *   per column and byte-swapped to big-endian in one call (`ThriftWriter.wordsBE`);
 * - varchar blocks of VARCHAR/CHAR columns: the sizes come from the Arrow offsets and
 *   the UTF-8 bytes are copied as they are, a run of consecutive rows in one copy —
 *   no string is decoded and encoded again;
 * - boolean blocks from the validity and value bits.
 *
 * A column qualifies when every file holds it exactly as the read schema types it (no
 * cast from an older schema) in the flat Arrow layout these loops read. Any other column
 * is encoded from its values (`ColumnVector.get`) by page-encoder.ts, so both paths give
 * the same bytes for the same rows. Values under a null are written as zero (and
 * varchar sizes as 0), as the row encoder does.
 */
import { type Data, Type } from "apache-arrow";
import { dataTypeEquals, type Value, withNullability } from "@streamhouse/format";
import type { Selection } from "@streamhouse/table";
import { encodeValueBlock, type PageColumn, writePage } from "./page-encoder.js";
import { ThriftWriter, TType } from "./thrift-writer.js";

/** Rows `from` … `to - 1` of a selection; column `k` of its files is the page's column `k`. */
export interface SelectionSlice {
  readonly selection: Selection;
  readonly from: number;
  readonly to: number;
}

type Layout = "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "bool" | "utf8";

/** The layout column `k` of every segment of `sel` is read through, or null when it needs its values. */
function fastLayout(c: PageColumn, sel: Selection, k: number): Layout | null {
  let layout: Layout | null = null;
  for (const s of sel.segments) {
    const col = s.file.arrow.columns[k];
    if (col === undefined) return null;
    if (col.fileType === null) continue;
    if (!dataTypeEquals(withNullability(col.fileType, true), withNullability(col.readType, true))) return null;
    const d = col.chunks[s.batch];
    if (d === undefined) return null;
    const l = chunkLayout(c, d);
    if (l === null || (layout !== null && l !== layout)) return null;
    layout = l;
  }
  return layout;
}

function chunkLayout(c: PageColumn, d: Data): Layout | null {
  const v = d.values as unknown;
  switch (c.block) {
    case "integer":
      if (c.type.root !== "INT" && c.type.root !== "SMALLINT" && c.type.root !== "TINYINT") return null;
      if (d.typeId !== Type.Int) return null;
      return v instanceof Int32Array ? "i32" : v instanceof Int16Array ? "i16" : v instanceof Int8Array ? "i8" : null;
    case "date":
      return c.type.root === "DATE" && d.typeId === Type.Date && v instanceof Int32Array ? "i32" : null;
    case "bigint":
      return c.type.root === "BIGINT" && d.typeId === Type.Int && v instanceof BigInt64Array ? "i64" : null;
    case "double":
      if (d.typeId !== Type.Float) return null;
      return c.type.root === "DOUBLE" && v instanceof Float64Array ? "f64" : c.type.root === "FLOAT" && v instanceof Float32Array ? "f32" : null;
    case "boolean":
      return c.type.root === "BOOLEAN" && d.typeId === Type.Bool ? "bool" : null;
    case "varchar":
      return (c.type.root === "VARCHAR" || c.type.root === "CHAR") && d.typeId === Type.Utf8 && d.valueOffsets instanceof Int32Array ? "utf8" : null;
    default:
      return null;
  }
}

/** Per segment of a selection: the column's Arrow chunk, or null where the file predates the column. */
function chunksOf(sel: Selection, k: number): (Data | null)[] {
  return sel.segments.map((s) => {
    const col = s.file.arrow.columns[k]!;
    return col.fileType === null ? null : (col.chunks[s.batch] ?? null);
  });
}

/** Whether each row is null (1) and how many are: per slice, into `out` from `at`. */
function markNulls(slice: SelectionSlice, chunks: readonly (Data | null)[], out: Uint8Array, at: number): number {
  if (chunks.every((d) => d !== null && d.nullCount === 0)) return 0;
  const { segment, row } = slice.selection;
  let count = 0;
  for (let j = slice.from; j < slice.to; j++) {
    const d = chunks[segment[j]!]!;
    let isNull: boolean;
    if (d === null) isNull = true;
    else if (d.nullCount === 0) isNull = false;
    else {
      const bm = d.nullBitmap as Uint8Array;
      const pos = d.offset + row[j]!;
      isNull = (bm[pos >> 3]! & (1 << (pos & 7))) === 0;
    }
    if (isNull) {
      out[at + j - slice.from] = 1;
      count++;
    }
  }
  return count;
}

/**
 * Serialises the rows of `slices`, in order, as a TrinoThriftPageResult. `expectedBytes`
 * (what `selectionRowsWithin` measured) sizes the buffer once, sparing a regrowth copy.
 */
export function encodeSelectionPage(columns: readonly PageColumn[], slices: readonly SelectionSlice[], nextToken: Uint8Array | null, expectedBytes = 0): Buffer {
  let n = 0;
  for (const s of slices) n += s.to - s.from;
  const framing = 64 + 16 * columns.length + (nextToken?.length ?? 0);
  const w = new ThriftWriter(Math.max(1024, expectedBytes > 0 ? expectedBytes + framing : n * columns.length * 9));
  return writePage(w, columns, n, nextToken, (c, k) => encodeSelectionBlock(w, c, k, slices, n));
}

function encodeSelectionBlock(w: ThriftWriter, c: PageColumn, k: number, slices: readonly SelectionSlice[], n: number): void {
  const layouts = slices.map((s) => fastLayout(c, s.selection, k));
  const first = layouts[0] ?? null;
  if (first === null || layouts.some((l) => l !== first)) {
    encodeValueBlock(w, c, n, valuesOf(slices, k, n));
    return;
  }
  const chunks = slices.map((s) => chunksOf(s.selection, k));
  const nulls = new Uint8Array(n);
  let nullCount = 0;
  let at = 0;
  slices.forEach((s, i) => {
    nullCount += markNulls(s, chunks[i]!, nulls, at);
    at += s.to - s.from;
  });
  if (nullCount > 0) {
    w.fieldBegin(TType.LIST, 1);
    w.listBegin(TType.BOOL, n);
    w.buffer.set(nulls, w.reserve(n));
  }
  const hasNulls = nullCount > 0 ? nulls : null;
  switch (first) {
    case "i8":
    case "i16":
    case "i32": {
      const out = new Int32Array(n);
      gather32(slices, chunks, out);
      if (hasNulls !== null) for (let j = 0; j < n; j++) if (hasNulls[j] === 1) out[j] = 0;
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.I32, n);
      w.wordsBE(new Uint8Array(out.buffer), 4);
      break;
    }
    case "i64":
    case "f64": {
      const out = new Int32Array(2 * n);
      gather64(slices, chunks, out);
      if (hasNulls !== null) {
        for (let j = 0; j < n; j++) {
          if (hasNulls[j] === 1) {
            out[2 * j] = 0;
            out[2 * j + 1] = 0;
          }
        }
      }
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(first === "i64" ? TType.I64 : TType.DOUBLE, n);
      w.wordsBE(new Uint8Array(out.buffer), 8);
      break;
    }
    case "f32": {
      // FLOAT widened to DOUBLE exactly.
      const out = new Float64Array(n);
      gather32(slices, chunks, out);
      if (hasNulls !== null) for (let j = 0; j < n; j++) if (hasNulls[j] === 1) out[j] = 0;
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.DOUBLE, n);
      w.wordsBE(new Uint8Array(out.buffer), 8);
      break;
    }
    case "bool": {
      w.fieldBegin(TType.LIST, 2);
      w.listBegin(TType.BOOL, n);
      const base = w.reserve(n);
      gatherBits(slices, chunks, w.buffer, base);
      if (hasNulls !== null) for (let j = 0; j < n; j++) if (hasNulls[j] === 1) w.buffer[base + j] = 0;
      break;
    }
    case "utf8":
      encodeUtf8(w, slices, chunks, hasNulls, n);
      break;
  }
  w.stop();
}

/** The values of column `k` over the slices, as the row encoder reads them. */
function valuesOf(slices: readonly SelectionSlice[], k: number, n: number): (i: number) => Value | null {
  const values: (Value | null)[] = new Array(n);
  let at = 0;
  for (const s of slices) {
    const { segments, segment, row } = s.selection;
    for (let j = s.from; j < s.to; j++) {
      const seg = segments[segment[j]!]!;
      values[at++] = seg.file.columns[k]!.get(seg.start + row[j]!);
    }
  }
  return (i) => values[i] ?? null;
}

/** Int8/16/32 or Float32 values into `out` (one element per row). */
function gather32(slices: readonly SelectionSlice[], chunks: readonly (readonly (Data | null)[])[], out: Int32Array | Float64Array): void {
  let at = 0;
  slices.forEach((s, i) => {
    const views = chunks[i]!.map((d) => (d === null ? null : (d.values as Int8Array | Int16Array | Int32Array | Float32Array)));
    const { segment, row } = s.selection;
    for (let j = s.from; j < s.to; j++) {
      const v = views[segment[j]!];
      if (v !== null && v !== undefined) out[at] = v[row[j]!]!;
      at++;
    }
  });
}

/** 8-byte values (BigInt64 or Float64) into `out` as pairs of 32-bit words. */
function gather64(slices: readonly SelectionSlice[], chunks: readonly (readonly (Data | null)[])[], out: Int32Array): void {
  let at = 0;
  slices.forEach((s, i) => {
    const views = chunks[i]!.map((d) => {
      if (d === null) return null;
      const v = d.values as unknown as ArrayBufferView;
      return new Int32Array(v.buffer, v.byteOffset, 2 * d.length);
    });
    const { segment, row } = s.selection;
    let j = s.from;
    while (j < s.to) {
      const seg = segment[j]!;
      const v = views[seg];
      // A run of consecutive rows of one segment: one copy.
      const r0 = row[j]!;
      let end = j + 1;
      while (end < s.to && segment[end] === seg && row[end] === r0 + (end - j)) end++;
      if (v !== null && v !== undefined) {
        const words = 2 * (end - j);
        if (words > 16) out.set(v.subarray(2 * r0, 2 * r0 + words), 2 * at);
        else for (let x = 0; x < words; x++) out[2 * at + x] = v[2 * r0 + x]!;
      }
      at += end - j;
      j = end;
    }
  });
}

function gatherBits(slices: readonly SelectionSlice[], chunks: readonly (readonly (Data | null)[])[], out: Uint8Array, base: number): void {
  let at = base;
  slices.forEach((s, i) => {
    const c = chunks[i]!;
    const { segment, row } = s.selection;
    for (let j = s.from; j < s.to; j++) {
      const d = c[segment[j]!];
      let bit = 0;
      if (d !== null && d !== undefined) {
        const pos = d.offset + row[j]!;
        bit = ((d.values as Uint8Array)[pos >> 3]! >> (pos & 7)) & 1;
      }
      out[at++] = bit;
    }
  });
}

/** A varchar block's sizes and bytes, copied from Arrow Utf8 offsets and data. */
function encodeUtf8(w: ThriftWriter, slices: readonly SelectionSlice[], chunks: readonly (readonly (Data | null)[])[], nulls: Uint8Array | null, n: number): void {
  const sizes = new Int32Array(n);
  let total = 0;
  let at = 0;
  const offsets = chunks.map((c) => c.map((d) => (d === null ? null : (d.valueOffsets as Int32Array))));
  slices.forEach((s, i) => {
    const offs = offsets[i]!;
    const { segment, row } = s.selection;
    for (let j = s.from; j < s.to; j++) {
      const o = offs[segment[j]!];
      if (o !== null && o !== undefined && (nulls === null || nulls[at] === 0)) {
        const r = row[j]!;
        const size = o[r + 1]! - o[r]!;
        sizes[at] = size;
        total += size;
      }
      at++;
    }
  });
  w.fieldBegin(TType.LIST, 2);
  w.listBegin(TType.I32, n);
  w.wordsBE(new Uint8Array(sizes.buffer), 4);
  w.fieldBegin(TType.STRING, 3);
  w.i32(total);
  const base = w.reserve(total);
  const out = w.buffer;
  let pos = base;
  at = 0;
  slices.forEach((s, i) => {
    const offs = offsets[i]!;
    const c = chunks[i]!;
    const { segment, row } = s.selection;
    let j = s.from;
    while (j < s.to) {
      const seg = segment[j]!;
      const o = offs[seg];
      const r0 = row[j]!;
      // A run of consecutive non-null rows of one segment: one copy of their bytes.
      let end = j + 1;
      if (o !== null && o !== undefined && sizes[at] !== 0) {
        while (end < s.to && segment[end] === seg && row[end] === r0 + (end - j) && (nulls === null || nulls[at + end - j] === 0)) end++;
        const bytes = (c[seg] as Data).values as Uint8Array;
        const start = o[r0]!;
        const stop = o[r0 + (end - j)]!;
        // Short strings byte by byte: a subarray per value costs more than the copy.
        if (stop - start > 48) out.set(bytes.subarray(start, stop), pos);
        else for (let x = start; x < stop; x++) out[pos + x - start] = bytes[x]!;
        pos += stop - start;
      }
      at += end - j;
      j = end;
    }
  });
  if (pos !== base + total) throw new RangeError(`varchar block wrote ${pos - base} bytes, expected ${total}`);
}

/**
 * How many rows from `from` (at most `maxRows`, up to `to`) fit in `budgetBytes` of a
 * page, and their bytes: exact for fixed-width and Arrow varchar columns, estimated
 * from the values otherwise (as `rowBytesEstimator`). With `atLeastOne` the first row
 * is taken whatever its size.
 */
export function selectionRowsWithin(
  columns: readonly PageColumn[],
  sel: Selection,
  from: number,
  to: number,
  budgetBytes: number,
  maxRows: number,
  atLeastOne: boolean,
): { readonly rows: number; readonly bytes: number } {
  let fixed = 0;
  const utf8: (readonly (Int32Array | null)[])[] = [];
  const valued: number[] = [];
  columns.forEach((c, k) => {
    fixed += 1; // its null flag
    switch (c.block) {
      case "integer":
      case "date":
        fixed += 4;
        return;
      case "boolean":
        fixed += 1;
        return;
      case "bigint":
      case "double":
      case "timestamp":
        fixed += 8;
        return;
      default:
        fixed += 4;
        if (fastLayout(c, sel, k) === "utf8") utf8.push(chunksOf(sel, k).map((d) => (d === null ? null : (d.valueOffsets as Int32Array))));
        else valued.push(k);
    }
  });
  const limit = Math.min(to, from + Math.max(0, maxRows));
  if (utf8.length === 0 && valued.length === 0) {
    let rows = Math.max(0, Math.min(limit - from, Math.floor(budgetBytes / fixed)));
    if (atLeastOne && rows === 0 && limit > from) rows = 1;
    return { rows, bytes: rows * fixed };
  }
  const { segments, segment, row } = sel;
  let bytes = 0;
  let j = from;
  for (; j < limit; j++) {
    let size = fixed;
    const seg = segment[j]!;
    const r = row[j]!;
    for (const offs of utf8) {
      const o = offs[seg];
      if (o !== null && o !== undefined) size += o[r + 1]! - o[r]!;
    }
    for (const k of valued) {
      const s = segments[seg]!;
      const v = s.file.columns[k]!.get(s.start + r);
      if (v !== null) size += typeof v === "string" ? v.length * 3 : Array.isArray(v) ? 9 * v.length + 64 : 64;
    }
    if (bytes + size > budgetBytes && !(atLeastOne && j === from)) break;
    bytes += size;
  }
  return { rows: j - from, bytes };
}
