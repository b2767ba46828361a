import { afterAll, describe, expect, it } from "vitest";
import { checkConstraint, idInterval, idRuns, idsWithin } from "../../src/system/id-range.js";
import { openSystemTable, parseSystemTableName, SYSTEM_TABLE_KINDS } from "../../src/system/system-tables.js";
import { createPkTable, tempDir } from "./system-support.js";

const tmp = tempDir("sh-sys-names-");
afterAll(() => tmp.remove());

describe("system table names", () => {
  it("splits <table>$<kind>, leaves plain names alone", () => {
    for (const kind of SYSTEM_TABLE_KINDS) expect(parseSystemTableName(`orders$${kind}`)).toEqual({ table: "orders", kind });
    expect(parseSystemTableName("orders$SNAPSHOTS")).toEqual({ table: "orders", kind: "snapshots" });
    expect(parseSystemTableName("orders")).toBeNull();
    expect(parseSystemTableName("orders_changes")).toBeNull();
  });

  it("rejects unknown kinds, branches and empty table names with typed errors", () => {
    const kindOf = (name: string) => {
      try {
        parseSystemTableName(name);
        return "ok";
      } catch (e) {
        return (e as { kind?: string }).kind;
      }
    };
    expect(kindOf("orders$audit_log")).toBe("NotFound");
    expect(kindOf("orders$")).toBe("NotFound");
    expect(kindOf("orders$branch_b$files")).toBe("Unsupported");
    expect(kindOf("$files")).toBe("InvalidArgument");
  });

  it("opens every kind, and refuses one it does not know", async () => {
    const table = await createPkTable(tmp.path("t"));
    for (const kind of SYSTEM_TABLE_KINDS) expect((await openSystemTable(table, kind)).columns.length).toBeGreaterThan(1);
    await expect(openSystemTable(table, "audit_log" as never)).rejects.toMatchObject({ kind: "NotFound" });
  });
});

describe("id ranges", () => {
  const columns = [
    { id: 0, name: "snapshot_id", type: { root: "BIGINT", nullable: false } },
    { id: 1, name: "name", type: { root: "VARCHAR", nullable: true, length: 10 } },
  ] as const;

  it("turns bounds into inclusive intervals", () => {
    expect(idInterval(new Map(), "snapshot_id")).toEqual({ lo: null, hi: null });
    const m = new Map([["snapshot_id", { low: { value: 2n, inclusive: false }, high: { value: 9n, inclusive: true } }]]);
    expect(idInterval(m, "snapshot_id")).toEqual({ lo: 3n, hi: 9n });
    expect(idsWithin([9, 1, 3, 10, 2], { lo: 3n, hi: 9n })).toEqual([3, 9]);
    expect(idsWithin([1, 2], { lo: 2n, hi: 1n })).toEqual([]);
  });

  it("groups consecutive ids into bounded runs", () => {
    expect(idRuns([], 3)).toEqual([]);
    expect(idRuns([1, 2, 3, 4, 5, 7, 8, 10], 3)).toEqual([
      [1, 3],
      [4, 5],
      [7, 8],
      [10, 10],
    ]);
    expect(() => idRuns([1], 0)).toThrow(RangeError);
  });

  it("accepts ranges on integer columns only, with well-formed bounds", () => {
    const ok = new Map([["snapshot_id", { high: { value: 4n, inclusive: false } }]]);
    expect(() => checkConstraint(ok, columns, "t")).not.toThrow();
    for (const bad of [
      new Map([["missing", {}]]),
      new Map([["name", { low: { value: 1n, inclusive: true } }]]),
      new Map([["snapshot_id", { low: { value: "1", inclusive: true } }]]),
      new Map([["snapshot_id", { high: { value: 1n } }]]),
      new Map([["snapshot_id", null]]),
      { get: () => undefined } as never,
    ]) {
      expect(() => checkConstraint(bad as never, columns, "t")).toThrowError(expect.objectContaining({ kind: "InvalidArgument" }));
    }
  });
});
