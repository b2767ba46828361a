/**
 * A writer's identity and where its input stands: the commit user (derived from the
 * table and the input file unless named), and the input offset its latest snapshot
 * records in `streamhouse.write.input-records`.
 */
import { createHash } from "node:crypto";
import { ErrorKind, isStreamhouseError, type Snapshot } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";

/** The snapshot property holding how many input records the table holds from this writer's input. */
export const INPUT_RECORDS_PROPERTY = "streamhouse.write.input-records";

export function defaultCommitUser(tablePath: string, inputPath: string): string {
  return `streamhouse-write-${createHash("sha256").update(`${tablePath}\0${inputPath}`).digest("hex").slice(0, 16)}`;
}

/** The input offset a writer's snapshot records; null when it records none. */
export function recordsOf(s: Snapshot): number | null {
  const v = s.properties?.[INPUT_RECORDS_PROPERTY];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/** The newest snapshot `user` committed, scanning back from the latest (as Java's SnapshotManager.latestSnapshotOfUser). */
export async function latestSnapshotOfUser(table: FileStoreTable, user: string): Promise<Snapshot | null> {
  const latest = await table.snapshots.latestSnapshotId();
  if (latest === null) return null;
  const earliest = (await table.snapshots.earliestSnapshotId()) ?? 1;
  for (let id = latest; id >= earliest; id--) {
    let s: Snapshot;
    try {
      s = await table.snapshots.snapshot(id);
    } catch (e) {
      if (isStreamhouseError(e, ErrorKind.NotFound)) return null; // expired: the scan ends, as in Java
      throw e;
    }
    if (s.commitUser === user) return s;
  }
  return null;
}
