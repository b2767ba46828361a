/**
 * A set of unsigned 32-bit integers stored as a Roaring bitmap, with the portable
 * serialization of the Roaring format specification
 * (github.com/RoaringBitmap/RoaringFormatSpec), produced byte for byte as Java's
 * `org.roaringbitmap.RoaringBitmap` (the library Paimon 2.0 bundles) produces it.
 *
 * A value v is split into a 16-bit key `v >>> 16` and a 16-bit low part. Each key
 * with at least one value owns a container of low parts, of one of three kinds:
 *   array   sorted uint16 values, at most 4096 of them
 *   bitmap  65536 bits (8 KiB)
 *   run     sorted, non-overlapping (start, length-1) uint16 pairs
 *
 * Why we track the kind of every container instead of picking the smallest at
 * write time: Java writes whatever kinds its containers have in memory, and the kinds
 * depend on history (a new key starts as an array, an array becomes a bitmap on its
 * 4097th value, `runOptimize` converts by size rules that differ per kind). Mirroring
 * those transitions is what makes decode → encode reproduce Java's bytes exactly.
 *
 * Portable layout (all integers little-endian), offsets from the first cookie byte:
 *
 *   no run containers                     with run containers
 *   u32 cookie = 12346                    u32 cookie = 12347 | (count-1) << 16
 *   u32 count                             u8[(count+7)/8] run flags (bit i = container i)
 *   count × (u16 key, u16 cardinality-1)  count × (u16 key, u16 cardinality-1)
 *   count × u32 container offset          count × u32 offset, only if count >= 4
 *   containers                            containers
 *
 * Container bytes: array = cardinality × u16; bitmap = 1024 × u64 (bit j of word
 * j/64 set when j is present); run = u16 number of runs, then (u16 start, u16
 * length-1) per run. A non-run container with cardinality ≤ 4096 is an array,
 * otherwise a bitmap — the kind is never written explicitly.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";

/** Cookie of a bitmap with no run containers (the whole first u32). */
export const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
/** Cookie of a bitmap with run containers (the low 16 bits of the first u32). */
export const SERIAL_COOKIE = 12347;
/** With run containers, the offset header is written only from this many containers on. */
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_MAX_CARDINALITY = 4096;
const BITMAP_BYTES = 8192;
const BITMAP_WORDS = 2048; // as u32 words; u64 word k is u32 words 2k (low) and 2k+1 (high)
const MAX_CONTAINERS = 65536;
const MAX_VALUE = 0xffffffff;

interface ArrayContainer {
  kind: "array";
  values: Uint16Array; // sorted ascending, first `size` slots used
  size: number;
}
interface BitmapContainer {
  kind: "bitmap";
  words: Uint32Array;
  cardinality: number;
}
interface RunContainer {
  kind: "run";
  runs: Uint16Array; // runs[2i] = start, runs[2i+1] = length - 1; first `count` pairs used
  count: number;
}
type Container = ArrayContainer | BitmapContainer | RunContainer;

export type ContainerKind = Container["kind"];

export class RoaringBitmap {
  // Parallel arrays sorted by key. Containers are never empty.
  private readonly keys: number[] = [];
  private readonly containers: Container[] = [];

  static of(...values: number[]): RoaringBitmap {
    const bitmap = new RoaringBitmap();
    for (const v of values) bitmap.add(v);
    return bitmap;
  }

  /** Adds `value` (an integer in 0 … 2^32-1); returns whether it was absent. */
  add(value: number): boolean {
    if (!Number.isInteger(value) || value < 0 || value > MAX_VALUE) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `roaring bitmap value out of range: ${value}`);
    }
    const key = value >>> 16;
    const low = value & 0xffff;
    const i = this.indexOfKey(key);
    if (i < 0) {
      const values = new Uint16Array(4);
      values[0] = low;
      this.keys.splice(-i - 1, 0, key);
      this.containers.splice(-i - 1, 0, { kind: "array", values, size: 1 });
      return true;
    }
    const c = this.containers[i]!;
    if (containerContains(c, low)) return false;
    this.containers[i] = containerAdd(c, low);
    return true;
  }

  contains(value: number): boolean {
    if (!Number.isInteger(value) || value < 0 || value > MAX_VALUE) return false;
    const i = this.indexOfKey(value >>> 16);
    return i >= 0 && containerContains(this.containers[i]!, value & 0xffff);
  }

  get cardinality(): number {
    let n = 0;
    for (const c of this.containers) n += containerCardinality(c);
    return n;
  }

  get isEmpty(): boolean {
    return this.containers.length === 0;
  }

  /** Values in ascending order. */
  *values(): IterableIterator<number> {
    for (let i = 0; i < this.containers.length; i++) {
      const base = this.keys[i]! * 65536;
      for (const low of containerValues(this.containers[i]!)) yield base + low;
    }
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.values();
  }

  toArray(): number[] {
    return Array.from(this.values());
  }

  /** How many containers of each kind the bitmap holds (for tests and diagnostics). */
  containerKinds(): Record<ContainerKind, number> {
    const counts = { array: 0, bitmap: 0, run: 0 };
    for (const c of this.containers) counts[c.kind]++;
    return counts;
  }

  /**
   * Converts each container to or from the run kind where Java's `runOptimize` would,
   * with Java's per-kind size rules:
   *   array  → run    when 2·cardinality > 2 + 4·runs
   *   bitmap → run    when 8192 > 2 + 4·runs
   *   run    → other  when 2 + 4·runs > min(8192, 2·cardinality + 2); then array if
   *                    cardinality ≤ 4096, else bitmap.
   * Returns whether any container is a run container afterwards (as Java does).
   */
  runOptimize(): boolean {
    let anyRun = false;
    for (let i = 0; i < this.containers.length; i++) {
      const c = runOptimizeContainer(this.containers[i]!);
      this.containers[i] = c;
      if (c.kind === "run") anyRun = true;
    }
    return anyRun;
  }

  serializedSizeInBytes(): number {
    let size = this.headerSize();
    for (const c of this.containers) size += containerBytes(c);
    return size;
  }

  /** The portable serialization of the containers as they are (no run optimization). */
  serialize(): Uint8Array {
    const out = new Uint8Array(this.serializedSizeInBytes());
    this.serializeInto(out, 0);
    return out;
  }

  /** Writes the portable serialization at `target[offset]`; returns the offset after it. */
  serializeInto(target: Uint8Array, offset: number): number {
    const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
    const n = this.containers.length;
    const hasRun = this.containers.some((c) => c.kind === "run");
    let p = offset;
    if (hasRun) {
      view.setUint32(p, (SERIAL_COOKIE | ((n - 1) << 16)) >>> 0, true);
      p += 4;
      const flagBytes = (n + 7) >>> 3;
      target.fill(0, p, p + flagBytes);
      for (let i = 0; i < n; i++) {
        if (this.containers[i]!.kind === "run") target[p + (i >>> 3)]! |= 1 << (i & 7);
      }
      p += flagBytes;
    } else {
      view.setUint32(p, SERIAL_COOKIE_NO_RUNCONTAINER, true);
      view.setUint32(p + 4, n, true);
      p += 8;
    }
    for (let i = 0; i < n; i++) {
      view.setUint16(p, this.keys[i]!, true);
      view.setUint16(p + 2, containerCardinality(this.containers[i]!) - 1, true);
      p += 4;
    }
    if (!hasRun || n >= NO_OFFSET_THRESHOLD) {
      let containerOffset = this.headerSize();
      for (let i = 0; i < n; i++) {
        view.setUint32(p, containerOffset, true);
        p += 4;
        containerOffset += containerBytes(this.containers[i]!);
      }
    }
    for (const c of this.containers) p = writeContainer(c, view, p);
    return p;
  }

  /**
   * Reads one portable bitmap starting at `bytes[start]`, never reading at or past
   * `end`. Returns the bitmap and the offset just after it. Errors are DataInvalid
   * with the offset (an index into `bytes`) where the problem was found.
   */
  static deserialize(bytes: Uint8Array, start: number, end: number = bytes.length): { bitmap: RoaringBitmap; next: number } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const need = (at: number, n: number, what: string): void => {
      if (at + n > end) throw dataInvalid(`roaring bitmap truncated: ${what} needs ${n} bytes`, { offset: at });
    };
    need(start, 4, "cookie");
    const cookie = view.getUint32(start, true);
    let p = start + 4;
    let count: number;
    let runFlagsAt = -1;
    if ((cookie & 0xffff) === SERIAL_COOKIE) {
      count = (cookie >>> 16) + 1;
      runFlagsAt = p;
      need(p, (count + 7) >>> 3, "run flags");
      p += (count + 7) >>> 3;
    } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
      need(p, 4, "container count");
      count = view.getUint32(p, true);
      if (count > MAX_CONTAINERS) throw dataInvalid(`roaring bitmap has ${count} containers, at most 65536 allowed`, { offset: p });
      p += 4;
    } else {
      throw dataInvalid(`not a portable roaring bitmap: cookie ${cookie}`, { offset: start });
    }
    const isRun = (i: number): boolean => runFlagsAt >= 0 && (bytes[runFlagsAt + (i >>> 3)]! & (1 << (i & 7))) !== 0;

    const headerAt = p;
    need(p, 4 * count, "descriptive header");
    p += 4 * count;
    const hasOffsets = runFlagsAt < 0 || count >= NO_OFFSET_THRESHOLD;
    const offsetsAt = p;
    if (hasOffsets) {
      need(p, 4 * count, "offset header");
      p += 4 * count;
    }

    const bitmap = new RoaringBitmap();
    let lastKey = -1;
    for (let i = 0; i < count; i++) {
      const key = view.getUint16(headerAt + 4 * i, true);
      const cardinality = view.getUint16(headerAt + 4 * i + 2, true) + 1;
      if (key <= lastKey) throw dataInvalid(`roaring container keys not ascending: ${key} after ${lastKey}`, { offset: headerAt + 4 * i });
      lastKey = key;
      if (hasOffsets) {
        const stated = view.getUint32(offsetsAt + 4 * i, true);
        if (stated !== p - start) {
          throw dataInvalid(`roaring container ${i} offset is ${stated}, expected ${p - start}`, { offset: offsetsAt + 4 * i });
        }
      }
      let c: Container;
      if (isRun(i)) {
        c = readRunContainer(view, p, end, cardinality);
      } else if (cardinality <= ARRAY_MAX_CARDINALITY) {
        need(p, 2 * cardinality, "array container");
        c = readArrayContainer(view, p, cardinality);
      } else {
        need(p, BITMAP_BYTES, "bitmap container");
        c = readBitmapContainer(view, p, cardinality);
      }
      p += containerBytes(c);
      bitmap.keys.push(key);
      bitmap.containers.push(c);
    }
    return { bitmap, next: p };
  }

  private headerSize(): number {
    const n = this.containers.length;
    if (!this.containers.some((c) => c.kind === "run")) return 8 + 8 * n;
    return 4 + ((n + 7) >>> 3) + 4 * n + (n >= NO_OFFSET_THRESHOLD ? 4 * n : 0);
  }

  /** Index of `key`, or `-(insertion point) - 1` when absent. */
  private indexOfKey(key: number): number {
    const keys = this.keys;
    const n = keys.length;
    if (n > 0 && keys[n - 1] === key) return n - 1; // positions mostly arrive in order
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
}

// ---- containers -------------------------------------------------------------

function containerCardinality(c: Container): number {
  switch (c.kind) {
    case "array":
      return c.size;
    case "bitmap":
      return c.cardinality;
    case "run": {
      let n = c.count;
      for (let i = 0; i < c.count; i++) n += c.runs[2 * i + 1]!;
      return n;
    }
  }
}

function containerBytes(c: Container): number {
  switch (c.kind) {
    case "array":
      return 2 * c.size;
    case "bitmap":
      return BITMAP_BYTES;
    case "run":
      return 2 + 4 * c.count;
  }
}

/** First index in `values[0, size)` whose value is ≥ `x`. */
function lowerBound(values: Uint16Array, size: number, x: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last run starting at or before `x`, or -1. */
function runAtOrBefore(c: RunContainer, x: number): number {
  let lo = 0;
  let hi = c.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (c.runs[2 * mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function containerContains(c: Container, x: number): boolean {
  switch (c.kind) {
    case "array": {
      const i = lowerBound(c.values, c.size, x);
      return i < c.size && c.values[i] === x;
    }
    case "bitmap":
      return ((c.words[x >>> 5]! >>> (x & 31)) & 1) === 1;
    case "run": {
      const i = runAtOrBefore(c, x);
      return i >= 0 && x <= c.runs[2 * i]! + c.runs[2 * i + 1]!;
    }
  }
}

function* containerValues(c: Container): IterableIterator<number> {
  switch (c.kind) {
    case "array":
      for (let i = 0; i < c.size; i++) yield c.values[i]!;
      return;
    case "bitmap":
      for (let w = 0; w < BITMAP_WORDS; w++) {
        let word = c.words[w]!;
        while (word !== 0) {
          const lowest = word & -word;
          yield w * 32 + (31 - Math.clz32(lowest));
          word ^= lowest;
        }
      }
      return;
    case "run":
      for (let i = 0; i < c.count; i++) {
        const s = c.runs[2 * i]!;
        const e = s + c.runs[2 * i + 1]!;
        for (let v = s; v <= e; v++) yield v;
      }
      return;
  }
}

/** Adds `x`; returns the container now holding the set (the same one, or a converted one). */
function containerAdd(c: Container, x: number): Container {
  switch (c.kind) {
    case "array": {
      const i = lowerBound(c.values, c.size, x);
      if (i < c.size && c.values[i] === x) return c;
      if (c.size >= ARRAY_MAX_CARDINALITY) {
        // Java turns a full array into a bitmap on the first new value, never earlier.
        const b = toBitmap(c);
        bitmapSet(b, x);
        return b;
      }
      if (c.size === c.values.length) {
        const grown = new Uint16Array(Math.min(ARRAY_MAX_CARDINALITY, c.values.length * 2));
        grown.set(c.values);
        c.values = grown;
      }
      c.values.copyWithin(i + 1, i, c.size);
      c.values[i] = x;
      c.size++;
      return c;
    }
    case "bitmap":
      bitmapSet(c, x);
      return c;
    case "run":
      runAdd(c, x);
      return c;
  }
}

function bitmapSet(b: BitmapContainer, x: number): void {
  const w = x >>> 5;
  const mask = 1 << (x & 31);
  const word = b.words[w]!;
  if ((word & mask) === 0) {
    b.words[w] = word | mask;
    b.cardinality++;
  }
}

/** Adds `x` to a run container: extend a neighbouring run, join two runs, or insert one. */
function runAdd(c: RunContainer, x: number): void {
  const r = c.runs;
  const i = runAtOrBefore(c, x);
  if (i >= 0) {
    const end = r[2 * i]! + r[2 * i + 1]!;
    if (x <= end) return;
    if (x === end + 1) {
      if (i + 1 < c.count && r[2 * (i + 1)] === x + 1) {
        // x closes the gap between run i and run i+1
        const nextEnd = r[2 * (i + 1)]! + r[2 * (i + 1) + 1]!;
        r[2 * i + 1] = nextEnd - r[2 * i]!;
        r.copyWithin(2 * (i + 1), 2 * (i + 2), 2 * c.count);
        c.count--;
      } else {
        r[2 * i + 1] = r[2 * i + 1]! + 1;
      }
      return;
    }
  }
  const next = i + 1;
  if (next < c.count && r[2 * next] === x + 1) {
    r[2 * next] = x;
    r[2 * next + 1] = r[2 * next + 1]! + 1;
    return;
  }
  if (2 * (c.count + 1) > r.length) {
    const grown = new Uint16Array(Math.max(8, r.length * 2));
    grown.set(r);
    c.runs = grown;
  }
  c.runs.copyWithin(2 * (next + 1), 2 * next, 2 * c.count);
  c.runs[2 * next] = x;
  c.runs[2 * next + 1] = 0;
  c.count++;
}

function countRuns(c: Container): number {
  switch (c.kind) {
    case "array": {
      let runs = 0;
      for (let i = 0; i < c.size; i++) if (i === 0 || c.values[i] !== c.values[i - 1]! + 1) runs++;
      return runs;
    }
    case "bitmap": {
      // a run starts at every set bit whose lower neighbour is clear
      let runs = 0;
      let carry = 0; // top bit of the previous word
      for (let w = 0; w < BITMAP_WORDS; w++) {
        const word = c.words[w]!;
        runs += popcount(word & ~((word << 1) | carry));
        carry = word >>> 31;
      }
      return runs;
    }
    case "run":
      return c.count;
  }
}

function runOptimizeContainer(c: Container): Container {
  const runBytes = 2 + 4 * countRuns(c);
  switch (c.kind) {
    case "array":
      return 2 * c.size > runBytes ? toRun(c) : c;
    case "bitmap":
      return BITMAP_BYTES > runBytes ? toRun(c) : c;
    case "run": {
      const card = containerCardinality(c);
      if (runBytes <= Math.min(BITMAP_BYTES, 2 * card + 2)) return c;
      return card <= ARRAY_MAX_CARDINALITY ? toArray(c) : toBitmap(c);
    }
  }
}

function toRun(c: Container): RunContainer {
  const runs = new Uint16Array(Math.max(2, 2 * countRuns(c)));
  let count = 0;
  let start = -1;
  let prev = -2;
  for (const v of containerValues(c)) {
    if (v !== prev + 1) {
      if (start >= 0) {
        runs[2 * count] = start;
        runs[2 * count + 1] = prev - start;
        count++;
      }
      start = v;
    }
    prev = v;
  }
  if (start >= 0) {
    runs[2 * count] = start;
    runs[2 * count + 1] = prev - start;
    count++;
  }
  return { kind: "run", runs, count };
}

function toArray(c: Container): ArrayContainer {
  const values = new Uint16Array(Math.max(4, containerCardinality(c)));
  let size = 0;
  for (const v of containerValues(c)) values[size++] = v;
  return { kind: "array", values, size };
}

function toBitmap(c: Container): BitmapContainer {
  const b: BitmapContainer = { kind: "bitmap", words: new Uint32Array(BITMAP_WORDS), cardinality: 0 };
  for (const v of containerValues(c)) bitmapSet(b, v);
  return b;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

// ---- container (de)serialization --------------------------------------------

function writeContainer(c: Container, view: DataView, p: number): number {
  switch (c.kind) {
    case "array":
      for (let i = 0; i < c.size; i++, p += 2) view.setUint16(p, c.values[i]!, true);
      return p;
    case "bitmap":
      for (let w = 0; w < BITMAP_WORDS; w++, p += 4) view.setUint32(p, c.words[w]!, true);
      return p;
    case "run":
      view.setUint16(p, c.count, true);
      p += 2;
      for (let i = 0; i < 2 * c.count; i++, p += 2) view.setUint16(p, c.runs[i]!, true);
      return p;
  }
}

function readArrayContainer(view: DataView, p: number, cardinality: number): ArrayContainer {
  const values = new Uint16Array(Math.max(4, cardinality));
  let prev = -1;
  for (let i = 0; i < cardinality; i++) {
    const v = view.getUint16(p + 2 * i, true);
    if (v <= prev) throw dataInvalid(`roaring array container not strictly ascending: ${v} after ${prev}`, { offset: p + 2 * i });
    values[i] = v;
    prev = v;
  }
  return { kind: "array", values, size: cardinality };
}

function readBitmapContainer(view: DataView, p: number, cardinality: number): BitmapContainer {
  const words = new Uint32Array(BITMAP_WORDS);
  let bits = 0;
  for (let w = 0; w < BITMAP_WORDS; w++) {
    const word = view.getUint32(p + 4 * w, true);
    words[w] = word;
    bits += popcount(word);
  }
  if (bits !== cardinality) {
    throw dataInvalid(`roaring bitmap container has ${bits} bits set, header says ${cardinality}`, { offset: p });
  }
  return { kind: "bitmap", words, cardinality };
}

function readRunContainer(view: DataView, p: number, end: number, cardinality: number): RunContainer {
  if (p + 2 > end) throw dataInvalid("roaring bitmap truncated: run container needs 2 bytes", { offset: p });
  const count = view.getUint16(p, true);
  if (p + 2 + 4 * count > end) {
    throw dataInvalid(`roaring bitmap truncated: run container needs ${2 + 4 * count} bytes`, { offset: p });
  }
  const runs = new Uint16Array(Math.max(2, 2 * count));
  let prevEnd = -1;
  let card = 0;
  for (let i = 0; i < count; i++) {
    const at = p + 2 + 4 * i;
    const start = view.getUint16(at, true);
    const lengthMinus1 = view.getUint16(at + 2, true);
    if (start <= prevEnd) throw dataInvalid(`roaring runs overlap or are unsorted: run at ${start} after end ${prevEnd}`, { offset: at });
    if (start + lengthMinus1 > 0xffff) throw dataInvalid(`roaring run ${start}+${lengthMinus1} passes 65535`, { offset: at });
    runs[2 * i] = start;
    runs[2 * i + 1] = lengthMinus1;
    prevEnd = start + lengthMinus1;
    card += lengthMinus1 + 1;
  }
  if (card !== cardinality) {
    throw dataInvalid(`roaring run container holds ${card} values, header says ${cardinality}`, { offset: p });
  }
  return { kind: "run", runs, count };
}
