/**
 * Publishing a snapshot, and finding the snapshots a committer already published
 * (the writing half of Paimon's `SnapshotManager` and `RenamingSnapshotCommit`,
 * release 2.0.0).
 *
 * `snapshot-<id>` is created with `writeIfAbsent`, the one atomic primitive: of any
 * number of committers racing for an id, exactly one wins, on every FileIO. The
 * `LATEST` hint is written afterwards with `overwrite`; it is only a hint (readers
 * check it against the snapshot files), so failing to write it never fails a commit.
 */
import type { FileIO } from "@streamhouse/fileio";
import { type CommitKind, ErrorKind, type JsonValue, type Snapshot, StreamhouseError, snapshotToJsonValue, stringifyJackson } from "@streamhouse/format";
import type { SnapshotManager } from "../snapshot-manager.js";
import { TablePaths } from "../table-paths.js";

/**
 * The snapshot JSON as Java 2.0 writes it: Jackson pretty printing, nulls omitted, and
 * the 2.0 `uuid` key right after `version` (the format model keeps unknown keys, uuid
 * among them, at the end — so the key is placed here).
 */
export function encodeSnapshotWithUuid(snapshot: Snapshot, uuid: string): string {
  const { uuid: _ignored, ...extra } = snapshot.extra;
  const body = snapshotToJsonValue({ ...snapshot, extra });
  const out: Record<string, JsonValue> = { version: body["version"]!, uuid };
  for (const [k, v] of Object.entries(body)) if (k !== "version") out[k] = v;
  return stringifyJackson(out);
}

/** Creates `snapshot-<id>`; false when that id is already taken (by anyone). */
export async function publishSnapshot(io: FileIO, tablePath: string, snapshot: Snapshot, uuid: string): Promise<boolean> {
  const bytes = new TextEncoder().encode(encodeSnapshotWithUuid(snapshot, uuid));
  return io.writeIfAbsent(TablePaths.snapshot(tablePath, snapshot.id), bytes);
}

/** Writes the `LATEST` hint; returns the error instead of throwing (best effort). */
export async function writeLatestHint(io: FileIO, tablePath: string, id: number): Promise<unknown> {
  try {
    await io.overwrite(TablePaths.latestHint(tablePath), new TextEncoder().encode(String(id)));
    return null;
  } catch (e) {
    return e;
  }
}

/** Whether a snapshot records the commit of `user` with `identifier` and `kind`. */
export function isCommitOf(s: Snapshot, user: string, identifier: bigint, kind: CommitKind): boolean {
  return s.commitUser === user && s.commitIdentifier === identifier && s.commitKind === kind;
}

async function snapshotOrNull(snapshots: SnapshotManager, id: number): Promise<Snapshot | null> {
  try {
    return await snapshots.snapshot(id);
  } catch (e) {
    if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) return null;
    throw e;
  }
}

/**
 * The newest snapshot `user` committed, scanning back from the latest
 * (`SnapshotManager.latestSnapshotOfUser`); null if none is left. A gap (an expired
 * snapshot) ends the scan, as in Java.
 */
export async function latestSnapshotOfUser(snapshots: SnapshotManager, user: string): Promise<Snapshot | null> {
  const latest = await snapshots.latestSnapshotId();
  if (latest === null) return null;
  const earliest = (await snapshots.earliestSnapshotId()) ?? 1;
  for (let id = latest; id >= earliest; id--) {
    const s = await snapshotOrNull(snapshots, id);
    if (s === null) return null;
    if (s.commitUser === user) return s;
  }
  return null;
}

/** The first snapshot in [fromId, toId] that records the given commit, or null. */
export async function findCommit(
  snapshots: SnapshotManager,
  fromId: number,
  toId: number,
  user: string,
  identifier: bigint,
  kind: CommitKind,
): Promise<Snapshot | null> {
  for (let id = fromId; id <= toId; id++) {
    const s = await snapshotOrNull(snapshots, id);
    if (s !== null && isCommitOf(s, user, identifier, kind)) return s;
  }
  return null;
}
