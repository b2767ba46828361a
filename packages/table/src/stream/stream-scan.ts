/**
 * A table as a change log: an async stream of row changes, snapshot after snapshot,
 * waiting for new snapshots as they are committed (Paimon's streaming
 * `DataTableStreamScan` with `scan.mode` latest / latest-full / from-snapshot /
 * from-timestamp, release 2.0.0).
 *
 * What each snapshot contributes (Java's follow-up scanners pick the commit kinds):
 * - no changelog producer (`DeltaFollowUpScanner`): APPEND snapshots, the records of the
 *   files the snapshot added (its delta manifest list), with their row kinds — the
 *   writer's input, merged within each file;
 * - `input` (`InputChangelogFollowUpScanner`): APPEND snapshots, the records of their
 *   changelog files (changelog manifest list);
 * - `lookup`, `full-compaction` (`CompactionChangelogFollowUpScanner`): COMPACT
 *   snapshots, the records of their changelog files;
 * - anything else: nothing. OVERWRITE snapshots in particular are skipped, as Java's
 *   streaming reader skips them unless `streaming-read-overwrite` is set (which we do
 *   not support: it throws).
 *
 * Progress is "the next snapshot to read". With a consumer id it is stored in
 * `consumer/consumer-<id>` as Java writes it ({"nextSnapshot": N}), so a restarted
 * reader resumes there and snapshot expiration can keep what it still needs.
 */
import { ErrorKind, FileKind, isStreamhouseError, type ManifestEntry, parseJson, type Row, type RowKind, StreamhouseError, stringifyJackson } from "@streamhouse/format";
import { joinPath } from "@streamhouse/fileio";
import type { FileStoreTable } from "../file-store-table.js";
import { DataFileColumns, DataFileReader } from "../read/data-file-reader.js";
import { TableRead } from "../read/table-read.js";
import { TablePaths } from "../table-paths.js";

export interface Change {
  readonly kind: RowKind;
  /** All table columns, by position in the table's latest schema. */
  readonly row: Row;
  readonly snapshotId: number;
}

export type StreamStart =
  | { readonly from: "latest" }
  | { readonly from: "latest-full" }
  | { readonly from: "earliest" }
  | { readonly from: "snapshot"; readonly snapshotId: number }
  | { readonly from: "timestamp"; readonly timestampMillis: number };

export interface StreamOptions {
  readonly start?: StreamStart;
  /** Stores and resumes progress under consumer/consumer-<id>. */
  readonly consumerId?: string;
  /** How long to wait between looks for a new snapshot (default: continuous.discovery-interval, capped at 1 s). */
  readonly pollIntervalMs?: number;
  /** Stop (instead of waiting) once the latest snapshot is read: a bounded stream. */
  readonly stopAtLatest?: boolean;
  readonly signal?: AbortSignal;
}

const CONSUMER_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export class StreamScan {
  private readonly files: DataFileReader;

  constructor(readonly table: FileStoreTable) {
    this.files = DataFileReader.of(table);
  }

  private consumerPath(id: string): string {
    return joinPath(TablePaths.consumerDir(this.table.path), `consumer-${id}`);
  }

  async consumerNextSnapshot(id: string): Promise<number | null> {
    try {
      const json = parseJson(new TextDecoder().decode(await this.table.io.read(this.consumerPath(id))), this.consumerPath(id)) as { nextSnapshot?: unknown };
      return typeof json.nextSnapshot === "number" ? json.nextSnapshot : null;
    } catch (e) {
      if (isStreamhouseError(e, "NotFound")) return null;
      throw e;
    }
  }

  async recordConsumer(id: string, nextSnapshot: number): Promise<void> {
    await this.table.io.overwrite(this.consumerPath(id), new TextEncoder().encode(stringifyJackson({ nextSnapshot })));
  }

  async *changes(options: StreamOptions = {}): AsyncGenerator<Change, void, undefined> {
    if (options.consumerId !== undefined && !CONSUMER_ID.test(options.consumerId)) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid consumer id "${options.consumerId}": use letters, digits, '.', '_' or '-'`);
    }
    const interval = options.pollIntervalMs ?? Math.min(1000, this.table.options.continuousDiscoveryIntervalMs());
    let next = options.consumerId === undefined ? null : await this.consumerNextSnapshot(options.consumerId);
    if (next === null) {
      const start = options.start ?? { from: "latest-full" };
      const first = await this.startingPoint(start);
      if (first.full !== null) {
        const levelFilter = this.fullReadLevels();
        const read = new TableRead(this.table).rows(levelFilter === null ? { snapshotId: first.full } : { snapshotId: first.full, levelFilter });
        for await (const row of read) yield { kind: 0, row, snapshotId: first.full };
      }
      next = first.next;
    }
    for (;;) {
      if (options.signal?.aborted) return;
      const latest = await this.table.snapshots.latestSnapshotId();
      if (latest !== null && next <= latest) {
        if (!(await this.table.io.exists(TablePaths.snapshot(this.table.path, next)))) {
          // Expired under us: continue from the earliest snapshot that still exists.
          const earliest = await this.table.snapshots.earliestSnapshotId();
          if (earliest !== null && earliest > next) next = earliest;
        }
        yield* this.snapshotChanges(next);
        next++;
        if (options.consumerId !== undefined) await this.recordConsumer(options.consumerId, next);
        continue;
      }
      if (options.stopAtLatest) return;
      await sleep(interval, options.signal);
    }
  }

  /** Where to begin: optionally a full read of one snapshot, then deltas from `next`. */
  private async startingPoint(start: StreamStart): Promise<{ full: number | null; next: number }> {
    const snaps = this.table.snapshots;
    switch (start.from) {
      case "latest": {
        const latest = await snaps.latestSnapshotId();
        return { full: null, next: (latest ?? 0) + 1 };
      }
      case "latest-full": {
        const latest = await snaps.latestSnapshotId();
        if (latest === null) return { full: null, next: 1 };
        // Deletion vectors without the lookup producer: the full read leaves the latest
        // snapshot's level-0 files out, so its delta is read again afterwards.
        return { full: latest, next: this.rereadsLatestDelta() ? latest : latest + 1 };
      }
      case "earliest": {
        const earliest = await snaps.earliestSnapshotId();
        return { full: null, next: earliest ?? 1 };
      }
      case "snapshot":
        return { full: null, next: start.snapshotId };
      case "timestamp": {
        const s = await snaps.snapshotAtOrBefore(start.timestampMillis);
        return { full: null, next: s === null ? ((await snaps.earliestSnapshotId()) ?? 1) : s.id + 1 };
      }
    }
  }

  /**
   * Which levels the first full read of `latest-full` sees (Java's
   * `DataTableStreamScan.tryFirstPlan`, release 2.0.0): primary-key tables that need
   * lookups (first-row, `changelog-producer = lookup`, deletion vectors, `force-lookup`)
   * leave level 0 out — those rows come back through the changelog (or the delta)
   * later; `full-compaction` reads only the top level; others read everything (null).
   */
  private fullReadLevels(): ((level: number) => boolean) | null {
    const options = this.table.options;
    if (this.table.schema.primaryKeys.length === 0) return null;
    const producer = options.changelogProducer();
    const needLookup =
      options.mergeEngine() === "first-row" || producer === "lookup" || options.deletionVectorsEnabled() || options.get("force-lookup")?.toLowerCase() === "true";
    if (needLookup) return (level) => level > 0;
    if (producer === "full-compaction") {
      const top = options.numLevels() - 1;
      return (level) => level === top;
    }
    return null;
  }

  /** Java's `LookupStrategy` "deletion vectors only" (no lookup producer): see startingPoint. */
  private rereadsLatestDelta(): boolean {
    const options = this.table.options;
    return this.table.schema.primaryKeys.length > 0 && options.deletionVectorsEnabled() && options.changelogProducer() !== "lookup";
  }

  /** The changes one snapshot contributes (see the file comment). */
  async *snapshotChanges(id: number): AsyncGenerator<Change, void, undefined> {
    const snapshot = await this.table.snapshots.snapshot(id);
    const producer = this.table.options.changelogProducer();
    if (snapshot.commitKind === "OVERWRITE" && this.table.options.get("streaming-read-overwrite")?.toLowerCase() === "true") {
      throw new StreamhouseError(ErrorKind.Unsupported, "streaming-read-overwrite = true is not supported: overwrite snapshots would need their deleted files as -D", {
        context: { table: this.table.path, snapshot: id },
      });
    }
    let list: string | null;
    if (producer === "none") list = snapshot.commitKind === "APPEND" ? snapshot.deltaManifestList : null;
    else if (producer === "input") list = snapshot.commitKind === "APPEND" ? snapshot.changelogManifestList : null;
    else list = snapshot.commitKind === "COMPACT" ? snapshot.changelogManifestList : null;
    if (list === null) return;
    const entries: ManifestEntry[] = (await this.table.manifests.entriesOf([list])).filter((e) => e.kind === FileKind.ADD);
    const pk = this.table.schema.primaryKeys.length > 0;
    for (const entry of entries) {
      const data = await this.files.read(entry);
      for (let i = 0; i < data.rowCount; i++) {
        const kind = (pk && data.valueKinds !== null ? data.valueKinds[i]! : 0) as RowKind;
        yield { kind, row: DataFileColumns.row(data, i), snapshotId: id };
      }
    }
  }
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind either way. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
