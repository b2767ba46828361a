/**
 * What a compaction planner works on and what it decides (Paimon's `LevelSortedRun`,
 * `SortedRun` and `CompactUnit`, release 2.0.0) — plain data, no IO.
 *
 * A bucket's LSM tree is listed as sorted runs, newest first: every level-0 file is a
 * run of its own (by descending max sequence number), then one run per non-empty level
 * ≥ 1. A unit names the files to compact together and the level their output goes to.
 */
import type { DataFileMeta } from "@streamhouse/format";

export interface LevelSortedRun {
  readonly level: number;
  /** Files of the run; a level-0 run has exactly one, a higher run is ordered by min key. */
  readonly files: readonly DataFileMeta[];
}

export interface CompactUnit {
  readonly outputLevel: number;
  /** Every file of the picked runs, in run order. */
  readonly files: readonly DataFileMeta[];
}

export const LevelSortedRuns = {
  /** Bytes of a run (what the universal planner compares). */
  totalSize(run: LevelSortedRun): number {
    let n = 0;
    for (const f of run.files) n += Number(f.fileSize);
    return n;
  },
} as const;

export const CompactUnits = {
  fromLevelRuns(outputLevel: number, runs: readonly LevelSortedRun[]): CompactUnit {
    return { outputLevel, files: runs.flatMap((r) => r.files) };
  },
} as const;
