import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { describe, expect, it } from "vitest";
import { identifier, looksLikeTableName, normalizeName, parseIdentifier } from "../src/index.js";

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof StreamhouseError ? e.kind : "not a StreamhouseError";
  }
}

describe("names", () => {
  it("lower-cases valid names", () => {
    expect(normalizeName("database", "Sales_2024")).toBe("sales_2024");
    expect(identifier("DB", "Orders")).toEqual({ database: "db", table: "orders" });
    expect(parseIdentifier("Shop.Orders")).toEqual({ database: "shop", table: "orders" });
  });

  it.each([
    ["empty", ""],
    ["parent directory", ".."],
    ["path", "../x"],
    ["slash", "a/b"],
    ["backslash", "a\\b"],
    ["dot", "a.b"],
    ["system table marker", "t$snapshots"],
    ["space", "a b"],
    ["control character", "a\u0000b"],
    ["dash", "a-b"],
    ["too long", "x".repeat(129)],
  ])("rejects a %s name with InvalidArgument", (_what, name) => {
    expect(kindOf(() => normalizeName("table", name))).toBe(ErrorKind.InvalidArgument);
  });

  it("accepts the longest allowed name", () => {
    expect(normalizeName("table", "x".repeat(128))).toBe("x".repeat(128));
  });

  it.each(["nodot", "a.b.c", ".t", "d.", "../x.y", "a/b.c"])("parseIdentifier rejects %s", (text) => {
    expect(kindOf(() => parseIdentifier(text))).toBe(ErrorKind.InvalidArgument);
  });

  it("tells table names from paths", () => {
    expect(looksLikeTableName("db.t")).toBe(true);
    expect(looksLikeTableName("DB.T_1")).toBe(true);
    for (const s of ["./t", "/tmp/db.t", "t", "a.b.c", "s3://b/x.y", "db.t/"]) expect(looksLikeTableName(s)).toBe(false);
  });
});
