/**
 * Guards for the typed manifest decode path (Avro rows built straight into the models):
 * it must still match writer fields by NAME, check every read against the bytes left with
 * the offset in the error, and name the row and field of a value that does not fit.
 */
import { describe, expect, it } from "vitest";
import { readAvroHeader, writeAvroContainer } from "../src/avro/avro-container.js";
import { AvroReader } from "../src/avro/avro-cursor.js";
import { Avro, type AvroField, type AvroRecord, type AvroSchema } from "../src/avro/avro-schema.js";
import { isStreamhouseError } from "../src/errors.js";
import { type DataFileMeta, dataFileMetaToRecord } from "../src/manifest/data-file-meta.js";
import { decodeManifestEntries, decodeManifestList, encodeManifestEntries } from "../src/manifest/manifest-codec.js";
import { type ManifestEntry, manifestEntryToRecord } from "../src/manifest/manifest-entry.js";
import { MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA } from "../src/manifest/manifest-schemas.js";

const fixedRandom = (into: Uint8Array): void => {
  into.fill(7);
};

function entry(i: number): ManifestEntry {
  const file: DataFileMeta = {
    fileName: `data-${i}-é.parquet`,
    fileSize: BigInt(1000 + i),
    rowCount: 2n ** 60n + BigInt(i),
    minKey: new Uint8Array([1, 2, i]),
    maxKey: new Uint8Array([3, 4, i]),
    keyStats: { minValues: new Uint8Array([5]), maxValues: new Uint8Array([6]), nullCounts: [0n, null, -5n] },
    valueStats: { minValues: new Uint8Array(12), maxValues: new Uint8Array(12), nullCounts: [] },
    minSequenceNumber: -1n,
    maxSequenceNumber: BigInt(i) * 1_000_000_007n,
    schemaId: 3n,
    level: i % 6,
    extraFiles: [`x-${i}.index`],
    creationTime: 1763700000000n + BigInt(i),
    deleteRowCount: 0n,
    embeddedIndex: i % 2 === 0 ? null : new Uint8Array([9]),
    fileSource: 1,
    valueStatsCols: ["a", "b"],
    externalPath: null,
    firstRowId: 64n,
    writeCols: null,
  };
  return { kind: 0, partition: new Uint8Array([i, 0, 0, 0]), bucket: i, totalBuckets: 8, file };
}

const fieldsOf = (s: AvroSchema): readonly AvroField[] => (s as AvroRecord).fields;

describe("typed manifest decode", () => {
  it("matches writer fields by name: reordered, unknown and missing fields", () => {
    const fileField = fieldsOf(MANIFEST_ENTRY_SCHEMA).find((f) => f.name === "_FILE")!;
    // A "different release": DataFileMeta fields reversed, an unknown field in the middle,
    // and the newest optional fields absent; top-level fields reversed too.
    const dropped = new Set(["_FIRST_ROW_ID", "_WRITE_COLS", "_EXTERNAL_PATH"]);
    const fileFields = fieldsOf(fileField.type).filter((f) => !dropped.has(f.name)).reverse();
    fileFields.splice(4, 0, { name: "_FUTURE", type: Avro.array(Avro.nullable(Avro.string)), default: null });
    const writerFile = Avro.record("record__FILE", "org.apache.paimon.avro.generated", fileFields);
    const top = fieldsOf(MANIFEST_ENTRY_SCHEMA).map((f) => (f.name === "_FILE" ? { name: "_FILE", type: writerFile } : f)).reverse();
    const writer = Avro.record("record", "org.apache.paimon.avro.generated", top);
    const entries = [entry(1), entry(2), entry(3)];
    const records = entries.map((e) => ({ ...manifestEntryToRecord(e), _FILE: { ...dataFileMetaToRecord(e.file), _FUTURE: ["f", null] } }));
    const bytes = writeAvroContainer(records, { schema: writer, codec: "null", random: fixedRandom });
    const expected = entries.map((e) => ({ ...e, file: { ...e.file, firstRowId: null, writeCols: null, externalPath: null } }));
    expect(decodeManifestEntries(bytes, "m")).toEqual(expected);
    // And the same through a compressed codec.
    expect(decodeManifestEntries(writeAvroContainer(records, { schema: writer, codec: "zstandard", random: fixedRandom }), "m")).toEqual(expected);
  });

  it("round-trips entries, and decoded bytes do not alias the caller's buffer", () => {
    const entries = [entry(1), entry(2)];
    const bytes = encodeManifestEntries(entries, { codec: "null", random: fixedRandom });
    const decoded = decodeManifestEntries(bytes, "m");
    expect(decoded).toEqual(entries);
    bytes.fill(0);
    expect(decoded).toEqual(entries);
  });

  it("names the offset of an absurd length, and fails typed when truncated anywhere", () => {
    const bytes = encodeManifestEntries([entry(1), entry(2)], { codec: "null", random: fixedRandom });
    const header = readAvroHeader(bytes);
    const r = new AvroReader(bytes, header.dataOffset);
    r.readLong(); // record count
    r.readLong(); // block size
    // Row 0: _VERSION (1 byte), _KIND (1 byte), then the _PARTITION length.
    const at = r.pos + 2;
    const bad = bytes.slice();
    bad.set([0xfe, 0xff, 0x7f], at); // a length far beyond the block, then garbage
    expect(() => decodeManifestEntries(bad, "m")).toThrow(
      expect.objectContaining({ kind: "DataInvalid", context: expect.objectContaining({ file: "m", offset: at }) }),
    );
    expect(() => decodeManifestEntries(bad, "m")).toThrow(/bytes length \d+ exceeds/);
    for (let cut = header.dataOffset + 1; cut < bytes.length; cut++) {
      try {
        decodeManifestEntries(bytes.subarray(0, cut), "m");
        throw new Error(`cut ${cut} decoded`);
      } catch (e) {
        if (!isStreamhouseError(e, "DataInvalid")) throw e;
        expect(typeof e.context["offset"]).toBe("number");
        expect(e.context["offset"] as number).toBeLessThanOrEqual(cut);
      }
    }
  });

  it("names the row and field of a value the model refuses", () => {
    // A writer that made _FILE_NAME nullable and wrote a null in row 1.
    const fileField = fieldsOf(MANIFEST_ENTRY_SCHEMA).find((f) => f.name === "_FILE")!;
    const fileFields = fieldsOf(fileField.type).map((f) => (f.name === "_FILE_NAME" ? { name: f.name, type: Avro.nullable(Avro.string) } : f));
    const writer = Avro.record("record", "ns", fieldsOf(MANIFEST_ENTRY_SCHEMA).map((f) => (f.name === "_FILE" ? { name: "_FILE", type: Avro.record("f", "ns", fileFields) } : f)));
    const records = [entry(1), entry(2)].map(manifestEntryToRecord);
    records[1] = { ...records[1], _FILE: { ...(records[1]!["_FILE"] as object), _FILE_NAME: null } };
    for (const codec of ["null", "snappy"] as const) {
      const bytes = writeAvroContainer(records, { schema: writer, codec, random: fixedRandom });
      expect(() => decodeManifestEntries(bytes, "m")).toThrow(/manifest field _FILE_NAME: expected string, got null \[file=m, row=1, field=_FILE_NAME\]/);
    }
  });

  it("decodes a manifest list whose writer lacks the newer optional fields", () => {
    const old = fieldsOf(MANIFEST_FILE_META_SCHEMA).filter((f) => !f.name.includes("ROW_ID") && !f.name.includes("LEVEL"));
    const writer = Avro.record("record", "ns", old);
    const rec = {
      _VERSION: 2,
      _FILE_NAME: "manifest-1",
      _FILE_SIZE: 10n,
      _NUM_ADDED_FILES: 1n,
      _NUM_DELETED_FILES: 0n,
      _PARTITION_STATS: { _MIN_VALUES: new Uint8Array(12), _MAX_VALUES: new Uint8Array(12), _NULL_COUNTS: [1n] },
      _SCHEMA_ID: 0n,
      _MIN_BUCKET: 0,
      _MAX_BUCKET: 3,
    };
    const [meta] = decodeManifestList(writeAvroContainer([rec], { schema: writer, codec: "deflate", random: fixedRandom }), "l");
    expect(meta).toEqual({
      fileName: "manifest-1",
      fileSize: 10n,
      numAddedFiles: 1n,
      numDeletedFiles: 0n,
      partitionStats: { minValues: new Uint8Array(12), maxValues: new Uint8Array(12), nullCounts: [1n] },
      schemaId: 0n,
      minBucket: 0,
      maxBucket: 3,
      minLevel: null,
      maxLevel: null,
      minRowId: null,
      maxRowId: null,
    });
  });
});
