/**
 * Files written by compaction carry `_FILE_SOURCE` COMPACT (Paimon's `FileSource.COMPACT`,
 * release 2.0.0); the writers' encoders describe new data (APPEND), so compaction wraps them.
 */
import { type DataFileMeta, FileSource } from "@streamhouse/format";
import type { DataFileEncoder } from "../write/rolling-file-writer.js";

export function compactFileEncoder<T>(encoder: DataFileEncoder<T>): DataFileEncoder<T> {
  return {
    encode: (records) => encoder.encode(records),
    meta: (records, fileName, fileSize): DataFileMeta => ({ ...encoder.meta(records, fileName, fileSize), fileSource: FileSource.COMPACT }),
  };
}
