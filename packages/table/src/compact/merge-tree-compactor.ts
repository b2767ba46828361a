/**
 * Compaction of one partition-bucket of a primary-key table (Paimon's
 * `MergeTreeCompactManager` with `MergeTreeCompactTask`, release 2.0.0) — the `Compactor`
 * a `MergeTreeWriter` calls.
 *
 * It keeps the bucket's LSM tree (levels.ts). After every flush it asks the planner for a
 * unit (universal-compaction.ts; with a lookup changelog producer, deletion vectors or the
 * first-row engine every level-0 file is forced up as well, so that each commit makes new
 * data visible and produces its changelog) and runs at most one compaction at a time, in
 * the background on a shared CompactionExecutor. Writes wait while the tree has more than
 * `num-sorted-run.stop-trigger` runs; a commit waits when the table needs lookups
 * (`lookup-wait`), when a full compaction is asked for, or when runs exceed the stop
 * trigger by more than one.
 *
 * A finished compaction updates the tree, the lookup cache and the deletion vectors, and
 * its files accumulate until the next prepareCommit: compactBefore / compactAfter /
 * changelog files, and the new deletion-vector index file. A file written and compacted
 * again before any commit saw it is deleted at once (it was never visible).
 */
import type { DataFileMeta } from "@streamhouse/format";
import { ErrorKind, parseBoolean, StreamhouseError } from "@streamhouse/format";
import { createKeyComparator } from "../merge/record-comparator.js";
import type { DataFileReader } from "../read/data-file-reader.js";
import type { KeyBytesComparator } from "../scan/data-split.js";
import type { CompactIncrement } from "../write/commit-message.js";
import { EMPTY_COMPACT_INCREMENT } from "../write/commit-message.js";
import type { Compactor, CompactorCommitOptions } from "../write/compactor.js";
import { keyBytesComparator } from "../write/conflict-check.js";
import { DataFilePathFactory } from "../write/data-file-path-factory.js";
import type { BucketLocation, WriterContext } from "../write/writer-context.js";
import type { CompactUnit } from "./compact-unit.js";
import { planCompactTask } from "./compact-task-plan.js";
import { CompactionExecutor } from "./compaction-executor.js";
import type { DeletionVectorsMaintainer } from "./deletion-vectors-maintainer.js";
import { pickFullCompaction } from "./full-compaction.js";
import { intervalPartition } from "./interval-partition.js";
import { Levels } from "./levels.js";
import { LookupLevels } from "./lookup-levels.js";
import { fileRecordsReader, keyTypesOf, MergeTreeCompactRewriter, type RewriteMode } from "./merge-tree-compact-rewriter.js";
import { UniversalCompaction, universalCompactionConfig } from "./universal-compaction.js";

export interface MergeTreeCompactorOptions {
  readonly ctx: WriterContext;
  readonly location: BucketLocation;
  /** Reads data files of the table (in its current schema). */
  readonly reader: DataFileReader;
  /** The bucket's live files at the snapshot the writer opened. */
  readonly restoredFiles?: readonly DataFileMeta[];
  /** Required with `deletion-vectors.enabled`. */
  readonly deletionVectors?: DeletionVectorsMaintainer | null;
  readonly executor?: CompactionExecutor;
}

interface TaskResult {
  readonly before: DataFileMeta[];
  readonly after: DataFileMeta[];
  readonly changelog: DataFileMeta[];
  readonly deletions: (readonly [string, number])[];
}

export class MergeTreeCompactor implements Compactor {
  readonly levels: Levels;
  private readonly strategy: UniversalCompaction;
  private readonly rewriter: MergeTreeCompactRewriter;
  private readonly lookupLevels: LookupLevels | null;
  private readonly dv: DeletionVectorsMaintainer | null;
  private readonly executor: CompactionExecutor;
  private readonly compareKeys: KeyBytesComparator;
  private readonly mode: RewriteMode;
  private readonly forceLevel0: boolean;
  /** Commits wait for compaction (`lookup-wait`, on by default where lookups are needed). */
  readonly waitForCompaction: boolean;
  private task: Promise<void> | null = null;
  private failure: unknown = null;
  private compactBefore: DataFileMeta[] = [];
  private compactAfter: DataFileMeta[] = [];
  private changelog: DataFileMeta[] = [];
  private readonly stopTrigger: number;
  private readonly minFileSize: number;
  /** Compactions finished (for tests and metrics). */
  completed = 0;

  constructor(private readonly options: MergeTreeCompactorOptions) {
    const { ctx, location } = options;
    const core = ctx.options;
    const compare = keyBytesComparator(ctx.schema);
    if (compare === null) throw new StreamhouseError(ErrorKind.InvalidArgument, "MergeTreeCompactor needs a primary-key table");
    this.compareKeys = compare;
    this.levels = new Levels(compare, options.restoredFiles ?? [], core.numLevels());
    this.strategy = new UniversalCompaction(universalCompactionConfig(core), ctx.clock);
    this.executor = options.executor ?? new CompactionExecutor();
    this.stopTrigger = core.numSortedRunStopTrigger();
    this.minFileSize = Math.floor((core.targetFileSize(true) * 7) / 10);
    this.dv = core.deletionVectorsEnabled() ? (options.deletionVectors ?? null) : null;
    if (core.deletionVectorsEnabled() && this.dv === null) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, "deletion-vectors.enabled needs the bucket's deletion vectors");
    }
    const producer = core.changelogProducer();
    const lookup = producer === "lookup" || this.dv !== null;
    const dv = this.dv;
    const read = fileRecordsReader(options.reader, location, (name) => dv?.deletionVectorOf(name) ?? null);
    this.rewriter = new MergeTreeCompactRewriter(ctx, location, read);
    if (lookup) {
      const keyTypes = keyTypesOf(ctx);
      const all = fileRecordsReader(options.reader, location, () => null);
      this.lookupLevels = new LookupLevels(this.levels, {
        keyTypes,
        keyComparator: createKeyComparator(keyTypes),
        load: all,
        ...(dv !== null ? { deletionVector: (name: string) => dv.deletionVectorOf(name) } : {}),
      });
      const rowDedup = core.get("changelog-producer.row-deduplicate");
      this.mode = {
        kind: "lookup",
        lookupLevels: this.lookupLevels,
        produceChangelog: producer === "lookup",
        markDeleted: dv !== null,
        rowDeduplicate: rowDedup !== undefined && parseBoolean(rowDedup, "changelog-producer.row-deduplicate"),
      };
    } else {
      this.lookupLevels = null;
      this.mode = producer === "full-compaction" ? { kind: "full-changelog", maxLevel: this.levels.maxLevel } : { kind: "plain" };
    }
    this.forceLevel0 = lookup || core.mergeEngine() === "first-row";
    const wait = core.get("lookup-wait");
    this.waitForCompaction = this.forceLevel0 && (wait === undefined || parseBoolean(wait, "lookup-wait"));
  }

  addFiles(files: readonly DataFileMeta[]): void {
    this.levels.add(files);
  }

  async afterFlush(): Promise<void> {
    this.throwIfFailed();
    await this.trigger(false);
    // Back-pressure: the writer waits until compaction brings the runs under the stop trigger.
    while (this.levels.numberOfSortedRuns() > this.stopTrigger) {
      if (this.task === null && !(await this.trigger(false))) break;
      await this.awaitTask();
    }
  }

  async prepareCommit(options: CompactorCommitOptions = {}): Promise<CompactIncrement> {
    this.throwIfFailed();
    if (options.fullCompaction === true) {
      await this.awaitTask();
      await this.trigger(true);
      await this.awaitTask();
    } else if (options.waitCompaction === true || this.waitForCompaction) {
      // Compact until no level-0 file is left (new ones may have come while one ran).
      for (let i = 0; i < 3; i++) {
        await this.awaitTask();
        if (!(await this.trigger(false))) break;
      }
      await this.awaitTask();
    } else {
      await this.trigger(false);
      if (this.levels.numberOfSortedRuns() > this.stopTrigger + 1) await this.awaitTask();
    }
    return this.drain();
  }

  /** Waits for the running compaction, if any (its failure is thrown). */
  async awaitTask(): Promise<void> {
    while (this.task !== null) await this.task;
    this.throwIfFailed();
  }

  /**
   * Waits for the running compaction, then deletes what compaction wrote that no commit
   * took (as Java's `MergeTreeWriter.close` does): outputs and changelog files, but not
   * upgraded files — those are the inputs under a new level.
   */
  async close(): Promise<void> {
    try {
      while (this.task !== null) await this.task;
    } finally {
      this.lookupLevels?.clear();
    }
    const inputs = new Set(this.compactBefore.map((f) => f.fileName));
    const orphans = [...this.compactAfter.filter((f) => !inputs.has(f.fileName)), ...this.changelog];
    this.compactBefore = [];
    this.compactAfter = [];
    this.changelog = [];
    await this.deleteQuietly(orphans);
  }

  private async deleteQuietly(files: readonly DataFileMeta[]): Promise<void> {
    const { ctx, location } = this.options;
    const dir = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket).bucketDir;
    for (const f of files) {
      try {
        await ctx.io.delete(f.externalPath ?? `${dir}/${f.fileName}`);
      } catch {
        // an orphan: harmless, and orphan cleaning removes it
      }
    }
  }

  /** Starts a compaction if none runs and the planner picks one; true when one was started. */
  private async trigger(full: boolean): Promise<boolean> {
    if (this.task !== null) return false;
    const unit = this.pick(full);
    if (unit === null) return false;
    const highest = this.levels.nonEmptyHighestLevel();
    const dropDelete = unit.outputLevel !== 0 && (unit.outputLevel >= highest || this.dv !== null);
    const queued = this.executor.submit(() => this.run(unit, dropDelete));
    // The task slot is taken before awaiting the queue, so no second task can start.
    const slot = queued.then(({ done }) => done).then(
      (result) => this.apply(result),
      (e: unknown) => {
        this.failure = e;
      },
    );
    this.task = slot.finally(() => {
      this.task = null;
    });
    return true;
  }

  private pick(full: boolean): CompactUnit | null {
    const runs = this.levels.levelSortedRuns();
    const numLevels = this.levels.maxLevel + 1;
    if (full) return pickFullCompaction(numLevels, runs, (f) => this.dv?.hasDeletionVector(f.fileName) ?? false);
    const unit = this.strategy.pick(numLevels, runs) ?? (this.forceLevel0 ? this.strategy.forcePickLevel0(numLevels, runs) : null);
    if (unit === null || unit.files.length === 0) return null;
    if (unit.files.length === 1 && unit.files[0]!.level === unit.outputLevel) return null;
    return unit;
  }

  private async run(unit: CompactUnit, dropDelete: boolean): Promise<TaskResult> {
    const maxLevel = this.levels.maxLevel;
    const mode = this.mode;
    const steps = planCompactTask({
      sections: intervalPartition(unit.files, this.compareKeys),
      outputLevel: unit.outputLevel,
      maxLevel,
      dropDelete,
      minFileSize: this.minFileSize,
      mustRewrite: (f) => (mode.kind === "lookup" && f.level === 0) || (mode.kind === "full-changelog" && unit.outputLevel === maxLevel),
    });
    const result: TaskResult = { before: [], after: [], changelog: [], deletions: [] };
    for (const step of steps) {
      if (step.kind === "upgrade") {
        result.before.push(step.file);
        result.after.push(this.rewriter.upgrade(step.file, unit.outputLevel));
      } else {
        for (const section of step.sections) for (const run of section) result.before.push(...run);
        const r = await this.rewriter.rewrite(unit.outputLevel, step.dropDelete, step.sections, mode);
        result.after.push(...r.after);
        result.changelog.push(...r.changelog);
        result.deletions.push(...r.deletions);
      }
    }
    return result;
  }

  /** Applies a finished compaction (synchronously: nothing else runs in between). */
  private async apply(r: TaskResult): Promise<void> {
    this.levels.update(r.before, r.after);
    const afterNames = new Set(r.after.map((f) => f.fileName));
    for (const f of r.before) {
      if (afterNames.has(f.fileName)) continue;
      this.lookupLevels?.dropFile(f.fileName);
      this.dv?.removeDeletionVectorOf(f.fileName);
    }
    for (const [name, position] of r.deletions) this.dv?.notifyNewDeletion(name, position);
    const beforeNames = new Set(this.compactBefore.map((f) => f.fileName));
    const intermediates: DataFileMeta[] = [];
    for (const f of r.before) {
      const i = this.compactAfter.findIndex((a) => a.fileName === f.fileName && a.level === f.level);
      if (i >= 0) {
        // Written by an earlier compaction of this checkpoint: never committed, so it can go.
        this.compactAfter.splice(i, 1);
        if (!beforeNames.has(f.fileName) && !afterNames.has(f.fileName)) intermediates.push(f);
      } else {
        this.compactBefore.push(f);
      }
    }
    this.compactAfter.push(...r.after);
    this.changelog.push(...r.changelog);
    this.completed++;
    await this.deleteQuietly(intermediates);
  }

  private async drain(): Promise<CompactIncrement> {
    const index = this.dv === null ? { newIndexFiles: [], deletedIndexFiles: [] } : await this.dv.prepareCommit();
    if (this.compactBefore.length + this.compactAfter.length + this.changelog.length + index.newIndexFiles.length + index.deletedIndexFiles.length === 0) {
      return EMPTY_COMPACT_INCREMENT;
    }
    const out: CompactIncrement = {
      compactBefore: this.compactBefore,
      compactAfter: this.compactAfter,
      changelogFiles: this.changelog,
      newIndexFiles: index.newIndexFiles,
      deletedIndexFiles: index.deletedIndexFiles,
    };
    this.compactBefore = [];
    this.compactAfter = [];
    this.changelog = [];
    return out;
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    const e = this.failure;
    this.failure = null;
    throw e instanceof StreamhouseError ? e : new StreamhouseError(ErrorKind.Io, "compaction failed", { cause: e });
  }
}
