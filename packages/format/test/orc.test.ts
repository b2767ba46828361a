import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { deflateSync } from "fflate";
import { describe, expect, it } from "vitest";
import { isStreamhouseError, StreamhouseError } from "../src/errors.js";
import { ByteCursor } from "../src/orc/byte-cursor.js";
import { decompressOrc, OrcCompressionKind } from "../src/orc/orc-compression.js";
import { parsePostScript } from "../src/orc/orc-metadata.js";
import { readOrcFile, readOrcTail } from "../src/orc/orc-reader.js";
import { decodeBooleanRle, decodeByteRle, decodeIntRleV1 } from "../src/orc/orc-rle.js";
import { closestFixedBits, decodeBitWidth, decodeIntRleV2 } from "../src/orc/orc-rle-v2.js";
import { decodeTimestampNanos, timestampMillis } from "../src/orc/orc-timestamp.js";
import { orcTypeToString } from "../src/orc/orc-type.js";
import { vectorTables } from "./vectors.js";
import { mulberry32 as prng } from "./support/prng.js";

// ---------------------------------------------------------------- vectors

interface OrcVector {
  readonly table: string;
  readonly tableDir: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

const isOrc = (b: Uint8Array): boolean => b[0] === 0x4f && b[1] === 0x52 && b[2] === 0x43;

const orcVectors: OrcVector[] = vectorTables().flatMap(({ name: table, dir }) =>
  readdirSync(join(dir, "manifest"))
    .sort()
    .map((name) => ({ table, tableDir: dir, name, bytes: new Uint8Array(readFileSync(join(dir, "manifest", name))) }))
    .filter((v) => isOrc(v.bytes)),
);

type Row = Record<string, unknown>;
const read = (v: OrcVector): Row[] => readOrcFile(v.bytes, v.name).rows;
const isManifestList = (v: OrcVector): boolean => v.name.startsWith("manifest-list-");

const SIMPLE_STATS = "struct<_MIN_VALUES:binary,_MAX_VALUES:binary,_NULL_COUNTS:array<bigint>>";
const MANIFEST_LIST_FIELDS =
  `struct<_VERSION:int,_FILE_NAME:string,_FILE_SIZE:bigint,_NUM_ADDED_FILES:bigint,_NUM_DELETED_FILES:bigint,` +
  `_PARTITION_STATS:${SIMPLE_STATS},_SCHEMA_ID:bigint`;
const MANIFEST_FIELDS =
  `struct<_VERSION:int,_KIND:tinyint,_PARTITION:binary,_BUCKET:int,_TOTAL_BUCKETS:int,_FILE:struct<` +
  `_FILE_NAME:string,_FILE_SIZE:bigint,_ROW_COUNT:bigint,_MIN_KEY:binary,_MAX_KEY:binary,` +
  `_KEY_STATS:${SIMPLE_STATS},_VALUE_STATS:${SIMPLE_STATS},_MIN_SEQUENCE_NUMBER:bigint,_MAX_SEQUENCE_NUMBER:bigint,` +
  `_SCHEMA_ID:bigint,_LEVEL:int,_EXTRA_FILES:array<string>,_CREATION_TIME:timestamp,_DELETE_ROW_COUNT:bigint,` +
  `_EMBEDDED_FILE_INDEX:binary,_FILE_SOURCE:tinyint`;

/** Every file under the table's partition/bucket directories, by name. */
function dataFiles(tableDir: string): Map<string, { size: number; dir: string }> {
  const out = new Map<string, { size: number; dir: string }>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(entry.name, { size: statSync(path).size, dir: relative(tableDir, dir) });
    }
  };
  for (const entry of readdirSync(tableDir, { withFileTypes: true })) {
    if (entry.isDirectory() && (entry.name.startsWith("bucket-") || entry.name.includes("="))) walk(join(tableDir, entry.name));
  }
  return out;
}

function snapshotTimesMillis(tableDir: string): number[] {
  const dir = join(tableDir, "snapshot");
  return readdirSync(dir)
    .filter((n) => n.startsWith("snapshot-"))
    .map((n) => (JSON.parse(readFileSync(join(dir, n), "utf8")) as { timeMillis: number }).timeMillis);
}

describe("ORC manifests written by Java Paimon", () => {
  it("finds the ORC manifests of the five manifest.format=orc tables", () => {
    const tables = new Set(orcVectors.map((v) => v.table));
    expect([...tables].sort()).toEqual([
      "append_09",
      "append_10",
      "append_with_empty_partition",
      "parquet_append_table",
      "pk_table_nested_type",
    ]);
    expect(orcVectors.length).toBe(33);
  });

  for (const v of orcVectors) {
    it(`reads ${v.table}/${v.name} completely`, () => {
      const tail = readOrcTail(v.bytes, v.name);
      const { schema, rows } = readOrcFile(v.bytes, v.name);
      expect(tail.postScript.compression).toBe(OrcCompressionKind.Zstd);
      expect(rows.length).toBe(tail.footer.numberOfRows);
      expect(rows.length).toBe(tail.footer.stripes.reduce((n, s) => n + s.numberOfRows, 0));
      expect(orcTypeToString(schema).startsWith(isManifestList(v) ? MANIFEST_LIST_FIELDS : MANIFEST_FIELDS)).toBe(true);
      for (const row of rows) expect(row["_VERSION"]).toBe(2);
    });
  }

  for (const table of [...new Set(orcVectors.map((v) => v.table))]) {
    const vectors = orcVectors.filter((v) => v.table === table);
    const tableDir = vectors[0]!.tableDir;

    it(`${table}: every manifest entry names a data file of that size in its bucket directory`, () => {
      const files = dataFiles(tableDir);
      let entries = 0;
      for (const v of vectors.filter((x) => !isManifestList(x))) {
        for (const entry of read(v)) {
          const file = entry["_FILE"] as Row;
          const name = file["_FILE_NAME"] as string;
          const found = files.get(name);
          expect(found, `${v.name}: ${name}`).toBeDefined();
          expect(BigInt(found!.size)).toBe(file["_FILE_SIZE"]);
          expect(found!.dir.split(sep).at(-1)).toBe(`bucket-${entry["_BUCKET"] as number}`);
          expect([0, 1]).toContain(entry["_KIND"]);
          expect(entry["_PARTITION"]).toBeInstanceOf(Uint8Array);
          expect(typeof file["_ROW_COUNT"]).toBe("bigint");
          entries++;
        }
      }
      expect(entries).toBeGreaterThan(0);
    });

    it(`${table}: manifest lists name manifests of that size with matching add/delete counts`, () => {
      const manifestDir = join(tableDir, "manifest");
      for (const v of vectors.filter(isManifestList)) {
        for (const meta of read(v)) {
          const name = meta["_FILE_NAME"] as string;
          const bytes = new Uint8Array(readFileSync(join(manifestDir, name)));
          expect(BigInt(bytes.length), `${v.name} → ${name}`).toBe(meta["_FILE_SIZE"]);
          const kinds = readOrcFile(bytes, name).rows.map((e) => e["_KIND"]);
          expect(BigInt(kinds.filter((k) => k === 0).length)).toBe(meta["_NUM_ADDED_FILES"]);
          expect(BigInt(kinds.filter((k) => k === 1).length)).toBe(meta["_NUM_DELETED_FILES"]);
        }
      }
    });

    it(`${table}: _CREATION_TIME is the writer's wall clock next to the commit time`, () => {
      // The vectors were written on a JVM in Asia/Shanghai (the stripes' writer
      // time zone): Paimon's creation time is that zone's wall clock, UTC+8,
      // taken shortly before the snapshot's commit instant.
      const times = snapshotTimesMillis(tableDir);
      const earliest = Math.min(...times) + 8 * 3_600_000 - 10 * 60_000;
      const latest = Math.max(...times) + 8 * 3_600_000;
      for (const v of vectors.filter((x) => !isManifestList(x))) {
        for (const entry of read(v)) {
          const created = Number((entry["_FILE"] as Row)["_CREATION_TIME"] as bigint);
          expect(created).toBeGreaterThanOrEqual(earliest);
          expect(created).toBeLessThanOrEqual(latest);
        }
      }
    });
  }

  it("rejects a file that is not ORC", () => {
    const avro = vectorTables()
      .flatMap(({ dir }) => readdirSync(join(dir, "manifest")).map((n) => join(dir, "manifest", n)))
      .find((p) => !isOrc(new Uint8Array(readFileSync(p))));
    expect(avro).toBeDefined();
    expectTypedError(() => readOrcFile(new Uint8Array(readFileSync(avro!)), "avro"), "not an ORC file");
  });
});

// ---------------------------------------------------------------- encodings

const u = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const big = (xs: BigInt64Array): bigint[] => Array.from(xs);
const bigs = (...xs: (number | bigint)[]): bigint[] => xs.map((x) => BigInt(x));

describe("integer RLE v2 (examples from the ORC specification)", () => {
  it("SHORT_REPEAT: five times 10000", () => {
    expect(big(decodeIntRleV2(u(0x0a, 0x27, 0x10), 5, false))).toEqual(bigs(10000, 10000, 10000, 10000, 10000));
  });

  it("DIRECT: 16-bit values", () => {
    const bytes = u(0x5e, 0x03, 0x5c, 0xa1, 0xab, 0x1e, 0xde, 0xad, 0xbe, 0xef);
    expect(big(decodeIntRleV2(bytes, 4, false))).toEqual(bigs(23713, 43806, 57005, 48879));
  });

  it("PATCHED_BASE: one outlier patched above 8-bit values", () => {
    const bytes = u(
      0x8e, 0x13, 0x2b, 0x21, 0x07, 0xd0, 0x1e, 0x00, 0x14, 0x70, 0x28, 0x32, 0x3c, 0x46, 0x50, 0x5a, 0x64, 0x6e, 0x78,
      0x82, 0x8c, 0x96, 0xa0, 0xaa, 0xb4, 0xbe, 0xfc, 0xe8,
    );
    const expected = [2030, 2000, 2020, 1000000, 2040, 2050, 2060, 2070, 2080, 2090, 2100, 2110, 2120, 2130, 2140, 2150];
    expect(big(decodeIntRleV2(bytes, 20, false))).toEqual(bigs(...expected, 2160, 2170, 2180, 2190));
  });

  it("DELTA: increasing primes with 4-bit deltas", () => {
    const bytes = u(0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46);
    expect(big(decodeIntRleV2(bytes, 10, false))).toEqual(bigs(2, 3, 5, 7, 11, 13, 17, 19, 23, 29));
  });
});

describe("integer RLE v2 (hand-built)", () => {
  it("SHORT_REPEAT signed: zigzag 1 is -1", () => {
    expect(big(decodeIntRleV2(u(0x00, 0x01), 3, true))).toEqual(bigs(-1, -1, -1));
  });

  it("DIRECT 64-bit signed extremes stay exact", () => {
    // width code 31 = 64 bits, length 2; zigzag(2^63-1) = 2^64-2, zigzag(-2^63) = 2^64-1
    const bytes = u(0x7e, 0x01, ...Array(7).fill(0xff), 0xfe, ...Array(8).fill(0xff));
    expect(big(decodeIntRleV2(bytes, 2, true))).toEqual([2n ** 63n - 1n, -(2n ** 63n)]);
  });

  it("DIRECT unsigned above 2^63 reads as Java's negative long", () => {
    const bytes = u(0x7e, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(big(decodeIntRleV2(bytes, 1, false))).toEqual([-1n]);
  });

  it("DIRECT with a non-byte-aligned width (3 bits, deprecated code 2)", () => {
    // values 1..5 as 3-bit fields: 001 010 011 100 101 + 1 pad bit = 0x29 0xCA
    expect(big(decodeIntRleV2(u(0x44, 0x04, 0x29, 0xca), 5, false))).toEqual(bigs(1, 2, 3, 4, 5));
  });

  it("DELTA decreasing, signed, with packed deltas", () => {
    // first 10 (zigzag 20), delta base -2 (zigzag 3), then |5-8| = 3 and |1-5| = 4 in 4 bits
    expect(big(decodeIntRleV2(u(0xc6, 0x03, 0x14, 0x03, 0x34), 4, true))).toEqual(bigs(10, 8, 5, 1));
  });

  it("DELTA with fixed delta (width 0)", () => {
    expect(big(decodeIntRleV2(u(0xc0, 0x04, 0x00, 0x06), 5, false))).toEqual(bigs(0, 3, 6, 9, 12));
  });

  it("PATCHED_BASE with a negative base", () => {
    // width 2 bits (code 1), 4 values, base 1 byte = 0x85 (-5), no patches: data 0,1,2,3 = 0b00011011
    const bytes = u(0x82, 0x03, 0x00, 0x00, 0x85, 0x1b);
    expect(big(decodeIntRleV2(bytes, 4, true))).toEqual(bigs(-5, -4, -3, -2));
  });

  it("several runs back to back", () => {
    const bytes = u(0x0a, 0x27, 0x10, 0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46);
    expect(decodeIntRleV2(bytes, 15, false).length).toBe(15);
  });

  it("width tables", () => {
    expect([0, 1, 3, 7, 15, 23, 24, 27, 28, 31].map(decodeBitWidth)).toEqual([1, 2, 4, 8, 16, 24, 26, 32, 40, 64]);
    expect([0, 1, 14, 24, 25, 27, 31, 33, 41, 57, 64].map(closestFixedBits)).toEqual([1, 1, 14, 24, 26, 28, 32, 40, 48, 64, 64]);
  });

  it("rejects runs past the expected count, leftover bytes and truncation", () => {
    expectTypedError(() => decodeIntRleV2(u(0x0a, 0x27, 0x10), 4, false), "overruns");
    expectTypedError(() => decodeIntRleV2(u(0x0a, 0x27, 0x10, 0x00), 5, false), "after its last value");
    expectTypedError(() => decodeIntRleV2(u(0x5e, 0x03, 0x5c, 0xa1), 4, false), "needs");
    expectTypedError(() => decodeIntRleV2(u(0x5e), 4, false), "end of data");
    // A count no stream of this size could describe fails before anything is allocated.
    expectTypedError(() => decodeIntRleV2(u(0xc0, 0x04, 0x00, 0x06), 2 ** 40, false), "cannot hold");
  });
});

describe("integer RLE v1, byte RLE, boolean RLE", () => {
  it("v1 runs and literals (specification examples)", () => {
    expect(big(decodeIntRleV1(u(0x61, 0x00, 0x07), 100, false))).toEqual(Array(100).fill(7n));
    expect(big(decodeIntRleV1(u(0x61, 0xff, 0x64), 100, false))).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(100 - i)));
    expect(big(decodeIntRleV1(u(0xfb, 0x02, 0x03, 0x04, 0x07, 0x0b), 5, false))).toEqual(bigs(2, 3, 4, 7, 11));
    expect(big(decodeIntRleV1(u(0xfe, 0x01, 0x04), 2, true))).toEqual(bigs(-1, 2));
  });

  it("byte RLE (specification examples)", () => {
    expect(Array.from(decodeByteRle(u(0x61, 0x00), 100))).toEqual(Array(100).fill(0));
    expect(Array.from(decodeByteRle(u(0xfe, 0x44, 0x45), 2))).toEqual([0x44, 0x45]);
  });

  it("boolean RLE: bits most significant first, padding ignored", () => {
    expect(Array.from(decodeBooleanRle(u(0xff, 0x80), 8))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(decodeBooleanRle(u(0xff, 0xa0), 3))).toEqual([1, 0, 1]);
  });

  it("rejects overruns and leftovers", () => {
    expectTypedError(() => decodeByteRle(u(0x61, 0x00), 99), "overruns");
    expectTypedError(() => decodeIntRleV1(u(0xfb, 0x02), 5, false), "end of data");
    expectTypedError(() => decodeByteRle(u(0xfe, 0x44, 0x45, 0x46), 2), "after its last value");
  });
});

describe("ORC building blocks", () => {
  it("varints reject more than 64 bits", () => {
    expect(new ByteCursor(u(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).varint64()).toBe(2n ** 64n - 1n);
    expectTypedError(() => new ByteCursor(u(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)).varint64(), "64 bits");
    expectTypedError(() => new ByteCursor(u(...Array(11).fill(0x80))).varint64(), "longer than 10");
  });

  it("protobuf: skips unknown fields of every wire type", () => {
    // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then footerLength = 7
    const bytes = u(0x48, 0x96, 0x01, 0x51, ...Array(8).fill(1), 0x5a, 0x02, 0x61, 0x62, 0x65, 1, 2, 3, 4, 0x08, 0x07);
    expect(parsePostScript(bytes).footerLength).toBe(7);
    expectTypedError(() => parsePostScript(u(0x5a, 0x05, 0x61)), "needs");
  });

  it("compression chunks: original and deflated, headers as in the specification", () => {
    const codec = { kind: OrcCompressionKind.Zlib, blockSize: 1000 };
    expect(Array.from(decompressOrc(u(0x0b, 0x00, 0x00, 1, 2, 3, 4, 5), codec))).toEqual([1, 2, 3, 4, 5]);
    const plain = Uint8Array.from({ length: 600 }, (_, i) => i % 7);
    const deflated = deflateSync(plain);
    const header = u((deflated.length << 1) & 0xff, (deflated.length >> 7) & 0xff, deflated.length >> 15);
    const stored = new Uint8Array([...header, ...deflated, 0x0b, 0x00, 0x00, 9, 9, 9, 9, 9]);
    expect(Array.from(decompressOrc(stored, codec))).toEqual([...plain, 9, 9, 9, 9, 9]);
    expectTypedError(() => decompressOrc(stored, { ...codec, blockSize: 100 }), "block size");
    expectTypedError(() => decompressOrc(u(0x40, 0x0d, 0x03, 1, 2), codec), "past the end");
    expectTypedError(() => decompressOrc(u(0x0b, 0x00), codec), "truncated");
  });

  it("timestamp nanoseconds and zones", () => {
    expect(decodeTimestampNanos(0x0an)).toBe(1000n);
    expect(decodeTimestampNanos(0x0cn)).toBe(100000n);
    expect(decodeTimestampNanos(5n << 3n)).toBe(5n);
    // 2015-01-01T00:00:01.5 on the base's own clock, for the instant type and for zone wall clocks
    const nanos = (5n << 3n) | 7n; // 5 * 10^8
    expect(timestampMillis(1n, nanos, undefined)).toBe(1_420_070_401_500n);
    expect(timestampMillis(1n, nanos, "Asia/Shanghai")).toBe(1_420_070_401_500n);
    // New York: base is winter (UTC-5); a July value gets the summer wall clock (UTC-4).
    // Java stores the instant of 2015-07-01T00:00 EDT minus the instant of 2015-01-01T00:00 EST.
    const julySinceBase = BigInt(Date.UTC(2015, 6, 1) / 1000 - 1_420_070_400);
    expect(timestampMillis(julySinceBase - 3600n, 0n, "America/New_York")).toBe(BigInt(Date.UTC(2015, 6, 1)));
  });
});

// ---------------------------------------------------------------- corruption


function expectTypedError(fn: () => unknown, messagePart: string): void {
  try {
    fn();
  } catch (e) {
    expect(isStreamhouseError(e, "DataInvalid"), String(e)).toBe(true);
    expect((e as Error).message).toContain(messagePart);
    return;
  }
  expect.unreachable(`expected a DataInvalid error containing "${messagePart}"`);
}

/**
 * Time allowed for one corrupt read. Clean reads take about a millisecond; a
 * few rare corrupt zstd blocks make fzstd spin through out-of-range match
 * copies for seconds (its sequence loop does not bound output) — see the report.
 */
const READ_MS_MAX = 15_000;

/** Reads corrupt bytes: success or a typed error with file context; never a stray JS error, never slow. */
function readCorrupt(bytes: Uint8Array, name: string, what: string): "ok" | "error" {
  const started = performance.now();
  const outcome = readCorruptOnce(bytes, name, what);
  const ms = performance.now() - started;
  if (ms > READ_MS_MAX) throw new Error(`${what}: took ${ms.toFixed(0)} ms`);
  return outcome;
}

function readCorruptOnce(bytes: Uint8Array, name: string, what: string): "ok" | "error" {
  try {
    readOrcFile(bytes, name);
    return "ok";
  } catch (e) {
    if (!(e instanceof StreamhouseError) || (e.kind !== "DataInvalid" && e.kind !== "Unsupported")) {
      throw new Error(`${what}: untyped failure ${String(e)}`, { cause: e });
    }
    // The codec libraries may fail with RangeErrors on corrupt frames; those are wrapped as
    // "corrupt <codec> chunk". Anywhere else a RangeError or TypeError means a missed bounds check.
    const fromCodec = e.message.startsWith("corrupt ZSTD chunk") || e.message.startsWith("corrupt ZLIB chunk");
    if (!fromCodec && (e.cause instanceof TypeError || e.cause instanceof RangeError)) {
      throw new Error(`${what}: a JS ${e.cause.name} escaped the bounds checks: ${e.cause.message}`, { cause: e });
    }
    if (e.context["file"] !== name || typeof e.context["offset"] !== "number") {
      throw new Error(`${what}: error without file/offset context: ${e.message}`);
    }
    return "error";
  }
}

describe("corrupt ORC input", () => {
  const seed = Number(process.env["ORC_FUZZ_SEED"] ?? 20250821);

  it("truncation at every offset fails with a typed error", () => {
    for (const v of orcVectors.slice(0, 8)) {
      for (let len = 0; len < v.bytes.length; len++) {
        const what = `${v.name} truncated to ${len} bytes`;
        expect(readCorrupt(v.bytes.subarray(0, len), v.name, what), what).toBe("error");
      }
    }
  });

  it(`seeded byte flips give a typed error or a result, never a crash or hang (seed ${seed})`, () => {
    const random = prng(seed);
    let errors = 0;
    let cases = 0;
    for (const v of orcVectors) {
      for (let i = 0; i < 150; i++) {
        const bytes = v.bytes.slice();
        const flips = 1 + Math.floor(random() * 3);
        const at: number[] = [];
        for (let f = 0; f < flips; f++) {
          const pos = Math.floor(random() * bytes.length);
          bytes[pos] = bytes[pos]! ^ (1 + Math.floor(random() * 255));
          at.push(pos);
        }
        const what = `seed ${seed}, ${v.name}, case ${i}, flipped ${at.join(",")}`;
        if (readCorrupt(bytes, v.name, what) === "error") errors++;
        cases++;
      }
    }
    // Most flips land in compressed streams or metadata and must be caught.
    expect(errors, `seed ${seed}`).toBeGreaterThan(cases / 2);
  });

  it(`seeded tail rewrites stay typed (seed ${seed})`, () => {
    const random = prng(seed ^ 0x5eed);
    for (const v of orcVectors) {
      for (let i = 0; i < 60; i++) {
        const bytes = v.bytes.slice();
        // Hit the postscript, footer and stripe footers, where lengths and offsets live.
        const pos = bytes.length - 1 - Math.floor(random() * Math.min(bytes.length, 400));
        bytes[pos] = Math.floor(random() * 256);
        readCorrupt(bytes, v.name, `seed ${seed}, ${v.name}, tail case ${i}, byte ${pos}`);
      }
    }
  });
});
