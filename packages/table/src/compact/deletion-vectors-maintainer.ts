/**
 * The deletion vectors of one partition-bucket while it is being compacted (Paimon's
 * `DeletionVectorsMaintainer` / `BucketedDvMaintainer`, release 2.0.0).
 *
 * It starts from the bucket's DELETION_VECTORS index file of the snapshot the writer
 * opened, takes new deletions (rows of files above level 0 that a compaction found a
 * newer version for) and drops the vectors of files that compaction removed. At commit,
 * when anything changed, all vectors of the bucket are written into ONE new index file
 * `index/index-<uuid>-<n>` (format: dv-index-file.ts in @streamhouse/format), which
 * replaces the old one: the commit message names the new file and the old ones.
 */
import { randomUUID } from "node:crypto";
import type { FileIO } from "@streamhouse/fileio";
import {
  Bitmap64DeletionVector,
  BitmapDeletionVector,
  DELETION_VECTORS_INDEX_TYPE,
  type DeletionVector,
  decodeDeletionVectorAt,
  encodeDvIndexFile,
  ErrorKind,
  type IndexFileMeta,
  StreamhouseError,
} from "@streamhouse/format";
import { TablePaths } from "../table-paths.js";

export interface IndexFileChanges {
  readonly newIndexFiles: readonly IndexFileMeta[];
  readonly deletedIndexFiles: readonly IndexFileMeta[];
}

export class DeletionVectorsMaintainer {
  private readonly vectors = new Map<string, DeletionVector>();
  private modified = false;
  private counter = 0;
  private readonly uuid: string;

  private constructor(
    private readonly io: FileIO,
    private readonly tablePath: string,
    private readonly bitmap64: boolean,
    /** The bucket's index files the live vectors came from. */
    private liveIndexFiles: IndexFileMeta[],
    uuid: string,
  ) {
    this.uuid = uuid;
  }

  /** Reads the vectors of `indexFiles` (the bucket's DELETION_VECTORS files of one snapshot). */
  static async restore(
    io: FileIO,
    tablePath: string,
    indexFiles: readonly IndexFileMeta[],
    options: { readonly bitmap64: boolean; readonly uuid?: string },
  ): Promise<DeletionVectorsMaintainer> {
    const dvFiles = indexFiles.filter((f) => f.indexType === DELETION_VECTORS_INDEX_TYPE);
    const m = new DeletionVectorsMaintainer(io, tablePath, options.bitmap64, dvFiles, options.uuid ?? randomUUID());
    for (const f of dvFiles) {
      const path = f.externalPath ?? TablePaths.indexFile(tablePath, f.fileName);
      const bytes = await io.read(path);
      for (const r of f.deletionVectorRanges ?? []) m.vectors.set(r.dataFileName, decodeDeletionVectorAt(bytes, r.offset, r.length, path));
    }
    return m;
  }

  /** A bucket without vectors yet. */
  static empty(io: FileIO, tablePath: string, options: { readonly bitmap64: boolean; readonly uuid?: string }): DeletionVectorsMaintainer {
    return new DeletionVectorsMaintainer(io, tablePath, options.bitmap64, [], options.uuid ?? randomUUID());
  }

  deletionVectorOf(fileName: string): DeletionVector | null {
    return this.vectors.get(fileName) ?? null;
  }

  hasDeletionVector(fileName: string): boolean {
    const dv = this.vectors.get(fileName);
    return dv !== undefined && !dv.isEmpty;
  }

  /** Marks row `position` of `fileName` deleted. */
  notifyNewDeletion(fileName: string, position: number): void {
    let dv = this.vectors.get(fileName);
    if (dv === undefined) {
      dv = this.bitmap64 ? new Bitmap64DeletionVector() : new BitmapDeletionVector();
      this.vectors.set(fileName, dv);
    }
    if (dv.delete(position)) this.modified = true;
  }

  /** Forgets the vector of a file compaction removed. */
  removeDeletionVectorOf(fileName: string): void {
    if (this.vectors.delete(fileName)) this.modified = true;
  }

  /** Writes a new index file when the vectors changed since the last call. */
  async prepareCommit(): Promise<IndexFileChanges> {
    if (!this.modified) return { newIndexFiles: [], deletedIndexFiles: [] };
    this.modified = false;
    const deleted = this.liveIndexFiles;
    const live = [...this.vectors].filter(([, dv]) => !dv.isEmpty).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (live.length === 0) {
      this.liveIndexFiles = [];
      return { newIndexFiles: [], deletedIndexFiles: deleted };
    }
    const { bytes, ranges } = encodeDvIndexFile(live);
    const fileName = `index-${this.uuid}-${this.counter++}`;
    const path = TablePaths.indexFile(this.tablePath, fileName);
    if (!(await this.io.writeIfAbsent(path, bytes))) {
      throw new StreamhouseError(ErrorKind.AlreadyExists, `index file ${path} already exists`, { context: { file: path } });
    }
    const meta: IndexFileMeta = {
      indexType: DELETION_VECTORS_INDEX_TYPE,
      fileName,
      fileSize: BigInt(bytes.length),
      rowCount: BigInt(ranges.length),
      deletionVectorRanges: ranges.map((r) => ({ dataFileName: r.dataFileName, offset: r.offset, length: r.length, cardinality: BigInt(r.cardinality) })),
      externalPath: null,
      globalIndex: null,
    };
    this.liveIndexFiles = [meta];
    return { newIndexFiles: [meta], deletedIndexFiles: deleted };
  }
}
