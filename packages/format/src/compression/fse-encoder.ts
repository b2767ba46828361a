/**
 * Finite State Entropy encoding as zstd uses it (RFC 8878 §4.1): normalising a histogram
 * to a power-of-two total, writing that distribution in the compact "FSE table
 * description" form, and encoding symbols against the decoding table the decoder will
 * build from it.
 *
 * A distribution of accuracy log AL has T = 2^AL cells. Each symbol s has a normalised
 * count n_s ≥ 1, or the special value -1 ("less than 1": one cell, full reset), and the
 * counts (taking -1 as 1) sum to T. The decoder lays the cells out deterministically:
 * -1 symbols take the top cells one each, then every other symbol, in symbol order, is
 * spread n_s times by stepping `pos += T/2 + T/8 + 3 (mod T)`, skipping the top cells.
 * The j-th cell of s (in position order) reads nb = AL - floor(log2(n_s + j)) bits and
 * moves to state ((n_s + j) << nb) - T + bits.
 *
 * Encoder view: the encoder keeps X = decoderState + T in [T, 2T). To emit s before a
 * state X (decoding runs the other way) it needs the cell j of s whose reachable range
 * contains X: X >> nb = n_s + j. Only two values of nb occur for one symbol, split at
 * X = n_s << maxNb, so encoding is a compare, a shift and a table lookup; the low nb bits
 * of X go to the stream and the cell's own position (+T) becomes the new X.
 */
import type { BitWriter } from "./bit-writer.js";

/** The encoder-side table for one normalised distribution. */
export interface FseTable {
  readonly accuracyLog: number;
  /** X values (cell position + T) of each symbol's cells, grouped by symbol in position order. */
  readonly cellStates: Uint16Array;
  /** Per symbol: index in cellStates of its first cell, minus n_s (so index = (X >> nb) + delta). */
  readonly delta: Int32Array;
  /** Per symbol: nb for X ≥ split (the larger of its two bit counts). */
  readonly maxBits: Uint8Array;
  /** Per symbol: n_s << maxBits. */
  readonly split: Int32Array;
  /** Per symbol: cost estimate in 1/256 bits (for choosing between tables). */
  readonly costQ8: Uint32Array;
}

export function highBit(v: number): number {
  return 31 - Math.clz32(v);
}

/** Builds the encoder table for counts that sum to 2^accuracyLog. Throws if they do not. */
export function buildFseTable(norm: ArrayLike<number>, accuracyLog: number): FseTable {
  const size = 1 << accuracyLog;
  const symbols = norm.length;
  let total = 0;
  let lowCount = 0;
  for (let s = 0; s < symbols; s++) {
    const n = norm[s]!;
    if (n === -1) lowCount++;
    else if (n < 0 || !Number.isInteger(n)) throw new Error(`fse: bad normalised count ${n} for symbol ${s}`);
    total += n === -1 ? 1 : n;
  }
  if (total !== size) throw new Error(`fse: normalised counts sum to ${total}, not ${size}`);

  // The decoder's cell layout, as described above.
  const cellSymbol = new Uint16Array(size);
  let high = size - 1;
  for (let s = 0; s < symbols; s++) if (norm[s] === -1) cellSymbol[high--] = s;
  const step = (size >>> 1) + (size >>> 3) + 3;
  const mask = size - 1;
  let pos = 0;
  for (let s = 0; s < symbols; s++) {
    const n = norm[s]!;
    for (let i = 0; i < n; i++) {
      cellSymbol[pos] = s;
      do pos = (pos + step) & mask;
      while (pos > high);
    }
  }
  if (pos !== 0) throw new Error("fse: spread did not return to cell 0");
  if (lowCount !== size - 1 - high) throw new Error("fse: inconsistent low-probability cells");

  const first = new Int32Array(symbols + 1);
  for (let s = 0; s < symbols; s++) first[s + 1] = first[s]! + (norm[s] === -1 ? 1 : norm[s]!);
  const cellStates = new Uint16Array(size);
  const fill = first.slice(0, symbols);
  for (let p = 0; p < size; p++) {
    const s = cellSymbol[p]!;
    cellStates[fill[s]!++] = size + p;
  }

  const delta = new Int32Array(symbols);
  const maxBits = new Uint8Array(symbols);
  const split = new Int32Array(symbols);
  const costQ8 = new Uint32Array(symbols);
  for (let s = 0; s < symbols; s++) {
    const raw = norm[s]!;
    if (raw === 0) continue;
    const n = raw === -1 ? 1 : raw;
    // Cells j with n + j < 2^(h+1) read AL - h bits, the rest one fewer (h = log2 n).
    const nb = accuracyLog - highBit(n);
    maxBits[s] = nb;
    split[s] = n << nb;
    delta[s] = first[s]! - n;
    costQ8[s] = Math.round(Math.log2(size / n) * 256);
  }
  return { accuracyLog, cellStates, delta, maxBits, split, costQ8 };
}

/** One FSE encoder state over a table. */
export class FseState {
  state: number;

  constructor(
    readonly table: FseTable,
    lastSymbol: number,
  ) {
    // The decoder ends on this symbol's cell. Its first cell reads the most bits (≥ 1
    // unless the symbol owns the whole table), which the Huffman-weight decoder relies
    // on to detect the end of its stream.
    // split >>> maxBits is n_s, and delta + n_s the index of the symbol's first cell.
    this.state = table.cellStates[table.delta[lastSymbol]! + (table.split[lastSymbol]! >>> table.maxBits[lastSymbol]!)]!;
  }

  encode(w: BitWriter, symbol: number): void {
    const t = this.table;
    const x = this.state;
    const nb = x >= t.split[symbol]! ? t.maxBits[symbol]! : t.maxBits[symbol]! - 1;
    w.bits(x & ((1 << nb) - 1), nb);
    this.state = t.cellStates[(x >>> nb) + t.delta[symbol]!]!;
  }

  /** Writes the final state; the decoder reads it first as its initial state. */
  flush(w: BitWriter): void {
    w.bits(this.state - (1 << this.table.accuracyLog), this.table.accuracyLog);
  }
}

/**
 * Scales `counts` (total `sum` > 0) to a distribution of 2^accuracyLog cells where every
 * present symbol keeps at least one cell. Returns a normalised array as long as counts
 * up to the last present symbol. Caller guarantees 2^accuracyLog ≥ number of present symbols.
 */
export function normalizeCounts(counts: ArrayLike<number>, sum: number, accuracyLog: number): Int16Array {
  let last = counts.length - 1;
  while (last >= 0 && counts[last] === 0) last--;
  const norm = new Int16Array(last + 1);
  const size = 1 << accuracyLog;
  let total = 0;
  let largest = -1;
  for (let s = 0; s <= last; s++) {
    const c = counts[s]!;
    if (c === 0) continue;
    const n = Math.max(1, Math.round((c * size) / sum));
    norm[s] = n;
    total += n;
    if (largest < 0 || c > counts[largest]!) largest = s;
  }
  if (largest < 0) throw new Error("fse: normalising an empty histogram");
  // Rounding leaves the total off by a little: settle it on the largest symbols, which
  // lose the least (relative) precision. Bounded: each pass moves the total by ≥ 1.
  for (let guard = 0; total !== size; guard++) {
    if (guard > 4 * size) throw new Error("fse: normalisation did not converge");
    if (total < size) {
      norm[largest] = norm[largest]! + (size - total);
      total = size;
    } else {
      let pick = -1;
      for (let s = 0; s <= last; s++) if (norm[s]! > 1 && (pick < 0 || norm[s]! > norm[pick]!)) pick = s;
      if (pick < 0) throw new Error("fse: too many symbols for the table size");
      const take = Math.min(total - size, norm[pick]! >>> 1 || 1);
      norm[pick] = norm[pick]! - take;
      total -= take;
    }
  }
  return norm;
}

/**
 * An accuracy log for `count` symbols drawn from `present` distinct values: about
 * log2(count) - 2 (more cells than that buys little), at least enough for every present
 * symbol to have a couple of cells, and within [5, maxLog].
 */
export function chooseAccuracyLog(count: number, present: number, maxLog: number): number {
  let log = highBit(Math.max(1, count - 1)) - 2;
  const needed = highBit(Math.max(1, present)) + 2;
  if (log < needed) log = needed;
  return Math.max(5, Math.min(maxLog, log));
}

/**
 * Writes the FSE table description (RFC 8878 §4.1.1): 4 bits AL-5, then for each symbol
 * up to the last present one its count+1 in a variable-width field (width shrinks as the
 * remaining total shrinks; small values save a bit), and after any zero a run of 2-bit
 * repeat fields counting further zeros (3 means "3, and another field follows").
 */
export function writeFseDescription(w: BitWriter, norm: ArrayLike<number>, accuracyLog: number): void {
  w.bits(accuracyLog - 5, 4);
  let remaining = (1 << accuracyLog) + 1;
  let threshold = 1 << accuracyLog;
  let width = accuracyLog + 1;
  const last = norm.length - 1;
  let s = 0;
  while (s <= last && remaining > 1) {
    const n = norm[s]!;
    const value = n + 1;
    // Values below `small` fit in width-1 bits; the rest take `width` bits, and those at
    // or above `threshold` are shifted up by `small` to stay distinguishable.
    const small = 2 * threshold - 1 - remaining;
    if (value < small) w.bits(value, width - 1);
    else if (value < threshold) w.bits(value, width);
    else w.bits(value + small, width);
    remaining -= n === -1 ? 1 : n;
    s++;
    if (n === 0) {
      let zeros = 0;
      while (s + zeros <= last && norm[s + zeros] === 0) zeros++;
      s += zeros;
      while (zeros >= 3) {
        w.bits(3, 2);
        zeros -= 3;
      }
      w.bits(zeros, 2);
    }
    while (remaining < threshold) {
      width--;
      threshold >>>= 1;
    }
  }
  if (remaining !== 1) throw new Error(`fse: description left ${remaining - 1} cells unassigned`);
}
