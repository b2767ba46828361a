import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { isStreamhouseError } from "@streamhouse/format";
import { FileStoreTable, inspectTable, planSnapshot } from "@streamhouse/table";
import { vectorTables } from "../../format/test/vectors.js";

interface Expected {
  snapshots: number;
  primaryKeys: string[];
  partitionKeys: string[];
  bucketKeys: string[];
  bucket: number;
  partitions: (string | null)[][];
  mergeEngine?: string;
  deletionVectors?: boolean;
}

const expected = JSON.parse(readFileSync(new URL("./fixtures/vector-tables.json", import.meta.url), "utf8")) as Record<string, Expected>;
const io = new LocalFileIO();

describe("inspect agrees with each Java vector table's README", () => {
  const tables = vectorTables();
  it("has a fixture for every vector table", () => {
    expect(tables.map((t) => t.name).sort()).toEqual(Object.keys(expected).filter((k) => !k.startsWith("_")).sort());
  });

  for (const { name, dir } of tables) {
    it(name, async () => {
      const want = expected[name]!;
      const table = await FileStoreTable.open(io, dir);
      const r = await inspectTable(table);
      expect(r.snapshots.count).toBe(want.snapshots);
      expect(r.snapshot?.id).toBe(want.snapshots);
      expect(r.schema.primaryKeys).toEqual(want.primaryKeys);
      expect(r.schema.partitionKeys).toEqual(want.partitionKeys);
      expect(r.schema.bucketKeys).toEqual(want.bucketKeys);
      expect(r.schema.bucket).toBe(want.bucket);
      if (want.mergeEngine !== undefined) expect(r.schema.mergeEngine).toBe(want.mergeEngine);
      const parts = r.partitions.map((p) => want.partitionKeys.map((k) => p[k] ?? null));
      expect(parts.map((p) => JSON.stringify(p)).sort()).toEqual(want.partitions.map((p) => JSON.stringify(p)).sort());
      for (const f of r.files) {
        if (want.bucket > 0) expect(f.bucket).toBeLessThan(want.bucket);
        expect(f.rowCount).toBeGreaterThan(0);
        expect(BigInt(f.minSequenceNumber) <= BigInt(f.maxSequenceNumber)).toBe(true);
        if (want.primaryKeys.length > 0) expect(f.minKey).not.toBeNull();
      }
      expect(r.indexFiles.some((x) => x.type === "DELETION_VECTORS")).toBe(want.deletionVectors === true);
      // Every earlier snapshot plans too, and live row counts never go negative.
      for (let id = 1; id <= want.snapshots; id++) {
        const plan = await planSnapshot(table, id);
        expect(plan?.snapshot.id).toBe(id);
      }
    });
  }

  it("names a missing snapshot and a missing table with typed errors", async () => {
    const { dir } = tables[0]!;
    const table = await FileStoreTable.open(io, dir);
    await expect(inspectTable(table, 999)).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "NotFound") && String(e).includes("snapshot 999"));
    await expect(FileStoreTable.open(io, `${dir}/nope`)).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "NotFound"));
  });
});
