/**
 * Gathers a selection (columnar-merge.ts) into Apache Arrow record batches: each output
 * column is copied buffer to buffer from the decoded files' Arrow data — fixed-width
 * values by their bytes, strings and binaries by offsets and bytes, validity bit by
 * bit — with no value ever converted to a JavaScript value.
 *
 * That works when every file holds a column exactly as the read schema types it (no
 * cast from an older schema's type) in one flat Arrow layout; files that predate a
 * column contribute nulls. `gatherPlan` says whether a split qualifies; otherwise
 * readers fall back to rows.
 */
import { Field, makeData, RecordBatch, Schema, Struct, type Data, type DataType as ArrowType, Type } from "apache-arrow";
import type { DataField } from "@streamhouse/format";
import { sameTypeIgnoringNullability } from "./cast-executors.js";
import type { DataFileColumns } from "./data-file-reader.js";
import type { Selection } from "./columnar-merge.js";

type Layout = "fixed" | "bool" | "var";

/** How to gather one output column: its Arrow type and layout. */
interface ColumnPlan {
  readonly index: number;
  readonly field: DataField;
  readonly type: ArrowType;
  readonly layout: Layout;
  /** Bytes per value (fixed layout). */
  readonly width: number;
}

export interface GatherPlan {
  readonly columns: readonly ColumnPlan[];
  readonly schema: Schema;
}

function layoutOf(d: Data): { layout: Layout; width: number } | null {
  switch (d.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Decimal:
    case Type.FixedSizeBinary: {
      const v = d.values as ArrayLike<unknown> & { BYTES_PER_ELEMENT: number };
      if (v === undefined || typeof v.BYTES_PER_ELEMENT !== "number") return null;
      const width = v.BYTES_PER_ELEMENT * d.stride;
      return width === 1 || width === 2 || width % 4 === 0 ? { layout: "fixed", width } : null;
    }
    case Type.Bool:
      return { layout: "bool", width: 0 };
    case Type.Utf8:
    case Type.Binary:
      return d.valueOffsets instanceof Int32Array ? { layout: "var", width: 0 } : null;
    default:
      return null;
  }
}

/**
 * The plan for gathering `columnIndexes` (positions in the files' read fields) from
 * `files`, or null when some file needs a cast or holds a layout this gather does not
 * copy (nested types, 64-bit offsets, dictionaries).
 */
export function gatherPlan(files: readonly DataFileColumns[], fields: readonly DataField[], columnIndexes: readonly number[]): GatherPlan | null {
  const columns: ColumnPlan[] = [];
  for (const index of columnIndexes) {
    const field = fields[index]!;
    let plan: ColumnPlan | null = null;
    let typeText = "";
    for (const f of files) {
      const col = f.arrow.columns[index]!;
      if (col.fileType === null) continue;
      if (!sameTypeIgnoringNullability(col.fileType, col.readType)) return null;
      for (const d of col.chunks) {
        const layout = layoutOf(d);
        if (layout === null) return null;
        if (plan === null) {
          plan = { index, field, type: d.type, layout: layout.layout, width: layout.width };
          typeText = String(d.type);
        } else if (String(d.type) !== typeText || layout.width !== plan.width) {
          return null;
        }
      }
    }
    // Every file predates the column: its type is unknown to Arrow here.
    if (plan === null) return null;
    columns.push(plan);
  }
  const schema = new Schema(columns.map((c) => new Field(c.field.name, c.type, c.field.type.nullable)));
  return { columns, schema };
}

type Fixed = Uint8Array | Uint16Array | Int32Array;

/**
 * The values of `length` rows starting at `byteOffset` of `buffer` as 1-, 2- or 4-byte
 * words. (Arrow slices value and offset buffers along with the data — only validity
 * and boolean bits are addressed through `Data.offset`.)
 */
function wordView(buffer: ArrayBufferLike, byteOffset: number, length: number, width: number): Fixed {
  if (width === 1) return new Uint8Array(buffer, byteOffset, length);
  if (width === 2) return new Uint16Array(buffer, byteOffset, length);
  return new Int32Array(buffer, byteOffset, (length * width) / 4);
}

function valuesView(d: Data, width: number): Fixed {
  const v = d.values as unknown as ArrayBufferView;
  return wordView(v.buffer, v.byteOffset, d.length, width);
}

/** Gathers rows `from` … `to - 1` of the selection into one record batch. */
export function gatherBatch(plan: GatherPlan, sel: Selection, from: number, to: number): RecordBatch {
  const n = to - from;
  const children = plan.columns.map((c) => gatherColumn(c, sel, from, to));
  const data = makeData({ type: new Struct(plan.schema.fields), length: n, nullCount: 0, children });
  return new RecordBatch(plan.schema, data);
}

/** The column's chunk for each segment (undefined: the file predates the column). */
function chunksBySegment(c: ColumnPlan, sel: Selection): (Data | undefined)[] {
  return sel.segments.map((s) => {
    const col = s.file.arrow.columns[c.index]!;
    return col.fileType === null ? undefined : col.chunks[s.batch];
  });
}

function gatherColumn(c: ColumnPlan, sel: Selection, from: number, to: number): Data {
  const n = to - from;
  const chunks = chunksBySegment(c, sel);
  const { segment, row } = sel;

  // Validity: only when some source has nulls.
  const anyNulls = chunks.some((d) => d === undefined || d.nullCount > 0);
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (anyNulls) {
    nullBitmap = new Uint8Array((n + 7) >> 3);
    const bitmaps = chunks.map((d) => (d === undefined ? null : d.nullCount > 0 ? (d.nullBitmap as Uint8Array) : undefined));
    const offsets = chunks.map((d) => d?.offset ?? 0);
    for (let j = 0; j < n; j++) {
      const s = segment[from + j]!;
      const bm = bitmaps[s];
      let valid: boolean;
      if (bm === null) valid = false;
      else if (bm === undefined) valid = true;
      else {
        const pos = offsets[s]! + row[from + j]!;
        valid = (bm![pos >> 3]! & (1 << (pos & 7))) !== 0;
      }
      if (valid) nullBitmap[j >> 3]! |= 1 << (j & 7);
      else nullCount++;
    }
  }

  if (c.layout === "fixed") {
    const sample = chunks.find((d) => d !== undefined)!;
    const ValuesType = (sample.values as unknown as { constructor: new (b: ArrayBuffer) => ArrayBufferView }).constructor;
    const buffer = new ArrayBuffer(n * c.width);
    const out = new ValuesType(buffer);
    const views = chunks.map((d) => (d === undefined ? null : valuesView(d, c.width)));
    const outView = wordView(buffer, 0, n, c.width);
    // One loop per word type keeps each monomorphic.
    if (c.width === 1) gatherWords(views as (Uint8Array | null)[], 1, segment, row, from, n, outView as Uint8Array);
    else if (c.width === 2) gatherWords(views as (Uint16Array | null)[], 1, segment, row, from, n, outView as Uint16Array);
    else if (c.width === 4) gatherInt32(views as (Int32Array | null)[], segment, row, from, n, outView as Int32Array);
    else if (c.width === 8) gatherInt32Pairs(views as (Int32Array | null)[], segment, row, from, n, outView as Int32Array);
    else gatherWords(views as (Int32Array | null)[], c.width / 4, segment, row, from, n, outView as Int32Array);
    return makeData({ type: c.type, length: n, nullCount, nullBitmap, data: out } as never) as Data;
  }

  if (c.layout === "bool") {
    const out = new Uint8Array((n + 7) >> 3);
    const bits = chunks.map((d) => (d === undefined ? null : (d.values as Uint8Array)));
    const offsets = chunks.map((d) => d?.offset ?? 0);
    for (let j = 0; j < n; j++) {
      const s = segment[from + j]!;
      const b = bits[s];
      if (b === null || b === undefined) continue;
      const pos = offsets[s]! + row[from + j]!;
      if ((b[pos >> 3]! & (1 << (pos & 7))) !== 0) out[j >> 3]! |= 1 << (j & 7);
    }
    return makeData({ type: c.type, length: n, nullCount, nullBitmap, data: out } as never) as Data;
  }

  // Variable width: offsets, then the bytes.
  const offs = chunks.map((d) => (d === undefined ? null : (d.valueOffsets as Int32Array)));
  const bytes = chunks.map((d) => (d === undefined ? null : (d.values as Uint8Array)));
  const outOffsets = new Int32Array(n + 1);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const o = offs[segment[from + j]!];
    if (o !== null && o !== undefined) {
      const r = row[from + j]!;
      total += o[r + 1]! - o[r]!;
    }
    outOffsets[j + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let j = 0; j < n; j++) {
    const s = segment[from + j]!;
    const o = offs[s];
    if (o === null || o === undefined) continue;
    const r = row[from + j]!;
    const src = bytes[s]!;
    const start = o[r]!;
    const end = o[r + 1]!;
    if (end - start > 32) {
      out.set(src.subarray(start, end), outOffsets[j]!);
    } else {
      let at = outOffsets[j]!;
      for (let i = start; i < end; i++) out[at++] = src[i]!;
    }
  }
  return makeData({ type: c.type, length: n, nullCount, nullBitmap, valueOffsets: outOffsets, data: out } as never) as Data;
}

function gatherInt32(views: readonly (Int32Array | null)[], segment: Int32Array, row: Int32Array, from: number, n: number, out: Int32Array): void {
  for (let j = 0; j < n; j++) {
    const v = views[segment[from + j]!];
    if (v !== null && v !== undefined) out[j] = v[row[from + j]!]!;
  }
}

function gatherInt32Pairs(views: readonly (Int32Array | null)[], segment: Int32Array, row: Int32Array, from: number, n: number, out: Int32Array): void {
  for (let j = 0; j < n; j++) {
    const v = views[segment[from + j]!];
    if (v === null || v === undefined) continue;
    const r = 2 * row[from + j]!;
    out[2 * j] = v[r]!;
    out[2 * j + 1] = v[r + 1]!;
  }
}

function gatherWords<T extends Uint8Array | Uint16Array | Int32Array>(
  views: readonly (T | null)[],
  stride: number,
  segment: Int32Array,
  row: Int32Array,
  from: number,
  n: number,
  out: T,
): void {
  for (let j = 0; j < n; j++) {
    const v = views[segment[from + j]!];
    if (v === null || v === undefined) continue;
    const r = stride * row[from + j]!;
    for (let k = 0; k < stride; k++) out[stride * j + k] = v[r + k]!;
  }
}
