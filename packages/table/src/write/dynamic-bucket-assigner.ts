/**
 * Which bucket a key of a dynamic-bucket primary-key table (`bucket = -1`) goes to,
 * within one partition (Paimon's `PartitionIndex` driven by `HashBucketAssigner`,
 * release 2.0.0, with a single assigner) — pure, no IO.
 *
 * The assigner starts from the partition's HASH index files of the snapshot the writer
 * opened (every key hash the partition has seen, per bucket) and then:
 *   1. a key hash seen before keeps its bucket — an upsert never moves a key, so a key
 *      lives in one bucket and merge-on-read within the bucket stays correct;
 *   2. otherwise the lowest-numbered bucket holding fewer than
 *      `dynamic-bucket.target-row-num` hashes takes it (a bucket's count is the number of
 *      hashes in its index file, deleted keys included, plus what this writer added);
 *   3. otherwise a new bucket opens: the lowest id not in use, below
 *      `dynamic-bucket.max-buckets` (-1: Java's limit of 32767 buckets per partition);
 *   4. with every id in use up to `max-buckets`, the key goes to an existing bucket.
 *      Java picks one at random; we pick by the hash (`buckets[|hash % n|]`) so runs
 *      repeat. Either choice is recorded in the index and so stays put.
 *
 * `dynamic-bucket.initial-buckets` and `dynamic-bucket.assigner-parallelism` size
 * Flink's assigner operators (several assigners split hashes and bucket ids between
 * them); they change no file, and one writer process is one assigner.
 *
 * One deviation from Java: Java skips step 3 when the assigner has already handed out
 * bucket `max-buckets - 1` in ANY partition, so a later partition may stay below the
 * limit; here each partition opens buckets up to the limit on its own. Both layouts are
 * valid: readers and writers only ever consult the index.
 */
import { ErrorKind, parseInteger, StreamhouseError } from "@streamhouse/format";
import type { CoreOptions } from "@streamhouse/format";

/** Java's `MAX_DYNAMIC_BUCKETS`: bucket ids of a dynamic-bucket partition are below this. */
export const MAX_DYNAMIC_BUCKETS = 32767;

export interface DynamicBucketOptions {
  /** `dynamic-bucket.target-row-num`: hashes per bucket before the next one opens. */
  readonly targetRowNum: number;
  /** `dynamic-bucket.max-buckets`: -1 (no limit but Java's) or 1..32767. */
  readonly maxBuckets: number;
}

export const DynamicBucketOptions = Object.freeze({
  of(options: CoreOptions): DynamicBucketOptions {
    const targetRowNum = options.dynamicBucketTargetRowNum();
    if (targetRowNum <= 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `dynamic-bucket.target-row-num must be positive, got ${targetRowNum}`, {
        context: { option: "dynamic-bucket.target-row-num" },
      });
    }
    const raw = options.get("dynamic-bucket.max-buckets");
    const maxBuckets = raw === undefined ? -1 : parseInteger(raw, "dynamic-bucket.max-buckets");
    if (maxBuckets !== -1 && (maxBuckets <= 0 || maxBuckets > MAX_DYNAMIC_BUCKETS)) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `dynamic-bucket.max-buckets must be -1 or between 1 and ${MAX_DYNAMIC_BUCKETS}, got ${maxBuckets}`, {
        context: { option: "dynamic-bucket.max-buckets" },
      });
    }
    return { targetRowNum, maxBuckets };
  },
});

/** The buckets of one partition and the key hashes each holds. */
export class PartitionBucketAssigner {
  private readonly bucketOfHash = new Map<number, number>();
  private readonly counts = new Map<number, number>();
  /** Every bucket in use, ascending. */
  private readonly buckets: number[] = [];
  /** Buckets that may still be below the target, ascending; full ones are dropped lazily. */
  private open: number[] = [];
  /** No id below this is free. */
  private freeFrom = 0;
  private readonly limit: number;

  /**
   * `restored`: the partition's HASH index files as (bucket, hashes), in index manifest
   * order; a hash listed under two buckets keeps the later one, as Java's loader does.
   */
  constructor(
    private readonly options: DynamicBucketOptions,
    restored: Iterable<readonly [number, ArrayLike<number>]> = [],
  ) {
    this.limit = options.maxBuckets === -1 ? MAX_DYNAMIC_BUCKETS : options.maxBuckets;
    for (const [bucket, hashes] of restored) {
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= MAX_DYNAMIC_BUCKETS) {
        throw new StreamhouseError(ErrorKind.DataInvalid, `a HASH index file names bucket ${bucket}, outside 0..${MAX_DYNAMIC_BUCKETS - 1}`, { context: { bucket } });
      }
      for (let i = 0; i < hashes.length; i++) this.bucketOfHash.set(hashes[i]!, bucket);
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + hashes.length);
    }
    this.buckets = [...this.counts.keys()].sort((a, b) => a - b);
    this.open = [...this.buckets];
  }

  /** The bucket of the key with `hash` (a signed int32), remembering new keys. */
  assign(hash: number): number {
    const known = this.bucketOfHash.get(hash);
    if (known !== undefined) return known;
    while (this.open.length > 0) {
      const b = this.open[0]!;
      const n = this.counts.get(b)!;
      if (n < this.options.targetRowNum) return this.remember(hash, b, n + 1);
      this.open.shift();
    }
    const fresh = this.nextFreeBucket();
    if (fresh !== null) {
      insertSorted(this.buckets, fresh);
      this.open = [fresh];
      return this.remember(hash, fresh, 1);
    }
    if (this.options.maxBuckets === -1) {
      throw new StreamhouseError(
        ErrorKind.Unsupported,
        `a partition would need more than ${MAX_DYNAMIC_BUCKETS} dynamic buckets; raise dynamic-bucket.target-row-num (now ${this.options.targetRowNum})`,
        { context: { option: "dynamic-bucket.target-row-num" } },
      );
    }
    const b = this.buckets[Math.abs(hash % this.buckets.length)]!;
    return this.remember(hash, b, this.counts.get(b)! + 1);
  }

  /** Buckets in use, ascending. */
  bucketIds(): readonly number[] {
    return this.buckets;
  }

  /** Hashes recorded for `bucket` (restored plus assigned). */
  hashCount(bucket: number): number {
    return this.counts.get(bucket) ?? 0;
  }

  private remember(hash: number, bucket: number, count: number): number {
    this.bucketOfHash.set(hash, bucket);
    this.counts.set(bucket, count);
    return bucket;
  }

  private nextFreeBucket(): number | null {
    while (this.freeFrom < this.limit && this.counts.has(this.freeFrom)) this.freeFrom++;
    return this.freeFrom < this.limit ? this.freeFrom : null;
  }
}

function insertSorted(xs: number[], x: number): void {
  let i = xs.length;
  while (i > 0 && xs[i - 1]! > x) i--;
  xs.splice(i, 0, x);
}
