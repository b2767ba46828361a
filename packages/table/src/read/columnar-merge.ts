/**
 * Merge-on-read without a record object per row: the k-way merge of a split's sorted
 * runs reads keys, sequence numbers and row kinds straight from the decoded Arrow
 * buffers and yields, per surviving key, a reference to the row that wins — a
 * selection that readers then gather into Arrow batches or rows (columnar-batches.ts,
 * table-read.ts).
 *
 * It covers the merge engines whose result is one input row unchanged: `deduplicate`
 * (the last version wins) and `first-row` (the first wins), with versions ordered by
 * `_SEQUENCE_NUMBER` alone — no `sequence.field`. Partial-update, aggregation and user
 * sequence fields go through the general KeyValue merge (merge/sort-merge.ts); for the
 * engines covered here both paths give the same rows in the same order, including the
 * tie-breaks: equal (key, sequence number) pairs are ordered by run, newest run first,
 * as `CursorHeap` does.
 *
 * Keys compare as Paimon compares them (record-comparator.ts). Two merges:
 * - numeric (`mergeNumeric`): a single TINYINT/SMALLINT/INT/DATE/TIME key, or a BIGINT
 *   key within ±2^53 (with sequence numbers within ±2^53 too), held as exact doubles in
 *   flat arrays; one key at a time, its winner picked among its versions directly;
 * - cursors (the rest): a min-heap of run cursors ordered by key, sequence number and
 *   run — a BIGINT key by its two 32-bit halves, a single CHAR/VARCHAR key by its UTF-8
 *   bytes (unsigned, shorter first on a common prefix), anything else through the
 *   general key comparator on decoded values.
 * Like the general merge, a run that goes backwards fails with DataInvalid.
 */
import { type Data, Type } from "apache-arrow";
import { type CoreOptions, type DataType, dataInvalid, ErrorKind, type Row, StreamhouseError, type TableSchema, TableSchemas } from "@streamhouse/format";
import { createKeyComparator, type RecordComparator } from "../merge/record-comparator.js";
import type { ColumnVector } from "./column-vector.js";
import type { DataFileColumns } from "./data-file-reader.js";

/** The merge engines this merge implements, with their options. */
export interface ColumnarMergeEngine {
  readonly engine: "deduplicate" | "first-row";
  readonly ignoreDelete: boolean;
}

/** The columnar merge of `schema`'s table, or null when it needs the general merge. */
export function columnarMergeEngine(schema: TableSchema, options: CoreOptions): ColumnarMergeEngine | null {
  if (!TableSchemas.isPrimaryKeyTable(schema) || options.sequenceFields().length > 0) return null;
  const engine = options.mergeEngine();
  if (engine !== "deduplicate" && engine !== "first-row") return null;
  return { engine, ignoreDelete: options.ignoreDelete() };
}

/** One record batch of one file: the unit a selection points into. */
export interface Segment {
  readonly file: DataFileColumns;
  /** Index into `file.arrow.batchStarts` and every column's chunks. */
  readonly batch: number;
  /** File row of the batch's first row. */
  readonly start: number;
  readonly length: number;
}

/** Rows picked from segments, in output order: row `j` is `segments[segment[j]]`, batch row `row[j]`. */
export interface Selection {
  readonly segments: readonly Segment[];
  readonly segment: Int32Array;
  readonly row: Int32Array;
  readonly length: number;
}

export const Selection = {
  /** Keeps the rows for which `keep(j)` is true, in order (a new selection; the input is untouched). */
  filter(s: Selection, keep: (j: number) => boolean): Selection {
    const segment = new Int32Array(s.length);
    const row = new Int32Array(s.length);
    let n = 0;
    for (let j = 0; j < s.length; j++) {
      if (!keep(j)) continue;
      segment[n] = s.segment[j]!;
      row[n] = s.row[j]!;
      n++;
    }
    return { segments: s.segments, segment, row, length: n };
  },
} as const;

/** The segments of `files`, in file order then batch order. */
export function segmentsOf(files: readonly DataFileColumns[]): Segment[] {
  const out: Segment[] = [];
  for (const file of files) {
    const starts = file.arrow.batchStarts;
    for (let b = 0; b + 1 < starts.length; b++) {
      const length = starts[b + 1]! - starts[b]!;
      if (length > 0) out.push({ file, batch: b, start: starts[b]!, length });
    }
  }
  return out;
}

/**
 * Every row of `files` in file order, minus rows `isDeleted(file, fileRow)` rejects —
 * the selection of a split read without merging.
 */
export function rawSelection(files: readonly DataFileColumns[], isDeleted: (file: number, fileRow: number) => boolean): Selection {
  const segments = segmentsOf(files);
  const total = segments.reduce((n, s) => n + s.length, 0);
  const segment = new Int32Array(total);
  const row = new Int32Array(total);
  let n = 0;
  segments.forEach((s, si) => {
    const f = files.indexOf(s.file);
    for (let i = 0; i < s.length; i++) {
      if (isDeleted(f, s.start + i)) continue;
      segment[n] = si;
      row[n] = i;
      n++;
    }
  });
  return { segments, segment, row, length: n };
}

type KeyMode = "i64" | "int" | "utf8" | "generic";

/**
 * A cursor over one sorted run: its current row's key as numbers (`k1`, `k2`: the
 * high and unsigned low halves of a BIGINT, an integer key, or a UTF-8 key's first
 * four bytes) and sequence number (`s1`, `s2`), plus what the full key comparison of
 * utf8/generic keys needs.
 */
class RunCursor {
  k1 = 0;
  k2 = 0;
  s1 = 0;
  s2 = 0;
  /** Global segment index and row within it. */
  seg = -1;
  row = 0;
  end = 0;
  /** Next segment of the run to open. */
  next = 0;
  // Arrays of the current segment.
  keys32: Int32Array | Int16Array | Int8Array = EMPTY_I32;
  offsets: Int32Array = EMPTY_I32;
  bytes: Uint8Array = EMPTY_U8;
  seq32: Int32Array = EMPTY_I32;
  kinds: Int8Array = EMPTY_I8;
  keyVectors: readonly ColumnVector[] = [];
  keyRow: Row = [];
  fileRowBase = 0;

  constructor(
    readonly run: number,
    /** Global indexes of the run's segments, in order. */
    readonly segs: readonly number[],
  ) {}
}

const EMPTY_I32 = new Int32Array(0);
const EMPTY_I8 = new Int8Array(0);
const EMPTY_U8 = new Uint8Array(0);

function keyModeOf(keyTypes: readonly DataType[], segments: readonly Segment[]): KeyMode {
  if (keyTypes.length !== 1) return "generic";
  const root = keyTypes[0]!.root;
  const chunksOk = (ok: (d: Data) => boolean) =>
    segments.every((s) => {
      const k = s.file.arrow.keys?.[0];
      return k !== undefined && k.fileType !== null && k.fileType.root === root && ok(k.chunks[s.batch]!);
    });
  switch (root) {
    case "BIGINT":
      return chunksOk((d) => d.typeId === Type.Int && d.values instanceof BigInt64Array && d.nullCount === 0) ? "i64" : "generic";
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return chunksOk((d) => (d.values instanceof Int32Array || d.values instanceof Int16Array || d.values instanceof Int8Array) && d.nullCount === 0)
        ? "int"
        : "generic";
    case "CHAR":
    case "VARCHAR":
      return chunksOk((d) => d.typeId === Type.Utf8 && d.valueOffsets instanceof Int32Array && d.nullCount === 0) ? "utf8" : "generic";
    default:
      return "generic";
  }
}

/** Compares UTF-8 byte ranges: unsigned bytes, then length (Paimon's BinaryString order). */
function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i]!;
    const y = b[bStart + i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/**
 * Merges the sorted runs of one split (`runs`: newest first, each a list of files in
 * key order) into the selection of winning rows, in key order.
 */
export function mergeSelection(runs: readonly (readonly DataFileColumns[])[], keyTypes: readonly DataType[], engine: ColumnarMergeEngine): Selection {
  const segments: Segment[] = [];
  const cursors: RunCursor[] = [];
  let total = 0;
  runs.forEach((files, run) => {
    for (const f of files) {
      if (f.keyColumns === null || f.sequenceNumbers === null || f.valueKinds === null || f.arrow.keys === null) {
        throw dataInvalid("not a primary-key data file: it has no keys", { file: f.path });
      }
    }
    const segs = segmentsOf(files);
    const first = segments.length;
    segments.push(...segs);
    total += segs.reduce((n, s) => n + s.length, 0);
    cursors.push(new RunCursor(run, segs.map((_, i) => first + i)));
  });
  const mode = keyModeOf(keyTypes, segments);
  if (mode === "i64" || mode === "int") {
    try {
      return mergeNumeric(cursors, segments, total, mode, engine);
    } catch (e) {
      if (e !== NOT_EXACT) throw e;
    }
  }
  const keyComparator: RecordComparator = createKeyComparator(keyTypes);

  const open = (c: RunCursor): boolean => {
    while (c.next < c.segs.length) {
      const si = c.segs[c.next++]!;
      const s = segments[si]!;
      c.seg = si;
      c.row = 0;
      c.end = s.length;
      const f = s.file;
      const seq = f.sequenceNumbers!;
      c.seq32 = new Int32Array(seq.buffer, seq.byteOffset + s.start * 8, s.length * 2);
      c.kinds = f.valueKinds!.subarray(s.start, s.start + s.length);
      c.fileRowBase = s.start;
      const d = f.arrow.keys![0]?.chunks[s.batch];
      if (mode === "i64") {
        const v = d!.values as BigInt64Array;
        // Arrow slices value and offset buffers with the data: no `d.offset` to add.
        c.keys32 = new Int32Array(v.buffer, v.byteOffset, s.length * 2);
      } else if (mode === "int") {
        const v = d!.values as Int32Array | Int16Array | Int8Array;
        c.keys32 = v;
      } else if (mode === "utf8") {
        c.offsets = d!.valueOffsets as Int32Array;
        c.bytes = d!.values as Uint8Array;
      } else {
        c.keyVectors = f.keyColumns!;
      }
      if (s.length > 0) return true;
    }
    return false;
  };

  // Loads the cursor's current row into its comparison fields.
  const load = (c: RunCursor): void => {
    const i = c.row;
    c.s1 = c.seq32[2 * i + 1]!;
    c.s2 = c.seq32[2 * i]! >>> 0;
    if (mode === "i64") {
      c.k1 = c.keys32[2 * i + 1]!;
      c.k2 = c.keys32[2 * i]! >>> 0;
    } else if (mode === "int") {
      c.k1 = c.keys32[i]!;
    } else if (mode === "utf8") {
      const start = c.offsets[i]!;
      const len = c.offsets[i + 1]! - start;
      const b = c.bytes;
      // The first four bytes, big-endian, zero-padded: a prefix order consistent with the full one.
      c.k1 = ((len > 0 ? b[start]! : 0) * 0x1000000 + (len > 1 ? b[start + 1]! : 0) * 0x10000 + (len > 2 ? b[start + 2]! : 0) * 0x100 + (len > 3 ? b[start + 3]! : 0));
      // Ties on the prefix fall to the full comparison.
    } else {
      const r = c.fileRowBase + i;
      c.keyRow = c.keyVectors.map((v) => v.get(r));
    }
  };

  /** Full key comparison beyond k1/k2 (utf8 and generic keys). */
  const compareKeysFull = (a: RunCursor, b: RunCursor): number => {
    if (mode === "utf8") {
      const ai = a.row;
      const bi = b.row;
      return compareBytes(a.bytes, a.offsets[ai]!, a.offsets[ai + 1]!, b.bytes, b.offsets[bi]!, b.offsets[bi + 1]!);
    }
    if (mode === "generic") return keyComparator(a.keyRow, b.keyRow);
    return 0;
  };
  const full = mode === "utf8" || mode === "generic";

  const compareKeys = (a: RunCursor, b: RunCursor): number => {
    if (a.k1 !== b.k1) return a.k1 < b.k1 ? -1 : 1;
    if (a.k2 !== b.k2) return a.k2 < b.k2 ? -1 : 1;
    return full ? compareKeysFull(a, b) : 0;
  };

  const less = (a: RunCursor, b: RunCursor): boolean => {
    if (a.k1 !== b.k1) return a.k1 < b.k1;
    if (a.k2 !== b.k2) return a.k2 < b.k2;
    if (full) {
      const c = compareKeysFull(a, b);
      if (c !== 0) return c < 0;
    }
    if (a.s1 !== b.s1) return a.s1 < b.s1;
    if (a.s2 !== b.s2) return a.s2 < b.s2;
    return a.run < b.run;
  };

  // A binary min-heap of cursors.
  const heap: RunCursor[] = [];
  const siftDown = (): void => {
    const n = heap.length;
    const c = heap[0]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && less(heap[r]!, heap[l]!) ? r : l;
      if (less(c, heap[child]!)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = c;
  };
  for (const c of cursors) {
    if (!open(c)) continue;
    load(c);
    heap.push(c);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (less(heap[parent]!, c)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = c;
  }

  const outSegment = new Int32Array(total);
  const outRow = new Int32Array(total);
  let n = 0;
  const dedupe = engine.engine === "deduplicate";
  const ignoreDelete = engine.ignoreDelete;
  // The current key group: a probe cursor holding the group's key, and the winner so far.
  const group = new RunCursor(-1, []);
  // The row a cursor just left, for the order check of utf8/generic keys.
  const prev = new RunCursor(-1, []);
  let inGroup = false;
  let winSeg = -1;
  let winRow = 0;
  let winKind = 0;
  const finish = (): void => {
    if (winSeg >= 0 && !(winKind === 1 || winKind === 3)) {
      outSegment[n] = winSeg;
      outRow[n] = winRow;
      n++;
    }
    winSeg = -1;
  };
  // Remembers the key of `c`'s current row in `group` (for the group boundary test).
  const remember = (c: RunCursor): void => {
    group.k1 = c.k1;
    group.k2 = c.k2;
    group.row = c.row;
    group.offsets = c.offsets;
    group.bytes = c.bytes;
    group.keyRow = c.keyRow;
  };

  while (heap.length > 0) {
    const top = heap[0]!;
    if (!inGroup || compareKeys(group, top) !== 0) {
      if (inGroup) finish();
      remember(top);
      inGroup = true;
    }
    const kind = top.kinds[top.row]!;
    const retract = kind === 1 || kind === 3;
    if (dedupe) {
      if (!(ignoreDelete && retract)) {
        winSeg = top.seg;
        winRow = top.row;
        winKind = kind;
      }
    } else if (retract) {
      if (!ignoreDelete) throw firstRowRetraction(kind, segments[top.seg]!.file.path);
    } else if (winSeg < 0) {
      winSeg = top.seg;
      winRow = top.row;
      winKind = kind;
    }

    // Advance the top cursor, checking its run stays in (key, sequence) order.
    const pk1 = top.k1;
    const pk2 = top.k2;
    const ps1 = top.s1;
    const ps2 = top.s2;
    if (full) {
      prev.row = top.row;
      prev.offsets = top.offsets;
      prev.bytes = top.bytes;
      prev.keyRow = top.keyRow;
    }
    top.row++;
    if (top.row >= top.end && !open(top)) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown();
      }
      continue;
    }
    load(top);
    let order = top.k1 !== pk1 ? (top.k1 < pk1 ? -1 : 1) : top.k2 !== pk2 ? (top.k2 < pk2 ? -1 : 1) : full ? compareKeysFull(top, prev) : 0;
    if (order === 0) order = top.s1 !== ps1 ? (top.s1 < ps1 ? -1 : 1) : top.s2 !== ps2 ? (top.s2 < ps2 ? -1 : 1) : 0;
    if (order < 0) {
      throw dataInvalid("sorted run is out of order: a record sorts before the one preceding it", {
        run: top.run,
        file: segments[top.seg]!.file.path,
        position: top.fileRowBase + top.row,
      });
    }
    siftDown();
  }
  if (inGroup) finish();
  return { segments, segment: outSegment, row: outRow, length: n };
}

const TWO_32 = 2 ** 32;
/** |high word| below this: the 64-bit value is an exact double (|v| < 2^53). */
const HI_LIMIT = 0x200000;

/** Thrown by `mergeNumeric` on a value beyond ±2^53; the cursor merge takes over. */
const NOT_EXACT = Symbol("not exact");

/**
 * The merge of `mergeSelection` for numeric keys whose values (and sequence numbers)
 * are exact doubles: each run's head key and sequence number held as doubles in flat
 * arrays, read straight from the Arrow buffers — no object per row or per cursor. It
 * takes one key at a time (the smallest head, found by a scan over the runs: a split has
 * a handful of runs) and picks that key's winner among its versions directly, which
 * needs no ordering by sequence number. Throws NOT_EXACT when a value is beyond ±2^53.
 */
function mergeNumeric(cursors: readonly RunCursor[], segments: readonly Segment[], total: number, mode: "i64" | "int", engine: ColumnarMergeEngine): Selection {
  const k = cursors.length;
  // Per run: its current segment's arrays and position.
  const segIndex = new Int32Array(k); // index into cursors[run].segs
  const seg = new Int32Array(k).fill(-1); // global segment index
  const row = new Int32Array(k);
  const end = new Int32Array(k);
  const keys32: Int32Array[] = [];
  const keysN: (Int32Array | Int16Array | Int8Array)[] = [];
  const seq32: Int32Array[] = [];
  const kinds: Int8Array[] = [];
  const headKey = new Float64Array(k);
  const headSeq = new Float64Array(k);

  const open = (run: number, from: number): boolean => {
    const segs = cursors[run]!.segs;
    for (let i = from; i < segs.length; i++) {
      const s = segments[segs[i]!]!;
      if (s.length === 0) continue;
      segIndex[run] = i;
      seg[run] = segs[i]!;
      row[run] = 0;
      end[run] = s.length;
      const sq = s.file.sequenceNumbers!;
      seq32[run] = new Int32Array(sq.buffer, sq.byteOffset + s.start * 8, s.length * 2);
      kinds[run] = s.file.valueKinds!.subarray(s.start, s.start + s.length);
      const d = s.file.arrow.keys![0]!.chunks[s.batch]!;
      if (mode === "i64") {
        const v = d.values as BigInt64Array;
        keys32[run] = new Int32Array(v.buffer, v.byteOffset, s.length * 2);
      } else {
        keysN[run] = d.values as Int32Array | Int16Array | Int8Array;
      }
      return true;
    }
    return false;
  };
  // Loads run's current row into headKey/headSeq.
  const load = (run: number): void => {
    const i = row[run]!;
    const sq = seq32[run]!;
    const shi = sq[2 * i + 1]!;
    if (shi < -HI_LIMIT || shi >= HI_LIMIT) throw NOT_EXACT;
    headSeq[run] = shi * TWO_32 + (sq[2 * i]! >>> 0);
    if (mode === "i64") {
      const kk = keys32[run]!;
      const hi = kk[2 * i + 1]!;
      if (hi < -HI_LIMIT || hi >= HI_LIMIT) throw NOT_EXACT;
      headKey[run] = hi * TWO_32 + (kk[2 * i]! >>> 0);
    } else {
      headKey[run] = keysN[run]![i]!;
    }
  };
  const exhausted = new Uint8Array(k);
  for (let run = 0; run < k; run++) {
    if (open(run, 0)) load(run);
    else exhausted[run] = 1;
  }
  let alive = k - exhausted.reduce((n, x) => n + x, 0);

  const outSegment = new Int32Array(total);
  const outRow = new Int32Array(total);
  let n = 0;
  const dedupe = engine.engine === "deduplicate";
  const ignoreDelete = engine.ignoreDelete;
  // One key at a time: the smallest head key, then every version of it, run by run.
  while (alive > 0) {
    let key = Number.POSITIVE_INFINITY;
    for (let run = 0; run < k; run++) {
      if (exhausted[run] === 0 && headKey[run]! < key) key = headKey[run]!;
    }
    // The winner in merge order (sequence number, then run index, then position in
    // the run): deduplicate keeps the last version, first-row the first.
    let winSeg = -1;
    let winRow = 0;
    let winKind = 0;
    let winSeq = 0;
    let winRun = 0;
    for (let run = 0; run < k; run++) {
      while (exhausted[run] === 0 && headKey[run] === key) {
        const i = row[run]!;
        const seq = headSeq[run]!;
        const kind = kinds[run]![i]!;
        const retract = kind === 1 || kind === 3;
        if (retract && !ignoreDelete && !dedupe) throw firstRowRetraction(kind, segments[seg[run]!]!.file.path);
        if (!(retract && ignoreDelete)) {
          const wins =
            winSeg < 0 || (dedupe ? seq > winSeq || (seq === winSeq && run >= winRun) : seq < winSeq || (seq === winSeq && run < winRun));
          if (wins) {
            winSeg = seg[run]!;
            winRow = i;
            winKind = kind;
            winSeq = seq;
            winRun = run;
          }
        }
        // Advance the run, checking it stays in (key, sequence) order.
        if (i + 1 < end[run]!) {
          row[run] = i + 1;
        } else if (!open(run, segIndex[run]! + 1)) {
          exhausted[run] = 1;
          alive--;
          break;
        }
        load(run);
        const nextKey = headKey[run]!;
        if (nextKey < key || (nextKey === key && headSeq[run]! < seq)) {
          throw dataInvalid("sorted run is out of order: a record sorts before the one preceding it", {
            run,
            file: segments[seg[run]!]!.file.path,
            position: segments[seg[run]!]!.start + row[run]!,
          });
        }
      }
    }
    if (winSeg >= 0 && winKind !== 1 && winKind !== 3) {
      outSegment[n] = winSeg;
      outRow[n] = winRow;
      n++;
    }
  }
  return { segments, segment: outSegment, row: outRow, length: n };
}

function firstRowRetraction(kind: number, file: string): StreamhouseError {
  return new StreamhouseError(
    ErrorKind.Unsupported,
    "the first-row merge engine cannot accept DELETE/UPDATE_BEFORE records; set 'ignore-delete' = 'true' to ignore them",
    { context: { mergeEngine: "first-row", valueKind: kind, file } },
  );
}
