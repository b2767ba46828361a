import { readdirSync, readFileSync } from "node:fs";
import { decompress as fzstd } from "fzstd";
import { describe, expect, it } from "vitest";
import { compileDecoder, compileEncoder, compileResolvingDecoder } from "../src/avro/avro-binary.js";
import { AVRO_CODEC_NAMES, avroCodec } from "../src/avro/avro-codecs.js";
import { readAvroContainer, readAvroHeader, writeAvroContainer } from "../src/avro/avro-container.js";
import { AvroReader, AvroWriter } from "../src/avro/avro-cursor.js";
import { Avro, type AvroSchema, avroSchemaToJson, parseAvroSchema } from "../src/avro/avro-schema.js";
import { crc32 } from "../src/util/crc32.js";
import { snappyCompress, snappyDecompress } from "../src/compression/snappy.js";
import { zstdCompress } from "../src/compression/zstd-frame.js";
import { isStreamhouseError } from "../src/errors.js";
import { vectorPath, vectorTables } from "./vectors.js";
import { mulberry32 as prng } from "./support/prng.js";


const seededRandom =
  (seed: number) =>
  (into: Uint8Array): void => {
    const r = prng(seed);
    for (let i = 0; i < into.length; i++) into[i] = Math.floor(r() * 256);
  };

/** Every Avro container file among the vectors (ORC manifests are skipped). */
function avroVectorFiles(): string[] {
  const files = readdirSync(vectorPath("manifests")).map((f) => vectorPath("manifests", f));
  for (const t of vectorTables()) for (const f of readdirSync(`${t.dir}/manifest`)) files.push(`${t.dir}/manifest/${f}`);
  return files.filter((f) => readFileSync(f).subarray(0, 4).equals(Buffer.from("Obj\x01", "latin1")));
}

/** Byte equality without vitest's per-element deep diff (slow on large arrays). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, label?: string): void {
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected), label).toBe(true);
}

function expectDataInvalid(fn: () => unknown, pattern?: RegExp): Error {
  try {
    fn();
  } catch (e) {
    if (!isStreamhouseError(e, "DataInvalid")) throw e;
    expect(e.message).toMatch(/offset=\d+/);
    if (pattern) expect(e.message).toMatch(pattern);
    return e;
  }
  throw new Error("expected a DataInvalid error");
}

describe("Avro schema JSON", () => {
  it("renders every Java-written header schema back to the same text", () => {
    const files = avroVectorFiles();
    expect(files.length).toBeGreaterThan(80);
    for (const f of files) {
      const header = readAvroHeader(new Uint8Array(readFileSync(f)));
      expect(avroSchemaToJson(header.schema), f).toBe(header.schemaJson);
    }
  });

  it("parses named references, logical types and namespaces", () => {
    const s = parseAvroSchema(
      JSON.stringify({
        type: "record",
        name: "a.b.R",
        fields: [
          { name: "t", type: { type: "long", logicalType: "timestamp-micros" } },
          { name: "d", type: { type: "int", logicalType: "date" } },
          { name: "dec", type: { type: "bytes", logicalType: "decimal", precision: 20, scale: 3 } },
          { name: "e", type: { type: "enum", name: "E", symbols: ["X", "Y"] } },
          { name: "f", type: { type: "fixed", name: "F", size: 2 } },
          { name: "again", type: "E" },
          { name: "m", type: { type: "map", values: "F" } },
        ],
      }),
    );
    expect(s.kind).toBe("record");
    const json = avroSchemaToJson(s);
    expect(avroSchemaToJson(parseAvroSchema(json))).toBe(json);
    expect(json).toContain('"logicalType":"decimal","precision":20,"scale":3');
    expect(json).toContain('{"name":"again","type":"E"}');
  });

  it("rejects malformed schemas with a typed error", () => {
    for (const bad of ["{", '"nope"', '{"type":"record","name":"r"}', '{"type":"fixed","name":"f","size":-1}', '[["int"]]']) {
      expect(() => parseAvroSchema(bad), bad).toThrow(expect.objectContaining({ kind: "DataInvalid" }));
    }
  });
});

describe("Avro binary encoding", () => {
  it("round-trips int and long edge values with the zig-zag varint sizes of the spec", () => {
    const w = new AvroWriter(4);
    const ints = [0, -1, 1, 63, -64, 64, 2 ** 31 - 1, -(2 ** 31)];
    const longs = [0n, -1n, 1n, 2n ** 52n, -(2n ** 52n), 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    for (const i of ints) w.writeInt(i);
    for (const l of longs) w.writeLong(l);
    const r = new AvroReader(w.bytes());
    for (const i of ints) expect(r.readInt()).toBe(i);
    for (const l of longs) expect(r.readLong()).toBe(l);
    expect(r.remaining).toBe(0);
    const one = new AvroWriter();
    one.writeLong(-64n);
    expect([...one.bytes()]).toEqual([0x7f]);
    one.reset();
    one.writeLong(2n ** 63n - 1n);
    expect(one.bytes().length).toBe(10);
  });

  it("round-trips a datum of every kind", () => {
    const schema = parseAvroSchema(
      JSON.stringify({
        type: "record",
        name: "R",
        fields: [
          { name: "b", type: "boolean" },
          { name: "f", type: "float" },
          { name: "d", type: "double" },
          { name: "s", type: "string" },
          { name: "u", type: ["null", "string", "long"] },
          { name: "e", type: { type: "enum", name: "E", symbols: ["X", "Y"] } },
          { name: "x", type: { type: "fixed", name: "F", size: 3 } },
          { name: "m", type: { type: "map", values: { type: "array", items: "int" } } },
          { name: "n", type: ["null", "R"] },
        ],
      }),
    );
    const value = {
      b: true,
      f: 1.5,
      d: -2.25,
      s: "grüße, 世界",
      u: 42n,
      e: "Y",
      x: new Uint8Array([1, 2, 3]),
      m: new Map([["k", [1, -2]]]),
      n: { b: false, f: 0, d: 0, s: "x".repeat(100), u: null, e: "X", x: new Uint8Array(3), m: new Map(), n: null },
    };
    const w = new AvroWriter();
    compileEncoder(schema)(w, value);
    expect(compileDecoder(schema)(new AvroReader(w.bytes()))).toEqual(value);
  });

  it("resolves by field name: skips unknown writer fields, fills missing reader fields", () => {
    const writer = Avro.record("r", undefined, [
      { name: "a", type: Avro.int },
      { name: "extra", type: Avro.array(Avro.nullable(Avro.string)) },
      { name: "b", type: Avro.string },
    ]);
    const reader = Avro.record("r", undefined, [
      { name: "b", type: Avro.string },
      { name: "a", type: Avro.long },
      { name: "c", type: Avro.nullable(Avro.long), default: null },
    ]);
    const w = new AvroWriter();
    compileEncoder(writer)(w, { a: 7, extra: ["x", null], b: "y" });
    expect(compileResolvingDecoder(writer, reader)(new AvroReader(w.bytes()))).toEqual({ a: 7n, b: "y", c: null });
  });

  it("reports bad input as DataInvalid with an offset", () => {
    const dec = (s: AvroSchema, bytes: number[]) => () => compileDecoder(s)(new AvroReader(new Uint8Array(bytes)));
    expectDataInvalid(dec(Avro.long, [0x80, 0x80]), /truncated long/);
    expectDataInvalid(dec(Avro.int, [0xff, 0xff, 0xff, 0xff, 0x7f]), /too long/);
    expectDataInvalid(dec(Avro.long, Array(10).fill(0xff).concat([1])), /too long/);
    expectDataInvalid(dec(Avro.string, [0x01]), /negative string length/);
    expectDataInvalid(dec(Avro.bytes, [0xfe, 0xff, 0xff, 0xff, 0x0f]), /exceeds/);
    expectDataInvalid(dec(Avro.nullable(Avro.int), [0x04]), /bad union branch 2/);
    expectDataInvalid(dec(Avro.array(Avro.long), [0xfe, 0xff, 0xff, 0x0f, 0x02]), /block count/);
    expectDataInvalid(dec(Avro.string, [0x04, 0xc3, 0x28]), /UTF-8/);
    expectDataInvalid(dec(Avro.boolean, [0x02]), /boolean/);
  });
});

describe("Avro codecs", () => {
  const r = prng(7);
  const samples: Uint8Array[] = [
    new Uint8Array(0),
    new Uint8Array([1]),
    new TextEncoder().encode("manifest-".repeat(5000)),
    Uint8Array.from({ length: 70_000 }, () => Math.floor(r() * 256)),
    Uint8Array.from({ length: 300_000 }, (_, i) => (i % 97 < 50 ? i % 7 : Math.floor(r() * 4))),
  ];

  it("CRC-32 matches the IEEE check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("raw snappy round-trips and compresses repetitive data", () => {
    for (const s of samples) expectSameBytes(snappyDecompress(snappyCompress(s)), s);
    expect(snappyCompress(samples[2]!).length).toBeLessThan(samples[2]!.length / 10);
    // A copy may overlap its output: "ab" then copy(offset 2, length 6) = "abababab".
    expect(new TextDecoder().decode(snappyDecompress(new Uint8Array([8, 0x04, 0x61, 0x62, 0x16, 0x02, 0x00])))).toBe("abababab");
  });

  it("every codec round-trips; fzstd reads our zstd frames at every size class", () => {
    for (const name of AVRO_CODEC_NAMES) {
      const c = avroCodec(name);
      for (const s of samples) expectSameBytes(c.decompress(c.compress(s)), s, name);
    }
    for (const n of [0, 1, 255, 256, 65791, 65792, 131072, 131073, 300_000]) {
      const s = Uint8Array.from({ length: n }, (_, i) => i & 0xff);
      expectSameBytes(fzstd(zstdCompress(s)), s, String(n));
    }
  });

  it("rejects corrupt compressed blocks and unknown codecs with typed errors", () => {
    const snappy = avroCodec("snappy").compress(samples[2]!);
    snappy[snappy.length - 1]! ^= 1;
    expect(() => avroCodec("snappy").decompress(snappy)).toThrow(/CRC-32 mismatch/);
    expect(() => avroCodec("deflate").decompress(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(expect.objectContaining({ kind: "DataInvalid" }));
    expect(() => avroCodec("zstandard").decompress(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(expect.objectContaining({ kind: "DataInvalid" }));
    expect(() => avroCodec("bzip2")).toThrow(expect.objectContaining({ kind: "Unsupported" }));
  });
});

describe("Avro object container files", () => {
  const schema = Avro.record("r", "n", [
    { name: "id", type: Avro.long },
    { name: "name", type: Avro.string },
    { name: "tags", type: Avro.nullable(Avro.array(Avro.string)), default: null },
  ]);
  const records = Array.from({ length: 500 }, (_, i) => ({ id: BigInt(i) * 1_000_000_007n, name: `file-${i}.parquet`, tags: i % 3 ? null : ["a", `t${i}`] }));

  it("writes and reads back with every codec, across many blocks, deterministically", () => {
    for (const codec of AVRO_CODEC_NAMES) {
      const bytes = writeAvroContainer(records, { schema, codec, random: seededRandom(1), blockSizeBytes: 1000 });
      const again = writeAvroContainer(records, { schema, codec, random: seededRandom(1), blockSizeBytes: 1000 });
      expect(again).toEqual(bytes);
      const read = readAvroContainer(bytes);
      expect(read.header.codec).toBe(codec);
      expect(read.header.schemaJson).toBe(avroSchemaToJson(schema));
      expect(read.records).toEqual(records);
    }
  });

  it("an empty file has a header and no blocks", () => {
    const bytes = writeAvroContainer([], { schema, random: seededRandom(2) });
    expect(readAvroContainer(bytes).records).toEqual([]);
  });

  it("names the offset of a wrong magic, a bad sync marker and an unknown codec", () => {
    const bytes = writeAvroContainer(records, { schema, codec: "null", random: seededRandom(3), blockSizeBytes: 2000 });
    const wrong = bytes.slice();
    wrong[3] = 2;
    expectDataInvalid(() => readAvroContainer(wrong), /wrong magic.*offset=0/);
    const header = readAvroHeader(bytes);
    // Find the second sync marker (end of the first block) and flip one of its bytes.
    const syncHex = Buffer.from(header.sync).toString("hex");
    const at = Buffer.from(bytes).toString("hex").indexOf(syncHex, (header.dataOffset + 1) * 2) / 2;
    expect(at).toBeGreaterThan(header.dataOffset);
    const flipped = bytes.slice();
    flipped[at + 5]! ^= 0xff;
    expectDataInvalid(() => readAvroContainer(flipped), new RegExp(`bad sync marker.*offset=${at}`));
    const unknown = writeAvroContainer(records, { schema, random: seededRandom(3) });
    const text = Buffer.from(unknown).toString("latin1").replace("avro.codec\x08null", "avro.codec\x08lzma");
    expect(() => readAvroContainer(new Uint8Array(Buffer.from(text, "latin1")))).toThrow(expect.objectContaining({ kind: "Unsupported" }));
  });

  it("fails with DataInvalid, never a crash or a wrong value, when truncated anywhere", () => {
    for (const codec of AVRO_CODEC_NAMES) {
      const bytes = writeAvroContainer(records.slice(0, 60), { schema, codec, random: seededRandom(4), blockSizeBytes: 600 });
      const full = readAvroContainer(bytes).records;
      const header = readAvroHeader(bytes);
      for (let cut = 0; cut < bytes.length; cut++) {
        const part = bytes.subarray(0, cut);
        try {
          const got = readAvroContainer(part).records;
          // Only a cut exactly after a sync marker leaves a valid (shorter) file.
          expect(cut >= header.dataOffset).toBe(true);
          expect(part.subarray(cut - 16)).toEqual(header.sync);
          expect(got).toEqual(full.slice(0, got.length));
        } catch (e) {
          if (!isStreamhouseError(e, "DataInvalid")) throw new Error(`codec ${codec}, cut ${cut}: ${String(e)}`);
          expect(e.message).toMatch(/offset=\d+/);
        }
      }
    }
  });

  it("survives random byte corruption with typed errors only (seeded)", () => {
    const seed = Number(process.env["AVRO_FUZZ_SEED"] ?? 20240601);
    const rnd = prng(seed);
    for (const codec of AVRO_CODEC_NAMES) {
      const bytes = writeAvroContainer(records.slice(0, 80), { schema, codec, random: seededRandom(5), blockSizeBytes: 800 });
      for (let round = 0; round < 300; round++) {
        const bad = bytes.slice();
        const flips = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < flips; i++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
        try {
          readAvroContainer(bad);
        } catch (e) {
          if (!isStreamhouseError(e)) throw new Error(`seed ${seed}, codec ${codec}, round ${round}: ${String(e)}`);
        }
      }
    }
  });

  it("rejects absurd block counts and sizes", () => {
    const bytes = writeAvroContainer(records.slice(0, 3), { schema, codec: "null", random: seededRandom(6) });
    const header = readAvroHeader(bytes);
    const w = new AvroWriter();
    w.writeLong(1n << 40n);
    w.writeLong(4n);
    const absurdCount = new Uint8Array([...bytes.subarray(0, header.dataOffset), ...w.bytes(), 0, 0, 0, 0, ...header.sync]);
    expectDataInvalid(() => readAvroContainer(absurdCount), /block count/);
    const w2 = new AvroWriter();
    w2.writeLong(1n);
    w2.writeLong(1n << 40n);
    const absurdSize = new Uint8Array([...bytes.subarray(0, header.dataOffset), ...w2.bytes(), 0, ...header.sync]);
    expectDataInvalid(() => readAvroContainer(absurdSize), new RegExp(`block size.*offset=${header.dataOffset + 1}`));
  });
});
