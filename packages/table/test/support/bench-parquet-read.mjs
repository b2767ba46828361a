#!/usr/bin/env node
// Raw decode speed of parquet-wasm on a generated 1M-row file, and the cost of our
// column accessors on top. Not a test. Run after `npx tsc -b`:
//   node packages/table/test/support/bench-parquet-read.mjs [rows]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Field, Float64, Int64, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Utf8 } from "apache-arrow";
import { LocalFileIO } from "@streamhouse/fileio";
import { parseDataType } from "@streamhouse/format";
import { Compression, ParquetFile, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { DataFileReader } from "../../dist/read/data-file-reader.js";

const rows = Number(process.argv[2] ?? 1_000_000);
const ids = BigInt64Array.from({ length: rows }, (_, i) => BigInt(i));
const vs = Float64Array.from({ length: rows }, (_, i) => i * 0.5);
const enc = new TextEncoder();
const offsets = new Int32Array(rows + 1);
const chars = new Uint8Array(rows * 16);
let at = 0;
for (let i = 0; i < rows; i++) {
  at += enc.encodeInto(`name-${i}`, chars.subarray(at)).written;
  offsets[i + 1] = at;
}
const fid = (n) => new Map([["PARQUET:field_id", String(n)]]);
const fields = [new Field("id", new Int64(), false, fid(0)), new Field("name", new Utf8(), true, fid(1)), new Field("v", new Float64(), true, fid(2))];
const data = makeData({
  type: new Struct(fields),
  length: rows,
  children: [
    makeData({ type: new Int64(), data: ids }),
    makeData({ type: new Utf8(), data: chars.subarray(0, at), valueOffsets: offsets }),
    makeData({ type: new Float64(), data: vs }),
  ],
});
const table = new Table([new RecordBatch(new Schema(fields), data)]);
const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, "stream")), props);
const dir = mkdtempSync(join(tmpdir(), "bench-parquet-"));
await mkdirs(join(dir, "bucket-0"));
writeFileSync(join(dir, "bucket-0", "data-bench-0.parquet"), bytes);
console.log(`${rows} rows (id BIGINT, name STRING, v DOUBLE), SNAPPY, ${(bytes.length / 1e6).toFixed(1)} MB, Node ${process.version}`);

function time(label, fn, runs = 5) {
  return (async () => {
    const ms = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const best = ms[0];
    console.log(`${label.padEnd(58)} best ${best.toFixed(0)} ms  ${((rows / best) * 1000 / 1e6).toFixed(2)} M rows/s  (median ${ms[Math.floor(runs / 2)].toFixed(0)} ms)`);
  })();
}

await time("parquet-wasm ParquetFile.read → Arrow JS (IPC)", async () => {
  const pf = await ParquetFile.fromFile(new Blob([bytes]));
  const t = tableFromIPC((await pf.read({ batchSize: rows })).intoIPCStream());
  if (t.numRows !== rows) throw new Error("row count");
  pf.free();
});
const schema = {
  version: 3, id: 0, highestFieldId: 2, partitionKeys: [], primaryKeys: [], options: {}, comment: null, timeMillis: 0,
  fields: [{ id: 0, name: "id", type: parseDataType("BIGINT NOT NULL") }, { id: 1, name: "name", type: parseDataType("STRING") }, { id: 2, name: "v", type: parseDataType("DOUBLE") }],
};
const entry = { kind: 0, partition: new Uint8Array(12), bucket: 0, totalBuckets: 1, file: { fileName: "data-bench-0.parquet", fileSize: BigInt(bytes.length), rowCount: BigInt(rows), schemaId: 0n, level: 0, externalPath: null } };
const reader = new DataFileReader(new LocalFileIO(), dir, schema, async () => schema);
await time("DataFileReader.read (FileIO + CRC check + decode), no values", () => reader.read(entry, { wholeFileReadBytes: 1 << 30 }));
await time("DataFileReader.read + get(i) of every value (3 columns)", async () => {
  const d = await reader.read(entry, { wholeFileReadBytes: 1 << 30 });
  let sink = 0;
  for (const c of d.columns) for (let i = 0; i < d.rowCount; i++) if (c.get(i) !== null) sink++;
  if (sink !== rows * 3) throw new Error("values");
});
await time("DataFileReader.read + get(i) of id and v only (no strings)", async () => {
  const d = await reader.read(entry, { wholeFileReadBytes: 1 << 30, projection: ["id", "v"] });
  let sink = 0;
  for (const c of d.columns) for (let i = 0; i < d.rowCount; i++) if (c.get(i) !== null) sink++;
  if (sink !== rows * 2) throw new Error("values");
});
rmSync(dir, { recursive: true, force: true });

function mkdirs(p) {
  return import("node:fs").then((fs) => fs.mkdirSync(p, { recursive: true }));
}
