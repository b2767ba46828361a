/**
 * Huffman coding of a block's literals (RFC 8878 §4.2).
 *
 * Code lengths are at most 11 bits. The tree is transmitted as one "weight" per symbol
 * (weight = maxBits + 1 - length, 0 for absent symbols) for every symbol below the
 * largest one present; the largest symbol's weight is implied by the code being complete
 * (Kraft sum exactly 2^maxBits), which this builder always guarantees. Weights are sent
 * either FSE-compressed (two interleaved states over one table, AL ≤ 6) or directly as
 * 4-bit nibbles (at most 128 weights), whichever is smaller.
 *
 * Codes are canonical: longer codes get smaller values, ties broken by symbol order.
 * Streams are written last symbol first, because the decoder reads bits backward.
 */
import { BitWriter, ByteSink } from "./bit-writer.js";
import { buildFseTable, chooseAccuracyLog, FseState, normalizeCounts, writeFseDescription } from "./fse-encoder.js";

export const HUFFMAN_MAX_BITS = 11;
const WEIGHT_MAX_LOG = 6;

export interface HuffmanCode {
  /** Largest symbol with a code; its weight is not transmitted. */
  readonly maxSymbol: number;
  readonly maxBits: number;
  /** Per symbol (0..255): code length in bits, 0 if absent. */
  readonly lengths: Uint8Array;
  /** Per symbol: code value (length bits). */
  readonly codes: Uint16Array;
}

/**
 * Code lengths for `counts` (≥ 2 symbols present): plain Huffman, then if too deep,
 * clamped to HUFFMAN_MAX_BITS with the Kraft sum repaired by lengthening the least
 * frequent short codes and then re-shortening the most frequent longest ones until the
 * code is complete again.
 */
export function buildHuffmanCode(counts: Uint32Array): HuffmanCode {
  const symbols: number[] = [];
  for (let s = 0; s < 256; s++) if (counts[s]! > 0) symbols.push(s);
  if (symbols.length < 2) throw new Error("huffman: needs at least two distinct symbols");
  // Sorted by (count, symbol) so the construction is deterministic.
  symbols.sort((a, b) => counts[a]! - counts[b]! || a - b);
  const m = symbols.length;
  // Two-queue Huffman: leaves in ascending order, internal nodes appended in the order
  // created (their weights are non-decreasing). Node i < m is leaf symbols[i].
  const weight = new Float64Array(2 * m);
  const parent = new Int32Array(2 * m);
  for (let i = 0; i < m; i++) weight[i] = counts[symbols[i]!]!;
  let leaf = 0;
  let inner = m;
  let next = m;
  const take = (): number => (leaf < m && (inner >= next || weight[leaf]! <= weight[inner]!) ? leaf++ : inner++);
  while (next < 2 * m - 1) {
    const a = take();
    const b = take();
    weight[next] = weight[a]! + weight[b]!;
    parent[a] = next;
    parent[b] = next;
    next++;
  }
  const depth = new Int32Array(2 * m - 1);
  for (let i = 2 * m - 3; i >= 0; i--) depth[i] = depth[parent[i]!]! + 1;

  const lengths = new Uint8Array(256);
  const L = HUFFMAN_MAX_BITS;
  let kraft = 0; // in units of 2^-L
  for (let i = 0; i < m; i++) {
    const len = Math.min(L, depth[i]!);
    lengths[symbols[i]!] = len;
    kraft += 1 << (L - len);
  }
  const full = 1 << L;
  // Over-subscribed after clamping: lengthen codes, least frequent first among the
  // deepest that can still grow (each step lowers the sum by 2^(L-len-1) ≥ 1).
  while (kraft > full) {
    let pick = -1;
    for (let i = 0; i < m; i++) {
      const len = lengths[symbols[i]!]!;
      if (len < L && (pick < 0 || len > lengths[symbols[pick]!]!)) pick = i;
    }
    if (pick < 0) throw new Error("huffman: cannot fit the code in the bit limit");
    const s = symbols[pick]!;
    lengths[s] = lengths[s]! + 1;
    kraft -= 1 << (L - lengths[s]!);
  }
  // Under-subscribed: shorten a longest code (its term divides the deficit), most frequent first.
  while (kraft < full) {
    let pick = -1;
    for (let i = m - 1; i >= 0; i--) {
      const len = lengths[symbols[i]!]!;
      if (pick < 0 || len > lengths[symbols[pick]!]!) pick = i;
    }
    const s = symbols[pick]!;
    kraft += 1 << (L - lengths[s]!);
    lengths[s] = lengths[s]! - 1;
  }

  let maxBits = 0;
  let maxSymbol = 0;
  for (let s = 0; s < 256; s++) {
    if (lengths[s]! > maxBits) maxBits = lengths[s]!;
    if (lengths[s]! > 0) maxSymbol = s;
  }
  // Canonical assignment from the longest length down (RFC 8878 §4.2.1.4 example).
  const codes = new Uint16Array(256);
  let code = 0;
  for (let len = maxBits; len >= 1; len--) {
    for (let s = 0; s < 256; s++) if (lengths[s] === len) codes[s] = code++;
    code >>>= 1;
  }
  return { maxSymbol, maxBits, lengths, codes };
}

/** Huffman_Tree_Description bytes (header byte + weights), or undefined if not representable. */
export function writeHuffmanTree(code: HuffmanCode): Uint8Array | undefined {
  const n = code.maxSymbol; // weights transmitted for symbols 0..n-1
  const weights = new Uint8Array(n);
  const histogram = new Uint32Array(HUFFMAN_MAX_BITS + 1);
  for (let s = 0; s < n; s++) {
    const len = code.lengths[s]!;
    const w = len === 0 ? 0 : code.maxBits + 1 - len;
    weights[s] = w;
    histogram[w] = histogram[w]! + 1;
  }
  const fse = n >= 2 ? compressWeights(weights, histogram) : undefined;
  const direct = n <= 128 ? 1 + ((n + 1) >>> 1) : Number.POSITIVE_INFINITY;
  if (fse !== undefined && fse.length < 128 && 1 + fse.length < direct) {
    const out = new Uint8Array(1 + fse.length);
    out[0] = fse.length;
    out.set(fse, 1);
    return out;
  }
  if (direct === Number.POSITIVE_INFINITY) return undefined;
  const out = new Uint8Array(direct);
  out[0] = 127 + n;
  for (let s = 0; s < n; s++) out[1 + (s >>> 1)]! |= s % 2 === 0 ? weights[s]! << 4 : weights[s]!;
  return out;
}

/** FSE description + interleaved two-state stream of the weights, or undefined if pointless. */
function compressWeights(weights: Uint8Array, histogram: Uint32Array): Uint8Array | undefined {
  const n = weights.length;
  let present = 0;
  let top = 0;
  for (const c of histogram) {
    if (c > 0) present++;
    if (c > top) top = c;
  }
  // One repeated weight would need a single-symbol table (no bits per state); direct it is.
  if (present < 2 || top === n) return undefined;
  const log = chooseAccuracyLog(n, present, WEIGHT_MAX_LOG);
  const norm = normalizeCounts(histogram, n, log);
  const table = buildFseTable(norm, log);
  const sink = new ByteSink(64);
  const w = new BitWriter(sink);
  writeFseDescription(w, norm, log);
  w.align();
  // Decoding order: state 1 yields weights 0, 2, 4…, state 2 weights 1, 3, 5…; the last
  // two weights are the states' final (initial-for-the-encoder) symbols. The decoder
  // detects the end when the update after the second-to-last weight runs past the
  // stream, which FseState's choice of starting cell guarantees reads ≥ 1 bit.
  const states = [new FseState(table, weights[n - 2]!), new FseState(table, weights[n - 1]!)];
  if ((n - 2) % 2 === 1) states.reverse();
  const [state1, state2] = states as [FseState, FseState];
  for (let k = n - 3; k >= 0; k--) (k % 2 === 0 ? state1 : state2).encode(w, weights[k]!);
  state2.flush(w);
  state1.flush(w);
  w.finish();
  return sink.toBytes();
}

/** Encodes `src` as one Huffman stream (with end mark). */
export function writeHuffmanStream(sink: ByteSink, code: HuffmanCode, src: Uint8Array): void {
  const w = new BitWriter(sink);
  const { codes, lengths } = code;
  for (let i = src.length - 1; i >= 0; i--) {
    const s = src[i]!;
    w.bits(codes[s]!, lengths[s]!);
  }
  w.finish();
}

/** Estimated size in bytes of `counts` coded with `code` (streams only). */
export function huffmanPayloadBytes(code: HuffmanCode, counts: Uint32Array): number {
  let bits = 0;
  for (let s = 0; s <= code.maxSymbol; s++) bits += counts[s]! * code.lengths[s]!;
  return Math.ceil(bits / 8);
}
