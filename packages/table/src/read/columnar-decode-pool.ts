/**
 * Parquet decoding on worker threads. Decoding is most of a read's work (a merge read
 * decodes every file of a split) and parquet-wasm runs it on the calling thread, so a
 * reader with several files to decode can hand them to workers, each with its own
 * parquet-wasm instance, and merge on its own thread meanwhile.
 *
 * The calling thread still reads the bytes through its FileIO (any backend, no I/O in
 * workers) and opens the footer; a worker gets the file's bytes (transferred, not
 * copied) and the columns and row groups to read, and answers with an Arrow IPC stream
 * (transferred back), which apache-arrow reads without copying. Workers do not keep
 * the process alive while idle, so a pool needs no closing; `close()` ends it early.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { type Table as ArrowTable, tableFromIPC } from "apache-arrow";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { ParquetFileReader, ParquetReadOptions } from "./parquet-file-reader.js";

/** A decode step for DataFileReader: the requested columns and row groups of an open file. */
export type ParquetDecode = (reader: ParquetFileReader, options: ParquetReadOptions) => Promise<ArrowTable>;

// CommonJS, evaluated in the worker: parquet-wasm's Node build is CommonJS and loads its
// wasm synchronously on require.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { ParquetFile } = require(workerData.parquetWasm);
parentPort.on("message", async (m) => {
  let file;
  try {
    file = await ParquetFile.fromFile(new Blob([m.bytes]));
    const table = await file.read({ columns: m.columns, rowGroups: m.rowGroups, batchSize: m.batchSize });
    const ipc = table.intoIPCStream();
    parentPort.postMessage({ id: m.id, ipc }, [ipc.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  } finally {
    if (file !== undefined) file.free();
  }
});
`;

interface Job {
  readonly resolve: (ipc: Uint8Array) => void;
  readonly reject: (e: Error) => void;
  readonly slot: Slot;
}

interface Slot {
  readonly worker: Worker;
  pending: number;
}

export class ParquetDecodePool {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `decode threads must be a positive integer, got ${threads}`);
    }
    const parquetWasm = createRequire(import.meta.url).resolve("parquet-wasm");
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parquetWasm } });
      const slot: Slot = { worker, pending: 0 };
      worker.on("message", (m: { id: number; ipc?: Uint8Array; error?: string }) => this.settle(m));
      worker.on("error", (e) => this.failSlot(slot, e));
      worker.on("exit", (code) => this.failSlot(slot, new Error(`decode worker exited with code ${code}`)));
      worker.unref();
      this.slots.push(slot);
    }
  }

  /** The Arrow IPC stream of the requested columns and row groups of a Parquet file's bytes. */
  decodeBytes(bytes: Uint8Array, options: ParquetReadOptions & { readonly batchSize: number }): Promise<Uint8Array> {
    // Transfer a buffer of our own: `bytes` may be a view into a larger, shared one.
    if (this.slots.length === 0) return Promise.reject(new Error("the decode pool has no live workers"));
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, slot });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage(
        { id, bytes: own, columns: options.columns === undefined ? undefined : [...options.columns], rowGroups: options.rowGroups === undefined ? undefined : [...options.rowGroups], batchSize: options.batchSize },
        [own.buffer as ArrayBuffer],
      );
    });
  }

  /** A decode step for `DataFileReadOptions.decode`, checked like `ParquetFileReader.read`. */
  readonly decode: ParquetDecode = async (reader, options) => {
    const footer = reader.footer;
    const rowGroups = options.rowGroups;
    const expected = rowGroups === undefined ? footer.numRows : rowGroups.reduce((n, g) => n + (footer.rowGroups[g]?.numRows ?? 0n), 0n);
    let table: ArrowTable;
    try {
      const bytes = await reader.source.bytes(0, reader.source.size);
      const ipc = await this.decodeBytes(bytes, { ...options, batchSize: Math.max(1, Math.min(Number(expected), 1 << 20)) });
      table = tableFromIPC(ipc);
    } catch (e) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `cannot decode Parquet file: ${e instanceof Error ? e.message : String(e)}`, {
        context: { file: reader.path },
        cause: e,
      });
    }
    if (BigInt(table.numRows) !== expected) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `Parquet file decoded to ${table.numRows} rows, its row groups hold ${expected}`, {
        context: { file: reader.path },
      });
    }
    return table;
  };

  /** Ends the workers; decodes still running fail. */
  async close(): Promise<void> {
    const slots = [...this.slots];
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const [k, p] of shared) if (p === this) shared.delete(k);
  }

  private settle(m: { id: number; ipc?: Uint8Array; error?: string }): void {
    const job = this.jobs.get(m.id);
    if (job === undefined) return;
    this.jobs.delete(m.id);
    if (--job.slot.pending === 0) job.slot.worker.unref();
    if (m.ipc !== undefined) job.resolve(m.ipc);
    else job.reject(new Error(m.error ?? "decode failed"));
  }

  /** A worker that failed or exited leaves the pool, failing the decodes it had. */
  private failSlot(slot: Slot, e: Error): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    for (const [id, job] of this.jobs) {
      if (job.slot !== slot) continue;
      this.jobs.delete(id);
      job.reject(e);
    }
    slot.pending = 0;
  }
}

const shared = new Map<number, ParquetDecodePool>();

/** A process-wide pool of `threads` workers (idle workers do not keep the process alive). */
export function sharedDecodePool(threads: number): ParquetDecodePool {
  let pool = shared.get(threads);
  if (pool === undefined) {
    pool = new ParquetDecodePool(threads);
    shared.set(threads, pool);
  }
  return pool;
}
