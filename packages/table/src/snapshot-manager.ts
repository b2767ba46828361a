/**
 * Finds and reads the snapshots of one table (mirrors the reading half of Paimon's
 * `SnapshotManager`, release 2.0.0).
 *
 * The hint files are only hints: `LATEST` is trusted when `snapshot-(hint+1)` does
 * not exist (a writer may have died between publishing a snapshot and updating the
 * hint), `EARLIEST` when `snapshot-(hint)` still exists (expiration may have removed
 * it). Otherwise — or when a hint is missing or garbled — the snapshot directory is
 * listed.
 */
import type { FileIO } from "@streamhouse/fileio";
import { decodeSnapshot, ErrorKind, type Snapshot, StreamhouseError } from "@streamhouse/format";
import { numberedName, TablePaths } from "./table-paths.js";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export class SnapshotManager {
  constructor(
    readonly io: FileIO,
    readonly tablePath: string,
  ) {}

  /** All snapshot ids present, ascending. */
  async listSnapshotIds(): Promise<number[]> {
    const entries = await this.io.list(TablePaths.snapshotDir(this.tablePath));
    const ids: number[] = [];
    for (const e of entries) {
      const id = numberedName(e.name, "snapshot-");
      if (id !== null && !e.isDirectory) ids.push(id);
    }
    return ids.sort((a, b) => a - b);
  }

  private async readHint(path: string): Promise<number | null> {
    try {
      const t = text(await this.io.read(path)).trim();
      return /^\d+$/.test(t) ? Number(t) : null;
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) return null;
      throw e;
    }
  }

  async latestSnapshotId(): Promise<number | null> {
    const hint = await this.readHint(TablePaths.latestHint(this.tablePath));
    if (hint !== null && (await this.io.exists(TablePaths.snapshot(this.tablePath, hint))) && !(await this.io.exists(TablePaths.snapshot(this.tablePath, hint + 1)))) {
      return hint;
    }
    const ids = await this.listSnapshotIds();
    return ids.length === 0 ? null : ids[ids.length - 1]!;
  }

  async earliestSnapshotId(): Promise<number | null> {
    const hint = await this.readHint(TablePaths.earliestHint(this.tablePath));
    if (hint !== null && (await this.io.exists(TablePaths.snapshot(this.tablePath, hint)))) return hint;
    const ids = await this.listSnapshotIds();
    return ids.length === 0 ? null : ids[0]!;
  }

  async snapshot(id: number): Promise<Snapshot> {
    const path = TablePaths.snapshot(this.tablePath, id);
    let bytes: Uint8Array;
    try {
      bytes = await this.io.read(path);
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) {
        throw new StreamhouseError(ErrorKind.NotFound, `snapshot ${id} does not exist`, { context: { table: this.tablePath, file: path } });
      }
      throw e;
    }
    const snap = decodeSnapshot(text(bytes), path);
    if (snap.id !== id) throw new StreamhouseError(ErrorKind.DataInvalid, `snapshot file holds id ${snap.id}`, { context: { file: path } });
    return snap;
  }

  async latestSnapshot(): Promise<Snapshot | null> {
    const id = await this.latestSnapshotId();
    return id === null ? null : this.snapshot(id);
  }

  /** The latest snapshot committed at or before `timeMillis`, or null if none is that old. */
  async snapshotAtOrBefore(timeMillis: number): Promise<Snapshot | null> {
    const ids = await this.listSnapshotIds();
    // Commit times grow with ids, so a binary search over the ids works.
    let lo = 0;
    let hi = ids.length - 1;
    let best: Snapshot | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = await this.snapshot(ids[mid]!);
      if (s.timeMillis <= timeMillis) {
        best = s;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }
}
