/**
 * The columnar merge (columnar-merge.ts) against the general KeyValue merge
 * (merge/sort-merge.ts) on randomized sorted runs: for deduplicate and first-row, with
 * and without ignore-delete, over BIGINT (incl. beyond ±2^53), INT, STRING and two-column
 * keys, runs of several files that decode into several record batches, retractions,
 * repeated keys within a file and sequence-number ties across runs, both must return the
 * same rows in the same order. The seed is in every test name.
 */
import { describe, expect, it } from "vitest";
import { MemoryFileIO } from "@streamhouse/fileio";
import { CoreOptions, type DataField, DataTypes, ErrorKind, isStreamhouseError, type Row, type TableSchema, type Value } from "@streamhouse/format";
import type { KeyValue } from "../src/kv/key-value.js";
import { createTableMerge } from "../src/merge/merge-function-factory.js";
import { mergeRuns } from "../src/merge/sort-merge.js";
import { columnarMergeEngine, mergeSelection, type Selection } from "../src/read/columnar-merge.js";
import { DataFileColumns, DataFileReader } from "../src/read/data-file-reader.js";
import { type PkRecord, writePkFile } from "./support/pk-data-files.js";

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** bigint: values up to the 64-bit extremes (the cursor merge); bigint53: within ±2^53 (the numeric merge). */
type KeyShape = "bigint" | "bigint53" | "int" | "string" | "int+string";

function schemaOf(shape: KeyShape, options: Record<string, string>): TableSchema {
  const keyFields: DataField[] =
    shape === "bigint" || shape === "bigint53"
      ? [{ id: 0, name: "k", type: DataTypes.BIGINT(false) }]
      : shape === "int"
        ? [{ id: 0, name: "k", type: DataTypes.INT(false) }]
        : shape === "string"
          ? [{ id: 0, name: "k", type: DataTypes.STRING(false) }]
          : [
              { id: 0, name: "k", type: DataTypes.INT(false) },
              { id: 4, name: "k2", type: DataTypes.STRING(false) },
            ];
  const fields: DataField[] = [
    keyFields[0]!,
    { id: 1, name: "name", type: DataTypes.STRING() },
    { id: 2, name: "price", type: DataTypes.DOUBLE() },
    { id: 3, name: "qty", type: DataTypes.INT() },
    ...keyFields.slice(1),
  ];
  return {
    version: 3,
    id: 0,
    fields,
    highestFieldId: 4,
    partitionKeys: [],
    primaryKeys: keyFields.map((f) => f.name),
    options,
    comment: null,
    timeMillis: 0,
  };
}

const STRINGS = ["", "a", "ab", "abc", "abcd", "abcde", "abd", "b", "ä", "äb", "z", "zz", "\u{1F600}", "日本", "日本語"];

function keyOf(shape: KeyShape, r: () => number): Row {
  const int = () => Math.floor(r() * 60) - 20;
  switch (shape) {
    case "bigint": {
      // Small values, and values around ±2^53 and the 64-bit extremes (two-halves comparison).
      const base = [0n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 21n, -(2n ** 63n) + 20n, 2n ** 32n - 1n, 2n ** 32n][Math.floor(r() * 7)]!;
      return [base + BigInt(Math.floor(r() * 40) - 20)];
    }
    case "bigint53": {
      const base = [0n, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 53n - 21n, -(2n ** 53n) + 20n][Math.floor(r() * 6)]!;
      return [base + BigInt(Math.floor(r() * 40) - 20)];
    }
    case "int":
      return [int()];
    case "string":
      return [STRINGS[Math.floor(r() * STRINGS.length)]! + (r() < 0.3 ? String(Math.floor(r() * 5)) : "")];
    case "int+string":
      return [Math.floor(r() * 6), STRINGS[Math.floor(r() * 6)]!];
  }
}

function compareKey(a: Row, b: Row): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === "string" && typeof y === "string") {
      const bx = new TextEncoder().encode(x);
      const by = new TextEncoder().encode(y);
      const n = Math.min(bx.length, by.length);
      for (let j = 0; j < n; j++) if (bx[j] !== by[j]) return bx[j]! - by[j]!;
      if (bx.length !== by.length) return bx.length - by.length;
    } else if (x !== y) {
      return (x as number | bigint) < (y as number | bigint) ? -1 : 1;
    }
  }
  return 0;
}

interface Case {
  readonly schema: TableSchema;
  readonly runs: PkRecord[][][];
}

/** Random sorted runs: run 0 newest. Runs after the first may span several files, split between keys. */
function randomCase(seed: number, shape: KeyShape, options: Record<string, string>): Case {
  const r = random(seed);
  const schema = schemaOf(shape, options);
  const runCount = 1 + Math.floor(r() * 5);
  let seq = 0n;
  const runsOldestFirst: PkRecord[][][] = [];
  for (let run = 0; run < runCount; run++) {
    const n = Math.floor(r() * 300);
    const records: PkRecord[] = [];
    for (let i = 0; i < n; i++) {
      const key = keyOf(shape, r);
      // Occasional sequence-number ties with the previous run.
      const sequenceNumber = r() < 0.05 && seq > 0n ? seq - BigInt(Math.floor(r() * 3)) : seq++;
      const valueKind = r() < 0.15 ? (r() < 0.5 ? 1 : 3) : r() < 0.5 ? 0 : 2;
      const value: (Value | null)[] = [
        key[0]!,
        r() < 0.1 ? null : `v${seed}-${run}-${i}`,
        r() < 0.1 ? null : r() * 100,
        r() < 0.1 ? null : Math.floor(r() * 1000),
      ];
      if (shape === "int+string") value.push(key[1]!);
      records.push({ key, sequenceNumber, valueKind, value });
    }
    records.sort((a, b) => compareKey(a.key, b.key) || (a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0));
    // Split into files only between different keys, as a level ≥ 1 run is.
    const files: PkRecord[][] = [[]];
    for (let i = 0; i < records.length; i++) {
      const cur = files[files.length - 1]!;
      if (cur.length > 0 && r() < 0.02 && compareKey(cur[cur.length - 1]!.key, records[i]!.key) !== 0) files.push([]);
      files[files.length - 1]!.push(records[i]!);
    }
    runsOldestFirst.push(files.filter((f) => f.length > 0));
  }
  return { schema, runs: runsOldestFirst.reverse() };
}

async function readRuns(c: Case): Promise<DataFileColumns[][]> {
  const io = new MemoryFileIO();
  const reader = new DataFileReader(io, "/t", c.schema, async () => c.schema);
  const out: DataFileColumns[][] = [];
  for (let run = 0; run < c.runs.length; run++) {
    const files: DataFileColumns[] = [];
    for (const records of c.runs[run]!) {
      const entry = await writePkFile(io, "/t", c.schema, records, run === 0 ? 0 : 1, 16 + Math.floor(records.length / 3));
      files.push(await reader.read(entry));
    }
    out.push(files);
  }
  return out;
}

function selectionRows(s: Selection): Row[] {
  const rows: Row[] = [];
  for (let j = 0; j < s.length; j++) {
    const seg = s.segments[s.segment[j]!]!;
    rows.push(DataFileColumns.row(seg.file, seg.start + s.row[j]!));
  }
  return rows;
}

function generalRows(schema: TableSchema, runs: readonly DataFileColumns[][]): Row[] {
  const merge = createTableMerge(schema, new CoreOptions(schema.options));
  const kvRuns: KeyValue[][] = runs.map((files) => files.flatMap((f) => DataFileColumns.keyValues(f)));
  return [...mergeRuns(kvRuns, { ...merge, dropDelete: true })].map((kv) => kv.value);
}

function columnarRows(schema: TableSchema, runs: readonly DataFileColumns[][]): Row[] {
  const engine = columnarMergeEngine(schema, new CoreOptions(schema.options));
  if (engine === null) throw new Error("not eligible");
  const keyTypes = schema.primaryKeys.map((k) => schema.fields.find((f) => f.name === k)!.type);
  return selectionRows(mergeSelection(runs, keyTypes, engine));
}

const ENGINES: Record<string, Record<string, string>> = {
  deduplicate: {},
  "deduplicate, ignore-delete": { "ignore-delete": "true" },
  "first-row, ignore-delete": { "merge-engine": "first-row", "ignore-delete": "true" },
};

describe("columnar merge = KeyValue merge", () => {
  it("the random cases include files that decode into several record batches", async () => {
    const runs = await readRuns(randomCase(11, "bigint", {}));
    expect(runs.flat().some((f) => f.arrow.batchStarts.length > 2)).toBe(true);
  });

  for (const shape of ["bigint", "bigint53", "int", "string", "int+string"] as const) {
    for (const [engineName, options] of Object.entries(ENGINES)) {
      it(`${shape} keys, ${engineName}, seeds 1–12`, async () => {
        for (let seed = 1; seed <= 12; seed++) {
          const c = randomCase(seed * 7919 + shape.length, shape, options);
          const runs = await readRuns(c);
          const expected = generalRows(c.schema, runs);
          expect(columnarRows(c.schema, runs), `seed ${seed}`).toEqual(expected);
        }
      });
    }
  }

  it("first-row without ignore-delete fails on a retraction as the merge function does", async () => {
    const c = randomCase(5, "bigint", { "merge-engine": "first-row" });
    const runs = await readRuns(c);
    const hasRetract = c.runs.flat(2).some((r) => r.valueKind === 1 || r.valueKind === 3);
    expect(hasRetract).toBe(true);
    const failure = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (e) {
        return isStreamhouseError(e, ErrorKind.Unsupported) ? "Unsupported" : String(e);
      }
    };
    expect(failure(() => columnarRows(c.schema, runs))).toBe("Unsupported");
    expect(failure(() => generalRows(c.schema, runs))).toBe("Unsupported");
  });

  it("rejects a run that goes backwards", async () => {
    const schema = schemaOf("bigint", {});
    const rec = (k: bigint, s: bigint): PkRecord => ({ key: [k], sequenceNumber: s, valueKind: 0, value: [k, "x", 1, 1] });
    const runs = await readRuns({ schema, runs: [[[rec(1n, 1n), rec(5n, 2n), rec(3n, 3n)]], [[rec(2n, 0n)]]] });
    expect(() => columnarRows(schema, runs)).toThrow(/out of order/);
  });

  it("leaves partial-update, aggregation and sequence.field to the general merge", () => {
    const schema = schemaOf("bigint", {});
    expect(columnarMergeEngine(schema, new CoreOptions({ "merge-engine": "partial-update" }))).toBeNull();
    expect(columnarMergeEngine(schema, new CoreOptions({ "merge-engine": "aggregation" }))).toBeNull();
    expect(columnarMergeEngine(schema, new CoreOptions({ "sequence.field": "qty" }))).toBeNull();
    expect(columnarMergeEngine(schema, new CoreOptions({}))).toEqual({ engine: "deduplicate", ignoreDelete: false });
  });
});
