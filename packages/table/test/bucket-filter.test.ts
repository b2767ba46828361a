import { describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { DataTypes } from "@streamhouse/format";
import { candidateBuckets, FileStoreTable, P, parseWhere, TableRead } from "@streamhouse/table";
import { vectorPath } from "../../format/test/vectors.js";

describe("bucket pruning", () => {
  const keys = [DataTypes.FIELD(2, "f2", DataTypes.INT(false))];
  it("finds the buckets pinned keys hash to, and gives up otherwise", () => {
    expect(candidateBuckets(P.eq("f2", 1), keys, 2, "default")?.size).toBe(1);
    expect(candidateBuckets(P.in("f2", [0, 1, 2, 3]), keys, 2, "default")?.size).toBeLessThanOrEqual(2);
    expect(candidateBuckets(P.or(P.eq("f2", 1), P.eq("f0", "x")), keys, 2, "default")).toBeNull();
    expect(candidateBuckets(P.gt("f2", 1), keys, 2, "default")).toBeNull();
    expect(candidateBuckets(P.eq("f2", 1), keys, -1, "default")).toBeNull();
    expect(candidateBuckets(P.eq("f2", "not an int"), keys, 2, "default")).toBeNull();
  });

  it("reads only the pinned bucket's files and still returns every matching row", async () => {
    const dir = vectorPath("tables", "pk_table_scan_and_read_mor.db", "pk_table_scan_and_read_mor");
    const table = await FileStoreTable.open(new LocalFileIO(), dir);
    const read = new TableRead(table);
    for (const f2 of [0, 1]) {
      const filter = parseWhere(`f2 = ${f2}`, table.schema.fields);
      const plan = await read.plan({ filter });
      expect(new Set(plan.splits.map((s) => s.bucket)).size).toBe(1);
      expect(plan.skippedFiles).toBeGreaterThan(0);
      const pruned = await read.toArray({ filter });
      const all = (await read.toArray()).filter((r) => r[2] === f2);
      expect(pruned.map((r) => String(r[0])).sort()).toEqual(all.map((r) => String(r[0])).sort());
    }
  });
});
