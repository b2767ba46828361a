/**
 * Universal compaction picking (Paimon's `UniversalCompaction` and `EarlyFullCompaction`,
 * after RocksDB's universal style; release 2.0.0) — a pure planner over sorted runs,
 * newest first. In order:
 *
 *   0. early full compaction, when configured: every `compaction.optimization-interval`,
 *      or while the tree is smaller than `compaction.total-size-threshold`, or when the
 *      runs above the last level exceed `compaction.incremental-size-threshold`;
 *   1. size amplification: with at least `trigger` runs, everything when
 *      sum(all runs but the oldest) · 100 > max-size-amplification-percent · size(oldest);
 *   2. size ratio: with at least `trigger` runs, grow a candidate set from the newest run
 *      while candidate · (100 + size-ratio) / 100 ≥ next run's size;
 *   3. run count: with more than `trigger` runs, start from the `runs - trigger + 1`
 *      newest and grow by size ratio.
 *
 * Output level: the last level when every run is picked, else the next run's level - 1,
 * and never level 0 — runs are added until one above level 0 is picked, whose level is
 * then the output. The only state is the time of the last full compaction (for the
 * interval); the clock is injected.
 */
import type { CoreOptions } from "@streamhouse/format";
import { parseDurationMs, parseMemorySize } from "@streamhouse/format";
import { type CompactUnit, CompactUnits, type LevelSortedRun, LevelSortedRuns } from "./compact-unit.js";

export interface UniversalCompactionConfig {
  /** `compaction.max-size-amplification-percent` (200). */
  readonly maxSizeAmplificationPercent: number;
  /** `compaction.size-ratio` (1). */
  readonly sizeRatio: number;
  /** `num-sorted-run.compaction-trigger` (5). */
  readonly numRunCompactionTrigger: number;
  /** `compaction.optimization-interval`, ms. */
  readonly fullCompactionIntervalMs?: number | null;
  /** `compaction.total-size-threshold`, bytes. */
  readonly totalSizeThreshold?: number | null;
  /** `compaction.incremental-size-threshold`, bytes. */
  readonly incrementalSizeThreshold?: number | null;
}

export function universalCompactionConfig(options: CoreOptions): UniversalCompactionConfig {
  const opt = <T>(key: string, parse: (v: string, k: string) => T): T | null => {
    const v = options.get(key);
    return v === undefined ? null : parse(v, key);
  };
  return {
    maxSizeAmplificationPercent: options.maxSizeAmplificationPercent(),
    sizeRatio: options.sizeRatio(),
    numRunCompactionTrigger: options.numSortedRunCompactionTrigger(),
    fullCompactionIntervalMs: opt("compaction.optimization-interval", parseDurationMs),
    totalSizeThreshold: opt("compaction.total-size-threshold", parseMemorySize),
    incrementalSizeThreshold: opt("compaction.incremental-size-threshold", parseMemorySize),
  };
}

export class UniversalCompaction {
  private lastFullCompactionMs: number | null = null;

  constructor(
    readonly config: UniversalCompactionConfig,
    private readonly clock: () => number = Date.now,
  ) {}

  pick(numLevels: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    const maxLevel = numLevels - 1;
    return this.pickEarlyFull(maxLevel, runs) ?? this.pickForSizeAmp(maxLevel, runs) ?? this.pickForSizeRatio(maxLevel, runs) ?? this.pickForRunCount(maxLevel, runs);
  }

  /** Every level-0 run (and, by the size-ratio rule, what follows): for producers that must see level 0 at each commit. */
  forcePickLevel0(numLevels: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    let count = 0;
    while (count < runs.length && runs[count]!.level === 0) count++;
    return count === 0 ? null : this.pickBySizeRatio(numLevels - 1, runs, count, true);
  }

  pickEarlyFull(maxLevel: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    const c = this.config;
    if (runs.length <= 1) return null;
    if (c.fullCompactionIntervalMs != null) {
      if (this.lastFullCompactionMs === null || this.clock() - this.lastFullCompactionMs > c.fullCompactionIntervalMs) return this.full(maxLevel, runs);
    }
    if (c.totalSizeThreshold != null) {
      let total = 0;
      for (const r of runs) total += LevelSortedRuns.totalSize(r);
      if (total < c.totalSizeThreshold) return this.full(maxLevel, runs);
    }
    if (c.incrementalSizeThreshold != null) {
      let incremental = 0;
      for (const r of runs) if (r.level !== maxLevel) incremental += LevelSortedRuns.totalSize(r);
      if (incremental > c.incrementalSizeThreshold) return this.full(maxLevel, runs);
    }
    return null;
  }

  pickForSizeAmp(maxLevel: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    if (runs.length < this.config.numRunCompactionTrigger) return null;
    let candidate = 0;
    for (let i = 0; i < runs.length - 1; i++) candidate += LevelSortedRuns.totalSize(runs[i]!);
    const earliest = LevelSortedRuns.totalSize(runs[runs.length - 1]!);
    if (candidate * 100 > this.config.maxSizeAmplificationPercent * earliest) return this.full(maxLevel, runs);
    return null;
  }

  pickForSizeRatio(maxLevel: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    if (runs.length < this.config.numRunCompactionTrigger) return null;
    return this.pickBySizeRatio(maxLevel, runs, 1, false);
  }

  pickForRunCount(maxLevel: number, runs: readonly LevelSortedRun[]): CompactUnit | null {
    const trigger = this.config.numRunCompactionTrigger;
    if (runs.length <= trigger) return null;
    return this.pickBySizeRatio(maxLevel, runs, runs.length - trigger + 1, false);
  }

  pickBySizeRatio(maxLevel: number, runs: readonly LevelSortedRun[], candidateCount: number, forcePick: boolean): CompactUnit | null {
    let count = candidateCount;
    let size = 0;
    for (let i = 0; i < count; i++) size += LevelSortedRuns.totalSize(runs[i]!);
    let triggered = forcePick || count > 1;
    for (let i = count; i < runs.length; i++) {
      const next = runs[i]!;
      const nextSize = LevelSortedRuns.totalSize(next);
      // Once triggered, runs of level ≤ 1 are taken along even when larger: leaving a
      // level-1 run behind would force the output below it into level 0.
      if ((size * (100 + this.config.sizeRatio)) / 100 < nextSize && (!triggered || next.level > 1)) break;
      size += nextSize;
      count++;
      triggered = true;
    }
    return triggered ? this.createUnit(runs, maxLevel, count) : null;
  }

  createUnit(runs: readonly LevelSortedRun[], maxLevel: number, runCount: number): CompactUnit {
    let count = runCount;
    let outputLevel = count === runs.length ? maxLevel : Math.max(0, runs[count]!.level - 1);
    if (outputLevel === 0) {
      // Never output level 0: take runs until one above level 0, and output at its level.
      for (let i = count; i < runs.length; i++) {
        const next = runs[i]!;
        count++;
        if (next.level !== 0) {
          outputLevel = next.level;
          break;
        }
      }
    }
    if (count === runs.length) {
      this.lastFullCompactionMs = this.clock();
      outputLevel = maxLevel;
    }
    return CompactUnits.fromLevelRuns(outputLevel, runs.slice(0, count));
  }

  private full(maxLevel: number, runs: readonly LevelSortedRun[]): CompactUnit {
    this.lastFullCompactionMs = this.clock();
    return CompactUnits.fromLevelRuns(maxLevel, runs);
  }
}
