/**
 * A single-probe hash-chain-free match finder in the spirit of zstd's "fast" strategy
 * (level 1): one hash table of the last position seen for each 4-byte prefix, greedy
 * acceptance of the first match found, repeat-offset candidates tried before the table,
 * and a growing stride through data that does not match (so incompressible input is
 * skimmed, not searched byte by byte).
 *
 * Positions are absolute offsets into the frame's content so matches reach back across
 * block boundaries, within `windowSize`. Matches never extend past the current block
 * end: a block's sequences must regenerate exactly that block.
 */
import type { RepeatOffsets, SequenceStore } from "./zstd-sequences.js";
import { MAX_MATCH_LENGTH } from "./zstd-tables.js";

const MIN_MATCH = 4;
/** Misses before the stride grows by one (2^SKIP_LOG). */
const SKIP_LOG = 7;
const HASH_MULTIPLIER = 0x9e3779b1;

export class MatchFinder {
  /** Last position + 1 for each hash of 4 bytes (0 = none yet). */
  private readonly table: Int32Array;
  private readonly shift: number;

  constructor(
    private readonly src: Uint8Array,
    readonly windowSize: number,
  ) {
    let hashLog = 8;
    while (hashLog < 16 && 1 << hashLog < src.length) hashLog++;
    this.table = new Int32Array(1 << hashLog);
    this.shift = 32 - hashLog;
  }

  private read32(p: number): number {
    const s = this.src;
    return s[p]! | (s[p + 1]! << 8) | (s[p + 2]! << 16) | (s[p + 3]! << 24);
  }

  /**
   * Finds the sequences of src[start, end): pushes them to `seqs`, appends their literals
   * to `literals` (returning the literal count, trailing literals included) and updates
   * `reps` exactly as the decoder will.
   */
  findSequences(start: number, end: number, seqs: SequenceStore, literals: Uint8Array, reps: RepeatOffsets): number {
    const src = this.src;
    const table = this.table;
    const shift = this.shift;
    let litCount = 0;
    let anchor = start;
    let ip = start;
    const last = end - MIN_MATCH; // last position where 4 bytes can be read inside the block
    while (ip <= last) {
      const cur = this.read32(ip);
      const low = Math.max(0, ip - this.windowSize);
      let match = -1;
      // Repeat candidate: rep0 costs least after literals, rep1 right after a match.
      const rep = ip > anchor ? reps.rep0 : reps.rep1;
      const r = ip - rep;
      if (r >= low && this.read32(r) === cur) match = r;
      const h = Math.imul(cur, HASH_MULTIPLIER) >>> shift;
      const cand = table[h]! - 1;
      table[h] = ip + 1;
      if (match < 0 && cand >= low && this.read32(cand) === cur) match = cand;
      if (match < 0) {
        ip += 1 + ((ip - anchor) >> SKIP_LOG);
        continue;
      }
      let len = MIN_MATCH;
      const maxLen = Math.min(end - ip, MAX_MATCH_LENGTH);
      while (len < maxLen && src[ip + len] === src[match + len]) len++;
      while (ip > anchor && match > low && src[ip - 1] === src[match - 1] && len < MAX_MATCH_LENGTH) {
        ip--;
        match--;
        len++;
      }
      const ll = ip - anchor;
      literals.set(src.subarray(anchor, ip), litCount);
      litCount += ll;
      seqs.push(ll, len, reps.offsetValue(ip - match, ll));
      // Seed the table inside the match so the next matches can reach it.
      if (ip + 2 <= last) table[Math.imul(this.read32(ip + 2), HASH_MULTIPLIER) >>> shift] = ip + 3;
      ip += len;
      anchor = ip;
      if (ip - 2 <= last && ip - 2 > start) table[Math.imul(this.read32(ip - 2), HASH_MULTIPLIER) >>> shift] = ip - 1;
    }
    literals.set(src.subarray(anchor, end), litCount);
    return litCount + (end - anchor);
  }
}
