/**
 * Files written by compaction carry `_FILE_SOURCE` COMPACT (Paimon's `FileSource.COMPACT`,
 * release 2.0.0); the writers' encoders describe new data (APPEND), so compaction wraps
 * them — keeping their columnar batch path, so compaction's output files are held in
 * compact form rather than as objects.
 */
import { FileSource } from "@streamhouse/format";
import { withFileSource } from "../write/file-source-encoder.js";
import type { DataFileEncoder } from "../write/rolling-file-writer.js";

export function compactFileEncoder<T>(encoder: DataFileEncoder<T>): DataFileEncoder<T> {
  return withFileSource(encoder, FileSource.COMPACT);
}
