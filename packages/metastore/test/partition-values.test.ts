// get_partition_values' planner: rows of the requested keys, distinct, ordered, bounded.
import { ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { partitionValueRows } from "../src/partition-values.js";
import { describe, expect, test } from "vitest";

const keys = ["year", "month", "day"];
const parts = [
  ["2024", "02", "1"],
  ["2023", "12", "5"],
  ["2024", "01", "1"],
  ["2024", "02", "3"],
];
const q = { columns: ["year", "month"], distinct: true, orderBy: [] as string[], ascending: true, max: -1 };

describe("partitionValueRows", () => {
  test("rows of the requested keys, distinct, in partition order", () => {
    expect(partitionValueRows(keys, parts, q)).toEqual([
      ["2024", "02"],
      ["2023", "12"],
      ["2024", "01"],
    ]);
    expect(partitionValueRows(keys, parts, { ...q, distinct: false })).toHaveLength(4);
  });

  test("ordered by the order keys, descending, at most max", () => {
    expect(partitionValueRows(keys, parts, { ...q, columns: ["Month"], orderBy: ["year", "month"] })).toEqual([["12"], ["01"], ["02"]]);
    expect(partitionValueRows(keys, parts, { ...q, columns: ["day"], orderBy: ["day"], ascending: false, distinct: false, max: 2 })).toEqual([["5"], ["3"]]);
  });

  test("an unknown key or no keys is InvalidArgument", () => {
    for (const bad of [{ ...q, columns: ["hour"] }, { ...q, columns: [] }, { ...q, orderBy: ["hour"] }]) {
      let caught: unknown;
      try {
        partitionValueRows(keys, parts, bad);
      } catch (e) {
        caught = e;
      }
      expect(isStreamhouseError(caught) && caught.kind).toBe(ErrorKind.InvalidArgument);
    }
  });
});
