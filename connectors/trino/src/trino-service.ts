/**
 * The Thrift server Trino's `trino_thrift` connector calls: TBinaryProtocol in
 * FRAMED transport (the connector's defaults, `trino.thrift.client.transport=FRAMED`,
 * `protocol=BINARY`), one request at a time per connection, answered in order.
 *
 * Frames are cut here (a 4-byte big-endian length, then the message): a frame may
 * arrive in many TCP chunks and one chunk may hold several frames; a frame larger than
 * `maxFrameBytes` closes its connection. Replies go out as length + bytes without
 * copying the body again.
 *
 * `trinoGetRows` bypasses the generated result classes: they deep-copy every block and
 * write lists value by value through the runtime. Its page is encoded in bulk
 * (page-encoder.ts) and spliced into the reply as the result struct's field 0.
 *
 * Errors: a StreamhouseError (or any error) becomes `TrinoThriftServiceException`
 * with its message and `retryable` flag, so Trino fails that query with our message
 * and the connection — and the service — go on serving.
 */
import net from "node:net";
import type { Catalog } from "@streamhouse/catalog";
import { ErrorKind, isStreamhouseError, StreamhouseError } from "@streamhouse/format";
import { bindHandler, patchThriftRuntime } from "@streamhouse/metastore";
import thrift from "thrift";
import { trinoService, trinoTypes } from "./generated.js";
import { TrinoThriftHandler, type TrinoServiceStats } from "./trino-handler.js";

export interface TrinoServiceOptions {
  readonly catalog: Catalog;
  /** TCP port; 0 picks a free one. Default 7779. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  readonly splitTargetBytes?: number;
  readonly maxPageRows?: number;
  readonly decodeThreads?: number;
  /** Largest request frame accepted (default 16 MiB). */
  readonly maxFrameBytes?: number;
  /** Where failed calls and connection problems are reported; silent by default. */
  readonly log?: (message: string) => void;
  /**
   * Called once per answered Thrift call (`trinoGetRows`, `trinoGetSplits`, …) with its
   * wall time from request to reply in milliseconds and whether it succeeded — for
   * per-request latency metrics. A throwing callback is reported to `log` and ignored.
   */
  readonly onCall?: (method: string, durationMs: number, ok: boolean) => void;
}

export interface TrinoServiceHandle {
  readonly host: string;
  readonly port: number;
  stats(): TrinoServiceStats;
  /** Stops listening and closes every connection (the catalog stays open: the caller owns it). */
  close(): Promise<void>;
}

const DEFAULT_PORT = 7779;
const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
const MESSAGE_REPLY = 2;

/** The exception Trino receives for a failed call. */
function toServiceException(e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  const retryable = isStreamhouseError(e) ? e.retryable || e.kind === ErrorKind.CommitConflict : false;
  return new trinoTypes.TrinoThriftServiceException({ message, retryable });
}

type Readable = { read(input: thrift.TProtocol): void };

interface GetRowsArgs {
  splitId: { id: Buffer } | null;
  columns: string[];
  maxBytes: bigint;
  nextToken: { token?: { id: Buffer } | null } | null;
}

/** Reads `trinoGetRows`'s argument struct (ids 1-4 as in the IDL); unknown fields are skipped. */
function readGetRowsArgs(input: thrift.TProtocol): GetRowsArgs {
  const T = thrift.Thrift.Type;
  const args: GetRowsArgs = { splitId: null, columns: [], maxBytes: 0n, nextToken: null };
  input.readStructBegin();
  for (;;) {
    const { ftype, fid } = input.readFieldBegin();
    if (ftype === T.STOP) break;
    if (fid === 1 && ftype === T.STRUCT) {
      const id = new trinoTypes.TrinoThriftId();
      (id as unknown as Readable).read(input);
      args.splitId = id as unknown as { id: Buffer };
    } else if (fid === 2 && ftype === T.LIST) {
      const { size } = input.readListBegin();
      for (let i = 0; i < size; i++) args.columns.push(input.readString());
      input.readListEnd();
    } else if (fid === 3 && ftype === T.I64) {
      const v = input.readI64() as unknown as { buffer: Buffer; offset: number };
      args.maxBytes = v.buffer.readBigInt64BE(v.offset);
    } else if (fid === 4 && ftype === T.STRUCT) {
      const t = new trinoTypes.TrinoThriftNullableToken();
      (t as unknown as Readable).read(input);
      args.nextToken = t as unknown as GetRowsArgs["nextToken"];
    } else {
      input.skip(ftype);
    }
    input.readFieldEnd();
  }
  input.readStructEnd();
  if (args.splitId === null) throw new StreamhouseError(ErrorKind.InvalidArgument, "trinoGetRows without a split id");
  return args;
}

/** The output side of one connection: collects a reply and sends it as one frame. */
class FrameOut {
  private parts: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly send: (parts: Buffer[], bytes: number) => void) {}

  write(buf: Buffer | string): void {
    const b = typeof buf === "string" ? Buffer.from(buf, "utf8") : buf;
    this.parts.push(b);
    this.bytes += b.length;
  }

  setCurrSeqId(): void {}

  flush(): void {
    const parts = this.parts;
    const bytes = this.bytes;
    this.parts = [];
    this.bytes = 0;
    this.send(parts, bytes);
  }
}

export async function startTrinoService(o: TrinoServiceOptions): Promise<TrinoServiceHandle> {
  patchThriftRuntime();
  const log = o.log ?? (() => {});
  const handler = new TrinoThriftHandler({
    catalog: o.catalog,
    ...(o.splitTargetBytes !== undefined ? { splitTargetBytes: o.splitTargetBytes } : {}),
    ...(o.maxPageRows !== undefined ? { maxPageRows: o.maxPageRows } : {}),
    ...(o.decodeThreads !== undefined ? { decodeThreads: o.decodeThreads } : {}),
  });
  const onCall = o.onCall;
  const report = (method: string, started: number, ok: boolean): void => {
    if (onCall === undefined) return;
    try {
      onCall(method, performance.now() - started, ok);
    } catch (e) {
      log(`trino service: onCall failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // Every declared method, each failure turned into the declared exception.
  const guarded: Record<string, unknown> = {};
  for (const name of ["trinoListSchemaNames", "trinoListTables", "trinoGetTableMetadata", "trinoGetSplits", "trinoGetIndexSplits", "trinoGetRows"] as const) {
    const fn = (handler[name] as (...a: unknown[]) => Promise<unknown>).bind(handler);
    guarded[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await fn(...args);
        report(name, started, true);
        return result;
      } catch (e) {
        report(name, started, false);
        handler.noteError();
        log(`trino service: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        throw toServiceException(e);
      }
    };
  }
  const bound = bindHandler(trinoService.Processor, trinoService.Client, guarded);
  const processor = new trinoService.Processor(bound) as unknown as {
    process(input: thrift.TProtocol, output: thrift.TProtocol): void;
    process_trinoGetRows(seqid: number, input: thrift.TProtocol, output: thrift.TProtocol): void;
  };
  // Pages: encoded in bulk and written as field 0 (success) of the result struct.
  processor.process_trinoGetRows = (seqid, input, output) => {
    const args = readGetRowsArgs(input);
    input.readMessageEnd();
    const reply = (write: () => void) => {
      output.writeMessageBegin("trinoGetRows", MESSAGE_REPLY as thrift.Thrift.MessageType, seqid);
      write();
      output.writeMessageEnd();
      output.flush();
    };
    (bound["trinoGetRows"] as (...a: unknown[]) => Promise<Buffer>)(args.splitId, args.columns, args.maxBytes, args.nextToken).then(
      (page) =>
        reply(() => {
          output.writeFieldBegin("success", thrift.Thrift.Type.STRUCT, 0);
          (output as unknown as { trans: FrameOut }).trans.write(page);
          output.writeFieldStop();
        }),
      (err) =>
        reply(() => {
          const ex = (err instanceof trinoTypes.TrinoThriftServiceException ? err : toServiceException(err)) as { write(o: thrift.TProtocol): void };
          output.writeFieldBegin("ex1", thrift.Thrift.Type.STRUCT, 1);
          ex.write(output);
          output.writeFieldEnd();
          output.writeFieldStop();
        }),
    );
  };

  const maxFrameBytes = o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const sockets = new Set<net.Socket>();

  const serve = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let chunks: Buffer[] = [];
    let buffered = 0;
    const frames: Buffer[] = [];
    let busy = false;
    let closed = false;
    const close = (why: string): void => {
      if (closed) return;
      closed = true;
      log(`trino service: closing connection from ${socket.remoteAddress}:${socket.remotePort}: ${why}`);
      socket.destroy();
    };
    const out = new FrameOut((parts, bytes) => {
      if (!closed) {
        const header = Buffer.allocUnsafe(4);
        header.writeInt32BE(bytes, 0);
        socket.cork();
        socket.write(header);
        for (const p of parts) socket.write(p);
        socket.uncork();
      }
      busy = false;
      setImmediate(pump);
    });
    function pump(): void {
      if (busy || closed) return;
      const frame = frames.shift();
      if (frame === undefined) return;
      busy = true;
      try {
        const input = new thrift.TBinaryProtocol(new thrift.TFramedTransport(frame) as unknown as thrift.TTransport);
        const output = new thrift.TBinaryProtocol(out as unknown as thrift.TTransport);
        processor.process(input, output);
      } catch (e) {
        busy = false;
        close(`malformed request: ${(e as Error).message}`);
      }
    }
    socket.on("data", (data: Buffer) => {
      if (closed) return;
      chunks.push(data);
      buffered += data.length;
      while (buffered >= 4) {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        const size = all.readInt32BE(0);
        if (size < 0 || size > maxFrameBytes) {
          close(`frame of ${size} bytes (limit ${maxFrameBytes}; is the client set to FRAMED transport?)`);
          return;
        }
        if (buffered < 4 + size) {
          chunks = [all];
          break;
        }
        frames.push(all.subarray(4, 4 + size));
        const rest = all.subarray(4 + size);
        chunks = rest.length > 0 ? [rest] : [];
        buffered = rest.length;
      }
      pump();
    });
    socket.on("error", (e) => close(e.message));
    socket.on("close", () => {
      closed = true;
      sockets.delete(socket);
    });
  };

  const server = net.createServer(serve);
  server.on("error", (e) => log(`trino service: server error: ${e.message}`));
  const host = o.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port ?? DEFAULT_PORT, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    throw new StreamhouseError(ErrorKind.Io, `cannot listen on ${host}:${o.port ?? DEFAULT_PORT}: ${(e as Error).message}`, { cause: e });
  }
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    stats: () => handler.stats(),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await stopped;
        handler.close();
      })();
      return closing;
    },
  };
}
