import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeBinaryRow } from "../src/binary-row/binary-row-writer.js";
import { binaryRowHash, bucketForKey, bucketOf, createBucketFunction, modBucketOf } from "../src/bucket/bucket-function.js";
import { murmur3Words } from "../src/bucket/murmur3.js";
import { isStreamhouseError } from "../src/errors.js";
import { type DataType, DataTypes } from "../src/types/data-type.js";
import { Decimals, type Row, Timestamps, type Value } from "../src/types/values.js";
import { vectorPath } from "./vectors.js";

const NUM_BUCKETS = 12345;

/**
 * The vector files are JSON arrays one per line, but BIGINTs and nanosecond timestamps
 * exceed 2^53, so numbers are kept as their source text (JSON.parse would round them).
 */
type Token = string | number | boolean | null | { num: string };

function parseLine(line: string): Token[] {
  const out: Token[] = [];
  let i = line.indexOf("[") + 1;
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === ",") {
      i++;
    } else if (c === "]") {
      return out;
    } else if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
      out.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j + 1;
    } else {
      const m = /^(null|true|false|-?[0-9][0-9.eE+-]*)/.exec(line.slice(i));
      if (m === null) throw new Error(`cannot parse at ${i}: ${line.slice(i, i + 20)}`);
      const t = m[1]!;
      out.push(t === "null" ? null : t === "true" ? true : t === "false" ? false : { num: t });
      i += t.length;
    }
  }
  throw new Error(`unterminated line: ${line.slice(0, 40)}`);
}

function readVectors(name: string): Token[][] {
  return readFileSync(vectorPath("bucket-hash", name), "utf8")
    .split("\n")
    .filter((l) => l.trim().startsWith("["))
    .map(parseLine);
}

const num = (t: Token): string => (t as { num: string }).num;

/** Converts one vector cell to the in-memory value of `type` (null stays null). */
function toValue(type: DataType, t: Token, ltzOffsetMinutes: number): Value | null {
  if (t === null) return null;
  switch (type.root) {
    case "BOOLEAN":
      return t as boolean;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
      return Number(num(t));
    case "BIGINT":
      return BigInt(num(t));
    case "FLOAT":
      return Math.fround(Number(num(t)));
    case "DOUBLE":
      return Number(num(t));
    case "DECIMAL":
      return Decimals.parse(t as string, type.precision, type.scale);
    case "VARCHAR":
      return t as string;
    case "VARBINARY":
      return new TextEncoder().encode(t as string);
    case "TIMESTAMP":
      return typeof t === "string" ? Timestamps.parse(t) : Timestamps.fromEpochNanos(BigInt(num(t)));
    case "TIMESTAMP_LTZ": {
      const ts = Timestamps.parse(t as string);
      return { millis: ts.millis - ltzOffsetMinutes * 60_000, nanoOfMillis: ts.nanoOfMillis };
    }
    default:
      throw new Error(`no vector conversion for ${type.root}`);
  }
}

interface VectorFile {
  readonly name: string;
  readonly types: readonly DataType[];
}

const T = DataTypes;
const FILES: readonly VectorFile[] = [
  {
    name: "record_for_bucket_id.data",
    types: [T.BOOLEAN(), T.TINYINT(), T.SMALLINT(), T.INT(), T.BIGINT(), T.FLOAT(), T.DOUBLE(), T.DATE(), T.TIMESTAMP(9), T.DECIMAL(30, 20), T.STRING(), T.BYTES()],
  },
  {
    name: "record_with_null_for_bucket_id.data",
    types: [
      T.BOOLEAN(), T.TINYINT(), T.SMALLINT(), T.INT(), T.BIGINT(), T.FLOAT(), T.DOUBLE(), T.DATE(), T.TIMESTAMP(9),
      T.DECIMAL(5, 2), T.DECIMAL(30, 2), T.STRING(), T.BYTES(),
    ],
  },
  {
    name: "record_with_timestamp_for_bucket_id.data",
    types: [T.TIMESTAMP(0), T.TIMESTAMP(3), T.TIMESTAMP(6), T.TIMESTAMP(9), T.TIMESTAMP_LTZ(0), T.TIMESTAMP_LTZ(3), T.TIMESTAMP_LTZ(6), T.TIMESTAMP_LTZ(9)],
  },
];

/** Rows of a vector file whose bucket, with LTZ strings read at `ltzOffsetMinutes` east of UTC, differs from Java's. */
function mismatches(file: VectorFile, ltzOffsetMinutes: number): { rows: number; bad: number[] } {
  const lines = readVectors(file.name);
  const bad: number[] = [];
  lines.forEach((cells, i) => {
    expect(cells.length).toBe(file.types.length + 1);
    const row: Row = file.types.map((t, c) => toValue(t, cells[c] ?? null, ltzOffsetMinutes));
    if (bucketForKey(file.types, row, NUM_BUCKETS) !== Number(num(cells[file.types.length]!))) bad.push(i);
  });
  return { rows: lines.length, bad };
}

describe("bucket hash vectors from Java Paimon", () => {
  for (const file of FILES) {
    it(`every row of ${file.name} gets Java's bucket`, () => {
      const { rows, bad } = mismatches(file, 0);
      expect(rows).toBe(5000);
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }

  it("reads TIMESTAMP WITH LOCAL TIME ZONE vector strings as UTC (another zone breaks the buckets)", () => {
    const ts = FILES[2]!;
    // Only the LTZ columns move with the zone; UTC+8 (the generator's likely zone) must not match.
    expect(mismatches(ts, 8 * 60).bad.length).toBeGreaterThan(4000);
  });
});

describe("murmur3 and bucket functions", () => {
  it("equals reference murmur3_x86_32 on word-aligned input", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(murmur3Words(new Uint8Array(0), 0, 0, 0)).toBe(0);
    expect(murmur3Words(new Uint8Array(0), 0, 0, 1) >>> 0).toBe(0x514e28b7);
    expect(murmur3Words(new Uint8Array(0), 0, 0, -1) >>> 0).toBe(0x81f16f39);
    expect(murmur3Words(new Uint8Array(4), 0, 4, 0) >>> 0).toBe(0x2362f9de);
    expect(murmur3Words(ascii("test"), 0, 4, 0) >>> 0).toBe(0xba6bd213);
    expect(murmur3Words(ascii("aaaa"), 0, 4, 0x9747b28c) >>> 0).toBe(0x5a97808a);
  });

  it("rejects input that is not whole words", () => {
    expect(() => murmur3Words(new Uint8Array(6))).toThrow(/by words/);
  });

  it("hashes the row bytes without the arity prefix", () => {
    const row = encodeBinaryRow([T.INT()], [5]);
    expect(binaryRowHash(row)).toBe(murmur3Words(row.subarray(4), 0, 16, 42));
  });

  it("hashes a key row that is a view into a larger buffer", () => {
    const row = encodeBinaryRow([T.STRING(), T.INT()], ["a key longer than seven", 3]);
    const big = new Uint8Array(row.length + 3);
    big.set(row, 3);
    expect(bucketOf(big.subarray(3), 12345)).toBe(bucketOf(row, 12345));
    const intRow = encodeBinaryRow([T.INT()], [17]);
    const holder = new Uint8Array(intRow.length + 3);
    holder.set(intRow, 3);
    expect(modBucketOf(T.INT(), holder.subarray(3), 5)).toBe(2);
  });

  it("takes Java's Math.abs(hash % n) with a truncating remainder", () => {
    const types = [T.INT()];
    for (let k = -50; k < 50; k++) {
      const row = encodeBinaryRow(types, [k]);
      const h = binaryRowHash(row);
      const b = bucketOf(row, 7);
      expect(b).toBe(Math.abs(h - Math.trunc(h / 7) * 7));
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(7);
    }
  });

  it("mod bucket function is floorMod of the INT or BIGINT key", () => {
    const intFn = createBucketFunction("mod", [T.INT()]);
    expect(intFn(encodeBinaryRow([T.INT()], [17]), 5)).toBe(2);
    expect(intFn(encodeBinaryRow([T.INT()], [-3]), 5)).toBe(2);
    expect(intFn(encodeBinaryRow([T.INT()], [5]), 5)).toBe(0);
    expect(intFn(encodeBinaryRow([T.INT()], [null]), 5)).toBe(0);
    expect(modBucketOf(T.BIGINT(), encodeBinaryRow([T.BIGINT()], [-9007199254740993n]), 1000)).toBe(7);
    expect(bucketForKey([T.BIGINT()], [123456789012345n], 100, "mod")).toBe(45);
  });

  it("refuses bad bucket counts, bad mod keys and unknown functions with typed errors", () => {
    const row = encodeBinaryRow([T.STRING()], ["a"]);
    const kinds = (f: () => unknown) => {
      try {
        f();
        return "none";
      } catch (e) {
        return isStreamhouseError(e) ? e.kind : "untyped";
      }
    };
    expect(kinds(() => bucketOf(row, 0))).toBe("InvalidArgument");
    expect(kinds(() => bucketOf(row, -1))).toBe("InvalidArgument");
    expect(kinds(() => createBucketFunction("mod", [T.STRING()]))).toBe("InvalidArgument");
    expect(kinds(() => createBucketFunction("hive", [T.INT()]))).toBe("Unsupported");
    expect(kinds(() => bucketOf(new Uint8Array([0, 0, 0, 1, 0]), 3))).toBe("DataInvalid");
  });
});
