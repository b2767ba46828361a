/**
 * Fixed tables of the zstd sequences section (RFC 8878 §3.1.1.3.2.1 and §3.1.1.3.2.2):
 * how literal lengths, match lengths and offsets map to codes plus extra bits, and the
 * predefined distributions used in Predefined_Mode.
 */
import { buildFseTable, type FseTable, highBit } from "./fse-encoder.js";

/** Literals_Length code → baseline; the value is baseline + the code's extra bits. */
export const LL_BASE: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
  16384, 32768, 65536,
];
export const LL_BITS: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];

/** Match_Length code → baseline (lengths start at 3). */
export const ML_BASE: readonly number[] = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41,
  43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539,
];
export const ML_BITS: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8,
  9, 10, 11, 12, 13, 14, 15, 16,
];

/** Largest literal/match length one sequence can carry (last code's baseline + all extra bits set). */
export const MAX_LITERAL_LENGTH = 65536 + 0xffff;
export const MAX_MATCH_LENGTH = 65539 + 0xffff;
export const MIN_MATCH_LENGTH = 3;

/** Largest accuracy log allowed per table (RFC 8878 §3.1.1.3.2.2). */
export const LL_MAX_LOG = 9;
export const ML_MAX_LOG = 9;
export const OF_MAX_LOG = 8;

/** Predefined_Mode distributions: literal lengths and match lengths AL 6, offsets AL 5. */
export const LL_DEFAULT_NORM: readonly number[] = [
  4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1,
];
export const ML_DEFAULT_NORM: readonly number[] = [
  1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, -1, -1, -1, -1, -1, -1, -1,
];
export const OF_DEFAULT_NORM: readonly number[] = [
  1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
];
export const LL_DEFAULT_LOG = 6;
export const ML_DEFAULT_LOG = 6;
export const OF_DEFAULT_LOG = 5;

export const LL_DEFAULT_TABLE: FseTable = buildFseTable(LL_DEFAULT_NORM, LL_DEFAULT_LOG);
export const ML_DEFAULT_TABLE: FseTable = buildFseTable(ML_DEFAULT_NORM, ML_DEFAULT_LOG);
export const OF_DEFAULT_TABLE: FseTable = buildFseTable(OF_DEFAULT_NORM, OF_DEFAULT_LOG);

/** Largest code with baseline ≤ v, for the small values where codes are irregular. */
function smallCodeLookup(base: readonly number[], limit: number, offset: number): Uint8Array {
  const out = new Uint8Array(limit);
  let code = 0;
  for (let v = 0; v < limit; v++) {
    while (code + 1 < base.length && base[code + 1]! - offset <= v) code++;
    out[v] = code;
  }
  return out;
}

const LL_SMALL = smallCodeLookup(LL_BASE, 64, 0);
const ML_SMALL = smallCodeLookup(ML_BASE, 128, 3);

/** Code for a literal length; from 64 up codes are one per power of two. */
export function literalLengthCode(ll: number): number {
  return ll < 64 ? LL_SMALL[ll]! : highBit(ll) + 19;
}

/** Code for a match length (≥ 3); from 131 up codes are one per power of two of ml-3. */
export function matchLengthCode(ml: number): number {
  const v = ml - 3;
  return v < 128 ? ML_SMALL[v]! : highBit(v) + 36;
}
