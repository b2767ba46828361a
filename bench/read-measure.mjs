// One reader of the read benchmark, in a process of its own so that its peak RSS is its
// own: `node bench/read-measure.mjs MODE TABLE_DIR WARMUP RUNS` prints
// { bestMs, cpuMs, inputRows, outputRows, peakRssMiB } as JSON.
//   raw      parquet-wasm decode of every data file of the latest snapshot, all columns,
//            into apache-arrow tables (what TableRead's file reader calls)
//   arrow    TableRead.arrowBatches(): merged rows as Arrow record batches
//   rows     TableRead.rows(): merged rows as arrays of values
//   arrow-workers, rows-workers   the same with `decodeThreads: 2` (Parquet decoded on two workers)
//   general  TableRead.rows({ columnar: false }): the KeyValue merge
import { readFile } from "node:fs/promises";
import { tableFromIPC } from "apache-arrow";
import { LocalFileIO } from "@streamhouse/fileio";
import { DataFileReader, FileStoreTable, TableRead } from "@streamhouse/table";
import { ParquetFile } from "parquet-wasm";
import { peakRssMiB } from "./measure.mjs";

const [mode, tablePath, warmup, runs] = process.argv.slice(2);
const table = await FileStoreTable.open(new LocalFileIO(), tablePath);
const read = new TableRead(table);
const plan = await read.plan();
const entries = plan.splits.flatMap((s) => s.runs.flatMap((r) => r.files));
const inputRows = entries.reduce((n, e) => n + Number(e.file.rowCount), 0);

async function rawDecode() {
  const files = DataFileReader.of(table);
  let n = 0;
  for (const e of entries) {
    const bytes = await readFile(files.pathOf(e));
    const pf = await ParquetFile.fromFile(new Blob([bytes]));
    try {
      const t = tableFromIPC((await pf.read({ batchSize: 1 << 20 })).intoIPCStream());
      n += t.numRows;
    } finally {
      pf.free();
    }
  }
  return n;
}

const readers = {
  raw: rawDecode,
  async arrow() {
    let n = 0;
    for await (const b of read.arrowBatches()) n += b.numRows;
    return n;
  },
  async rows() {
    let n = 0;
    for await (const _ of read.rows()) n++;
    return n;
  },
  async "arrow-workers"() {
    let n = 0;
    for await (const b of new TableRead(table, { decodeThreads: 2 }).arrowBatches()) n += b.numRows;
    return n;
  },
  async "rows-workers"() {
    let n = 0;
    for await (const _ of new TableRead(table, { decodeThreads: 2 }).rows()) n++;
    return n;
  },
  async general() {
    let n = 0;
    for await (const _ of read.rows({ columnar: false })) n++;
    return n;
  },
};

const reader = readers[mode];
if (reader === undefined) throw new Error(`unknown mode ${mode}`);
// Best of RUNS after WARMUP, by wall time; with its CPU time (user + system, all threads
// of the process: workers included), which load from other processes disturbs less.
for (let i = 0; i < Number(warmup); i++) await reader();
let best = { bestMs: Number.POSITIVE_INFINITY, cpuMs: 0, outputRows: 0 };
for (let i = 0; i < Number(runs); i++) {
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const outputRows = await reader();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  if (ms < best.bestMs) best = { bestMs: ms, cpuMs: (cpu.user + cpu.system) / 1000, outputRows };
}
process.stdout.write(JSON.stringify({ ...best, inputRows, peakRssMiB: peakRssMiB() }));
