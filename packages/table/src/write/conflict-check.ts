/**
 * Conflict detection between a commit's changes and the files live in the snapshot
 * it is about to follow (Paimon's `ConflictDetection.checkConflicts`, release 2.0.0)
 * — a pure function.
 *
 * Another committer may have changed the table since our writers read it. The
 * changes still apply unless:
 * - the bucket count of a partition would be mixed (files written for N buckets next
 *   to files written for M) — only an OVERWRITE may change it;
 * - the commit itself deletes and adds one file, or adds a file twice;
 * - it adds a file that is already live, or deletes one that is no longer live
 *   ("files conflict": typically two compactions of the same files);
 * - for primary-key tables, two files of one level ≥ 1 of a bucket would overlap in
 *   key range (a level above 0 is one sorted run).
 * All of these are final: retrying cannot help, so the error is not retryable.
 */
import { type CommitKind, decodeBinaryRow, ErrorKind, FileKind, type ManifestEntry, StreamhouseError, type TableSchema, TableSchemas } from "@streamhouse/format";
import { createKeyComparator } from "../merge/record-comparator.js";
import type { KeyBytesComparator } from "../scan/data-split.js";
import { fileIdentifier } from "../scan/file-entries.js";
import { mergeEntriesKeepingDeletes } from "./manifest-merge.js";

export interface ConflictCheckInput {
  /** Live files of the latest snapshot in the partitions the commit changes. */
  readonly base: readonly ManifestEntry[];
  readonly delta: readonly ManifestEntry[];
  readonly commitKind: CommitKind;
  /** Orders serialized trimmed primary keys by value; null for tables without keys. */
  readonly compareKeys: KeyBytesComparator | null;
  /** For messages: the snapshot the check ran against, and who wrote it. */
  readonly baseSnapshotId: number;
  readonly baseCommitUser: string;
}

export function commitConflict(message: string, input: ConflictCheckInput, extra: Record<string, string | number> = {}): StreamhouseError {
  return new StreamhouseError(ErrorKind.CommitConflict, message, {
    context: { baseSnapshot: input.baseSnapshotId, baseCommitUser: input.baseCommitUser, ...extra },
    retryable: false,
  });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Orders serialized trimmed primary keys by value (null for tables without a key). */
export function keyBytesComparator(schema: TableSchema): KeyBytesComparator | null {
  if (!TableSchemas.isPrimaryKeyTable(schema)) return null;
  const types = TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((f) => f.type);
  const compare = createKeyComparator(types);
  return (a, b) => compare(decodeBinaryRow(types, a, { field: "_MIN_KEY" }), decodeBinaryRow(types, b, { field: "_MAX_KEY" }));
}

export function checkConflicts(input: ConflictCheckInput): void {
  if (input.commitKind !== "OVERWRITE") checkBucketCounts(input);

  // The delta alone: deleting and adding one file, or adding it twice, would make a
  // reader's merge (which keys files by identifier) lose the file.
  const deltaSeen = new Map<string, FileKind>();
  for (const e of input.delta) {
    const id = fileIdentifier(e);
    const before = deltaSeen.get(id);
    if (before === undefined) deltaSeen.set(id, e.kind);
    else if (before === FileKind.ADD && e.kind === FileKind.DELETE) deltaSeen.delete(id);
    else {
      const what = before === FileKind.ADD ? "adds twice" : e.kind === FileKind.ADD ? "deletes and re-adds" : "deletes twice";
      throw commitConflict(`the commit ${what} data file ${e.file.fileName}`, input, { bucket: e.bucket, file: e.file.fileName });
    }
  }

  let merged: ManifestEntry[];
  try {
    merged = mergeEntriesKeepingDeletes([...input.base, ...input.delta]);
  } catch (e) {
    throw commitConflict(`files conflict: ${e instanceof Error ? e.message : String(e)}; another commit added it first`, input);
  }
  for (const e of merged) {
    if (e.kind === FileKind.DELETE) {
      throw commitConflict(`files conflict: data file ${e.file.fileName} is no longer live (another commit removed it)`, input, {
        partition: hex(e.partition),
        bucket: e.bucket,
        level: e.file.level,
        file: e.file.fileName,
      });
    }
  }
  if (input.compareKeys !== null) checkKeyRanges(merged, input.compareKeys, input);
}

function checkBucketCounts(input: ConflictCheckInput): void {
  const totals = new Map<string, number>();
  for (const e of [...input.base, ...input.delta]) {
    if (e.totalBuckets <= 0) continue;
    const key = hex(e.partition);
    const seen = totals.get(key);
    if (seen === undefined) totals.set(key, e.totalBuckets);
    else if (seen !== e.totalBuckets) {
      throw commitConflict(`total buckets of a partition changed from ${seen} to ${e.totalBuckets} without overwrite`, input, {
        partition: key,
        file: e.file.fileName,
      });
    }
  }
}

function checkKeyRanges(merged: readonly ManifestEntry[], compareKeys: KeyBytesComparator, input: ConflictCheckInput): void {
  const levels = new Map<string, ManifestEntry[]>();
  for (const e of merged) {
    if (e.file.level < 1) continue;
    const key = `${hex(e.partition)}|${e.bucket}|${e.file.level}`;
    const group = levels.get(key);
    if (group === undefined) levels.set(key, [e]);
    else group.push(e);
  }
  for (const group of levels.values()) {
    group.sort((a, b) => compareKeys(a.file.minKey, b.file.minKey));
    for (let i = 0; i + 1 < group.length; i++) {
      const a = group[i]!;
      const b = group[i + 1]!;
      if (compareKeys(a.file.maxKey, b.file.minKey) >= 0) {
        throw commitConflict(`LSM conflict: key ranges of ${a.file.fileName} and ${b.file.fileName} overlap in level ${a.file.level}`, input, {
          partition: hex(a.partition),
          bucket: a.bucket,
          level: a.file.level,
        });
      }
    }
  }
}
