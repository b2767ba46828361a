/**
 * Commits the files writers produced as new snapshots of a table, exactly once
 * (Paimon's `FileStoreCommitImpl`, release 2.0.0; see docs/format-spec.md §12).
 *
 * One attempt: read the latest snapshot → compute this attempt's changes against it
 * (an overwrite deletes what is live *now*) → conflict check → merge the previous
 * manifests into a new base list, write the delta and changelog manifests and lists
 * and, if index files changed, a new index manifest → create `snapshot-(latest+1)`
 * with `writeIfAbsent` → write the `LATEST` hint (best effort).
 *
 * When the id is taken the snapshot there is read: if it records this commit (same
 * commit user, identifier and kind — an earlier attempt whose reply was lost) the
 * commit is done; otherwise another committer won the race, this attempt's files are
 * deleted and the commit is retried from the top. Retries — of lost races and of
 * retryable storage errors only — are bounded by `commit.max-retries`, with
 * exponential backoff between `commit.min-retry-wait` and `commit.max-retry-wait`.
 *
 * An error from the snapshot write itself is ambiguous: the file may exist. Such an
 * attempt's files are kept, and every later attempt first looks through the snapshots
 * from that id on for one recording this commit. The same search is remembered across
 * `commit` calls on this instance; across processes, `filterCommitted` drops what a
 * commit user already committed. Together they make a restarted writer's re-commit of
 * its pending committables exactly-once.
 *
 * Conflicts (typed CommitConflict, not retryable) are checked on every attempt
 * against the live files of the partitions the commit touches; see conflict-check.ts.
 */
import { randomUUID } from "node:crypto";
import type { FileIO } from "@streamhouse/fileio";
import {
  BATCH_COMMIT_IDENTIFIER,
  CommitKind,
  type CoreOptions,
  DELETION_VECTORS_INDEX_TYPE,
  DYNAMIC_BUCKET,
  ErrorKind,
  FileKind,
  type IndexManifestEntry,
  type ManifestEntry,
  parseBoolean,
  SNAPSHOT_VERSION,
  type Snapshot,
  StreamhouseError,
  type TableSchema,
  TableSchemas,
} from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { mergeFileEntries } from "../scan/file-entries.js";
import { ManifestReader } from "../scan/manifest-reader.js";
import { TablePaths } from "../table-paths.js";
import { changelogRecordCount, collectChanges, deltaRecordCount } from "./commit-changes.js";
import type { CommitMessage, Committable } from "./commit-message.js";
import { checkConflicts, keyBytesComparator } from "./conflict-check.js";
import { combineIndexEntries } from "./index-manifest-combine.js";
import { mergeManifests } from "./manifest-merge.js";
import { ManifestFileNames, ManifestWriter, manifestCodec } from "./manifest-writer.js";
import { type OverwriteScope, overwriteChanges, overwritePartitionTest, type PartitionTest, upgradeOverwriteFiles } from "./overwrite-changes.js";
import { findCommit, isCommitOf, latestSnapshotOfUser, publishSnapshot, writeLatestHint } from "./snapshot-commit.js";

export interface FileStoreCommitOptions {
  /** Commit time (`timeMillis`), epoch ms. Default Date.now. */
  readonly clock?: () => number;
  /** UUIDs for manifest names and snapshot `uuid`. Default crypto.randomUUID. */
  readonly uuid?: () => string;
  /** Waits between retries. Default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff jitter in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** Sync-marker bytes of the Avro files (tests pass seeded ones). */
  readonly avroRandom?: (into: Uint8Array) => void;
  /** Skip the APPEND snapshot of a committable with no new files (default true, as Java). */
  readonly ignoreEmptyCommit?: boolean;
  /** Held while a snapshot is published, e.g. a catalog's metastore lock (Paimon's CatalogLock). */
  readonly lock?: CommitLock;
}

/** Runs `fn` while no other holder of the same lock runs (structurally @streamhouse/catalog's CommitLock). */
export interface CommitLock {
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export interface CommitOptions {
  /** Snapshot `properties` (omitted when empty). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Used when the committable carries none. */
  readonly watermark?: bigint;
}

/** What one attempt commits, computed against the snapshot it follows. */
interface AttemptChanges {
  readonly tableFiles: readonly ManifestEntry[];
  readonly changelogFiles: readonly ManifestEntry[];
  readonly indexFiles: readonly IndexManifestEntry[];
}

type ChangesProvider = (latest: Snapshot | null, schema: TableSchema) => Promise<AttemptChanges>;

interface CommitRequest {
  readonly kind: CommitKind;
  readonly identifier: bigint;
  readonly changes: ChangesProvider;
  readonly properties: Readonly<Record<string, string>>;
  readonly watermark: bigint | null;
}

/** Per commit (kind + identifier): the first snapshot id an ambiguous attempt may have created. */
interface UncertainState {
  from: number | null;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function isRetryable(e: unknown): boolean {
  return e instanceof StreamhouseError && e.retryable;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class FileStoreCommit {
  readonly io: FileIO;
  readonly tablePath: string;
  readonly options: CoreOptions;
  private readonly manifests: ManifestReader;
  private readonly names: ManifestFileNames;
  private readonly clock: () => number;
  private readonly uuid: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly avroRandom: ((into: Uint8Array) => void) | undefined;
  private readonly ignoreEmptyCommit: boolean;
  private readonly lock: CommitLock | undefined;
  private readonly uncertain = new Map<string, number>();

  constructor(
    readonly table: FileStoreTable,
    readonly commitUser: string,
    options: FileStoreCommitOptions = {},
  ) {
    if (commitUser === "") throw new StreamhouseError(ErrorKind.InvalidArgument, "commitUser must not be empty");
    this.io = table.io;
    this.tablePath = table.path;
    this.options = table.options;
    for (const key of ["row-tracking.enabled", "data-evolution.enabled"]) {
      const v = this.options.get(key);
      if (v !== undefined && parseBoolean(v, key)) throw new StreamhouseError(ErrorKind.Unsupported, `committing to a table with ${key}=true is not supported`, { context: { option: key } });
    }
    this.manifests = new ManifestReader(table.io, table.path);
    this.clock = options.clock ?? Date.now;
    this.uuid = options.uuid ?? randomUUID;
    this.names = new ManifestFileNames(this.uuid);
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.avroRandom = options.avroRandom;
    this.ignoreEmptyCommit = options.ignoreEmptyCommit ?? true;
    this.lock = options.lock;
  }

  /**
   * Drops the committables this commit user already committed: those whose identifier
   * is not above the identifier of the user's latest snapshot. `committables` must be
   * in ascending identifier order (as a writer produces them).
   */
  async filterCommitted(committables: readonly Committable[]): Promise<Committable[]> {
    if (committables.length === 0) return [];
    for (let i = 1; i < committables.length; i++) {
      if (committables[i]!.commitIdentifier <= committables[i - 1]!.commitIdentifier) {
        throw new StreamhouseError(ErrorKind.InvalidArgument, "committables must be sorted by ascending identifier before filtering", {
          context: { identifier: committables[i]!.commitIdentifier },
        });
      }
    }
    const latest = await this.withRetries("find the latest snapshot of the commit user", () => latestSnapshotOfUser(this.table.snapshots, this.commitUser));
    if (latest === null) return [...committables];
    return committables.filter((c) => c.commitIdentifier > latest.commitIdentifier);
  }

  /**
   * Commits each committable in order: an APPEND snapshot of its new files (OVERWRITE
   * when it also deletes files), then a COMPACT snapshot of its compaction results,
   * both with the committable's identifier. Returns the snapshots, in order. After a
   * failure, call `filterCommitted` before committing the same committables again.
   */
  async commit(committables: readonly Committable[], options: CommitOptions = {}): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    for (const c of committables) {
      const changes = collectChanges(c.messages);
      const base = { identifier: c.commitIdentifier, properties: options.properties ?? {}, watermark: c.watermark ?? options.watermark ?? null };
      const appendCount = changes.appendTableFiles.length + changes.appendChangelog.length + changes.appendIndexFiles.length;
      if (!this.ignoreEmptyCommit || appendCount > 0) {
        const deletes =
          changes.appendTableFiles.some((e) => e.kind === FileKind.DELETE) ||
          changes.appendIndexFiles.some((e) => e.indexFile.indexType === DELETION_VECTORS_INDEX_TYPE);
        const attempt: AttemptChanges = { tableFiles: changes.appendTableFiles, changelogFiles: changes.appendChangelog, indexFiles: changes.appendIndexFiles };
        out.push(await this.tryCommit({ ...base, kind: deletes ? CommitKind.OVERWRITE : CommitKind.APPEND, changes: async () => attempt }));
      }
      if (changes.compactTableFiles.length + changes.compactChangelog.length + changes.compactIndexFiles.length > 0) {
        const attempt: AttemptChanges = { tableFiles: changes.compactTableFiles, changelogFiles: changes.compactChangelog, indexFiles: changes.compactIndexFiles };
        out.push(await this.tryCommit({ ...base, kind: CommitKind.COMPACT, changes: async () => attempt }));
      }
    }
    return out;
  }

  /** A batch (non-streaming) commit: identifier `BATCH_COMMIT_IDENTIFIER` (Java's Long.MAX_VALUE). */
  async commitBatch(messages: readonly CommitMessage[], options: CommitOptions = {}): Promise<Snapshot[]> {
    return this.commit([{ commitIdentifier: BATCH_COMMIT_IDENTIFIER, messages }], options);
  }

  /**
   * INSERT OVERWRITE: one OVERWRITE snapshot that deletes every live file of the
   * partitions in `scope` (null: the whole table) and adds the committable's new files,
   * then a COMPACT snapshot if it also carries compaction results. Changelog files are
   * not committed. With a static partition every new file must lie in it; with
   * `"dynamic"` and no new files nothing is overwritten.
   */
  async overwrite(scope: OverwriteScope, committable: Committable, options: CommitOptions = {}): Promise<Snapshot[]> {
    const changes = collectChanges(committable.messages);
    const schema = await this.latestSchema();
    const partitionFields = TableSchemas.partitionFields(schema);
    const test = overwritePartitionTest(scope, partitionFields, changes.appendTableFiles, this.options);
    if (scope !== null && scope !== "dynamic" && test !== null) {
      for (const e of changes.appendTableFiles) {
        if (!test(e.partition)) {
          throw new StreamhouseError(ErrorKind.InvalidArgument, `file ${e.file.fileName} is outside the partition being overwritten`, { context: { file: e.file.fileName } });
        }
      }
    }
    const skip = scope === "dynamic" && partitionFields.length > 0 && changes.appendTableFiles.length === 0;
    const withCompact = changes.compactTableFiles.length + changes.compactIndexFiles.length > 0;
    let newFiles = changes.appendTableFiles;
    const compareKeys = keyBytesComparator(schema);
    const upgrade = parseBoolean(this.options.get("overwrite-upgrade") ?? "true", "overwrite-upgrade");
    if (!withCompact && upgrade && compareKeys !== null) newFiles = upgradeOverwriteFiles(newFiles, compareKeys, this.options.numLevels() - 1);

    const base = { identifier: committable.commitIdentifier, properties: options.properties ?? {}, watermark: committable.watermark ?? options.watermark ?? null };
    const out: Snapshot[] = [];
    if (!skip) {
      const provider: ChangesProvider = async (latest) => {
        if (latest === null) return { tableFiles: newFiles, changelogFiles: [], indexFiles: changes.appendIndexFiles };
        const live = await this.liveEntries(latest, test);
        const liveIndex = latest.indexManifest === null ? [] : await this.manifests.indexManifest(latest.indexManifest);
        return { ...overwriteChanges(live, liveIndex, test, this.options.bucket(), newFiles, changes.appendIndexFiles), changelogFiles: [] };
      };
      out.push(await this.tryCommit({ ...base, kind: CommitKind.OVERWRITE, changes: provider }));
    }
    if (withCompact) {
      const attempt: AttemptChanges = { tableFiles: changes.compactTableFiles, changelogFiles: [], indexFiles: changes.compactIndexFiles };
      out.push(await this.tryCommit({ ...base, kind: CommitKind.COMPACT, changes: async () => attempt }));
    }
    return out;
  }

  // ------------------------------------------------------------------ the retry loop

  private backoffMs(retry: number): number {
    const wait = Math.min(this.options.commitMinRetryWaitMs() * 2 ** retry, this.options.commitMaxRetryWaitMs());
    return wait + Math.floor(this.random() * Math.max(1, wait * 0.2));
  }

  /** Runs `fn` until it succeeds, retrying retryable errors with backoff (read-only work). */
  private async withRetries<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const retriesMax = this.options.commitMaxRetries();
    for (let retry = 0; ; retry++) {
      try {
        return await fn();
      } catch (e) {
        if (!isRetryable(e)) throw e;
        if (retry >= retriesMax) throw this.gaveUp(what, retry, e);
      }
      await this.sleep(this.backoffMs(retry));
    }
  }

  private gaveUp(what: string, retries: number, last: unknown): StreamhouseError {
    const kind = last instanceof StreamhouseError ? last.kind : ErrorKind.Io;
    return new StreamhouseError(kind, `could not ${what} after ${retries} retries`, {
      context: { table: this.tablePath, commitUser: this.commitUser },
      cause: last,
      retryable: true,
    });
  }

  private async tryCommit(request: CommitRequest): Promise<Snapshot> {
    const key = `${request.kind}|${request.identifier}`;
    const uncertain: UncertainState = { from: this.uncertain.get(key) ?? null };
    const retriesMax = this.options.commitMaxRetries();
    for (let retry = 0; ; retry++) {
      let failure: unknown;
      try {
        const done = await this.tryCommitOnce(request, uncertain);
        if (done !== null) {
          this.uncertain.delete(key);
          return done;
        }
        failure = new StreamhouseError(ErrorKind.CommitConflict, "a concurrent commit took the snapshot id", { retryable: true });
      } catch (e) {
        if (uncertain.from !== null) this.uncertain.set(key, uncertain.from);
        if (!isRetryable(e)) throw e;
        failure = e;
      }
      if (uncertain.from !== null) this.uncertain.set(key, uncertain.from);
      if (retry >= retriesMax) throw this.gaveUp(`commit ${request.kind} ${request.identifier}`, retry, failure);
      await this.sleep(this.backoffMs(retry));
    }
  }

  /** The committed snapshot, or null when a concurrent commit won the race. */
  private async tryCommitOnce(request: CommitRequest, uncertain: UncertainState): Promise<Snapshot | null> {
    const snapshots = this.table.snapshots;
    const latest = await snapshots.latestSnapshot();
    if (uncertain.from !== null && latest !== null && latest.id >= uncertain.from) {
      const found = await findCommit(snapshots, uncertain.from, latest.id, this.commitUser, request.identifier, request.kind);
      if (found !== null) return found;
    }
    const schema = await this.latestSchema();
    const changes = await request.changes(latest, schema);
    if (latest !== null) await this.checkConflicts(latest, schema, changes.tableFiles, request.kind);

    const writer = new ManifestWriter(this.io, this.tablePath, this.names, {
      partitionTypes: TableSchemas.partitionFields(schema).map((f) => f.type),
      schemaId: schema.id,
      targetFileSizeBytes: this.options.manifestTargetFileSize(),
      codec: manifestCodec(this.options),
      ...(this.avroRandom ? { random: this.avroRandom } : {}),
    });
    let snapshot: Snapshot;
    try {
      snapshot = await this.prepareSnapshot(request, latest, schema, changes, writer);
    } catch (e) {
      await this.deleteQuietly(writer.created);
      throw e;
    }

    let created: boolean;
    try {
      const publish = () => publishSnapshot(this.io, this.tablePath, snapshot, this.uuid());
      created = await (this.lock === undefined ? publish() : this.lock.runExclusive(publish));
    } catch (e) {
      // The snapshot may exist now: keep its files, and look for it before trying again.
      if (uncertain.from === null || snapshot.id < uncertain.from) uncertain.from = snapshot.id;
      throw e;
    }
    if (created) {
      // Best effort: readers never trust the hint without checking it.
      await writeLatestHint(this.io, this.tablePath, snapshot.id);
      return snapshot;
    }
    await this.deleteQuietly(writer.created);
    const existing = await snapshots.snapshot(snapshot.id);
    return isCommitOf(existing, this.commitUser, request.identifier, request.kind) ? existing : null;
  }

  private async prepareSnapshot(request: CommitRequest, latest: Snapshot | null, schema: TableSchema, changes: AttemptChanges, writer: ManifestWriter): Promise<Snapshot> {
    const m = this.manifests;
    const mergeBefore = latest === null ? [] : [...(await m.manifestList(latest.baseManifestList)), ...(await m.manifestList(latest.deltaManifestList))];
    const mergeAfter = await mergeManifests(
      mergeBefore,
      { read: (name) => m.manifest(name), writer },
      {
        targetFileSizeBytes: this.options.manifestTargetFileSize(),
        mergeMinCount: this.options.manifestMergeMinCount(),
        fullCompactionThresholdBytes: this.options.manifestFullCompactionThresholdSize(),
        partitionTypes: TableSchemas.partitionFields(schema).map((f) => f.type),
      },
    );
    const baseList = await writer.writeManifestList(mergeAfter);
    const deltaList = await writer.writeManifestList(await writer.writeManifests(changes.tableFiles));
    const changelogList = changes.changelogFiles.length === 0 ? null : await writer.writeManifestList(await writer.writeManifests(changes.changelogFiles));

    let indexManifest = latest?.indexManifest ?? null;
    if (changes.indexFiles.length > 0) {
      const previous = indexManifest === null ? [] : await m.indexManifest(indexManifest);
      const bucketUnaware = this.options.bucket() === DYNAMIC_BUCKET && !TableSchemas.isPrimaryKeyTable(schema);
      indexManifest = await writer.writeIndexManifest(combineIndexEntries(previous, changes.indexFiles, bucketUnaware));
    }

    let watermark = request.watermark;
    if (latest?.watermark != null) watermark = watermark === null || latest.watermark > watermark ? latest.watermark : watermark;
    const delta = deltaRecordCount(changes.tableFiles);
    return {
      version: SNAPSHOT_VERSION,
      id: latest === null ? 1 : latest.id + 1,
      schemaId: schema.id,
      baseManifestList: baseList.name,
      baseManifestListSize: baseList.size,
      deltaManifestList: deltaList.name,
      deltaManifestListSize: deltaList.size,
      changelogManifestList: changelogList?.name ?? null,
      changelogManifestListSize: changelogList?.size ?? null,
      indexManifest,
      commitUser: this.commitUser,
      commitIdentifier: request.identifier,
      commitKind: request.kind,
      timeMillis: this.clock(),
      totalRecordCount: (latest?.totalRecordCount ?? 0) + delta,
      deltaRecordCount: delta,
      changelogRecordCount: changelogRecordCount(changes.changelogFiles),
      watermark,
      // Java inherits the statistics file unless the schema changed since it was written;
      // without reading it, a changed snapshot schema stands in for that.
      statistics: latest !== null && latest.schemaId === schema.id ? latest.statistics : null,
      properties: Object.keys(request.properties).length === 0 ? null : { ...request.properties },
      nextRowId: latest?.nextRowId ?? 0,
      extra: {},
    };
  }

  private async checkConflicts(latest: Snapshot, schema: TableSchema, delta: readonly ManifestEntry[], kind: CommitKind): Promise<void> {
    const changed = new Set(delta.map((e) => hex(e.partition)));
    if (changed.size === 0) return;
    const base = await this.liveEntries(latest, (p) => changed.has(hex(p)));
    checkConflicts({ base, delta, commitKind: kind, compareKeys: keyBytesComparator(schema), baseSnapshotId: latest.id, baseCommitUser: latest.commitUser });
  }

  /** The live data files of `snapshot` in the partitions `test` accepts. */
  private async liveEntries(snapshot: Snapshot, test: PartitionTest): Promise<ManifestEntry[]> {
    const entries: ManifestEntry[] = [];
    for (const list of [snapshot.baseManifestList, snapshot.deltaManifestList]) {
      for (const meta of await this.manifests.manifestList(list)) {
        for (const e of await this.manifests.manifest(meta.fileName)) if (test === null || test(e.partition)) entries.push(e);
      }
    }
    return mergeFileEntries(entries, { snapshotId: snapshot.id });
  }

  private async latestSchema(): Promise<TableSchema> {
    const schema = await this.table.schemas.latest();
    if (schema === null) throw new StreamhouseError(ErrorKind.NotFound, `no schema in ${this.tablePath}`, { context: { table: this.tablePath } });
    return schema;
  }

  /** Deletes files of an attempt known not to be published; failures leave orphans, which orphan cleaning removes. */
  private async deleteQuietly(names: readonly string[]): Promise<void> {
    for (const name of names) {
      try {
        await this.io.delete(TablePaths.manifest(this.tablePath, name));
      } catch {
        // an orphan file is harmless; the commit's own error is the one to report
      }
    }
  }
}
