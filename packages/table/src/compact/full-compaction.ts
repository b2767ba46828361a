/**
 * Picking a full compaction (Paimon's `CompactStrategy.pickFullCompaction`, release
 * 2.0.0) — pure: every run into the last level. A tree that is already one run in the
 * last level is left alone, except for files that must be rewritten anyway: those
 * with deleted rows in a deletion vector (rewriting drops the rows and the vector).
 */
import type { DataFileMeta } from "@streamhouse/format";
import type { CompactUnit, LevelSortedRun } from "./compact-unit.js";
import { CompactUnits } from "./compact-unit.js";

export function pickFullCompaction(
  numLevels: number,
  runs: readonly LevelSortedRun[],
  /** Whether a file has a deletion vector (files of a single last-level run are then rewritten). */
  hasDeletionVector: (file: DataFileMeta) => boolean = () => false,
): CompactUnit | null {
  const maxLevel = numLevels - 1;
  if (runs.length === 0) return null;
  if (runs.length === 1 && runs[0]!.level === maxLevel) {
    const files = runs[0]!.files.filter(hasDeletionVector);
    return files.length === 0 ? null : { outputLevel: maxLevel, files };
  }
  return CompactUnits.fromLevelRuns(maxLevel, runs);
}
