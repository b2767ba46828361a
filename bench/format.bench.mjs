// Format codecs: manifest encode/decode (entries/s) and BinaryRow encode/decode (rows/s).
// Peer: avsc 5.7.9, a widely used JavaScript Avro library, decoding the same manifest
// bytes (uncompressed container) — so our Avro decoder is measured against a known one.
import { Readable } from "node:stream";
import {
  BinaryRowWriter,
  DataTypes,
  Decimals,
  decodeBinaryRow,
  decodeManifestEntries,
  EMPTY_SIMPLE_STATS,
  encodeBinaryRow,
  encodeManifestEntries,
  Timestamps,
} from "@streamhouse/format";
import avro from "avsc";
import { bestOf, fmt, peakRssMiB, perSecond } from "./measure.mjs";

const ENTRIES = 50_000;
const ROWS = 500_000;

function syntheticEntries(n) {
  const keyTypes = [DataTypes.BIGINT(false), DataTypes.STRING(false)];
  const partTypes = [DataTypes.STRING(false), DataTypes.INT(false)];
  const out = [];
  for (let i = 0; i < n; i++) {
    const minKey = encodeBinaryRow(keyTypes, [BigInt(i * 1000), `user-${i}`]);
    const maxKey = encodeBinaryRow(keyTypes, [BigInt(i * 1000 + 999), `user-${i}-zzz`]);
    out.push({
      kind: i % 10 === 0 ? 1 : 0,
      partition: encodeBinaryRow(partTypes, ["2025-11-21", i % 24]),
      bucket: i % 16,
      totalBuckets: 16,
      file: {
        fileName: `data-0b2a3c4d-5e6f-4a1b-8c9d-${String(i).padStart(12, "0")}-0.parquet`,
        fileSize: BigInt(1_000_000 + i),
        rowCount: BigInt(10_000 + i),
        minKey,
        maxKey,
        keyStats: { minValues: minKey, maxValues: maxKey, nullCounts: [0n, 0n] },
        valueStats: EMPTY_SIMPLE_STATS,
        minSequenceNumber: BigInt(i * 10_000),
        maxSequenceNumber: BigInt(i * 10_000 + 9_999),
        schemaId: 0n,
        level: i % 5,
        extraFiles: [],
        creationTime: 1763700000000n + BigInt(i),
        deleteRowCount: 0n,
        embeddedIndex: null,
        fileSource: 0,
        valueStatsCols: null,
        externalPath: null,
        firstRowId: null,
        writeCols: null,
      },
    });
  }
  return out;
}

// `keep`: hold on to the decoded records, as our decoder returns them (without it avsc's
// records die young, which spares it most of the garbage-collection cost of a real read).
async function avscDecodeCount(bytes, keep = false) {
  return new Promise((resolve, reject) => {
    let n = 0;
    const kept = [];
    const decoder = new avro.streams.BlockDecoder({ parseHook: (schema) => avro.Type.forSchema(schema, { wrapUnions: false }) });
    decoder.on("data", (record) => {
      n++;
      if (keep) kept.push(record);
    });
    decoder.on("end", () => resolve(n));
    decoder.on("error", reject);
    Readable.from([Buffer.from(bytes)]).pipe(decoder);
  });
}

export default async function run() {
  const entries = syntheticEntries(ENTRIES);
  const rows = [];
  const bench = [];

  for (const codec of ["null", "zstandard", "deflate", "snappy"]) {
    let bytes;
    const encMs = await bestOf(() => {
      bytes = encodeManifestEntries(entries, { codec });
    });
    const decMs = await bestOf(() => {
      decodeManifestEntries(bytes, "bench");
    });
    rows.push([`manifest encode, ${codec}`, fmt(perSecond(ENTRIES, encMs)), "entries/s", `${(bytes.length / ENTRIES).toFixed(0)} B/entry`]);
    rows.push([`manifest decode, ${codec}`, fmt(perSecond(ENTRIES, decMs)), "entries/s", ""]);
    if (codec === "null") {
      let count = 0;
      const peerMs = await bestOf(async () => {
        count = await avscDecodeCount(bytes);
      });
      if (count !== ENTRIES) throw new Error(`avsc decoded ${count} of ${ENTRIES} entries`);
      rows.push(["manifest decode, null — avsc (peer)", fmt(perSecond(ENTRIES, peerMs)), "entries/s", `ours / avsc = ${(peerMs / decMs).toFixed(2)}×`]);
      bench.push(peerMs / decMs);
      const keptMs = await bestOf(async () => {
        count = await avscDecodeCount(bytes, true);
      });
      rows.push(["manifest decode, null — avsc keeping the records", fmt(perSecond(ENTRIES, keptMs)), "entries/s", `ours / avsc = ${(keptMs / decMs).toFixed(2)}×`]);
    }
  }

  // A typical row: key and value columns of the common types.
  const types = [DataTypes.BIGINT(false), DataTypes.STRING(), DataTypes.INT(), DataTypes.DOUBLE(), DataTypes.DECIMAL(10, 2), DataTypes.TIMESTAMP(3), DataTypes.STRING(), DataTypes.BOOLEAN()];
  const data = [];
  for (let i = 0; i < 1000; i++) {
    data.push([
      BigInt(i),
      `name-${i}`,
      i * 7,
      i / 3,
      Decimals.of(BigInt(i * 100 + 5), 10, 2),
      Timestamps.fromMillis(1763700000000 + i),
      i % 3 === 0 ? null : `a longer string value number ${i}`,
      i % 2 === 0,
    ]);
  }
  const writer = new BinaryRowWriter(types);
  const encoded = data.map((r) => encodeBinaryRow(types, r));
  const encMs = await bestOf(() => {
    for (let k = 0; k < ROWS; k++) writer.write(data[k % 1000]);
  });
  const decMs = await bestOf(() => {
    for (let k = 0; k < ROWS; k++) decodeBinaryRow(types, encoded[k % 1000]);
  });
  rows.push(["BinaryRow encode (8 fields, reused writer)", fmt(perSecond(ROWS, encMs)), "rows/s", ""]);
  rows.push(["BinaryRow decode (8 fields)", fmt(perSecond(ROWS, decMs)), "rows/s", ""]);

  return {
    title: "Format codecs",
    description: `Manifests: ${fmt(ENTRIES)} synthetic entries (two-field keys, partition row, stats) encoded and decoded in memory, best of 5 runs. BinaryRow: ${fmt(ROWS)} rows of BIGINT, STRING, INT, DOUBLE, DECIMAL(10,2), TIMESTAMP(3), STRING, BOOLEAN.`,
    headers: ["measure", "value", "unit", "note"],
    rows,
    notes: [
      `peak RSS of the benchmark process: ${peakRssMiB()} MiB`,
      "zstandard is our own compressor (greedy hash matching, Huffman literals, FSE sequences); its frames were cross-checked with the zstd CLI and python-zstandard; decompression uses fzstd.",
    ],
  };
}
