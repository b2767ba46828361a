/**
 * Finding a key's newest version in the levels from `startLevel` down (Paimon's
 * `LookupLevels`, release 2.0.0): levels ≥ 1 are each one run of non-overlapping
 * files, so at most one file per level can hold the key, found by its key range; that
 * file is loaded once into a local cache (records sorted by key with their row
 * positions) and searched by bisection. Rows a deletion vector marks deleted are not
 * found: a newer version of the key exists elsewhere.
 *
 * The cache is bounded by records (least recently used files are dropped first), and
 * files leaving the tree are dropped with `dropFile`. Java keeps these caches as local
 * lookup files on disk; we keep them in memory.
 */
import type { DataFileMeta, DataType, DeletionVector, Row } from "@streamhouse/format";
import { decodeBinaryRow } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { RecordComparator } from "../merge/record-comparator.js";
import type { Levels } from "./levels.js";

/** A record of a data file with its row position (what a deletion vector indexes). */
export interface PositionedKeyValue {
  readonly kv: KeyValue;
  readonly fileName: string;
  readonly position: number;
}

export interface LookupLevelsOptions {
  readonly keyTypes: readonly DataType[];
  readonly keyComparator: RecordComparator;
  /** Every record of a file with its position, in file order. */
  readonly load: (file: DataFileMeta) => Promise<readonly { readonly kv: KeyValue; readonly position: number }[]>;
  readonly deletionVector?: (fileName: string) => DeletionVector | null;
  /** Records kept in the cache at most (default 1,000,000). */
  readonly cacheMaxRecords?: number;
}

interface CachedFile {
  readonly records: readonly { readonly kv: KeyValue; readonly position: number }[];
}

export class LookupLevels {
  private readonly cache = new Map<string, CachedFile>();
  private cachedRecords = 0;
  private readonly ranges = new WeakMap<DataFileMeta, { min: Row; max: Row }>();
  private readonly cacheMaxRecords: number;

  constructor(
    private readonly levels: Levels,
    private readonly options: LookupLevelsOptions,
  ) {
    this.cacheMaxRecords = options.cacheMaxRecords ?? 1_000_000;
  }

  /** The newest live version of `key` in levels `startLevel` … max, or null. */
  async lookup(key: Row, startLevel: number): Promise<PositionedKeyValue | null> {
    for (let level = Math.max(1, startLevel); level <= this.levels.maxLevel; level++) {
      const file = this.fileFor(this.levels.filesOf(level), key);
      if (file === null) continue;
      const hit = await this.lookupInFile(file, key);
      if (hit !== null) return hit;
    }
    return null;
  }

  /** Forgets a file that left the tree (or whose content changed level). */
  dropFile(fileName: string): void {
    const c = this.cache.get(fileName);
    if (c === undefined) return;
    this.cache.delete(fileName);
    this.cachedRecords -= c.records.length;
  }

  /** Empties the cache. */
  clear(): void {
    this.cache.clear();
    this.cachedRecords = 0;
  }

  get cachedFiles(): number {
    return this.cache.size;
  }

  private range(file: DataFileMeta): { min: Row; max: Row } {
    let r = this.ranges.get(file);
    if (r === undefined) {
      r = { min: decodeBinaryRow(this.options.keyTypes, file.minKey), max: decodeBinaryRow(this.options.keyTypes, file.maxKey) };
      this.ranges.set(file, r);
    }
    return r;
  }

  /** The file of a run (ordered by min key, non-overlapping) whose range holds `key`. */
  private fileFor(files: readonly DataFileMeta[], key: Row): DataFileMeta | null {
    const cmp = this.options.keyComparator;
    let lo = 0;
    let hi = files.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.range(files[mid]!);
      if (cmp(key, r.min) < 0) hi = mid - 1;
      else if (cmp(key, r.max) > 0) lo = mid + 1;
      else return files[mid]!;
    }
    return null;
  }

  private async lookupInFile(file: DataFileMeta, key: Row): Promise<PositionedKeyValue | null> {
    const cached = await this.load(file);
    const cmp = this.options.keyComparator;
    const records = cached.records;
    let lo = 0;
    let hi = records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = cmp(records[mid]!.kv.key, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else {
        const hit = records[mid]!;
        if (this.options.deletionVector?.(file.fileName)?.isDeleted(hit.position)) return null;
        return { kv: hit.kv, fileName: file.fileName, position: hit.position };
      }
    }
    return null;
  }

  private async load(file: DataFileMeta): Promise<CachedFile> {
    const hit = this.cache.get(file.fileName);
    if (hit !== undefined) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.cache.delete(file.fileName);
      this.cache.set(file.fileName, hit);
      return hit;
    }
    const loaded: CachedFile = { records: await this.options.load(file) };
    this.cache.set(file.fileName, loaded);
    this.cachedRecords += loaded.records.length;
    for (const [name, c] of this.cache) {
      if (this.cachedRecords <= this.cacheMaxRecords || name === file.fileName) break;
      this.cache.delete(name);
      this.cachedRecords -= c.records.length;
    }
    return loaded;
  }
}
