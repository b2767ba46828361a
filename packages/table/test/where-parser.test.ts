import { describe, expect, it } from "vitest";
import { Decimals, parseFieldList } from "@streamhouse/format";
import { P, parseWhere } from "@streamhouse/table";

const fields = parseFieldList("id BIGINT, name STRING, price DECIMAL(10, 2), ok BOOLEAN, d DATE, `odd name` INT");

describe("--where expressions", () => {
  it("parses comparisons, logic and precedence with typed literals", () => {
    expect(parseWhere("id = 5", fields)).toEqual(P.eq("id", 5n));
    expect(parseWhere("id >= 9007199254740993 AND name <> 'it''s'", fields)).toEqual(
      P.and(P.compare("id", ">=", 9007199254740993n), P.compare("name", "<>", "it's")),
    );
    expect(parseWhere("a = 1 OR b = 2", parseFieldList("a INT, b INT"))).toEqual(P.or(P.eq("a", 1), P.eq("b", 2)));
    expect(parseWhere("NOT (ok = TRUE) AND price < 9.5", fields)).toEqual(P.and(P.not(P.eq("ok", true)), P.lt("price", Decimals.parse("9.5", 10, 2))));
    expect(parseWhere("d BETWEEN '2024-01-01' AND '2024-12-31'", fields)).toEqual(P.and(P.compare("d", ">=", 19723), P.compare("d", "<=", 20088)));
    expect(parseWhere("name LIKE 'ab%' and id in (1, 2) and `odd name` is not null", fields)).toEqual(
      P.and(P.startsWith("name", "ab"), P.in("id", [1n, 2n]), P.isNotNull("odd name")),
    );
  });

  it("rejects bad filters with the offset", () => {
    for (const [src, msg] of [
      ["nope = 1", /unknown column "nope"/],
      ["id = 'x'", /must be an integer/],
      ["id = NULL", /IS NULL/],
      ["name LIKE '%x'", /prefix%/],
      ["id = 1 AND", /expected a column name/],
      ["(id = 1", /expected "\)"/],
      ["id = 'open", /unterminated string/],
    ] as const) {
      expect(() => parseWhere(src, fields), src).toThrow(msg);
    }
  });
});
