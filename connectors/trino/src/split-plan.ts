/**
 * Trino splits from a table's read plan — pure. One split per partition-bucket, and
 * finer for large buckets:
 *
 * - a bucket whose files can be read without merging (append tables, deletion-vector
 *   tables, a primary-key bucket whose keys each live in one file) is cut between
 *   files, packing files up to `targetBytes` per split;
 * - a bucket that needs merge-on-read is cut into sections of files whose key ranges
 *   do not overlap any file of another section (Paimon's `IntervalPartition`, release
 *   2.0.0): every version of a key lies in one section, so each section merges on its
 *   own; sections are packed up to `targetBytes`.
 *
 * A split names its files, so reading it opens exactly those files.
 */
import type { ManifestEntry } from "@streamhouse/format";
import type { DataSplit } from "@streamhouse/table";

export interface SplitUnit {
  /** Partition BinaryRow bytes as hex. */
  readonly partition: string;
  readonly bucket: number;
  /** File names read by this unit. */
  readonly files: readonly string[];
  /** Total file bytes, for packing and observability. */
  readonly bytes: number;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Orders serialized keys (min/max keys of files) by value. */
export type KeyOrder = (a: Uint8Array, b: Uint8Array) => number;

/**
 * Groups of files that must be read together: sections of overlapping key ranges
 * (ordered by min key), or — when `rawReadable` — every file on its own.
 */
export function fileSections(files: readonly ManifestEntry[], rawReadable: boolean, compareKeys: KeyOrder): ManifestEntry[][] {
  if (rawReadable) return files.map((f) => [f]);
  const sorted = [...files].sort((a, b) => compareKeys(a.file.minKey, b.file.minKey) || compareKeys(a.file.maxKey, b.file.maxKey));
  const sections: ManifestEntry[][] = [];
  let current: ManifestEntry[] = [];
  let bound: Uint8Array | null = null;
  for (const f of sorted) {
    if (bound !== null && compareKeys(f.file.minKey, bound) > 0) {
      sections.push(current);
      current = [];
      bound = null;
    }
    current.push(f);
    if (bound === null || compareKeys(f.file.maxKey, bound) > 0) bound = f.file.maxKey;
  }
  if (current.length > 0) sections.push(current);
  return sections;
}

/** Packs consecutive sections into units of at most `targetBytes` (a larger section stays whole). */
export function packSections(split: DataSplit, sections: readonly (readonly ManifestEntry[])[], targetBytes: number): SplitUnit[] {
  const units: SplitUnit[] = [];
  let files: string[] = [];
  let bytes = 0;
  const partition = hex(split.partition);
  for (const section of sections) {
    const size = section.reduce((n, e) => n + Number(e.file.fileSize), 0);
    if (files.length > 0 && bytes + size > targetBytes) {
      units.push({ partition, bucket: split.bucket, files, bytes });
      files = [];
      bytes = 0;
    }
    files.push(...section.map((e) => e.file.fileName));
    bytes += size;
  }
  if (files.length > 0) units.push({ partition, bucket: split.bucket, files, bytes });
  return units;
}

export interface PlanUnitsOptions {
  readonly targetBytes: number;
  /** Whether a split can be read without merging (see `isRawReadable` in @streamhouse/table). */
  readonly rawReadable: (split: DataSplit) => boolean;
  readonly compareKeys: KeyOrder;
}

/** The units of all splits, in split order. */
export function planUnits(splits: readonly DataSplit[], o: PlanUnitsOptions): SplitUnit[] {
  const out: SplitUnit[] = [];
  for (const split of splits) {
    const files = split.runs.flatMap((r) => r.files);
    if (files.length === 0) continue;
    out.push(...packSections(split, fileSections(files, o.rawReadable(split), o.compareKeys), o.targetBytes));
  }
  return out;
}
