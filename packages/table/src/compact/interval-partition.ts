/**
 * Splitting a compaction's files into key-disjoint sections, each a minimal list of
 * sorted runs (Paimon's `IntervalPartition`, release 2.0.0) — pure. Files are taken by
 * min key (then max key); a section ends where the next file starts after every key
 * seen so far; inside a section a file joins the run that ended earliest if it starts
 * after that run's end, else opens a new run. Sections come out in key order.
 */
import type { DataFileMeta } from "@streamhouse/format";
import type { KeyBytesComparator } from "../scan/data-split.js";

/** A section: runs of non-overlapping files, each run ordered by key. */
export type Section = DataFileMeta[][];

export function intervalPartition(files: readonly DataFileMeta[], compareKeys: KeyBytesComparator): Section[] {
  const sorted = [...files].sort((a, b) => compareKeys(a.minKey, b.minKey) || compareKeys(a.maxKey, b.maxKey));
  const sections: Section[] = [];
  let current: DataFileMeta[] = [];
  let bound: Uint8Array | null = null;
  for (const f of sorted) {
    if (bound !== null && compareKeys(f.minKey, bound) > 0) {
      sections.push(partitionSection(current, compareKeys));
      current = [];
      bound = null;
    }
    current.push(f);
    if (bound === null || compareKeys(f.maxKey, bound) > 0) bound = f.maxKey;
  }
  if (current.length > 0) sections.push(partitionSection(current, compareKeys));
  return sections;
}

function partitionSection(files: readonly DataFileMeta[], compareKeys: KeyBytesComparator): Section {
  const runs: DataFileMeta[][] = [];
  for (const f of files) {
    // The run whose last file ends first (sections are small: a linear scan is enough).
    let best = -1;
    for (let i = 0; i < runs.length; i++) {
      const last = runs[i]![runs[i]!.length - 1]!;
      if (best < 0 || compareKeys(last.maxKey, runs[best]![runs[best]!.length - 1]!.maxKey) < 0) best = i;
    }
    if (best >= 0 && compareKeys(f.minKey, runs[best]![runs[best]!.length - 1]!.maxKey) > 0) runs[best]!.push(f);
    else runs.push([f]);
  }
  return runs;
}
