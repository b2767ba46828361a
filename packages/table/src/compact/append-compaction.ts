/**
 * Picking small files of an append bucket to merge into bigger ones (Paimon's
 * `BucketedAppendCompactManager.pickCompactBefore` and its full compaction, release
 * 2.0.0) — pure. Files are taken in sequence order (rows keep their order); a window
 * slides over them until it holds at least `minFileNum` files reaching `targetFileSize`
 * together, or `maxFileNum` files. A full compaction rewrites every file after the
 * leading ones that are already at the target size.
 */
import type { DataFileMeta } from "@streamhouse/format";

export interface AppendCompactionConfig {
  readonly targetFileSize: number;
  /** `compaction.min.file-num` (5). */
  readonly minFileNum: number;
  /** `compaction.max.file-num` (50). */
  readonly maxFileNum: number;
}

export function bySequence(files: readonly DataFileMeta[]): DataFileMeta[] {
  return [...files].sort((a, b) => (a.minSequenceNumber < b.minSequenceNumber ? -1 : a.minSequenceNumber > b.minSequenceNumber ? 1 : 0));
}

export function pickAppendCompaction(files: readonly DataFileMeta[], config: AppendCompactionConfig): DataFileMeta[] | null {
  const window: DataFileMeta[] = [];
  let size = 0;
  for (const f of bySequence(files)) {
    if (Number(f.fileSize) >= config.targetFileSize) {
      window.length = 0;
      size = 0;
      continue;
    }
    window.push(f);
    size += Number(f.fileSize);
    if ((size >= config.targetFileSize && window.length >= config.minFileNum) || window.length >= config.maxFileNum) return window;
    if (size >= config.targetFileSize) size -= Number(window.shift()!.fileSize);
  }
  return null;
}

export function pickAppendFullCompaction(files: readonly DataFileMeta[], targetFileSize: number): DataFileMeta[] | null {
  const sorted = bySequence(files);
  let start = 0;
  while (start < sorted.length && Number(sorted[start]!.fileSize) >= targetFileSize) start++;
  const rest = sorted.slice(start);
  return rest.length > 1 ? rest : null;
}
