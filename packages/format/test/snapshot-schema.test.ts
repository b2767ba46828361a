import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BATCH_COMMIT_IDENTIFIER,
  CoreOptions,
  decodeSnapshot,
  decodeTableSchema,
  decodeTag,
  encodeSnapshot,
  encodeTableSchema,
  encodeTag,
  isStreamhouseError,
  parseJson,
  stringifyJackson,
  TableSchemas,
} from "@streamhouse/format";
import { vectorTables } from "./vectors.js";

/** Java writes explicit nulls in older versions; we omit them as 2.0 does. */
const withoutNullLines = (text: string): string =>
  text
    .split("\n")
    .filter((l) => !/^\s*"[^"]+" : null,?$/.test(l))
    .join("\n")
    .replace(/,\n(\s*)}/g, "\n$1}");

describe("schema files written by Java Paimon", () => {
  for (const table of vectorTables()) {
    it(`${table.name}: every schema decodes and re-encodes to the same bytes`, () => {
      const dir = join(table.dir, "schema");
      const files = readdirSync(dir).filter((f) => f.startsWith("schema-"));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const text = readFileSync(join(dir, f), "utf8");
        const schema = decodeTableSchema(text, f);
        expect(schema.id).toBe(Number(f.slice("schema-".length)));
        expect(encodeTableSchema(schema)).toBe(withoutNullLines(text));
        // Options parse with their types; the table's keys exist.
        const options = new CoreOptions(schema.options, schema.version);
        expect(options.fileFormat()).toBe("parquet");
        expect(() => options.bucket()).not.toThrow();
        for (const k of TableSchemas.bucketKeys(schema)) expect(TableSchemas.field(schema, k).name).toBe(k);
      }
    });
  }
});

describe("snapshot files written by Java Paimon", () => {
  for (const table of vectorTables()) {
    it(`${table.name}: every snapshot decodes and round-trips`, () => {
      const dir = join(table.dir, "snapshot");
      const files = readdirSync(dir).filter((f) => f.startsWith("snapshot-"));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const text = readFileSync(join(dir, f), "utf8");
        const snap = decodeSnapshot(text, f);
        expect(snap.id).toBe(Number(f.slice("snapshot-".length)));
        expect(["APPEND", "COMPACT", "OVERWRITE", "ANALYZE"]).toContain(snap.commitKind);
        expect(existsSync(join(table.dir, "manifest", snap.baseManifestList))).toBe(true);
        expect(existsSync(join(table.dir, "manifest", snap.deltaManifestList))).toBe(true);
        const again = encodeSnapshot(snap);
        expect(again).toBe(withoutNullLines(text));
        expect(decodeSnapshot(again)).toEqual(snap);
      }
    });
  }
});

describe("snapshot JSON tolerance", () => {
  const minimal = {
    id: 7,
    schemaId: 0,
    baseManifestList: "b",
    deltaManifestList: "d",
    commitUser: "u",
    commitIdentifier: 9223372036854775807n,
    commitKind: "APPEND",
  };
  it("accepts missing version/timeMillis/uuid and keeps Long.MAX_VALUE exact", () => {
    const s = decodeSnapshot(stringifyJackson(minimal));
    expect(s.version).toBe(1);
    expect(s.timeMillis).toBe(0);
    expect(s.commitIdentifier).toBe(BATCH_COMMIT_IDENTIFIER);
    expect(encodeSnapshot(s)).toContain('"commitIdentifier" : 9223372036854775807');
  });
  it("keeps unknown keys such as logOffsets and uuid", () => {
    const s = decodeSnapshot(stringifyJackson({ ...minimal, logOffsets: {}, uuid: "x-y", watermark: -9223372036854775808n }));
    expect(s.extra).toEqual({ logOffsets: {}, uuid: "x-y" });
    expect(s.watermark).toBe(-9223372036854775808n);
    expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s);
  });
  it("rejects malformed snapshots with a typed error naming the file and key", () => {
    const cases: [string, RegExp][] = [
      ["{", /invalid JSON/],
      ["[]", /must be a JSON object/],
      [stringifyJackson({ ...minimal, id: "7" }), /"id" must be an integer/],
      [stringifyJackson({ ...minimal, commitKind: "MERGE" }), /unknown commitKind/],
      [stringifyJackson({ ...minimal, commitUser: undefined }), /"commitUser" must be a string/],
    ];
    for (const [text, message] of cases) {
      try {
        decodeSnapshot(text, "snapshot-7");
        expect.unreachable();
      } catch (e) {
        expect(isStreamhouseError(e, "DataInvalid")).toBe(true);
        expect((e as Error).message).toMatch(message);
        expect((e as Error).message).toContain("file=snapshot-7");
      }
    }
  });
});

describe("tags", () => {
  it("round-trips create time and retention", () => {
    const snapshot = decodeSnapshot(
      stringifyJackson({ version: 3, id: 3, schemaId: 0, baseManifestList: "b", deltaManifestList: "d", commitUser: "u", commitIdentifier: 1, commitKind: "APPEND", timeMillis: 5, totalRecordCount: 1, deltaRecordCount: 1 }),
    );
    const text = encodeTag({ snapshot, createTimeMillis: Date.UTC(2025, 0, 2, 3, 4, 5, 600), timeRetainedSeconds: 3600 });
    expect(text).toContain('"tagCreateTime" : [ 2025, 1, 2, 3, 4, 5, 600000000 ]');
    const tag = decodeTag(text);
    expect(tag.createTimeMillis).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 600));
    expect(tag.timeRetainedSeconds).toBe(3600);
    expect(tag.snapshot).toEqual(snapshot);
  });
});

describe("lossless JSON", () => {
  it("parses big integers as bigint and small ones as number", () => {
    expect(parseJson('{"a": 9007199254740993, "b": 12, "c": 1.5, "d": [true, null, "x\\n"]}')).toEqual({
      a: 9007199254740993n,
      b: 12,
      c: 1.5,
      d: [true, null, "x\n"],
    });
  });
  it("bounds nesting depth", () => {
    expect(() => parseJson("[".repeat(10_000))).toThrow(/nested too deeply/);
  });
});
