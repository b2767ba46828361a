import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BITMAP64_MAX_POSITION,
  Bitmap64DeletionVector,
  BitmapDeletionVector,
  type DeletionVector,
  decodeDeletionVector,
} from "../src/deletion-vector/deletion-vector.js";
import {
  decodeDeletionVectorAt,
  decodeDeletionVectorEntry,
  decodeDvIndexFile,
  deletionVectorReadSpan,
  encodeDvIndexFile,
} from "../src/deletion-vector/dv-index-file.js";
import { RoaringBitmap } from "../src/deletion-vector/roaring-bitmap.js";
import { isStreamhouseError, type StreamhouseError } from "../src/errors.js";
import { crc32, crc32Update } from "../src/util/crc32.js";
import { vectorTables } from "./vectors.js";
import { mulberry32 as prng } from "./support/prng.js";

// ---- helpers ------------------------------------------------------------------

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

/** Runs `fn` and returns the StreamhouseError it throws; fails on anything else. */
function thrown(fn: () => unknown): StreamhouseError {
  try {
    fn();
  } catch (e) {
    if (isStreamhouseError(e)) return e;
    throw new Error(`expected a StreamhouseError, got ${String(e)}`, { cause: e });
  }
  throw new Error("expected an error, none thrown");
}


const BASE_SEED = Number(process.env["STREAMHOUSE_SEED"] ?? Date.now() % 2147483647);

function withSeed(seed: number, fn: (rnd: () => number) => void): void {
  try {
    fn(prng(seed));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`[seed ${seed}; rerun with STREAMHOUSE_SEED=${BASE_SEED}] ${message}`, { cause: e });
  }
}

/** Random positions mixing the shapes that give array, bitmap and run containers. */
function randomPositions(rnd: () => number, maxPosition: number): number[] {
  const out = new Set<number>();
  const blocks = 1 + Math.floor(rnd() * 6);
  for (let b = 0; b < blocks; b++) {
    const base = Math.floor(rnd() * (maxPosition / 65536)) * 65536;
    const shape = Math.floor(rnd() * 4);
    if (shape === 0) {
      // sparse → array container
      const n = 1 + Math.floor(rnd() * 300);
      for (let i = 0; i < n; i++) out.add(base + Math.floor(rnd() * 65536));
    } else if (shape === 1) {
      // dense random → bitmap container
      const density = 0.1 + rnd() * 0.5;
      for (let v = 0; v < 65536; v++) if (rnd() < density) out.add(base + v);
    } else if (shape === 2) {
      // a few long runs → run container
      const runs = 1 + Math.floor(rnd() * 20);
      for (let r = 0; r < runs; r++) {
        const start = Math.floor(rnd() * 65000);
        const len = 1 + Math.floor(rnd() * 2000);
        for (let v = start; v < Math.min(65536, start + len); v++) out.add(base + v);
      }
    } else {
      // runs of 1–3 values with gaps: near the array/run and bitmap/run thresholds
      let v = Math.floor(rnd() * 100);
      while (v < 65536) {
        const len = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < len && v + i < 65536; i++) out.add(base + v + i);
        v += len + 1 + Math.floor(rnd() * 3);
      }
    }
  }
  return [...out].filter((p) => p <= maxPosition);
}

const sorted = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);

/** Like toEqual for long number lists, but fast and naming the first difference. */
function expectSameNumbers(actual: Iterable<number>, expected: readonly number[]): void {
  const a = [...actual];
  const n = Math.min(a.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== expected[i]) throw new Error(`differ at index ${i}: ${a[i]} vs ${expected[i]}`);
  }
  expect(a.length).toBe(expected.length);
}

// ---- the Java-written index files ----------------------------------------------

/**
 * What the index manifests of the vector tables say about each index file (decoded
 * by hand from the zstandard-compressed Avro: `_DELETIONS_VECTORS_RANGES`), and the
 * row count of the data file each vector belongs to, from the tables' READMEs: after
 * the compaction of snapshot 2, partition f1=10 has a file with the two f2=1 rows
 * (Alice, "Two roads…", sorted by f0) and one with the five f2=0 rows (Alex, Bob,
 * David, Emily, Tony). Snapshot 3 deletes Tony (position 4 of the second) and updates
 * Alice (position 0 of the first); compaction in snapshot 4 records both as vectors.
 */
const EXPECTED: Record<string, { dataFile: string; rowCount: number; positions: number[]; offset: number; length: number }> = {
  "pk_table_scan_and_read_dv/index-16bec1d6-fa31-49bd-a240-deadcfff6003-0": {
    dataFile: "data-f19db350-7c55-4686-8839-78d15aa17fc1-0.parquet",
    rowCount: 2,
    positions: [0],
    offset: 1,
    length: 22,
  },
  "pk_table_scan_and_read_dv/index-16bec1d6-fa31-49bd-a240-deadcfff6003-1": {
    dataFile: "data-d18e5571-abce-4309-ad4a-37f0bc93679f-0.parquet",
    rowCount: 5,
    positions: [4],
    offset: 1,
    length: 22,
  },
  "pk_dv_index_not_in_data_no_external/index-cb9839b0-ad4e-4d71-8ef7-445d5440988e-0": {
    dataFile: "data-5afbc2a0-ab8a-4f33-a412-d89774abb462-0.parquet",
    rowCount: 2,
    positions: [0],
    offset: 1,
    length: 22,
  },
  "pk_dv_index_not_in_data_no_external/index-cb9839b0-ad4e-4d71-8ef7-445d5440988e-1": {
    dataFile: "data-30966d79-fb35-4fa2-8b50-febbf16e1ac4-0.parquet",
    rowCount: 5,
    positions: [4],
    offset: 1,
    length: 22,
  },
};

function javaIndexFiles(): { key: string; path: string; bytes: Uint8Array }[] {
  const out: { key: string; path: string; bytes: Uint8Array }[] = [];
  for (const { name, dir } of vectorTables()) {
    const indexDir = join(dir, "index");
    if (!existsSync(indexDir)) continue;
    for (const f of readdirSync(indexDir).sort()) {
      if (!f.startsWith("index-")) continue;
      const path = join(indexDir, f);
      const bytes = new Uint8Array(readFileSync(path));
      if (bytes[0] !== 1) continue; // not a deletion-vector file (a HASH index has no version byte)
      out.push({ key: `${name}/${f}`, path, bytes });
    }
  }
  return out;
}

describe("CRC-32", () => {
  it("matches the standard check value and chains", () => {
    const data = new TextEncoder().encode("123456789");
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Update(crc32(data, 0, 4), data, 4)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("Java-written deletion-vector index files", () => {
  const files = javaIndexFiles();

  it("finds every index file the tables name", () => {
    expect(files.map((f) => f.key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const { key, path, bytes } of files) {
    it(`decodes ${key}`, () => {
      const expected = EXPECTED[key]!;
      const entries = decodeDvIndexFile(bytes, path);
      expect(entries).toHaveLength(1);
      const [entry] = entries;
      expect(entry!.vector.kind).toBe("bitmap32");
      expect(entry!.offset).toBe(expected.offset);
      expect(entry!.length).toBe(expected.length);
      expect(entry!.vector.cardinality).toBe(expected.positions.length);
      const positions = [...entry!.vector.positions()];
      expect(positions).toEqual(expected.positions);
      for (const p of positions) expect(p).toBeLessThan(expected.rowCount);
      for (let p = 0; p < expected.rowCount; p++) expect(entry!.vector.isDeleted(p)).toBe(expected.positions.includes(p));

      // by the manifest's range, from the whole file or from a fetched byte range
      const at = decodeDeletionVectorAt(bytes, expected.offset, expected.length, path);
      expect([...at.positions()]).toEqual(expected.positions);
      const span = bytes.subarray(expected.offset, expected.offset + deletionVectorReadSpan(expected.length));
      expect([...decodeDeletionVectorEntry(span, expected.offset, expected.length, path).positions()]).toEqual(expected.positions);
      expect(thrown(() => decodeDeletionVectorAt(bytes, expected.offset, expected.length + 1, path)).kind).toBe("DataInvalid");
    });

    it(`re-encodes ${key} to identical bytes`, () => {
      const entries = decodeDvIndexFile(bytes, path);
      const { bytes: again, ranges } = encodeDvIndexFile(entries.map((e, i) => [`data-${i}.parquet`, e.vector] as const));
      expect(hex(again)).toBe(hex(bytes));
      expect(ranges.map((r) => [r.offset, r.length, r.cardinality])).toEqual(
        entries.map((e) => [e.offset, e.length, e.vector.cardinality]),
      );
    });
  }

  it("the single-position file has the byte layout the spec describes", () => {
    // version | size 22 | magic BE | cookie 12346, 1 container | key 0, card-1 0 | offset 16 | value 4 | CRC BE
    const { bytes } = encodeDvIndexFile([["f", BitmapDeletionVector.of([4])]]);
    expect(hex(bytes)).toBe("01" + "00000016" + "5e43f2d0" + "3a300000" + "01000000" + "00000000" + "10000000" + "0400" + "875ca5d7");
  });
});

// ---- our own vectors -------------------------------------------------------------

function roundTrip32(positions: number[]): void {
  const dv = BitmapDeletionVector.of(positions);
  const expected = sorted(positions);
  expect(dv.cardinality).toBe(expected.length);
  const bin = dv.encode();
  const back = decodeDeletionVector(bin);
  expect(back.kind).toBe("bitmap32");
  expectSameNumbers(back.positions(), expected);
  expect(hex(back.encode())).toBe(hex(bin));
}

function roundTrip64(positions: number[]): void {
  const dv = Bitmap64DeletionVector.of(positions);
  const expected = sorted(positions);
  expect(dv.cardinality).toBe(expected.length);
  const bin = dv.encode();
  const back = decodeDeletionVector(bin);
  expect(back.kind).toBe("bitmap64");
  expectSameNumbers(back.positions(), expected);
  expect(hex(back.encode())).toBe(hex(bin));
}

describe("random deletion vectors round-trip", () => {
  it("32-bit, with array, bitmap and run containers all occurring", () => {
    const kinds = { array: 0, bitmap: 0, run: 0 };
    for (let i = 0; i < 24; i++) {
      withSeed(BASE_SEED + i, (rnd) => {
        const positions = randomPositions(rnd, 2 ** 31 - 1);
        roundTrip32(positions);
        const dv = BitmapDeletionVector.of(positions);
        dv.encode();
        const k = dv.bitmap.containerKinds();
        kinds.array += k.array;
        kinds.bitmap += k.bitmap;
        kinds.run += k.run;
        // a model check on membership, including absent neighbours
        const set = new Set(positions);
        for (let j = 0; j < 1000; j++) {
          const p = positions.length > 0 && j % 2 === 0 ? positions[Math.floor(rnd() * positions.length)]! + (j % 4) - 1 : Math.floor(rnd() * 2 ** 31);
          expect(dv.isDeleted(p)).toBe(set.has(p));
        }
      });
    }
    expect(kinds.array).toBeGreaterThan(0);
    expect(kinds.bitmap).toBeGreaterThan(0);
    expect(kinds.run).toBeGreaterThan(0);
  });

  it("64-bit, including positions past 2^32 and gaps between keys", () => {
    for (let i = 0; i < 12; i++) {
      withSeed(BASE_SEED + 1000 + i, (rnd) => {
        const positions = randomPositions(rnd, 2 ** 31 - 1);
        const far = randomPositions(rnd, 2 ** 20).map((p) => p + 2 ** 32 * (1 + Math.floor(rnd() * 3)));
        roundTrip64(positions);
        roundTrip64([...positions, ...far]);
        const dv = Bitmap64DeletionVector.of(far);
        for (const p of far.slice(0, 200)) {
          expect(dv.isDeleted(p)).toBe(true);
          expect(dv.isDeleted(BigInt(p))).toBe(true);
        }
      });
    }
  });

  it("index files of many random vectors of both kinds", () => {
    withSeed(BASE_SEED + 2000, (rnd) => {
      const vectors: [string, DeletionVector][] = [];
      for (let i = 0; i < 12; i++) {
        const positions = randomPositions(rnd, 2 ** 31 - 1);
        vectors.push([`data-${i}.parquet`, i % 3 === 2 ? Bitmap64DeletionVector.of(positions) : BitmapDeletionVector.of(positions)]);
      }
      const { bytes, ranges } = encodeDvIndexFile(vectors);
      const entries = decodeDvIndexFile(bytes);
      expect(entries.map((e) => [e.offset, e.length])).toEqual(ranges.map((r) => [r.offset, r.length]));
      for (let i = 0; i < vectors.length; i++) {
        const [, dv] = vectors[i]!;
        const range = ranges[i]!;
        expect(range.cardinality).toBe(dv.cardinality);
        const back = decodeDeletionVectorAt(bytes, range.offset, range.length, "f");
        expect(back.kind).toBe(dv.kind);
        expectSameNumbers(back.positions(), [...dv.positions()]);
        const span = bytes.subarray(range.offset, range.offset + deletionVectorReadSpan(range.length));
        expect(decodeDeletionVectorEntry(span, range.offset, range.length).cardinality).toBe(dv.cardinality);
      }
      expect(hex(encodeDvIndexFile(entries.map((e, i) => [`x${i}`, e.vector] as const)).bytes)).toBe(hex(bytes));
    });
  });
});

describe("Java's container rules", () => {
  it("an array of 3 consecutive values stays an array (6 bytes either way), 4 become a run", () => {
    const three = BitmapDeletionVector.of([0, 1, 2]);
    three.encode();
    expect(three.bitmap.containerKinds()).toEqual({ array: 1, bitmap: 0, run: 0 });
    const four = BitmapDeletionVector.of([0, 1, 2, 3]);
    expect(hex(four.encode())).toBe("5e43f2d0" + "3b30" + "0000" + "01" + "0000" + "0300" + "0100" + "00000300");
  });

  it("a run container that Java kept as a run (same size as an array) is re-encoded as a run", () => {
    // cookie 12347 with 1 container, run flag, key 0 card-1 2, 1 run: start 0 length-1 2
    const bytes = fromHex("5e43f2d0 3b300000 01 00000200 0100 00000200");
    const dv = decodeDeletionVector(bytes);
    expect([...dv.positions()]).toEqual([0, 1, 2]);
    expect(hex(dv.encode())).toBe(hex(bytes));
  });

  it("a bitmap container becomes a run container up to 2047 runs, not at 2048", () => {
    const runsOf3 = (runs: number): number[] => Array.from({ length: runs * 3 }, (_, i) => Math.floor(i / 3) * 4 + (i % 3));
    const a = BitmapDeletionVector.of(runsOf3(2047));
    a.encode();
    expect(a.bitmap.containerKinds()).toEqual({ array: 0, bitmap: 0, run: 1 });
    const b = BitmapDeletionVector.of(runsOf3(2048));
    b.encode();
    expect(b.bitmap.containerKinds()).toEqual({ array: 0, bitmap: 1, run: 0 });
  });

  it("an array becomes a bitmap on its 4097th value", () => {
    const bitmap = new RoaringBitmap();
    for (let v = 0; v < 8192; v += 2) bitmap.add(v);
    expect(bitmap.containerKinds()).toEqual({ array: 1, bitmap: 0, run: 0 });
    bitmap.add(1);
    expect(bitmap.containerKinds()).toEqual({ array: 0, bitmap: 1, run: 0 });
    expect(bitmap.cardinality).toBe(4097);
  });

  it("writes the offset header with run containers only from 4 containers on", () => {
    const three = BitmapDeletionVector.of([0, 1, 2, 3, 65536, 65537, 65538, 65539, 131072, 131073, 131074, 131075]);
    const four = BitmapDeletionVector.of([...three.positions(), 196608, 196609, 196610, 196611]);
    // 3 runs: 4 cookie + 1 flags + 12 header + 3 × 6; 4 runs: 4 + 1 + 16 + 16 offsets + 4 × 6
    expect(three.encode().length - 4).toBe(4 + 1 + 12 + 18);
    expect(four.encode().length - 4).toBe(4 + 1 + 16 + 16 + 24);
    expect([...decodeDeletionVector(four.encode()).positions()]).toEqual([...four.positions()]);
  });

  it("64-bit vectors write every key from 0 up, empty bitmaps included", () => {
    const dv = Bitmap64DeletionVector.of([2 ** 32 * 2 + 5]);
    const bin = dv.encode();
    // magic LE | count 3 | key 0 + empty | key 1 + empty | key 2 + {5}
    expect(hex(bin)).toBe(
      "d1d33964" +
        "0300000000000000" +
        "00000000" +
        "3a30000000000000" +
        "01000000" +
        "3a30000000000000" +
        "02000000" +
        "3a300000" +
        "01000000" +
        "00000000" +
        "10000000" +
        "0500",
    );
    expect(hex(Bitmap64DeletionVector.of([]).encode())).toBe("d1d33964" + "0000000000000000");
    const { ranges } = encodeDvIndexFile([["a", dv]]);
    expect(ranges[0]!.length).toBe(bin.length + 8);
  });
});

describe("invalid positions", () => {
  it("rejects positions a vector cannot hold and reports them as not deleted", () => {
    const dv32 = new BitmapDeletionVector();
    expect(thrown(() => dv32.delete(2 ** 31)).kind).toBe("InvalidArgument");
    expect(thrown(() => dv32.delete(-1)).kind).toBe("InvalidArgument");
    expect(thrown(() => dv32.delete(1.5)).kind).toBe("InvalidArgument");
    expect(dv32.isDeleted(2 ** 31)).toBe(false);
    expect(dv32.isDeleted(-1n)).toBe(false);
    const dv64 = new Bitmap64DeletionVector();
    expect(thrown(() => dv64.delete(BITMAP64_MAX_POSITION + 1n)).kind).toBe("InvalidArgument");
    expect(dv64.delete(BITMAP64_MAX_POSITION)).toBe(true);
    expect(dv64.isDeleted(BITMAP64_MAX_POSITION)).toBe(true);
    expect(dv64.isDeleted(2 ** 53)).toBe(false);
  });
});

// ---- corruption -------------------------------------------------------------------

function sampleFile(): Uint8Array {
  let seed = BASE_SEED + 3000;
  const vectors: [string, DeletionVector][] = [];
  for (let i = 0; i < 4; i++) {
    withSeed(seed++, (rnd) => {
      const positions = randomPositions(rnd, 2 ** 20);
      vectors.push([`d${i}`, i === 3 ? Bitmap64DeletionVector.of(positions) : BitmapDeletionVector.of(positions)]);
    });
  }
  vectors.push(["small", BitmapDeletionVector.of([1, 7, 9])]);
  return encodeDvIndexFile(vectors).bytes;
}

describe("corrupt index files", () => {
  const java = javaIndexFiles()[0]!;

  it("a flipped byte anywhere in a Java file is a typed error", () => {
    for (let i = 0; i < java.bytes.length; i++) {
      const bad = java.bytes.slice();
      bad[i]! ^= 0x40;
      const e = thrown(() => decodeDvIndexFile(bad, java.path));
      expect(e.kind).toBe("DataInvalid");
      expect(e.context["file"]).toBe(java.path);
      expect(typeof e.context["offset"]).toBe("number");
      if (i >= 5 && i < java.bytes.length - 4) expect(e.message).toContain("CRC mismatch");
    }
  });

  it("a flipped byte inside a vector is a CRC error naming the entry's offset", () => {
    const bytes = sampleFile();
    const entries = decodeDvIndexFile(bytes);
    withSeed(BASE_SEED + 4000, (rnd) => {
      for (let n = 0; n < 300; n++) {
        const entry = entries[Math.floor(rnd() * entries.length)]!;
        const binStart = entry.offset + 4;
        const binSize = entry.vector.kind === "bitmap32" ? entry.length : entry.length - 8;
        const at = binStart + Math.floor(rnd() * (binSize + 4)); // bin or CRC
        const bad = bytes.slice();
        bad[at]! ^= 1 << Math.floor(rnd() * 8);
        const e = thrown(() => decodeDvIndexFile(bad, "f"));
        expect(e.kind).toBe("DataInvalid");
        expect(e.message).toContain("CRC mismatch");
        expect(e.context["offset"]).toBe(entry.offset);
      }
    });
  });

  it("truncation at every offset (large files: at sampled offsets) is a typed error with an offset", () => {
    const small = encodeDvIndexFile([
      ["a", BitmapDeletionVector.of([1, 2, 3, 4, 70000, 2 ** 31 - 1])],
      ["b", Bitmap64DeletionVector.of([5, 2 ** 32 + 9, 2 ** 32 + 10, 2 ** 32 + 11, 2 ** 32 + 12])],
      ["c", BitmapDeletionVector.of([])],
    ]).bytes;
    const rnd = prng(BASE_SEED + 6000);
    for (const bytes of [java.bytes, small, sampleFile()]) {
      const entries = decodeDvIndexFile(bytes);
      const boundaries = new Set(entries.map((e) => e.offset));
      const cuts = new Set<number>();
      if (bytes.length <= 2000) for (let len = 0; len < bytes.length; len++) cuts.add(len);
      else {
        for (const b of boundaries) for (let d = -6; d <= 6; d++) if (b + d >= 0 && b + d < bytes.length) cuts.add(b + d);
        for (let n = 0; n < 300; n++) cuts.add(Math.floor(rnd() * bytes.length));
      }
      for (const len of cuts) {
        if (boundaries.has(len)) {
          // cut exactly between entries: a valid, shorter file
          expect(decodeDvIndexFile(bytes.subarray(0, len)).length).toBe(entries.filter((e) => e.offset < len).length);
          continue;
        }
        const e = thrown(() => decodeDvIndexFile(bytes.subarray(0, len), "cut"));
        expect(e.kind).toBe("DataInvalid");
        expect(typeof e.context["offset"]).toBe("number");
        expect(e.context["file"]).toBe("cut");
      }
    }
  });

  it("ranges past the end, a wrong version and a wrong size are typed errors", () => {
    const bytes = java.bytes;
    expect(thrown(() => decodeDeletionVectorAt(bytes, 1, 400, "f")).message).toContain("index manifest says 400");
    expect(thrown(() => decodeDeletionVectorAt(bytes, 1000, 22, "f")).kind).toBe("DataInvalid");
    expect(thrown(() => decodeDeletionVectorAt(bytes, 0, 22, "f")).kind).toBe("DataInvalid");
    expect(thrown(() => decodeDeletionVectorEntry(bytes.subarray(1, 20), 1, 22, "f")).message).toContain("past the end");
    const v2 = bytes.slice();
    v2[0] = 2;
    expect(thrown(() => decodeDvIndexFile(v2)).message).toContain("version 2");
    const big = bytes.slice();
    new DataView(big.buffer).setInt32(1, 0x7ffffff0, false);
    expect(thrown(() => decodeDvIndexFile(big)).context["offset"]).toBe(1);
  });
});

describe("corrupt vectors (CRC bypassed)", () => {
  const magic = "5e43f2d0";
  const cases: [string, string, string][] = [
    ["unknown magic", "00000001 3a300000 00000000", "unknown deletion vector magic"],
    ["bad cookie", magic + "39300000 00000000", "cookie"],
    ["too many containers", magic + "3a300000 01000100", "containers"],
    ["keys not ascending", magic + "3a300000 02000000 01000000 01000000 18000000 1a000000 0000 0000", "not ascending"],
    ["array not ascending", magic + "3a300000 01000000 00000100 10000000 0500 0500", "ascending"],
    ["wrong container offset", magic + "3a300000 01000000 00000000 11000000 0500", "offset"],
    ["run cardinality mismatch", magic + "3b300000 01 00000500 0100 00000200", "header says"],
    ["run past 65535", magic + "3b300000 01 0000ffff 0100 ffff0100", "passes 65535"],
    ["trailing bytes", magic + "3a300000 00000000 00", "unexpected bytes"],
    ["64-bit count too large", "d1d33964 ffffffffffffffff", "bitmap count"],
    ["64-bit keys descending", "d1d33964 0200000000000000 01000000 3a30000000000000 00000000 3a30000000000000", "key"],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => {
      const e = thrown(() => decodeDeletionVector(fromHex(bytes)));
      expect(e.kind).toBe("DataInvalid");
      expect(e.message).toContain(message);
      expect(typeof e.context["offset"]).toBe("number");
    });
  }

  it("a bitmap container whose bit count disagrees with its header", () => {
    const dv = BitmapDeletionVector.of(Array.from({ length: 5000 }, (_, i) => i * 3));
    const bin = dv.encode();
    bin[bin.length - 1]! ^= 0x80;
    expect(thrown(() => decodeDeletionVector(bin)).message).toContain("bits set");
  });

  it("random damage never escapes as anything but DataInvalid", () => {
    withSeed(BASE_SEED + 5000, (rnd) => {
      const bins = [
        BitmapDeletionVector.of(randomPositions(rnd, 2 ** 20)).encode(),
        Bitmap64DeletionVector.of(randomPositions(rnd, 2 ** 20).map((p) => p + 2 ** 32)).encode(),
        BitmapDeletionVector.of([3, 4, 5, 6, 100]).encode(),
      ];
      for (let n = 0; n < 3000; n++) {
        const bin = bins[n % bins.length]!;
        const bad = bin.slice(0, 4 + Math.floor(rnd() * Math.min(bin.length - 4, 64)) + (n % 2 === 0 ? bin.length : 0));
        const flips = 1 + Math.floor(rnd() * 3);
        for (let f = 0; f < flips; f++) {
          const at = 4 + Math.floor(rnd() * Math.min(bad.length - 4, 80));
          if (at < bad.length) bad[at]! ^= 1 << Math.floor(rnd() * 8);
        }
        try {
          decodeDeletionVector(bad);
        } catch (e) {
          if (!isStreamhouseError(e, "DataInvalid")) throw e;
        }
      }
    });
  });
});
