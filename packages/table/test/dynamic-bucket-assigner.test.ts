import { describe, expect, it } from "vitest";
import { CoreOptions, ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { DynamicBucketOptions, MAX_DYNAMIC_BUCKETS, PartitionBucketAssigner } from "../src/write/dynamic-bucket-assigner.js";

const opts = (targetRowNum: number, maxBuckets = -1): DynamicBucketOptions => ({ targetRowNum, maxBuckets });

function thrownKind(fn: () => unknown): string | null {
  try {
    fn();
  } catch (e) {
    return isStreamhouseError(e) ? e.kind : "not a StreamhouseError";
  }
  return null;
}

describe("dynamic bucket options", () => {
  it("reads Paimon's names and defaults", () => {
    expect(DynamicBucketOptions.of(new CoreOptions({}))).toEqual({ targetRowNum: 2_000_000, maxBuckets: -1 });
    expect(DynamicBucketOptions.of(new CoreOptions({ "dynamic-bucket.target-row-num": "5", "dynamic-bucket.max-buckets": "3" }))).toEqual({
      targetRowNum: 5,
      maxBuckets: 3,
    });
  });

  it("rejects values Java rejects", () => {
    const bads: Record<string, string>[] = [{ "dynamic-bucket.max-buckets": "0" }, { "dynamic-bucket.max-buckets": "32768" }, { "dynamic-bucket.max-buckets": "-2" }, { "dynamic-bucket.target-row-num": "0" }, { "dynamic-bucket.max-buckets": "x" }];
    for (const bad of bads) {
      expect(thrownKind(() => DynamicBucketOptions.of(new CoreOptions(bad))), JSON.stringify(bad)).toBe(ErrorKind.InvalidArgument);
    }
  });
});

describe("PartitionBucketAssigner", () => {
  it("fills bucket 0 up to the target, then opens bucket 1, 2…", () => {
    const a = new PartitionBucketAssigner(opts(3));
    expect([10, 11, 12, 13, 14, 15, 16].map((h) => a.assign(h))).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(a.bucketIds()).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((b) => a.hashCount(b))).toEqual([3, 3, 1]);
  });

  it("keeps a known hash in its bucket, without counting it again", () => {
    const a = new PartitionBucketAssigner(opts(2));
    expect([1, 2, 3].map((h) => a.assign(h))).toEqual([0, 0, 1]);
    expect([3, 1, 2, 1].map((h) => a.assign(h))).toEqual([1, 0, 0, 0]);
    expect(a.hashCount(0)).toBe(2);
    expect(a.hashCount(1)).toBe(1);
  });

  it("starts from restored index files: their keys stay, the least-numbered non-full bucket takes new ones", () => {
    // Bucket 0 full, bucket 2 has room, bucket 1 missing (a gap, e.g. Flink's assigners).
    const a = new PartitionBucketAssigner(opts(3), [
      [2, Int32Array.from([-7])],
      [0, Int32Array.from([100, 200, 300])],
    ]);
    expect(a.assign(200)).toBe(0);
    expect(a.assign(-7)).toBe(2);
    expect([1, 2, 3, 4].map((h) => a.assign(h))).toEqual([2, 2, 1, 1]);
    expect(a.bucketIds()).toEqual([0, 1, 2]);
    expect(a.assign(5)).toBe(1);
    expect(a.assign(6)).toBe(3);
  });

  it("a hash listed under two buckets keeps the later file's bucket (Java's loader)", () => {
    const a = new PartitionBucketAssigner(opts(10), [
      [0, Int32Array.from([1, 2])],
      [1, Int32Array.from([2])],
    ]);
    expect(a.assign(2)).toBe(1);
    expect(a.hashCount(0)).toBe(2);
  });

  it("with max-buckets reached, new keys go to existing buckets by hash, and stay there", () => {
    const a = new PartitionBucketAssigner(opts(1, 2));
    expect([7, 8].map((h) => a.assign(h))).toEqual([0, 1]);
    const spill = [9, 10, -11, 12, -13].map((h) => a.assign(h));
    expect(spill).toEqual([1, 0, 1, 0, 1]);
    expect([9, 10, -11].map((h) => a.assign(h))).toEqual([1, 0, 1]);
    expect(a.bucketIds()).toEqual([0, 1]);
  });

  it("without max-buckets, running out of Java's 32767 bucket ids is a typed error", () => {
    const restored: [number, Int32Array][] = Array.from({ length: MAX_DYNAMIC_BUCKETS }, (_, b) => [b, Int32Array.from([b])]);
    const a = new PartitionBucketAssigner(opts(1), restored);
    expect(a.assign(5)).toBe(5);
    expect(thrownKind(() => a.assign(-1))).toBe(ErrorKind.Unsupported);
  });

  it("refuses a restored bucket id outside Java's range", () => {
    expect(thrownKind(() => new PartitionBucketAssigner(opts(1), [[MAX_DYNAMIC_BUCKETS, Int32Array.from([1])]]))).toBe(ErrorKind.DataInvalid);
    expect(thrownKind(() => new PartitionBucketAssigner(opts(1), [[-1, Int32Array.from([1])]]))).toBe(ErrorKind.DataInvalid);
  });
});
