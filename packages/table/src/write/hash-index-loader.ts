/**
 * Reads the HASH index of a dynamic-bucket table one partition at a time, from the index
 * manifest entries of the snapshot a writer opened (Paimon's `PartitionIndex.loadIndex`
 * and the maintainer's restore, release 2.0.0). A partition's files are read once, the
 * first time the writer sees the partition, and serve both the partition's bucket
 * assigner and the per-bucket maintainers.
 */
import type { FileIO } from "@streamhouse/fileio";
import { decodeHashIndexFile, EMPTY_BINARY_ROW_BYTES, ErrorKind, HASH_INDEX_TYPE, type IndexManifestEntry, StreamhouseError } from "@streamhouse/format";
import { TablePaths } from "../table-paths.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A partition's HASH files as (bucket, hashes), in index manifest order. */
export type PartitionHashes = ReadonlyMap<number, Int32Array>;

export class HashIndexLoader {
  /** HASH entries of the snapshot, by partition (hex of its serialized BinaryRow). */
  private readonly byPartition = new Map<string, IndexManifestEntry[]>();

  constructor(
    private readonly io: FileIO,
    private readonly tablePath: string,
    indexEntries: readonly IndexManifestEntry[],
  ) {
    for (const e of indexEntries) {
      if (e.kind !== 0 || e.indexFile.indexType !== HASH_INDEX_TYPE) continue;
      // The empty row (unpartitioned tables) is keyed by our own bytes of it.
      const key = hex(e.partition.length === EMPTY_BINARY_ROW_BYTES.length ? EMPTY_BINARY_ROW_BYTES : e.partition);
      const list = this.byPartition.get(key);
      if (list === undefined) this.byPartition.set(key, [e]);
      else list.push(e);
    }
  }

  /** Reads the HASH files of `partition` (hex key as above). */
  async load(partitionKey: string): Promise<PartitionHashes> {
    const out = new Map<number, Int32Array>();
    for (const e of this.byPartition.get(partitionKey) ?? []) {
      const f = e.indexFile;
      if (out.has(e.bucket)) {
        throw new StreamhouseError(ErrorKind.DataInvalid, `two HASH index files for bucket ${e.bucket} of one partition`, {
          context: { bucket: e.bucket, file: f.fileName },
        });
      }
      const path = f.externalPath ?? TablePaths.indexFile(this.tablePath, f.fileName);
      const hashes = decodeHashIndexFile(await this.io.read(path), path);
      if (BigInt(hashes.length) !== f.rowCount) {
        throw new StreamhouseError(ErrorKind.DataInvalid, `HASH index file holds ${hashes.length} hashes but its manifest row says ${f.rowCount}`, {
          context: { file: path, bucket: e.bucket },
        });
      }
      out.set(e.bucket, hashes);
    }
    return out;
  }
}
