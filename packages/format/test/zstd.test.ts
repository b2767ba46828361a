/**
 * Our zstd compressor, checked by decoding every frame with `fzstd` (an independent
 * decoder) and comparing bytes, plus ratio checks that raw-block frames would fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { decompress as fzstd } from "fzstd";
import { describe, expect, it } from "vitest";
import { readAvroHeader } from "../src/avro/avro-container.js";
import { BitWriter, ByteSink } from "../src/compression/bit-writer.js";
import { buildFseTable, normalizeCounts, writeFseDescription } from "../src/compression/fse-encoder.js";
import { buildHuffmanCode, HUFFMAN_MAX_BITS } from "../src/compression/huffman-encoder.js";
import { ZSTD_MAX_BLOCK_SIZE } from "../src/compression/zstd-compress.js";
import { zstdCompress, zstdDecompress } from "../src/compression/zstd-frame.js";
import { RepeatOffsets } from "../src/compression/zstd-sequences.js";
import { LL_DEFAULT_NORM, ML_DEFAULT_NORM, OF_DEFAULT_NORM } from "../src/compression/zstd-tables.js";
import { decodeManifestEntries, encodeManifestEntries } from "../src/manifest/manifest-codec.js";
import type { ManifestEntry } from "../src/manifest/manifest-entry.js";
import { Prng, testSeeds } from "./support/prng.js";
import { vectorTables } from "./vectors.js";

const utf8 = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Compresses, checks fzstd and our decompress both restore `data`, returns the frame. */
function roundTrip(data: Uint8Array, label: string): Uint8Array {
  const frame = zstdCompress(data);
  expect(sameBytes(fzstd(frame), data), `${label}: fzstd round trip`).toBe(true);
  expect(sameBytes(zstdDecompress(frame), data), `${label}: zstdDecompress round trip`).toBe(true);
  return frame;
}

/** Text with a skewed alphabet and repeated words: exercises Huffman literals and FSE tables. */
function prose(prng: Prng, bytes: number): Uint8Array {
  const words = ["table", "snapshot", "manifest", "bucket", "partition", "the", "of", "a", "commit", "file", "level", "schema"];
  let s = "";
  while (s.length < bytes) s += `${prng.pick(words)}${prng.bool(0.1) ? `-${prng.int(0, 99999)}` : ""}${prng.bool(0.08) ? ".\n" : " "}`;
  return utf8.encode(s.slice(0, bytes));
}

/**
 * A seeded mix of the shapes compressors trip over: incompressible runs, single-byte
 * runs, prose, near and far copies of earlier output (overlapping ones included).
 */
function mixed(prng: Prng, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let p = 0;
  while (p < bytes) {
    const len = Math.min(bytes - p, prng.int(1, prng.bool(0.2) ? 40_000 : 600));
    const kind = prng.int(0, 4);
    if (kind === 0) out.set(prng.bytes(len), p);
    else if (kind === 1) out.fill(prng.int(0, 255), p, p + len);
    else if (kind === 2) out.set(prose(prng, len), p);
    else if (p > 0) {
      const offset = kind === 3 ? prng.int(1, Math.min(p, 64)) : prng.int(1, p);
      for (let i = 0; i < len; i++) out[p + i] = out[p + i - offset]!;
    }
    p += len;
  }
  return out;
}

describe("zstd compressor: round trips through fzstd", () => {
  it("handles empty and one-byte input", () => {
    expect(fzstd(zstdCompress(new Uint8Array(0))).length).toBe(0);
    roundTrip(Uint8Array.of(0x42), "one byte");
    roundTrip(Uint8Array.of(1, 2, 3), "three bytes");
  });

  it("stores incompressible data with at most a few bytes of framing per block", () => {
    const data = new Prng(7).bytes(3 * ZSTD_MAX_BLOCK_SIZE + 12345);
    const frame = roundTrip(data, "random");
    expect(frame.length).toBeLessThanOrEqual(data.length + 9 + 3 * 4);
  });

  it("round-trips sizes around block boundaries", () => {
    const prng = new Prng(11);
    for (const n of [ZSTD_MAX_BLOCK_SIZE - 1, ZSTD_MAX_BLOCK_SIZE, ZSTD_MAX_BLOCK_SIZE + 1, 2 * ZSTD_MAX_BLOCK_SIZE, 4 * ZSTD_MAX_BLOCK_SIZE + 3]) {
      roundTrip(prose(prng, n), `prose ${n}`);
      roundTrip(mixed(prng, n), `mixed ${n}`);
      roundTrip(new Uint8Array(n).fill(9), `one byte value ${n}`);
    }
  });

  it("round-trips inputs larger than the window (non-single-segment frames)", () => {
    const data = mixed(new Prng(12), 1_600_000);
    const frame = roundTrip(data, "1.6 MB mixed");
    expect(frame[4]! & 0x20).toBe(0); // Single_Segment_Flag clear: a window descriptor follows
  });

  it("round-trips short inputs of every length up to 300 bytes", () => {
    const prng = new Prng(13);
    for (let n = 0; n <= 300; n++) roundTrip(n % 2 === 0 ? prose(prng, n) : mixed(prng, n), `short ${n}`);
  });

  for (const seed of testSeeds(1000, 40)) {
    it(`round-trips a seeded random mix (seed ${seed}; STREAMHOUSE_SEED=${seed} to re-run)`, () => {
      const prng = new Prng(seed);
      const data = mixed(prng, prng.int(0, prng.bool(0.3) ? 400_000 : 5_000));
      roundTrip(data, `seed ${seed}`);
    });
  }

  it("is deterministic", () => {
    const data = mixed(new Prng(5), 200_000);
    expect(sameBytes(zstdCompress(data), zstdCompress(data))).toBe(true);
  });
});

describe("zstd compressor: ratio", () => {
  it("compresses 1 MiB of repetitive text below 10%", () => {
    let s = "";
    for (let i = 0; s.length < 1 << 20; i++) s += `${i} The quick brown fox jumps over the lazy dog; record ${(i * 7919) % 1000} of partition ${i % 24}\n`;
    const data = utf8.encode(s);
    const frame = roundTrip(data, "repetitive text");
    expect(frame.length).toBeLessThan(data.length * 0.1);
  });

  it("Huffman-codes literals of skewed text with no repeats", () => {
    // Each byte is one of 4 letters at random: matches are short and rare, literals 2 bits each.
    const prng = new Prng(21);
    const data = new Uint8Array(100_000);
    for (let i = 0; i < data.length; i++) data[i] = 0x61 + prng.int(0, 3);
    const frame = roundTrip(data, "four letters");
    expect(frame.length).toBeLessThan(data.length * 0.4); // raw literals would be ~100%
  });

  it("shrinks the Java vector manifests re-encoded with zstandard to well under the uncompressed size", () => {
    const entries: ManifestEntry[] = [];
    for (const t of vectorTables()) {
      for (const f of readdirSync(`${t.dir}/manifest`)) {
        if (!f.startsWith("manifest-") || f.startsWith("manifest-list-")) continue;
        const bytes = new Uint8Array(readFileSync(`${t.dir}/manifest/${f}`));
        if (bytes[0] !== 0x4f || bytes[1] !== 0x62) continue; // ORC manifests are not Avro
        entries.push(...decodeManifestEntries(bytes, f));
      }
    }
    expect(entries.length).toBeGreaterThan(20);
    const random = (into: Uint8Array): void => {
      into.fill(7);
    };
    // Many copies, as a large manifest holds many similar entries.
    const many = Array.from({ length: 40 }, () => entries).flat();
    const plain = encodeManifestEntries(many, { codec: "null", random });
    const zstd = encodeManifestEntries(many, { codec: "zstandard", random });
    expect(readAvroHeader(zstd).codec).toBe("zstandard");
    const back = decodeManifestEntries(zstd, "re-encoded");
    expect(sameBytes(encodeManifestEntries(back, { codec: "null", random }), plain)).toBe(true);
    expect(zstd.length).toBeLessThan(plain.length * 0.25);
  });
});

describe("zstd compressor: entropy-coding pieces", () => {
  it("has predefined distributions summing to their table sizes", () => {
    const sum = (norm: readonly number[]): number => norm.reduce((a, n) => a + Math.abs(n), 0);
    expect([LL_DEFAULT_NORM.length, sum(LL_DEFAULT_NORM)]).toEqual([36, 64]);
    expect([ML_DEFAULT_NORM.length, sum(ML_DEFAULT_NORM)]).toEqual([53, 64]);
    expect([OF_DEFAULT_NORM.length, sum(OF_DEFAULT_NORM)]).toEqual([29, 32]);
  });

  it("normalises any histogram to a valid table", () => {
    for (const seed of testSeeds(2000, 30)) {
      const prng = new Prng(seed);
      const counts = Array.from({ length: prng.int(2, 53) }, () => (prng.bool(0.3) ? 0 : prng.int(1, prng.bool(0.2) ? 100_000 : 20)));
      counts[0] = Math.max(1, counts[0]!);
      counts[counts.length - 1] = Math.max(1, counts[counts.length - 1]!);
      const log = prng.int(6, 9);
      const norm = normalizeCounts(counts, counts.reduce((a, b) => a + b, 0), log);
      expect(Array.from(norm).reduce((a, b) => a + b, 0), `seed ${seed}`).toBe(1 << log);
      for (let s = 0; s < counts.length; s++) expect(counts[s]! > 0 ? norm[s]! >= 1 : norm[s] === 0, `seed ${seed} symbol ${s}`).toBe(true);
      expect(() => buildFseTable(norm, log)).not.toThrow();
      const w = new BitWriter(new ByteSink());
      expect(() => writeFseDescription(w, norm, log)).not.toThrow();
    }
  });

  it("builds complete Huffman codes within the 11-bit limit", () => {
    // Fibonacci-like counts force a deep tree that must be clamped.
    const counts = new Uint32Array(256);
    let a = 1;
    let b = 1;
    for (let s = 0; s < 30; s++) {
      counts[s] = a;
      [a, b] = [b, a + b];
    }
    const code = buildHuffmanCode(counts);
    expect(code.maxBits).toBeLessThanOrEqual(HUFFMAN_MAX_BITS);
    let kraft = 0;
    for (let s = 0; s < 256; s++) if (code.lengths[s]! > 0) kraft += 2 ** -code.lengths[s]!;
    expect(kraft).toBe(1);
  });

  it("tracks repeat offsets as the decoder does", () => {
    const reps = new RepeatOffsets();
    expect(reps.offsetValue(1, 5)).toBe(1); // rep0 with literals
    expect(reps.offsetValue(4, 0)).toBe(1); // rep1 without literals, moves to front
    expect(reps.snapshot()).toEqual([4, 1, 8]);
    expect(reps.offsetValue(3, 0)).toBe(3); // rep0 - 1
    expect(reps.snapshot()).toEqual([3, 4, 1]);
    expect(reps.offsetValue(100, 2)).toBe(103);
    expect(reps.snapshot()).toEqual([100, 3, 4]);
    expect(reps.offsetValue(4, 2)).toBe(3); // rep2 with literals
    expect(reps.snapshot()).toEqual([4, 100, 3]);
  });
});
