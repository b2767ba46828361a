/**
 * What one compaction of a unit does, file by file (Paimon's `MergeTreeCompactTask.doCompact`,
 * release 2.0.0) — pure. Sections where files overlap are rewritten (merged); a section
 * that is a single run keeps its large files by *upgrading* them (same file, new level —
 * no IO) and rewrites the small ones together with neighbouring rewrites. Order is kept:
 * a rewrite never skips over a file, or key order across outputs would break.
 *
 * Upgrading is not allowed when it would hide something: a file with retractions cannot
 * go to the last level as is (they must be dropped there), and `mustRewrite` files (level-0
 * files when changelog or deletion vectors need a lookup for every record) are rewritten
 * alone instead.
 */
import type { DataFileMeta } from "@streamhouse/format";
import type { Section } from "./interval-partition.js";

export type CompactStep =
  | { readonly kind: "rewrite"; readonly sections: readonly Section[]; readonly dropDelete: boolean }
  | { readonly kind: "upgrade"; readonly file: DataFileMeta };

export interface CompactTaskPlanInput {
  readonly sections: readonly Section[];
  readonly outputLevel: number;
  readonly maxLevel: number;
  readonly dropDelete: boolean;
  /** Files below this size are merged with their neighbours rather than upgraded. */
  readonly minFileSize: number;
  readonly mustRewrite?: (file: DataFileMeta) => boolean;
}

export function planCompactTask(input: CompactTaskPlanInput): CompactStep[] {
  const { outputLevel, maxLevel, dropDelete, minFileSize } = input;
  const mustRewrite = input.mustRewrite ?? (() => false);
  const steps: CompactStep[] = [];
  let candidate: Section[] = [];

  const upgrade = (file: DataFileMeta): void => {
    if (file.level === outputLevel) return;
    const noDeletes = file.deleteRowCount !== null && file.deleteRowCount === 0n;
    if (!mustRewrite(file) && (outputLevel !== maxLevel || noDeletes)) steps.push({ kind: "upgrade", file });
    else steps.push({ kind: "rewrite", sections: [[[file]]], dropDelete: outputLevel === maxLevel ? true : dropDelete });
  };
  const flush = (): void => {
    if (candidate.length === 0) return;
    if (candidate.length === 1 && candidate[0]!.length === 1) {
      for (const f of candidate[0]![0]!) upgrade(f);
    } else {
      steps.push({ kind: "rewrite", sections: candidate, dropDelete });
    }
    candidate = [];
  };

  for (const section of input.sections) {
    if (section.length > 1) {
      candidate.push(section);
      continue;
    }
    for (const file of section[0] ?? []) {
      if (Number(file.fileSize) < minFileSize) {
        candidate.push([[file]]);
      } else {
        flush();
        upgrade(file);
      }
    }
  }
  flush();
  return steps;
}
