/**
 * The committing half of a streaming sink, driven by checkpoints the way Flink drives
 * Paimon's `CommitterOperator` / `StoreCommitter` (release 2.0.0).
 *
 * At a checkpoint the writer's messages become a committable with the checkpoint id
 * as identifier and join the pending ones; the pending list is the sink's state and
 * must be stored with the checkpoint (`snapshotState`). Once the checkpoint is
 * complete, the pending committables up to it are committed (`notifyCheckpointComplete`).
 *
 * Exactly once: a sink restored from a checkpoint re-commits the pending committables
 * it restored; `filterCommitted` drops those whose snapshots already exist, so a
 * commit that landed before a crash is not repeated and one that did not is not lost.
 * The same filtering runs after any failed commit of this sink.
 */
import type { Snapshot } from "@streamhouse/format";
import type { CommitMessage, Committable } from "./commit-message.js";
import type { CommitOptions, FileStoreCommit } from "./file-store-commit.js";

/** A writer as the sink sees it: what it wrote since the last checkpoint. */
export interface CommittableSource {
  prepareCommit(checkpointId: bigint): Promise<Committable | readonly CommitMessage[]>;
}

/** What a checkpoint stores for the sink: committables not known to be committed. */
export interface StreamingSinkState {
  readonly pending: readonly Committable[];
}

export class StreamingSink {
  private pending: Committable[];
  /** Whether the pending committables may already be (partly) committed. */
  private mayBeCommitted: boolean;
  /** Checkpoint ids only grow: a committable's identifier must exceed every earlier one. */
  private lastCheckpointId: bigint | null;

  constructor(
    private readonly committer: FileStoreCommit,
    private readonly writer: CommittableSource,
    restored: StreamingSinkState = { pending: [] },
  ) {
    this.pending = [...restored.pending].sort((a, b) => (a.commitIdentifier < b.commitIdentifier ? -1 : a.commitIdentifier > b.commitIdentifier ? 1 : 0));
    this.mayBeCommitted = this.pending.length > 0;
    this.lastCheckpointId = this.pending.at(-1)?.commitIdentifier ?? null;
  }

  /** The state to store with the current checkpoint. */
  state(): StreamingSinkState {
    return { pending: [...this.pending] };
  }

  /** First phase: collects the writer's committable for `checkpointId`; returns the state to store. */
  async snapshotState(checkpointId: bigint): Promise<StreamingSinkState> {
    if (this.lastCheckpointId !== null && checkpointId <= this.lastCheckpointId) {
      throw new RangeError(`checkpoint ${checkpointId} is not after checkpoint ${this.lastCheckpointId}`);
    }
    const prepared = await this.writer.prepareCommit(checkpointId);
    const committable: Committable = isCommittable(prepared) ? prepared : { commitIdentifier: checkpointId, messages: prepared };
    this.lastCheckpointId = checkpointId;
    this.pending.push(committable);
    return this.state();
  }

  /** Second phase: commits the pending committables up to `checkpointId`, exactly once. */
  async notifyCheckpointComplete(checkpointId: bigint, options: CommitOptions = {}): Promise<Snapshot[]> {
    let due = this.pending.filter((c) => c.commitIdentifier <= checkpointId);
    if (this.mayBeCommitted) {
      const fresh = new Set(await this.committer.filterCommitted(due));
      this.pending = this.pending.filter((c) => c.commitIdentifier > checkpointId || fresh.has(c));
      due = due.filter((c) => fresh.has(c));
      this.mayBeCommitted = false;
    }
    const out: Snapshot[] = [];
    for (const c of due) {
      try {
        out.push(...(await this.committer.commit([c], options)));
      } catch (e) {
        this.mayBeCommitted = true;
        throw e;
      }
      this.pending = this.pending.filter((p) => p !== c);
    }
    return out;
  }

  /** Both phases; `persist` receives the state between them (where Flink stores it). */
  async checkpoint(checkpointId: bigint, persist?: (state: StreamingSinkState) => void | Promise<void>, options: CommitOptions = {}): Promise<Snapshot[]> {
    const state = await this.snapshotState(checkpointId);
    if (persist !== undefined) await persist(state);
    return this.notifyCheckpointComplete(checkpointId, options);
  }

  /** After a restore: commits every restored pending committable that is not in yet. */
  async recover(options: CommitOptions = {}): Promise<Snapshot[]> {
    const last = this.pending[this.pending.length - 1];
    return last === undefined ? [] : this.notifyCheckpointComplete(last.commitIdentifier, options);
  }
}

function isCommittable(x: Committable | readonly CommitMessage[]): x is Committable {
  return !Array.isArray(x);
}
