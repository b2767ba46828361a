/**
 * One run of `write`: reads pieces of rows from the input, hands them to a TableWrite,
 * and commits a checkpoint every `policy` (and at the end of the input) as the next
 * commit identifier of its commit user, with the input offset in the snapshot property
 * `streamhouse.write.input-records` — data and offset in one atomic step.
 *
 * Signals. The first SIGINT/SIGTERM stops reading: a commit already under way completes
 * (a commit is never abandoned halfway), the rows written since the last checkpoint are
 * dropped (their files are never referenced by a snapshot), and `run` throws Interrupted
 * naming the offset to resume from. A second signal gets the default action (exit at once);
 * even then the table stays at a complete checkpoint, as commits publish by one atomic
 * create-if-absent of the snapshot file.
 *
 * Commit retries. Commits that lose races to other writers are retried by the committer;
 * when it gives up on a retryable error the checkpoint is looked up (`filterCommitted`)
 * and re-committed, a bounded number of times. A true conflict (CommitConflict, not
 * retryable) stops the command with that error.
 */
import type { Readable } from "node:stream";
import { ErrorKind, isStreamhouseError, type Snapshot, StreamhouseError } from "@streamhouse/format";
import type { CommitLock } from "@streamhouse/catalog";
import { type Committable, FileStoreCommit, type FileStoreTable, TableWrite } from "@streamhouse/table";
import { Interrupted } from "../cli-context.js";
import { BadRow } from "./bad-row.js";
import type { CheckpointPolicy } from "./checkpoint-policy.js";
import { INPUT_RECORDS_PROPERTY, latestSnapshotOfUser, recordsOf } from "./commit-user.js";
import type { InputFormat } from "./input-format.js";
import type { Piece } from "./input-piece.js";
import { openInput } from "./input-readers.js";
import type { Progress } from "./progress.js";

/** Re-commits of one checkpoint after the committer gave up on a retryable error. */
const COMMIT_ROUNDS_MAX = 5;

export interface WriteSummary {
  readonly rows: number;
  /** Input records the table holds from this input at the end (skipped ones included). */
  readonly records: number;
  readonly checkpoints: number;
  readonly snapshots: readonly number[];
  readonly elapsedMs: number;
}

export class WriteSession {
  private write: TableWrite | null = null;
  private readonly committer: FileStoreCommit;
  /** Input records the table holds from this input after the last checkpoint. */
  private committedRecords: number;
  /** Input records consumed (written to the writer, or skipped as committed before). */
  private records: number;
  private rows = 0;
  private rowsInCheckpoint = 0;
  private lastCheckpointMs = Date.now();
  private readonly startedMs = Date.now();
  private checkpoints = 0;
  private readonly snapshots: number[] = [];
  private stream: Readable | null = null;
  private signal: NodeJS.Signals | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly table: FileStoreTable,
    readonly commitUser: string,
    private nextIdentifier: bigint,
    private readonly skip: number,
    private readonly policy: CheckpointPolicy,
    private readonly progress: Progress,
    /** The catalog's commit lock (a Hive catalog's metastore lock), held while a snapshot is published. */
    lock: CommitLock | null = null,
  ) {
    this.committer = new FileStoreCommit(table, commitUser, lock === null ? {} : { lock });
    this.committedRecords = skip;
    this.records = skip;
  }

  summary(): WriteSummary {
    return { rows: this.rows, records: this.records, checkpoints: this.checkpoints, snapshots: this.snapshots, elapsedMs: Date.now() - this.startedMs };
  }

  async run(format: InputFormat, from: string): Promise<void> {
    const onSignal = (signal: NodeJS.Signals) => {
      // The first signal stops reading; a second one gets the default action (exit).
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      this.signal = signal;
      this.wake?.();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    this.write = await TableWrite.open(this.table);
    try {
      const input = openInput(format, from, this.table.schema.fields, this.skip);
      this.stream = input.stream;
      const size = input.sizeBytes;
      const stream = input.stream;
      if (size !== null && size > 0 && stream !== null && "bytesRead" in stream) {
        this.progress.trackInput(() => (stream as Readable & { bytesRead: number }).bytesRead / size);
      }
      await this.loop(input.pieces);
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      this.stream?.destroy();
      await this.write.close();
      this.progress.finish();
    }
    if (this.signal !== null) {
      throw new Interrupted(
        this.signal,
        `interrupted by ${this.signal}: stopped reading after input record ${this.records}; ` +
          `the table holds ${this.committedRecords} records of this input (${this.rowsInCheckpoint} rows since the last checkpoint were not committed); ` +
          `continue with --resume --commit-user ${this.commitUser}`,
      );
    }
  }

  private async loop(pieces: AsyncIterator<Piece>): Promise<void> {
    let pending: Promise<IteratorResult<Piece>> | null = null;
    try {
      while (this.signal === null) {
        pending ??= pieces.next();
        const waitMs = this.policy.ms === null || this.rowsInCheckpoint === 0 ? null : Math.max(0, this.lastCheckpointMs + this.policy.ms - Date.now());
        const r = await this.race(pending, waitMs);
        if (r === "wake") continue;
        if (r === "timer") {
          await this.checkpoint();
          continue;
        }
        pending = null;
        if (r.done) {
          await this.checkpoint();
          return;
        }
        await this.writePiece(r.value);
      }
    } finally {
      // A read still under way when we stop may fail once the stream is destroyed.
      pending?.catch(() => undefined);
    }
  }

  /** The next piece, or "timer" when a time-based checkpoint is due first, or "wake" on a signal. */
  private race(pending: Promise<IteratorResult<Piece>>, waitMs: number | null): Promise<IteratorResult<Piece> | "timer" | "wake"> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (f: () => void) => {
        if (timer !== undefined) clearTimeout(timer);
        this.wake = null;
        f();
      };
      this.wake = () => settle(() => resolve("wake"));
      if (waitMs !== null) timer = setTimeout(() => settle(() => resolve("timer")), waitMs);
      pending.then(
        (r) => settle(() => resolve(r)),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  }

  private async writePiece(piece: Piece): Promise<void> {
    const n = piece.kind === "rows" ? piece.changes.length : piece.batch.numRows;
    let offset = 0;
    while (offset < n && this.signal === null) {
      const room = this.policy.rows === null ? n - offset : Math.min(n - offset, this.policy.rows - this.rowsInCheckpoint);
      await this.writeSlice(piece, offset, offset + room);
      offset += room;
      this.rowsInCheckpoint += room;
      this.rows += room;
      this.records += room;
      this.progress.rows(this.rows, this.startedMs);
      const dueByRows = this.policy.rows !== null && this.rowsInCheckpoint >= this.policy.rows;
      const dueByTime = this.policy.ms !== null && Date.now() - this.lastCheckpointMs >= this.policy.ms;
      if (dueByRows || dueByTime) await this.checkpoint();
    }
    if (piece.kind === "rows" && piece.error !== undefined && this.signal === null) throw this.badRow(piece.error);
  }

  private async writeSlice(piece: Piece, from: number, to: number): Promise<void> {
    const write = this.write!;
    try {
      if (piece.kind === "rows") await write.writeChanges(from === 0 && to === piece.changes.length ? piece.changes : piece.changes.slice(from, to));
      else await write.writeArrow(from === 0 && to === piece.batch.numRows ? piece.batch : piece.batch.slice(from, to));
    } catch (e) {
      if (!isStreamhouseError(e, ErrorKind.SchemaMismatch) || typeof e.context["row"] !== "number") throw e;
      const i = from + e.context["row"];
      const where = piece.kind === "rows" ? piece.positions[i]! : piece.firstRecord + i + 1;
      throw this.badRow(new BadRow(piece.kind === "rows" ? "line" : "record", where, e.reason.replace(/^row \d+:? ?/, "")));
    }
  }

  private badRow(bad: BadRow): StreamhouseError {
    return new StreamhouseError(ErrorKind.SchemaMismatch, `${bad.message} (nothing after input record ${this.committedRecords} was committed)`);
  }

  /** Commits what was written since the last checkpoint as the next identifier, with the input offset. */
  private async checkpoint(): Promise<void> {
    this.lastCheckpointMs = Date.now();
    if (this.rowsInCheckpoint === 0) return;
    const identifier = this.nextIdentifier++;
    const committable = await this.write!.prepareCommit(identifier);
    const snapshots = await this.commit(committable, { [INPUT_RECORDS_PROPERTY]: String(this.records) });
    this.committedRecords = this.records;
    this.rowsInCheckpoint = 0;
    this.checkpoints++;
    const ids = snapshots.map((s) => s.id);
    this.snapshots.push(...ids);
    this.progress.checkpoint(identifier, this.records, ids, this.rows, this.startedMs);
  }

  private async commit(committable: Committable, properties: Record<string, string>): Promise<Snapshot[]> {
    for (let round = 1; ; round++) {
      try {
        return await this.committer.commit([committable], { properties });
      } catch (e) {
        const context = `checkpoint ${committable.commitIdentifier} of commit user ${this.commitUser}`;
        if (!isStreamhouseError(e) || !e.retryable) {
          if (isStreamhouseError(e, ErrorKind.CommitConflict)) {
            // Part of the checkpoint (its APPEND snapshot) may be in, with its offset.
            const latest = await latestSnapshotOfUser(this.table, this.commitUser);
            const held = latest === null ? this.committedRecords : (recordsOf(latest) ?? this.committedRecords);
            throw new StreamhouseError(ErrorKind.CommitConflict, `${context} conflicts with a concurrent commit: ${e.reason} (the table holds input records up to ${held}; --resume continues after them)`, {
              cause: e,
            });
          }
          throw e;
        }
        // The committer gave up: the checkpoint may have landed in a reply we did not see.
        if ((await this.committer.filterCommitted([committable])).length === 0) {
          const latest = await latestSnapshotOfUser(this.table, this.commitUser);
          return latest === null ? [] : [latest];
        }
        if (round >= COMMIT_ROUNDS_MAX) throw new StreamhouseError(e.kind, `${context} failed after ${round} rounds: ${e.reason}`, { cause: e });
        this.progress.note(`${context}: ${e.reason}; retrying (round ${round + 1} of ${COMMIT_ROUNDS_MAX})`);
        await new Promise((r) => setTimeout(r, 100 * round + Math.floor(Math.random() * 100)));
      }
    }
  }
}
