import { describe, expect, it } from "vitest";
import { DataTypes, type Value } from "@streamhouse/format";
import { bindPredicate, evaluate, type FieldStats, mightMatch, P, type Predicate } from "../src/predicate/predicate.js";
import { compareValues } from "../src/merge/compare-values.js";
import { Prng, testSeeds } from "../../format/test/support/prng.js";

const fields = [DataTypes.FIELD(0, "id", DataTypes.BIGINT()), DataTypes.FIELD(1, "name", DataTypes.STRING()), DataTypes.FIELD(2, "x", DataTypes.INT())];

describe("predicates", () => {
  it("evaluates with SQL's three-valued logic", () => {
    const p = bindPredicate(P.and(P.eq("id", 5n), P.startsWith("name", "ab")), fields);
    expect(evaluate(p, [5n, "abc", 1])).toBe(true);
    expect(evaluate(p, [5n, "xbc", 1])).toBe(false);
    expect(evaluate(p, [null, "abc", 1])).toBeNull();
    expect(evaluate(bindPredicate(P.or(P.eq("id", 5n), P.isNull("x")), fields), [null, "a", null])).toBe(true);
    expect(evaluate(bindPredicate(P.not(P.eq("id", 5n)), fields), [null, "a", 1])).toBeNull();
    expect(evaluate(bindPredicate(P.in("x", [1, 2]), fields), [0n, "", 2])).toBe(true);
  });

  it("rejects unknown columns, or ignores them when partial", () => {
    expect(() => bindPredicate(P.eq("nope", 1), fields)).toThrow(/unknown column "nope"/);
    expect(bindPredicate(P.eq("nope", 1), fields, true)).toEqual({ kind: "const", value: true });
    expect(bindPredicate(P.not(P.eq("nope", 1)), fields, true)).toEqual({ kind: "const", value: true });
  });

  it("never prunes a file that holds a matching row (seeded)", () => {
    for (const seed of testSeeds(4242, 20)) {
      const rng = new Prng(seed);
      const names = ["", "a", "ab", "abc", "b", "ba", "\u00e9", "z", "\uffff", "\u{1f600}"];
      const rows: (Value | null)[][] = Array.from({ length: rng.int(1, 8) }, () => [
        rng.bool(0.1) ? null : BigInt(rng.int(-5, 5)),
        rng.bool(0.1) ? null : rng.pick(names),
        rng.bool(0.1) ? null : rng.int(-3, 3),
      ]);
      const stats: FieldStats[] = fields.map((f, i) => {
        const vals = rows.map((r) => r[i]).filter((v): v is Value => v !== null && v !== undefined);
        const sorted = [...vals].sort((a, b) => compareValues(f.type, a, b));
        return { min: sorted[0] ?? null, max: sorted[sorted.length - 1] ?? null, nullCount: rows.length - vals.length };
      });
      const randomLeaf = (): Predicate => {
        switch (rng.int(0, 4)) {
          case 0:
            return P.compare("id", rng.pick(["=", "<>", "<", "<=", ">", ">="] as const), BigInt(rng.int(-6, 6)));
          case 1:
            return P.compare("x", rng.pick(["=", "<", ">="] as const), rng.int(-4, 4));
          case 2:
            return rng.bool() ? P.isNull(rng.pick(["id", "name", "x"])) : P.isNotNull(rng.pick(["id", "name", "x"]));
          case 3:
            return P.startsWith("name", rng.pick(names));
          default:
            return P.in("id", [BigInt(rng.int(-6, 6)), BigInt(rng.int(-6, 6))]);
        }
      };
      for (let k = 0; k < 200; k++) {
        const p = rng.bool() ? P.and(randomLeaf(), randomLeaf()) : P.or(randomLeaf(), rng.bool() ? P.not(randomLeaf()) : randomLeaf());
        const bound = bindPredicate(p, fields);
        const anyMatch = rows.some((r) => evaluate(bound, r) === true);
        if (anyMatch) expect(mightMatch(bound, stats, rows.length), `seed ${seed}: ${JSON.stringify(p, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`).toBe(true);
      }
    }
  });

  it("prunes what statistics rule out", () => {
    const stats: FieldStats[] = [{ min: 10n, max: 20n, nullCount: 0 }, { min: "b", max: "d", nullCount: 1 }, { min: 1, max: 1, nullCount: 0 }];
    const check = (p: Predicate): boolean => mightMatch(bindPredicate(p, fields), stats, 5);
    expect(check(P.eq("id", 5n))).toBe(false);
    expect(check(P.eq("id", 15n))).toBe(true);
    expect(check(P.gt("id", 20n))).toBe(false);
    expect(check(P.lt("id", 10n))).toBe(false);
    expect(check(P.startsWith("name", "e"))).toBe(false);
    expect(check(P.startsWith("name", "a"))).toBe(false);
    expect(check(P.startsWith("name", "c"))).toBe(true);
    expect(check(P.isNull("id"))).toBe(false);
    expect(check(P.isNull("name"))).toBe(true);
    expect(check(P.compare("x", "<>", 1))).toBe(false);
  });
});
