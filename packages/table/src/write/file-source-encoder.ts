/**
 * An encoder whose files carry another `_FILE_SOURCE` (e.g. COMPACT for files written by
 * compaction), keeping the inner encoder's column batches (rolling-file-writer.ts) so the
 * records of a file are held in its compact form, not as objects.
 */
import type { DataFileMeta, FileSource } from "@streamhouse/format";
import type { DataFileBatch, DataFileEncoder } from "./rolling-file-writer.js";

export function withFileSource<T>(encoder: DataFileEncoder<T>, fileSource: FileSource): DataFileEncoder<T> {
  const mark = (meta: DataFileMeta): DataFileMeta => ({ ...meta, fileSource });
  const wrapped: DataFileEncoder<T> = {
    encode: (records) => encoder.encode(records),
    meta: (records, fileName, fileSize) => mark(encoder.meta(records, fileName, fileSize)),
  };
  if (encoder.newBatch === undefined) return wrapped;
  return {
    ...wrapped,
    newBatch: (): DataFileBatch<T> => {
      const batch = encoder.newBatch!();
      return {
        get length() {
          return batch.length;
        },
        add: (record) => batch.add(record),
        encode: () => batch.encode(),
        meta: (fileName, fileSize) => mark(batch.meta(fileName, fileSize)),
      };
    },
  };
}
