/**
 * The Sequences_Section of a compressed block (RFC 8878 §3.1.1.3.2).
 *
 *   Number_of_Sequences   1 byte (< 128), 2 bytes ((b0-128) << 8 | b1, < 0x7F00), or
 *                         0xFF + 2 bytes little-endian (+ 0x7F00); 0 ends the section
 *   Symbol_Compression_Modes  bits 7-6 literal lengths, 5-4 offsets, 3-2 match lengths
 *                         (0 Predefined, 1 RLE, 2 FSE_Compressed, 3 Repeat — never written)
 *   tables                for LL, OF, ML in that order: RLE → the symbol byte,
 *                         FSE_Compressed → an FSE table description
 *   bitstream             read backward: initial states LL, OF, ML; then per sequence the
 *                         extra bits of OF, ML, LL, then (except after the last sequence)
 *                         state updates LL, ML, OF.
 * We write that stream in exact reverse, starting from the last sequence.
 *
 * Offsets are sent as Offset_Value: real offsets as offset + 3, or 1-3 naming one of the
 * three repeat offsets (see `offsetValue`).
 */
import { BitWriter, ByteSink } from "./bit-writer.js";
import { buildFseTable, chooseAccuracyLog, type FseTable, FseState, highBit, normalizeCounts, writeFseDescription } from "./fse-encoder.js";
import {
  LL_BASE,
  LL_BITS,
  LL_DEFAULT_TABLE,
  LL_MAX_LOG,
  literalLengthCode,
  ML_BASE,
  ML_BITS,
  ML_DEFAULT_TABLE,
  ML_MAX_LOG,
  matchLengthCode,
  OF_DEFAULT_TABLE,
  OF_MAX_LOG,
} from "./zstd-tables.js";

/** The sequences of one block, in order. */
export class SequenceStore {
  count = 0;
  readonly literalLengths: Uint32Array;
  readonly matchLengths: Uint32Array;
  readonly offsetValues: Uint32Array;

  constructor(capacity: number) {
    this.literalLengths = new Uint32Array(capacity);
    this.matchLengths = new Uint32Array(capacity);
    this.offsetValues = new Uint32Array(capacity);
  }

  push(literalLength: number, matchLength: number, offsetValue: number): void {
    if (this.count >= this.literalLengths.length) throw new Error("zstd: sequence store full");
    const i = this.count++;
    this.literalLengths[i] = literalLength;
    this.matchLengths[i] = matchLength;
    this.offsetValues[i] = offsetValue;
  }
}

/**
 * Repeat-offset history (RFC 8878 §3.1.2.5), starting at 1, 4, 8 for each frame and
 * carried across compressed blocks. `offsetValue` returns the cheapest Offset_Value for
 * a match and applies the same update the decoder will:
 *   literal length > 0: 1 → rep0 (history unchanged), 2 → rep1, 3 → rep2
 *   literal length = 0: 1 → rep1, 2 → rep2, 3 → rep0 - 1
 *   a used repeat other than "1 with literals" moves to the front; a real offset is pushed
 *   on the front and the oldest dropped.
 */
export class RepeatOffsets {
  rep0 = 1;
  rep1 = 4;
  rep2 = 8;

  snapshot(): [number, number, number] {
    return [this.rep0, this.rep1, this.rep2];
  }

  restore(s: readonly [number, number, number]): void {
    [this.rep0, this.rep1, this.rep2] = s;
  }

  offsetValue(offset: number, literalLength: number): number {
    const { rep0, rep1, rep2 } = this;
    if (literalLength > 0 && offset === rep0) return 1;
    if (offset === rep1) {
      this.rep1 = rep0;
      this.rep0 = rep1;
      return literalLength > 0 ? 2 : 1;
    }
    if (offset === rep2) {
      this.rep2 = rep1;
      this.rep1 = rep0;
      this.rep0 = rep2;
      return literalLength > 0 ? 3 : 2;
    }
    if (literalLength === 0 && offset === rep0 - 1) {
      this.rep2 = rep1;
      this.rep1 = rep0;
      this.rep0 = offset;
      return 3;
    }
    this.rep2 = rep1;
    this.rep1 = rep0;
    this.rep0 = offset;
    return offset + 3;
  }
}

const MODE_PREDEFINED = 0;
const MODE_RLE = 1;
const MODE_FSE = 2;

interface Encoding {
  readonly mode: number;
  /** undefined for RLE: no bits are read for that field's state. */
  readonly table: FseTable | undefined;
  /** The table description (FSE) or the symbol byte (RLE); empty for Predefined. */
  readonly description: Uint8Array;
}

/** Picks RLE, Predefined or a fitted FSE table for one code stream by estimated bits. */
function chooseEncoding(n: number, histogram: Uint32Array, predefined: FseTable, maxLog: number): Encoding {
  let present = 0;
  let lastPresent = 0;
  for (let s = 0; s < histogram.length; s++) {
    if (histogram[s]! > 0) {
      present++;
      lastPresent = s;
    }
  }
  if (present === 1) return { mode: MODE_RLE, table: undefined, description: Uint8Array.of(lastPresent) };

  // Predefined is usable only if it gives every present code a cell.
  let predefinedBits = Number.POSITIVE_INFINITY;
  if (lastPresent < predefined.costQ8.length) {
    let q8 = 0;
    for (let s = 0; s <= lastPresent && q8 !== Number.POSITIVE_INFINITY; s++) {
      const c = histogram[s]!;
      if (c > 0) q8 = predefined.costQ8[s] === 0 ? Number.POSITIVE_INFINITY : q8 + c * predefined.costQ8[s]!;
    }
    predefinedBits = q8 / 256;
  }

  const log = chooseAccuracyLog(n, present, maxLog);
  const norm = normalizeCounts(histogram, n, log);
  const table = buildFseTable(norm, log);
  const description = new ByteSink(64);
  const w = new BitWriter(description);
  writeFseDescription(w, norm, log);
  w.align();
  let q8 = 0;
  for (let s = 0; s <= lastPresent; s++) q8 += histogram[s]! * table.costQ8[s]!;
  const fittedBits = q8 / 256 + description.length * 8 + (log - predefined.accuracyLog);
  if (fittedBits < predefinedBits) return { mode: MODE_FSE, table, description: description.toBytes() };
  return { mode: MODE_PREDEFINED, table: predefined, description: new Uint8Array(0) };
}

/** Writes the whole section for `seqs`. */
export function writeSequencesSection(out: ByteSink, seqs: SequenceStore): void {
  const n = seqs.count;
  if (n < 128) out.byte(n);
  else if (n < 0x7f00) {
    out.byte((n >>> 8) + 128);
    out.byte(n & 0xff);
  } else if (n < 0x7f00 + 0x10000) {
    out.byte(255);
    out.uintLE(n - 0x7f00, 2);
  } else throw new Error(`zstd: ${n} sequences exceed a block's limit`);
  if (n === 0) return;

  const { literalLengths, matchLengths, offsetValues } = seqs;
  const llCodes = new Uint8Array(n);
  const mlCodes = new Uint8Array(n);
  const ofCodes = new Uint8Array(n);
  const llHist = new Uint32Array(LL_BASE.length);
  const mlHist = new Uint32Array(ML_BASE.length);
  const ofHist = new Uint32Array(32);
  for (let i = 0; i < n; i++) {
    const ll = literalLengthCode(literalLengths[i]!);
    const ml = matchLengthCode(matchLengths[i]!);
    const of = highBit(offsetValues[i]!);
    llCodes[i] = ll;
    mlCodes[i] = ml;
    ofCodes[i] = of;
    llHist[ll]!++;
    mlHist[ml]!++;
    ofHist[of]!++;
  }
  const ll = chooseEncoding(n, llHist, LL_DEFAULT_TABLE, LL_MAX_LOG);
  const of = chooseEncoding(n, ofHist, OF_DEFAULT_TABLE, OF_MAX_LOG);
  const ml = chooseEncoding(n, mlHist, ML_DEFAULT_TABLE, ML_MAX_LOG);
  out.byte((ll.mode << 6) | (of.mode << 4) | (ml.mode << 2));
  out.append(ll.description);
  out.append(of.description);
  out.append(ml.description);

  const w = new BitWriter(out);
  const last = n - 1;
  const llState = ll.table && new FseState(ll.table, llCodes[last]!);
  const ofState = of.table && new FseState(of.table, ofCodes[last]!);
  const mlState = ml.table && new FseState(ml.table, mlCodes[last]!);
  for (let i = last; i >= 0; i--) {
    if (i < last) {
      // Transitions into sequence i + 1's states; the decoder updates LL, ML, OF.
      ofState?.encode(w, ofCodes[i]!);
      mlState?.encode(w, mlCodes[i]!);
      llState?.encode(w, llCodes[i]!);
    }
    // Extra bits; the decoder reads OF, ML, LL.
    const llc = llCodes[i]!;
    const mlc = mlCodes[i]!;
    const ofc = ofCodes[i]!;
    w.bits(literalLengths[i]! - LL_BASE[llc]!, LL_BITS[llc]!);
    w.bits(matchLengths[i]! - ML_BASE[mlc]!, ML_BITS[mlc]!);
    w.bits(offsetValues[i]! - (1 << ofc), ofc);
  }
  // Initial states, read by the decoder in the order LL, OF, ML.
  mlState?.flush(w);
  ofState?.flush(w);
  llState?.flush(w);
  w.finish();
}
