/**
 * Splits: the unit of reading. One split holds the live files of one partition-bucket
 * at one snapshot, arranged as the LSM tree arranges them (Paimon's `DataSplit` and
 * `IntervalPartition`, release 2.0.0) — a pure function of the planned files.
 *
 * Sorted runs: every level-0 file is a run of its own (level-0 files may overlap in
 * key); each level ≥ 1 is one run whose files do not overlap and are ordered by min
 * key. Runs are listed newest first: level-0 runs by descending max sequence number,
 * then levels 1, 2, … . Readers merge runs by key and sequence number.
 */
import { type DeletionVectorMeta, type IndexManifestEntry, type ManifestEntry, type TableSchema, TableSchemas } from "@streamhouse/format";
import { compareBinaryKeys } from "./binary-key-order.js";

export interface SortedRun {
  /** The LSM level; all files of a run share it. */
  readonly level: number;
  /** Files of the run, ordered by min key (a level-0 run has exactly one). */
  readonly files: readonly ManifestEntry[];
}

export interface DataSplit {
  readonly snapshotId: number;
  readonly partition: Uint8Array;
  readonly bucket: number;
  readonly totalBuckets: number;
  /** Newest first. */
  readonly runs: readonly SortedRun[];
  /** Deletion vectors of this split's files by data-file name, with the index file holding each. */
  readonly deletionVectors: ReadonlyMap<string, { readonly indexFile: string; readonly range: DeletionVectorMeta }>;
  /** Sum of the files' row counts. */
  readonly rowCount: number;
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Orders two serialized keys (min keys of files) by the values they hold. */
export type KeyBytesComparator = (a: Uint8Array, b: Uint8Array) => number;

/**
 * Groups `files` (live entries of one snapshot) into splits. Deletion vectors come
 * from `indexFiles` (DELETION_VECTORS entries of the same snapshot); `compareKeys`
 * orders the files of a level by their min keys.
 */
export function makeSplits(
  snapshotId: number,
  files: readonly ManifestEntry[],
  indexFiles: readonly IndexManifestEntry[],
  compareKeys: KeyBytesComparator,
): DataSplit[] {
  const groups = new Map<string, ManifestEntry[]>();
  for (const e of files) {
    const k = `${hex(e.partition)}|${e.bucket}`;
    let g = groups.get(k);
    if (g === undefined) {
      g = [];
      groups.set(k, g);
    }
    g.push(e);
  }
  const dvs = new Map<string, Map<string, { indexFile: string; range: DeletionVectorMeta }>>();
  for (const ix of indexFiles) {
    if (ix.kind !== 0 || ix.indexFile.indexType !== "DELETION_VECTORS") continue;
    const k = `${hex(ix.partition)}|${ix.bucket}`;
    let m = dvs.get(k);
    if (m === undefined) {
      m = new Map();
      dvs.set(k, m);
    }
    for (const r of ix.indexFile.deletionVectorRanges ?? []) m.set(r.dataFileName, { indexFile: ix.indexFile.fileName, range: r });
  }
  const splits: DataSplit[] = [];
  for (const [k, group] of groups) {
    const first = group[0]!;
    splits.push({
      snapshotId,
      partition: first.partition,
      bucket: first.bucket,
      totalBuckets: first.totalBuckets,
      runs: sortedRuns(group, compareKeys),
      deletionVectors: dvs.get(k) ?? new Map(),
      rowCount: group.reduce((n, e) => n + Number(e.file.rowCount), 0),
    });
  }
  return splits.sort((a, b) => compareBinaryKeys(a.partition, b.partition) || a.bucket - b.bucket);
}

export function sortedRuns(files: readonly ManifestEntry[], compareKeys: KeyBytesComparator): SortedRun[] {
  const level0 = files
    .filter((f) => f.file.level === 0)
    .sort((a, b) => (b.file.maxSequenceNumber > a.file.maxSequenceNumber ? 1 : b.file.maxSequenceNumber < a.file.maxSequenceNumber ? -1 : 0));
  const runs: SortedRun[] = level0.map((f) => ({ level: 0, files: [f] }));
  const byLevel = new Map<number, ManifestEntry[]>();
  for (const f of files) {
    if (f.file.level === 0) continue;
    let l = byLevel.get(f.file.level);
    if (l === undefined) {
      l = [];
      byLevel.set(f.file.level, l);
    }
    l.push(f);
  }
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const sorted = byLevel.get(level)!.sort((a, b) => compareKeys(a.file.minKey, b.file.minKey));
    runs.push({ level, files: sorted });
  }
  return runs;
}

/**
 * Whether a split can be read without merging: an append table, or a primary-key
 * split with a single run (no key can occur twice), or — with deletion vectors —
 * a split whose visible files are all above level 0 (each key lives in one file).
 */
export function isRawReadable(split: DataSplit, schema: TableSchema, deletionVectorsEnabled: boolean): boolean {
  if (!TableSchemas.isPrimaryKeyTable(schema)) return true;
  if (deletionVectorsEnabled) return split.runs.every((r) => r.level > 0);
  return split.runs.length <= 1 && split.runs.every((r) => r.files.every((f) => f.file.deleteRowCount === null || f.file.deleteRowCount === 0n));
}
