import { describe, expect, it } from "vitest";
import type { DataFileMeta } from "@streamhouse/format";
import { EMPTY_SIMPLE_STATS, encodeBinaryRow, DataTypes } from "@streamhouse/format";
import { pickAppendCompaction, pickAppendFullCompaction } from "../src/compact/append-compaction.js";
import type { LevelSortedRun } from "../src/compact/compact-unit.js";
import { planCompactTask } from "../src/compact/compact-task-plan.js";
import { pickFullCompaction } from "../src/compact/full-compaction.js";
import { intervalPartition } from "../src/compact/interval-partition.js";
import { Levels } from "../src/compact/levels.js";
import { UniversalCompaction, type UniversalCompactionConfig } from "../src/compact/universal-compaction.js";
import { keyBytesComparator } from "../src/write/conflict-check.js";

const INT = [DataTypes.INT(false)];
const key = (k: number) => encodeBinaryRow(INT, [k]);
const compareKeys = keyBytesComparator({
  version: 3,
  id: 0,
  fields: [DataTypes.FIELD(0, "k", DataTypes.INT(false))],
  highestFieldId: 0,
  partitionKeys: [],
  primaryKeys: ["k"],
  options: {},
  comment: null,
  timeMillis: 0,
})!;

let n = 0;
function file(level: number, size: number, opts: { min?: number; max?: number; seq?: number; deletes?: bigint | null } = {}): DataFileMeta {
  const seq = BigInt(opts.seq ?? n);
  return {
    fileName: `f${n++}`,
    fileSize: BigInt(size),
    rowCount: 1n,
    minKey: key(opts.min ?? 0),
    maxKey: key(opts.max ?? 100),
    keyStats: EMPTY_SIMPLE_STATS,
    valueStats: EMPTY_SIMPLE_STATS,
    minSequenceNumber: seq,
    maxSequenceNumber: seq,
    schemaId: 0n,
    level,
    extraFiles: [],
    creationTime: 0n,
    deleteRowCount: opts.deletes === undefined ? 0n : opts.deletes,
    embeddedIndex: null,
    fileSource: 0,
    valueStatsCols: null,
    externalPath: null,
    firstRowId: null,
    writeCols: null,
  };
}

/** Runs of the given levels and sizes, newest first (level-0 runs one file each). */
function runs(...spec: [level: number, size: number][]): LevelSortedRun[] {
  return spec.map(([level, size]) => ({ level, files: [file(level, size)] }));
}

const shape = (u: { outputLevel: number; files: readonly DataFileMeta[] } | null) => (u === null ? null : { out: u.outputLevel, sizes: u.files.map((f) => Number(f.fileSize)) });

const config = (c: Partial<UniversalCompactionConfig> = {}): UniversalCompactionConfig => ({ maxSizeAmplificationPercent: 200, sizeRatio: 1, numRunCompactionTrigger: 3, ...c });

describe("universal compaction picking", () => {
  it("picks nothing below the trigger", () => {
    const u = new UniversalCompaction(config());
    expect(u.pick(3, runs([0, 1]))).toBeNull();
    expect(u.pick(3, runs([0, 1], [0, 1]))).toBeNull();
  });

  it("compacts everything into the last level when size amplification is too high", () => {
    const u = new UniversalCompaction(config());
    // 1+1 = 2 · 100 > 200 · 0.9? sizes are ints: 10+10 vs last 9 → 2000 > 1800
    expect(shape(u.pick(3, runs([0, 10], [0, 10], [2, 9])))).toEqual({ out: 2, sizes: [10, 10, 9] });
    // not when the last run is big enough
    expect(u.pickForSizeAmp(2, runs([0, 10], [0, 10], [2, 10]))).toBeNull();
  });

  it("grows candidates by size ratio and outputs one level above the next run", () => {
    const u = new UniversalCompaction(config({ numRunCompactionTrigger: 3 }));
    // 1, 1 (sum 2 ≥ 2 → take), then 100 is far bigger: stop; output = level of next run - 1
    expect(shape(u.pick(5, runs([0, 1], [0, 1], [0, 2], [4, 100])))).toEqual({ out: 3, sizes: [1, 1, 2] });
    // the size-ratio percentage lets a slightly bigger run in
    const loose = new UniversalCompaction(config({ sizeRatio: 50, maxSizeAmplificationPercent: 10_000 }));
    expect(shape(loose.pick(5, runs([0, 10], [0, 14], [3, 40], [4, 1000])))).toEqual({ out: 2, sizes: [10, 14] });
  });

  it("never outputs level 0: takes runs up to the first one above level 0", () => {
    const u = new UniversalCompaction(config());
    // candidates 10, 1 stop before 100 (level 0) — output would be level -1 → 0; take until level 2
    const unit = u.createUnit(runs([0, 10], [0, 1], [0, 100], [2, 5], [4, 1000]), 4, 2);
    expect(shape(unit)).toEqual({ out: 2, sizes: [10, 1, 100, 5] });
    // taking every run means the last level
    expect(shape(u.createUnit(runs([0, 10], [0, 1], [0, 100]), 4, 2))).toEqual({ out: 4, sizes: [10, 1, 100] });
  });

  it("picks by run count when there are more runs than the trigger", () => {
    const u = new UniversalCompaction(config({ numRunCompactionTrigger: 2, maxSizeAmplificationPercent: 1_000_000, sizeRatio: 0 }));
    // sizes grow fast, so size ratio takes nothing; 4 runs > 2 → the 3 newest, output below the 4th
    expect(shape(u.pick(6, runs([0, 1], [1, 10], [2, 100], [5, 1000])))).toEqual({ out: 4, sizes: [1, 10, 100] });
  });

  it("runs early full compaction by total size, incremental size and interval", () => {
    expect(shape(new UniversalCompaction(config({ totalSizeThreshold: 100 })).pick(3, runs([0, 1], [2, 50])))).toEqual({ out: 2, sizes: [1, 50] });
    expect(new UniversalCompaction(config({ totalSizeThreshold: 10 })).pick(3, runs([0, 1], [2, 50]))).toBeNull();
    expect(shape(new UniversalCompaction(config({ incrementalSizeThreshold: 5 })).pick(3, runs([0, 3], [1, 3], [2, 50])))).toEqual({ out: 2, sizes: [3, 3, 50] });
    let now = 0;
    const u = new UniversalCompaction(config({ fullCompactionIntervalMs: 1000 }), () => now);
    expect(shape(u.pick(3, runs([0, 1], [2, 50])))).toEqual({ out: 2, sizes: [1, 50] });
    now = 500;
    expect(u.pick(3, runs([0, 1], [2, 50]))).toBeNull();
    now = 1501;
    expect(u.pick(3, runs([0, 1], [2, 50]))).not.toBeNull();
    // a single run is never fully compacted early
    expect(u.pick(3, runs([2, 50]))).toBeNull();
  });

  it("forces level-0 runs up (lookup producers and deletion vectors)", () => {
    const u = new UniversalCompaction(config({ numRunCompactionTrigger: 10 }));
    expect(u.pick(4, runs([0, 1], [3, 100]))).toBeNull();
    expect(shape(u.forcePickLevel0(4, runs([0, 1], [0, 1], [3, 100])))).toEqual({ out: 2, sizes: [1, 1] });
    expect(u.forcePickLevel0(4, runs([3, 100]))).toBeNull();
  });
});

describe("full compaction picking", () => {
  it("takes every run into the last level, unless it is one last-level run", () => {
    expect(shape(pickFullCompaction(3, runs([0, 1], [1, 2])))).toEqual({ out: 2, sizes: [1, 2] });
    expect(pickFullCompaction(3, runs([2, 5]))).toBeNull();
    expect(pickFullCompaction(3, [])).toBeNull();
    const r = runs([2, 5]);
    expect(shape(pickFullCompaction(3, r, () => true))).toEqual({ out: 2, sizes: [5] });
  });
});

describe("levels and sections", () => {
  it("lists level 0 newest first, then one run per level", () => {
    const a = file(0, 1, { seq: 5 });
    const b = file(0, 1, { seq: 9 });
    const c = file(2, 1, { min: 50, max: 60 });
    const d = file(2, 1, { min: 0, max: 10 });
    const levels = new Levels(compareKeys, [a, b, c, d], 3);
    expect(levels.levelSortedRuns().map((r) => [r.level, r.files.map((f) => f.fileName)])).toEqual([
      [0, [b.fileName]],
      [0, [a.fileName]],
      [2, [d.fileName, c.fileName]],
    ]);
    expect(levels.numberOfSortedRuns()).toBe(3);
    expect(levels.nonEmptyHighestLevel()).toBe(2);
    levels.update([a, b], [file(1, 1)]);
    expect(levels.levelSortedRuns().map((r) => r.level)).toEqual([1, 2]);
  });

  it("splits overlapping files into sections of sorted runs", () => {
    const f1 = file(0, 1, { min: 0, max: 10 });
    const f2 = file(1, 1, { min: 5, max: 20 });
    const f3 = file(1, 1, { min: 21, max: 30 });
    const f4 = file(1, 1, { min: 40, max: 50 });
    const sections = intervalPartition([f4, f3, f2, f1], compareKeys);
    expect(sections.map((s) => s.map((r) => r.map((f) => f.fileName)))).toEqual([[[f1.fileName], [f2.fileName]], [[f3.fileName]], [[f4.fileName]]]);
  });

  it("plans upgrades for big non-overlapping files and rewrites for the rest", () => {
    const small = file(0, 10, { min: 0, max: 10 });
    const big = file(0, 1000, { min: 20, max: 30 });
    const withDeletes = file(1, 1000, { min: 40, max: 50, deletes: 3n });
    const sections = intervalPartition([small, big, withDeletes], compareKeys);
    const steps = planCompactTask({ sections, outputLevel: 2, maxLevel: 2, dropDelete: true, minFileSize: 100 });
    expect(steps.map((s) => (s.kind === "upgrade" ? `up ${s.file.fileName}` : `rw ${s.sections.flat(2).map((f) => f.fileName)}`))).toEqual([
      `up ${small.fileName}`,
      `up ${big.fileName}`,
      `rw ${withDeletes.fileName}`,
    ]);
    // level-0 files that need a lookup are rewritten, never upgraded
    const forced = planCompactTask({ sections, outputLevel: 1, maxLevel: 2, dropDelete: false, minFileSize: 100, mustRewrite: (f) => f.level === 0 });
    expect(forced.map((s) => s.kind)).toEqual(["rewrite", "rewrite"]);
  });
});

describe("append compaction picking", () => {
  const cfg = { targetFileSize: 100, minFileNum: 3, maxFileNum: 5 };
  it("slides a window until enough small files reach the target size", () => {
    const fs = [10, 10, 200, 40, 40, 40].map((s, i) => file(0, s, { seq: i }));
    expect(pickAppendCompaction(fs, cfg)?.map((f) => Number(f.fileSize))).toEqual([40, 40, 40]);
    expect(pickAppendCompaction(fs.slice(0, 2), cfg)).toBeNull();
    expect(pickAppendCompaction([1, 1, 1, 1, 1].map((s, i) => file(0, s, { seq: i })), cfg)?.length).toBe(5);
    expect(pickAppendFullCompaction(fs, 100)?.map((f) => Number(f.fileSize))).toEqual([10, 10, 200, 40, 40, 40]);
    expect(pickAppendFullCompaction([file(0, 500, { seq: 1 }), file(0, 5, { seq: 2 })], 100)).toBeNull();
  });
});
