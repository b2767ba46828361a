import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DataTypes,
  dataFieldFromJson,
  dataFieldToJson,
  dataTypeFromJson,
  dataTypeToJson,
  dataTypeToString,
  highestFieldId,
  isStreamhouseError,
  parseDataType,
  parseFieldList,
} from "@streamhouse/format";
import { vectorTables } from "./vectors.js";

describe("data type strings", () => {
  const cases: [string, string][] = [
    ["INT", "INT"],
    ["int not null", "INT NOT NULL"],
    ["STRING", "STRING"],
    ["VARCHAR(2147483647)", "STRING"],
    ["BYTES NOT NULL", "BYTES NOT NULL"],
    ["CHAR(3)", "CHAR(3)"],
    ["BINARY(16)", "BINARY(16)"],
    ["DECIMAL(30, 20)", "DECIMAL(30, 20)"],
    ["DECIMAL", "DECIMAL(10, 0)"],
    ["TIMESTAMP(9)", "TIMESTAMP(9)"],
    ["TIMESTAMP", "TIMESTAMP(6)"],
    ["TIMESTAMP(3) WITH LOCAL TIME ZONE NOT NULL", "TIMESTAMP(3) WITH LOCAL TIME ZONE NOT NULL"],
    ["TIMESTAMP_LTZ(6)", "TIMESTAMP(6) WITH LOCAL TIME ZONE"],
    ["TIME(3)", "TIME(3)"],
    ["ARRAY<INT NOT NULL>", "ARRAY<INT NOT NULL>"],
    ["MAP<STRING, ARRAY<BIGINT>> NOT NULL", "MAP<STRING, ARRAY<BIGINT>> NOT NULL"],
    ["ROW<a INT, `b c` STRING>", "ROW<a INT, `b c` STRING>"],
    ["MULTISET<DATE>", "MULTISET<DATE>"],
    ["VARIANT", "VARIANT"],
  ];
  for (const [input, rendered] of cases) {
    it(`parses ${input}`, () => {
      const t = parseDataType(input);
      expect(dataTypeToString(t)).toBe(rendered);
      expect(dataTypeFromJson(dataTypeToJson(t))).toEqual(t);
    });
  }

  it("rejects bad input with a typed error and an offset", () => {
    for (const bad of ["", "INTEGRAL", "DECIMAL(10,", "MAP<INT>", "ROW<a INT", "INT NOT", "ARRAY<INT>>"]) {
      try {
        parseDataType(bad);
        expect.unreachable(`"${bad}" should not parse`);
      } catch (e) {
        expect(isStreamhouseError(e, "DataInvalid")).toBe(true);
        expect((e as Error).message).toMatch(/offset=\d+/);
      }
    }
  });

  it("assigns field ids depth-first in column lists", () => {
    const fields = parseFieldList("id BIGINT NOT NULL, r ROW<x INT, y ARRAY<ROW<z STRING>>>, name STRING");
    expect(fields.map((f) => [f.id, f.name])).toEqual([
      [0, "id"],
      [1, "r"],
      [5, "name"],
    ]);
    expect(highestFieldId(fields)).toBe(5);
    expect(fields[0]!.type).toEqual(DataTypes.BIGINT(false));
  });
});

describe("data types in Java-written schema files", () => {
  for (const table of vectorTables()) {
    it(`round-trips every field of ${table.name}`, async () => {
      const { readdirSync } = await import("node:fs");
      for (const name of readdirSync(`${table.dir}/schema`)) {
        const json = JSON.parse(readFileSync(`${table.dir}/schema/${name}`, "utf8")) as { fields: unknown[] };
        for (const raw of json.fields) {
          expect(dataFieldToJson(dataFieldFromJson(raw))).toEqual(raw);
        }
      }
    });
  }
});
