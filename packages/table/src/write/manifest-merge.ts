/**
 * Merging the manifests of the previous snapshot into the new base list (mirrors
 * Paimon's `ManifestFileMerger`, release 2.0.0).
 *
 * Without merging, every commit would add a manifest to the base list forever.
 * Two strategies, the first that applies wins:
 *
 * - Full compaction, when the manifests that "must change" — those holding DELETE
 *   entries or smaller than the target size — add up to at least
 *   `manifest.full-compaction-threshold-size` (16 MB): every DELETE entry is applied
 *   and dropped, the ADD entries it cancels are dropped, and the manifests touched are
 *   rewritten at the target size. Large manifests without deletes whose partition
 *   range cannot contain a deleted file are kept as they are.
 * - Minor compaction: walking the list in order, runs of manifests that together reach
 *   `manifest.target-file-size` (8 MB) are merged into one; the tail run is merged too
 *   if it has at least `manifest.merge-min-count` (30) manifests. Merging a run
 *   cancels ADD/DELETE pairs inside it and keeps DELETE entries whose ADD lies in an
 *   earlier manifest.
 *
 * The result reads to the same live files as the input; only the files differ.
 */
import {
  type DataType,
  dataInvalid,
  decodeBinaryRow,
  FileKind,
  type ManifestEntry,
  type ManifestFileMeta,
  type Value,
} from "@streamhouse/format";
import { compareValues } from "../merge/compare-values.js";
import { fileIdentifier } from "../scan/file-entries.js";
import type { ManifestWriter } from "./manifest-writer.js";

export interface ManifestMergeOptions {
  readonly targetFileSizeBytes: number;
  readonly mergeMinCount: number;
  readonly fullCompactionThresholdBytes: number;
  readonly partitionTypes: readonly DataType[];
}

export interface ManifestMergeIO {
  readonly read: (fileName: string) => Promise<readonly ManifestEntry[]>;
  readonly writer: ManifestWriter;
}

export async function mergeManifests(input: readonly ManifestFileMeta[], io: ManifestMergeIO, options: ManifestMergeOptions): Promise<ManifestFileMeta[]> {
  const full = await tryFullCompaction(input, io, options);
  return full ?? (await minorCompaction(input, io, options));
}

/**
 * Applies `entries` in order the way a run of manifests is merged: an ADD then a
 * DELETE of one file cancel out; a DELETE with no ADD before it stays (its ADD is in
 * an earlier manifest). An ADD of a file already present is an error — Paimon adds a
 * file identifier at most once.
 */
export function mergeEntriesKeepingDeletes(entries: Iterable<ManifestEntry>): ManifestEntry[] {
  const map = new Map<string, ManifestEntry>();
  for (const e of entries) {
    const id = fileIdentifier(e);
    if (e.kind === FileKind.ADD) {
      if (map.has(id)) throw dataInvalid(`data file ${e.file.fileName} is added while already present`, { bucket: e.bucket, file: e.file.fileName });
      map.set(id, e);
    } else if (map.has(id)) {
      map.delete(id);
    } else {
      map.set(id, e);
    }
  }
  return [...map.values()];
}

async function minorCompaction(input: readonly ManifestFileMeta[], io: ManifestMergeIO, options: ManifestMergeOptions): Promise<ManifestFileMeta[]> {
  const result: ManifestFileMeta[] = [];
  let candidates: ManifestFileMeta[] = [];
  let totalSize = 0;
  for (const m of input) {
    totalSize += Number(m.fileSize);
    candidates.push(m);
    if (totalSize >= options.targetFileSizeBytes) {
      await mergeCandidates(candidates, io, result);
      candidates = [];
      totalSize = 0;
    }
  }
  if (candidates.length >= options.mergeMinCount) await mergeCandidates(candidates, io, result);
  else result.push(...candidates);
  return result;
}

async function mergeCandidates(candidates: readonly ManifestFileMeta[], io: ManifestMergeIO, result: ManifestFileMeta[]): Promise<void> {
  if (candidates.length === 1) {
    result.push(candidates[0]!);
    return;
  }
  const entries: ManifestEntry[] = [];
  for (const m of candidates) entries.push(...(await io.read(m.fileName)));
  const merged = mergeEntriesKeepingDeletes(entries);
  if (merged.length > 0) result.push(...(await io.writer.writeManifests(merged)));
}

async function tryFullCompaction(input: readonly ManifestFileMeta[], io: ManifestMergeIO, options: ManifestMergeOptions): Promise<ManifestFileMeta[] | null> {
  const mustChange = (m: ManifestFileMeta): boolean => m.numDeletedFiles > 0n || Number(m.fileSize) < options.targetFileSizeBytes;
  let deltaSize = 0;
  for (const m of input) if (mustChange(m)) deltaSize += Number(m.fileSize);
  if (deltaSize < options.fullCompactionThresholdBytes) return null;

  // Every deleted identifier, and the partitions they are in.
  const deleted = new Set<string>();
  const deletedPartitions = new Map<string, Uint8Array>();
  for (const m of input) {
    if (m.numDeletedFiles === 0n) continue;
    for (const e of await io.read(m.fileName)) {
      if (e.kind !== FileKind.DELETE) continue;
      deleted.add(fileIdentifier(e));
      deletedPartitions.set(Buffer.from(e.partition).toString("latin1"), e.partition);
    }
  }

  // Manifests that need no change and cannot hold a deleted file stay as they are.
  const mayHoldDeleted = partitionRangeTest(options.partitionTypes, [...deletedPartitions.values()]);
  const result: ManifestFileMeta[] = [];
  const toMerge: ManifestFileMeta[] = [];
  for (const m of input) {
    if (!mustChange(m) && (deleted.size === 0 || !mayHoldDeleted(m))) result.push(m);
    else toMerge.push(m);
  }
  if (toMerge.length <= 1) return null;

  const rewritten: ManifestEntry[] = [];
  for (const m of toMerge) {
    let requireChange = mustChange(m);
    const kept: ManifestEntry[] = [];
    for (const e of await io.read(m.fileName)) {
      if (e.kind === FileKind.DELETE) continue;
      if (deleted.has(fileIdentifier(e))) requireChange = true;
      else kept.push(e);
    }
    if (requireChange) rewritten.push(...kept);
    else result.push(m);
  }
  result.push(...(await io.writer.writeManifests(rewritten)));
  return result;
}

/**
 * Whether a manifest's partition statistics admit one of `partitions`: for every
 * partition field, some partition's value lies in the manifest's [min, max] (or is
 * null and the manifest has nulls there). Unpartitioned tables: always.
 */
function partitionRangeTest(types: readonly DataType[], partitions: readonly Uint8Array[]): (m: ManifestFileMeta) => boolean {
  if (types.length === 0) return () => true;
  const rows = partitions.map((p) => decodeBinaryRow(types, p, { field: "_PARTITION" }));
  return (m) => {
    const s = m.partitionStats;
    let min: (Value | null)[];
    let max: (Value | null)[];
    try {
      min = decodeBinaryRow(types, s.minValues);
      max = decodeBinaryRow(types, s.maxValues);
    } catch {
      return true; // statistics we cannot read never rule a manifest out
    }
    for (let i = 0; i < types.length; i++) {
      const t = types[i]!;
      const lo = min[i] ?? null;
      const hi = max[i] ?? null;
      const nullCount = s.nullCounts?.[i] ?? null;
      const admits = rows.some((row) => {
        const v = row[i] ?? null;
        if (v === null) return nullCount === null || nullCount > 0n;
        if (lo === null || hi === null) return false;
        return compareValues(t, v, lo) >= 0 && compareValues(t, v, hi) <= 0;
      });
      if (!admits) return false;
    }
    return true;
  };
}
