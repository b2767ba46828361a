/**
 * The HASH index of one partition-bucket of a dynamic-bucket table while a writer has it
 * open (Paimon's `DynamicBucketIndexMaintainer`, release 2.0.0).
 *
 * It starts from the bucket's HASH index file of the snapshot the writer opened and adds
 * the key hash of every record written to the bucket — deletes included, as Java does.
 * At a checkpoint, when a hash was added since the last one, ALL hashes of the bucket go
 * into ONE new file `index/index-<uuid>-<n>` (format: hash-index-file.ts in
 * @streamhouse/format). The commit message names only the new file: the index manifest
 * keeps one HASH file per partition-bucket, so the new entry replaces the old one
 * (index-manifest-combine.ts), exactly as Java's commit does — no DELETE entry.
 */
import { randomUUID } from "node:crypto";
import type { FileIO } from "@streamhouse/fileio";
import { encodeHashIndexFile, ErrorKind, HASH_INDEX_TYPE, type IndexFileMeta, StreamhouseError } from "@streamhouse/format";
import { TablePaths } from "../table-paths.js";

export class HashIndexMaintainer {
  private readonly hashes: Set<number>;
  private modified = false;
  private counter = 0;

  constructor(
    private readonly io: FileIO,
    private readonly tablePath: string,
    /** The bucket's hashes in the snapshot the writer opened (none for a new bucket). */
    restored: ArrayLike<number> = [],
    private readonly uuid: string = randomUUID(),
  ) {
    this.hashes = new Set(Array.from(restored));
  }

  /** Records the key hash of a record written to the bucket. */
  notifyNewKey(hash: number): void {
    if (this.hashes.has(hash)) return;
    this.hashes.add(hash);
    this.modified = true;
  }

  get size(): number {
    return this.hashes.size;
  }

  /** Writes the bucket's new index file when a hash was added since the last call. */
  async prepareCommit(): Promise<IndexFileMeta[]> {
    if (!this.modified) return [];
    const bytes = encodeHashIndexFile(Int32Array.from(this.hashes));
    const fileName = `index-${this.uuid}-${this.counter++}`;
    const path = TablePaths.indexFile(this.tablePath, fileName);
    if (!(await this.io.writeIfAbsent(path, bytes))) {
      throw new StreamhouseError(ErrorKind.AlreadyExists, `index file ${path} already exists`, { context: { file: path } });
    }
    this.modified = false;
    return [
      {
        indexType: HASH_INDEX_TYPE,
        fileName,
        fileSize: BigInt(bytes.length),
        rowCount: BigInt(this.hashes.size),
        deletionVectorRanges: null,
        externalPath: null,
        globalIndex: null,
      },
    ];
  }
}
