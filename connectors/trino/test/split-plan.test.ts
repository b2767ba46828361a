/**
 * Split units: raw-readable buckets cut between files, merge buckets cut only between
 * sections of non-overlapping key ranges, both packed up to the target size.
 */
import type { ManifestEntry } from "@streamhouse/format";
import type { DataSplit } from "@streamhouse/table";
import { describe, expect, it } from "vitest";
import { fileSections, planUnits } from "../src/split-plan.js";

/** A file covering keys min..max (one-byte keys), of `size` bytes. */
function file(name: string, min: number, max: number, size = 10): ManifestEntry {
  return {
    partition: new Uint8Array([1]),
    bucket: 0,
    file: { fileName: name, minKey: new Uint8Array([min]), maxKey: new Uint8Array([max]), fileSize: BigInt(size), level: 0 },
  } as unknown as ManifestEntry;
}

const order = (a: Uint8Array, b: Uint8Array) => a[0]! - b[0]!;

function split(files: ManifestEntry[]): DataSplit {
  return { snapshotId: 1, partition: new Uint8Array([1]), bucket: 0, totalBuckets: 1, runs: files.map((f) => ({ level: 0, files: [f] })), deletionVectors: new Map(), rowCount: 0 };
}

const names = (sections: ManifestEntry[][]) => sections.map((s) => s.map((e) => e.file.fileName).sort());

describe("fileSections", () => {
  it("keeps overlapping key ranges together", () => {
    const files = [file("a", 0, 10), file("b", 5, 15), file("c", 16, 20), file("d", 21, 30), file("e", 25, 26)];
    expect(names(fileSections(files, false, order))).toEqual([["a", "b"], ["c"], ["d", "e"]]);
  });

  it("puts every file on its own when the bucket needs no merge", () => {
    expect(names(fileSections([file("a", 0, 10), file("b", 5, 15)], true, order))).toEqual([["a"], ["b"]]);
  });
});

describe("planUnits", () => {
  it("packs sections up to the target size, never splitting one", () => {
    const files = [file("a", 0, 10, 40), file("b", 5, 15, 40), file("c", 16, 20, 30), file("d", 21, 30, 30), file("e", 31, 40, 30)];
    const units = planUnits([split(files)], { targetBytes: 70, rawReadable: () => false, compareKeys: order });
    expect(units.map((u) => [...u.files].sort())).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(units.map((u) => u.bytes)).toEqual([80, 60, 30]);
    expect(units.every((u) => u.partition === "01" && u.bucket === 0)).toBe(true);
  });

  it("gives a small bucket one unit", () => {
    const units = planUnits([split([file("a", 0, 10), file("b", 5, 15)])], { targetBytes: 1 << 20, rawReadable: () => true, compareKeys: order });
    expect(units).toHaveLength(1);
  });
});
