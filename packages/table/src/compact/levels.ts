/**
 * The files of one bucket's LSM tree as the compactor tracks them (Paimon's `Levels`,
 * release 2.0.0): level 0 ordered newest first (descending max sequence number, then
 * file name), every level ≥ 1 a non-overlapping run ordered by min key. Compaction
 * results replace their inputs with `update`; nothing here does IO.
 */
import type { DataFileMeta } from "@streamhouse/format";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { KeyBytesComparator } from "../scan/data-split.js";
import type { LevelSortedRun } from "./compact-unit.js";

export class Levels {
  private level0: DataFileMeta[] = [];
  private readonly higher: DataFileMeta[][];

  constructor(
    private readonly compareKeys: KeyBytesComparator,
    files: readonly DataFileMeta[],
    readonly numberOfLevels: number,
  ) {
    if (numberOfLevels < 2) throw new StreamhouseError(ErrorKind.InvalidArgument, `num-levels must be at least 2, got ${numberOfLevels}`);
    const maxFileLevel = files.reduce((m, f) => Math.max(m, f.level), 0);
    // A table written with more levels than configured keeps its levels (Java does the same).
    this.higher = Array.from({ length: Math.max(numberOfLevels, maxFileLevel + 1) - 1 }, () => []);
    this.add(files);
  }

  get maxLevel(): number {
    return this.higher.length;
  }

  /** Files of one level (level 0 newest first). */
  filesOf(level: number): readonly DataFileMeta[] {
    return level === 0 ? this.level0 : (this.higher[level - 1] ?? []);
  }

  allFiles(): DataFileMeta[] {
    return [...this.level0, ...this.higher.flat()];
  }

  add(files: readonly DataFileMeta[]): void {
    const touched = new Set<number>();
    for (const f of files) {
      if (f.level === 0) this.level0.push(f);
      else {
        if (f.level > this.maxLevel) throw new StreamhouseError(ErrorKind.DataInvalid, `file ${f.fileName} has level ${f.level} above the highest level ${this.maxLevel}`);
        this.higher[f.level - 1]!.push(f);
      }
      touched.add(f.level);
    }
    if (touched.has(0)) this.level0.sort(newestFirst);
    for (const l of touched) if (l > 0) this.higher[l - 1]!.sort((a, b) => this.compareKeys(a.minKey, b.minKey));
  }

  /** Replaces a compaction's inputs with its outputs (files matched by name and level). */
  update(before: readonly DataFileMeta[], after: readonly DataFileMeta[]): void {
    const gone = new Set(before.map((f) => `${f.level}|${f.fileName}`));
    const keep = (f: DataFileMeta) => !gone.has(`${f.level}|${f.fileName}`);
    this.level0 = this.level0.filter(keep);
    for (let i = 0; i < this.higher.length; i++) this.higher[i] = this.higher[i]!.filter(keep);
    this.add(after);
  }

  /** Sorted runs, newest first. */
  levelSortedRuns(): LevelSortedRun[] {
    const runs: LevelSortedRun[] = this.level0.map((f) => ({ level: 0, files: [f] }));
    this.higher.forEach((files, i) => {
      if (files.length > 0) runs.push({ level: i + 1, files: [...files] });
    });
    return runs;
  }

  numberOfSortedRuns(): number {
    let n = this.level0.length;
    for (const l of this.higher) if (l.length > 0) n++;
    return n;
  }

  /** The highest level holding a file, or -1 when the tree is empty. */
  nonEmptyHighestLevel(): number {
    for (let i = this.higher.length - 1; i >= 0; i--) if (this.higher[i]!.length > 0) return i + 1;
    return this.level0.length > 0 ? 0 : -1;
  }
}

function newestFirst(a: DataFileMeta, b: DataFileMeta): number {
  if (a.maxSequenceNumber !== b.maxSequenceNumber) return a.maxSequenceNumber > b.maxSequenceNumber ? -1 : 1;
  return a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
}
