import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { AVRO_CODEC_NAMES } from "../src/avro/avro-codecs.js";
import { readAvroContainer, readAvroHeader, writeAvroContainer } from "../src/avro/avro-container.js";
import { avroSchemaToJson } from "../src/avro/avro-schema.js";
import { isStreamhouseError } from "../src/errors.js";
import {
  decodeIndexManifest,
  decodeManifestEntries,
  decodeManifestList,
  encodeIndexManifest,
  encodeManifestEntries,
  encodeManifestList,
} from "../src/manifest/manifest-codec.js";
import { manifestEntryFromRecord } from "../src/manifest/manifest-entry.js";
import { INDEX_MANIFEST_ENTRY_SCHEMA, MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA } from "../src/manifest/manifest-schemas.js";
import { EMPTY_BINARY_ROW_BYTES } from "../src/manifest/simple-stats.js";
import { vectorPath, vectorTables } from "./vectors.js";
import { mulberry32 as prng } from "./support/prng.js";


type Kind = "entries" | "list" | "index";
interface Vector {
  readonly path: string;
  readonly name: string;
  readonly kind: Kind;
  /** The table directory, for files under tables/. */
  readonly table: string | undefined;
}

function kindOf(name: string): Kind {
  if (name.startsWith("index-manifest")) return "index";
  if (name.startsWith("manifest-list") || name.includes("manifest_list")) return "list";
  return "entries";
}

const isAvro = (p: string): boolean => readFileSync(p).subarray(0, 4).toString("latin1") === "Obj\x01";

function vectors(): Vector[] {
  const out: Vector[] = readdirSync(vectorPath("manifests")).map((name) => ({ path: vectorPath("manifests", name), name, kind: kindOf(name), table: undefined }));
  for (const t of vectorTables()) {
    for (const name of readdirSync(join(t.dir, "manifest"))) out.push({ path: join(t.dir, "manifest", name), name, kind: kindOf(name), table: t.dir });
  }
  return out.filter((v) => isAvro(v.path));
}

function filesUnder(dir: string, acc: Set<string> = new Set()): Set<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) filesUnder(join(dir, e.name), acc);
    else acc.add(e.name);
  }
  return acc;
}

const seeded =
  (seed: number) =>
  (into: Uint8Array): void => {
    const r = prng(seed);
    for (let i = 0; i < into.length; i++) into[i] = Math.floor(r() * 256);
  };

function decodeAny(v: Vector, bytes: Uint8Array, name = v.name): unknown[] {
  if (v.kind === "entries") return decodeManifestEntries(bytes, name);
  if (v.kind === "list") return decodeManifestList(bytes, name);
  return decodeIndexManifest(bytes, name);
}

const ALL = vectors();

describe("Java-written Avro manifests", () => {
  it("finds every kind among the vectors", () => {
    expect(ALL.filter((v) => v.kind === "entries").length).toBeGreaterThan(20);
    expect(ALL.filter((v) => v.kind === "list").length).toBeGreaterThan(50);
    expect(ALL.filter((v) => v.kind === "index").length).toBe(2);
  });

  for (const v of ALL) {
    const label = v.table ? `${basename(v.table)}/${v.name}` : v.name;
    it(`decodes ${label} to sane values`, () => {
      const bytes = new Uint8Array(readFileSync(v.path));
      const tableFiles = v.table ? filesUnder(v.table) : undefined;
      if (v.kind === "entries") {
        const entries = decodeManifestEntries(bytes, v.name);
        expect(entries.length).toBeGreaterThan(0);
        for (const e of entries) {
          expect(e.file.fileName).toMatch(/^(data|changelog)-[0-9a-f-]+-\d+\.\w+$/);
          expect(e.file.rowCount).toBeGreaterThan(0n);
          expect(e.file.fileSize).toBeGreaterThan(0n);
          expect(e.file.minSequenceNumber <= e.file.maxSequenceNumber).toBe(true);
          expect(e.totalBuckets === -1 || e.bucket < e.totalBuckets || e.bucket === -2).toBe(true);
          // Partition and stats are BinaryRows: 4-byte arity + at least an 8-byte header.
          expect(e.partition.length).toBeGreaterThanOrEqual(12);
          expect(e.file.valueStats.minValues.length).toBeGreaterThanOrEqual(12);
          if (tableFiles) expect(tableFiles.has(e.file.fileName), e.file.fileName).toBe(true);
        }
      } else if (v.kind === "list") {
        const metas = decodeManifestList(bytes, v.name); // may be empty (first base list)
        for (const m of metas) {
          expect(m.fileName).toMatch(/^manifest-[0-9a-f-]+-\d+$/);
          expect(m.numAddedFiles + m.numDeletedFiles).toBeGreaterThan(0n);
          if (v.table) {
            const manifest = join(v.table, "manifest", m.fileName);
            expect(existsSync(manifest), m.fileName).toBe(true);
            expect(BigInt(readFileSync(manifest).length)).toBe(m.fileSize);
          }
        }
      } else {
        const entries = decodeIndexManifest(bytes, v.name);
        expect(entries.length).toBeGreaterThan(0);
        for (const e of entries) {
          expect(e.indexFile.indexType).toBe("DELETION_VECTORS");
          const indexFile = join(v.table!, "index", e.indexFile.fileName);
          expect(BigInt(readFileSync(indexFile).length)).toBe(e.indexFile.fileSize);
          for (const r of e.indexFile.deletionVectorRanges ?? []) {
            expect(tableFiles!.has(r.dataFileName) || r.dataFileName.endsWith(".parquet")).toBe(true);
            expect(r.offset + r.length).toBeLessThanOrEqual(Number(e.indexFile.fileSize));
            expect(r.cardinality).toBeGreaterThan(0n);
          }
        }
      }
    });
  }

  it("reads the empty partition row of unpartitioned tables as 12 zero bytes", () => {
    const entries = decodeManifestEntries(new Uint8Array(readFileSync(vectorPath("manifests", "avro_manifest_11"))), "avro_manifest_11");
    expect(entries[0]!.partition).toEqual(EMPTY_BINARY_ROW_BYTES);
  });
});

describe("decode → encode → decode", () => {
  for (const codec of AVRO_CODEC_NAMES) {
    it(`is lossless for every vector with codec ${codec}`, () => {
      for (const v of ALL) {
        const bytes = new Uint8Array(readFileSync(v.path));
        const first = decodeAny(v, bytes);
        let written: Uint8Array;
        if (v.kind === "entries") written = encodeManifestEntries(decodeManifestEntries(bytes, v.name), { codec, random: seeded(1), blockSizeBytes: 512 });
        else if (v.kind === "list") written = encodeManifestList(decodeManifestList(bytes, v.name), { codec, random: seeded(1) });
        else written = encodeIndexManifest(decodeIndexManifest(bytes, v.name), { codec, random: seeded(1) });
        expect(readAvroHeader(written).codec).toBe(codec);
        expect(decodeAny(v, written), v.path).toEqual(first);
      }
    });
  }

  it("writes the 2.0 schemas, which match the Java headers field for field", () => {
    const header = (p: string) => readAvroHeader(new Uint8Array(readFileSync(p))).schemaJson;
    const dv = vectorTables().find((t) => t.name === "pk_dv_index_not_in_data_no_external")!;
    const manifest = readdirSync(join(dv.dir, "manifest")).find((n) => n.startsWith("manifest-") && !n.startsWith("manifest-list") && isAvro(join(dv.dir, "manifest", n)))!;
    // That table was written by a build that already had all 20 DataFileMeta fields.
    expect(avroSchemaToJson(MANIFEST_ENTRY_SCHEMA)).toBe(header(join(dv.dir, "manifest", manifest)));
    // Older builds wrote a prefix of the newer field lists.
    const prefixOf = (ours: string, java: string) => expect(ours.startsWith(java.slice(0, -2))).toBe(true);
    prefixOf(avroSchemaToJson(MANIFEST_FILE_META_SCHEMA), header(vectorPath("manifests", "avro_manifest_list_11")));
    const index = readdirSync(join(dv.dir, "manifest")).find((n) => n.startsWith("index-manifest"))!;
    prefixOf(avroSchemaToJson(INDEX_MANIFEST_ENTRY_SCHEMA), header(join(dv.dir, "manifest", index)));
  });

  it("can re-write a Java file under its original header schema, and read it back", () => {
    for (const v of ALL.filter((x) => x.kind === "entries")) {
      const original = readAvroContainer(new Uint8Array(readFileSync(v.path)));
      const copy = writeAvroContainer(original.records, { schema: original.header.schema, schemaJson: original.header.schemaJson, codec: "zstandard", random: seeded(2) });
      expect(readAvroHeader(copy).schemaJson).toBe(original.header.schemaJson);
      expect(decodeManifestEntries(copy, v.name)).toEqual(decodeManifestEntries(new Uint8Array(readFileSync(v.path)), v.name));
    }
  });

  it("maps generic records from any reader (ORC) through the same function", () => {
    const rec = readAvroContainer(new Uint8Array(readFileSync(vectorPath("manifests", "avro_manifest_09")))).records[0] as Record<string, unknown>;
    const e = manifestEntryFromRecord(rec);
    expect(e.file.externalPath).toBeNull(); // absent in 0.9: read as null
    expect(() => manifestEntryFromRecord({ ...rec, _KIND: 7 })).toThrow(/_KIND/);
    expect(() => manifestEntryFromRecord({ ...rec, _BUCKET: "1" })).toThrow(/_BUCKET: expected int, got string/);
    expect(() => manifestEntryFromRecord({ ...rec, _VERSION: 9 })).toThrow(/_VERSION/);
  });
});

describe("corrupt manifests", () => {
  const seed = Number(process.env["MANIFEST_FUZZ_SEED"] ?? 1234567);

  it(`fail with DataInvalid naming the file and an offset when truncated or corrupted (seed ${seed})`, () => {
    const rnd = prng(seed);
    for (const v of ALL.filter((_, i) => i % 4 === 0)) {
      const bytes = new Uint8Array(readFileSync(v.path));
      const header = readAvroHeader(bytes);
      for (let round = 0; round < 40; round++) {
        const cut = Math.floor(rnd() * bytes.length);
        if (cut === header.dataOffset) continue; // a header alone is a valid, empty file
        try {
          decodeAny(v, bytes.subarray(0, cut), "m-file");
          throw new Error(`seed ${seed}: ${v.path} truncated at ${cut} decoded without error`);
        } catch (e) {
          if (!isStreamhouseError(e, "DataInvalid")) throw new Error(`seed ${seed}: ${v.path} cut ${cut}: ${String(e)}`);
          expect(e.context["file"]).toBe("m-file");
          expect(typeof e.context["offset"]).toBe("number");
        }
        const bad = bytes.slice();
        bad[Math.floor(rnd() * bad.length)]! ^= 1 << Math.floor(rnd() * 8);
        try {
          decodeAny(v, bad, "m-file");
        } catch (e) {
          if (!isStreamhouseError(e)) throw new Error(`seed ${seed}: ${v.path} round ${round}: ${String(e)}`);
          expect(e.context["file"]).toBe("m-file");
        }
      }
    }
  });

  it("report a flipped sync marker, a wrong magic and an absurd length with offsets", () => {
    const v = ALL.find((x) => x.name === "manifest")!;
    const bytes = new Uint8Array(readFileSync(v.path));
    const flipped = bytes.slice();
    flipped[flipped.length - 3]! ^= 0x40;
    expect(() => decodeManifestEntries(flipped, "manifest")).toThrow(expect.objectContaining({ reason: "bad sync marker", context: { file: "manifest", offset: bytes.length - 16 } }));
    const magic = bytes.slice();
    magic[0] = 0x4e;
    expect(() => decodeManifestList(magic, "x")).toThrow(expect.objectContaining({ context: { file: "x", offset: 0 } }));
    const header = readAvroHeader(bytes);
    const absurd = bytes.slice();
    absurd[header.dataOffset + 1] = 0xfe; // block byte size: huge
    absurd[header.dataOffset + 2] = 0xff;
    absurd[header.dataOffset + 3] = 0xff;
    expect(() => decodeManifestEntries(absurd, "manifest")).toThrow(expect.objectContaining({ kind: "DataInvalid" }));
    expect(dirname(v.path)).toContain("manifests");
  });
});
