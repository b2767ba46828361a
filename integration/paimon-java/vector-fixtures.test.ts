/**
 * The golden rows in packages/table/test/fixtures/vector-rows are what Java Paimon reads
 * from the shared vector tables: this test asks Java again and compares, so a fixture
 * cannot drift from the reference. With STREAMHOUSE_WRITE_VECTOR_FIXTURES=1 it rewrites
 * the fixtures instead (then review the diff, and update NOTES in
 * generate-vector-fixtures.ts when Java or a README says something new).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatFixture, VECTOR_ROWS_DIR, vectorRowsFixture, vectorTables } from "./generate-vector-fixtures.js";
import { ensurePaimonJava, type PaimonJava } from "./paimon-java.js";

const WRITE = process.env["STREAMHOUSE_WRITE_VECTOR_FIXTURES"] === "1";

let java: PaimonJava;

beforeAll(async () => {
  java = await ensurePaimonJava();
  if (WRITE) mkdirSync(VECTOR_ROWS_DIR, { recursive: true });
});

afterAll(async () => {
  await java?.close();
});

describe(WRITE ? "writes the vector-row fixtures from Java Paimon" : "the vector-row fixtures are what Java Paimon reads", () => {
  const tables = vectorTables();

  test("there are 12 vector tables", () => {
    expect(tables).toHaveLength(12);
  });

  for (const { name, dir } of tables) {
    test(name, async () => {
      const text = formatFixture(await vectorRowsFixture(java, name, dir));
      const file = join(VECTOR_ROWS_DIR, `${name}.json`);
      if (WRITE) {
        writeFileSync(file, text);
        return;
      }
      expect(existsSync(file), `${file} is missing: run with STREAMHOUSE_WRITE_VECTOR_FIXTURES=1`).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(text));
    });
  }
});
