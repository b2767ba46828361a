/**
 * INSERT OVERWRITE: which partitions an overwrite replaces, and the changes it commits
 * (Paimon's `FileStoreCommitImpl.overwritePartition`, `OverwriteChangesProvider` and
 * `tryUpgrade`, release 2.0.0) — pure functions over the live files of the snapshot
 * the attempt follows.
 *
 * An overwrite deletes every live data file (bucket ≥ 0; the postpone bucket only when
 * the table is a postpone-bucket table) and every index file of the matched partitions,
 * then adds the new files. It commits no changelog.
 */
import {
  type CoreOptions,
  type DataField,
  decodeBinaryRow,
  ErrorKind,
  FileKind,
  type IndexManifestEntry,
  type ManifestEntry,
  POSTPONE_BUCKET,
  partitionValueToString,
  StreamhouseError,
} from "@streamhouse/format";
import type { KeyBytesComparator } from "../scan/data-split.js";

/**
 * Which partitions an overwrite replaces: a (possibly partial) static partition —
 * field name to value string as in partition paths, null for the default partition;
 * `"dynamic"` — the partitions the new files are in; or null — the whole table.
 */
export type OverwriteScope = Readonly<Record<string, string | null>> | "dynamic" | null;

/** A test of serialized partition rows, or null when every partition matches. */
export type PartitionTest = ((partition: Uint8Array) => boolean) | null;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export function overwritePartitionTest(scope: OverwriteScope, partitionFields: readonly DataField[], newFiles: readonly ManifestEntry[], options: CoreOptions): PartitionTest {
  if (scope === null || partitionFields.length === 0) return null;
  if (scope === "dynamic") {
    const parts = new Set(newFiles.map((e) => hex(e.partition)));
    return (p) => parts.has(hex(p));
  }
  const wanted: { readonly index: number; readonly value: string | null }[] = [];
  for (const [name, value] of Object.entries(scope)) {
    const index = partitionFields.findIndex((f) => f.name === name);
    if (index < 0) throw new StreamhouseError(ErrorKind.InvalidArgument, `"${name}" is not a partition field`, { context: { field: name } });
    wanted.push({ index, value: value === options.partitionDefaultName() ? null : value });
  }
  if (wanted.length === 0) return null;
  const types = partitionFields.map((f) => f.type);
  const legacy = options.partitionLegacyName();
  const cache = new Map<string, boolean>();
  return (p) => {
    const key = hex(p);
    let hit = cache.get(key);
    if (hit === undefined) {
      const row = decodeBinaryRow(types, p, { field: "_PARTITION" });
      hit = wanted.every(({ index, value }) => {
        const s = partitionValueToString(types[index]!, row[index] ?? null, legacy);
        return (s === "" ? null : s) === value;
      });
      cache.set(key, hit);
    }
    return hit;
  };
}

/** The data and index changes of one overwrite attempt, given the live files it follows. */
export function overwriteChanges(
  live: readonly ManifestEntry[],
  liveIndex: readonly IndexManifestEntry[],
  test: PartitionTest,
  tableBucket: number,
  newFiles: readonly ManifestEntry[],
  newIndexFiles: readonly IndexManifestEntry[],
): { readonly tableFiles: ManifestEntry[]; readonly indexFiles: IndexManifestEntry[] } {
  const matches = (p: Uint8Array) => test === null || test(p);
  const tableFiles: ManifestEntry[] = [];
  for (const e of live) {
    if (!matches(e.partition)) continue;
    if (tableBucket !== POSTPONE_BUCKET && e.bucket < 0) continue;
    tableFiles.push({ ...e, kind: FileKind.DELETE });
  }
  tableFiles.push(...newFiles);
  const indexFiles: IndexManifestEntry[] = liveIndex.filter((e) => matches(e.partition)).map((e) => ({ ...e, kind: FileKind.DELETE }));
  indexFiles.push(...newIndexFiles);
  return { tableFiles, indexFiles };
}

/**
 * Overwrite upgrade (`overwrite-upgrade`, default true): when the new files of a
 * primary-key bucket do not overlap in key range, they form one sorted run and go
 * straight to the highest level, sparing readers a merge. Buckets with overlapping
 * files, level > 0 files or negative buckets leave the whole commit as it is.
 */
export function upgradeOverwriteFiles(files: readonly ManifestEntry[], compareKeys: KeyBytesComparator, maxLevel: number): readonly ManifestEntry[] {
  for (const e of files) if (e.kind !== FileKind.ADD || e.file.level > 0 || e.bucket < 0) return files;
  const buckets = new Map<string, ManifestEntry[]>();
  for (const e of files) {
    const key = `${hex(e.partition)}|${e.bucket}`;
    const group = buckets.get(key);
    if (group === undefined) buckets.set(key, [e]);
    else group.push(e);
  }
  const out: ManifestEntry[] = [];
  for (const group of buckets.values()) {
    const sorted = [...group].sort((a, b) => compareKeys(a.file.minKey, b.file.minKey));
    let overlaps = false;
    for (let i = 0; i + 1 < sorted.length && !overlaps; i++) overlaps = compareKeys(sorted[i]!.file.maxKey, sorted[i + 1]!.file.minKey) >= 0;
    if (overlaps) out.push(...group);
    else for (const e of sorted) out.push({ ...e, file: { ...e.file, level: maxLevel } });
  }
  return out;
}
