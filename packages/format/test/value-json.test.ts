import { describe, expect, it } from "vitest";
import { Decimals, fromBase64, isStreamhouseError, parseDataType, Timestamps, toBase64, valueFromJson, valueToJson } from "@streamhouse/format";
import { Prng, testSeeds } from "./support/prng.js";

describe("values as JSON", () => {
  const cases: [string, unknown][] = [
    ["BOOLEAN", true],
    ["INT", -5],
    ["BIGINT", 42],
    ["BIGINT", "9223372036854775807"],
    ["DOUBLE", 1.5],
    ["DOUBLE", "NaN"],
    ["DECIMAL(30, 20)", "-12.34500000000000000000"],
    ["STRING", "héllo"],
    ["BYTES", "AAEC/w=="],
    ["DATE", "2024-02-29"],
    ["DATE", "1969-12-31"],
    ["TIME(3)", "23:59:59.999"],
    ["TIMESTAMP(9)", "2024-01-02T03:04:05.123456789"],
    ["TIMESTAMP(0)", "1960-01-01T00:00:00"],
    ["TIMESTAMP(3) WITH LOCAL TIME ZONE", "2024-01-02T03:04:05.120"],
    ["ARRAY<INT>", [1, null, 3]],
    ["MAP<STRING, BIGINT>", [["a", 1], ["b", null]]],
    ["ROW<x INT, y ARRAY<STRING>>", { x: 1, y: ["p", "q"] }],
  ];
  for (const [typeText, json] of cases) {
    it(`${typeText} ${JSON.stringify(json)}`, () => {
      const type = parseDataType(typeText);
      expect(valueToJson(type, valueFromJson(type, json))).toEqual(json);
    });
  }

  it("rejects values that do not fit the type, naming the path", () => {
    const bad: [string, unknown][] = [
      ["INT NOT NULL", null],
      ["INT", 2 ** 31],
      ["TINYINT", 128],
      ["BIGINT", 1.5],
      ["BIGINT", "9223372036854775808"],
      ["DECIMAL(4, 2)", "123.4"],
      ["VARCHAR(3)", "abcd"],
      ["DATE", "2024-13"],
      ["BYTES", "@@@"],
      ["ROW<x INT>", { x: 1, z: 2 }],
      ["MAP<INT, INT>", [[1]]],
    ];
    for (const [typeText, json] of bad) {
      try {
        valueFromJson(parseDataType(typeText), json, "row 3.col");
        expect.unreachable(`${typeText} ${JSON.stringify(json)}`);
      } catch (e) {
        expect(isStreamhouseError(e, "DataInvalid")).toBe(true);
        expect(String(e)).toContain("row 3.col");
      }
    }
  });

  it("base64 matches Node's for random bytes", () => {
    for (const seed of testSeeds(700, 5)) {
      const rng = new Prng(seed);
      for (let n = 0; n < 40; n++) {
        const bytes = rng.bytes(rng.int(0, 50));
        const b64 = toBase64(bytes);
        expect(b64, `seed ${seed}`).toBe(Buffer.from(bytes).toString("base64"));
        expect(fromBase64(b64)).toEqual(bytes);
      }
    }
  });

  it("decimal parse rounds half-up to the scale", () => {
    expect(Decimals.toString(Decimals.parse("1.005", 10, 2))).toBe("1.01");
    expect(Decimals.toString(Decimals.parse("-0.5", 10, 0))).toBe("-1");
    expect(Decimals.toString(Decimals.parse("1e3", 10, 1))).toBe("1000.0");
    expect(Timestamps.toString(Timestamps.parse("2024-01-01T00:00:00+02:00"), 0)).toBe("2023-12-31T22:00:00");
  });
});
