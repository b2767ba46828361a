/**
 * A TCP proxy in front of a metastore that records every Thrift call crossing it: the
 * method, and how it was answered (a result, an exception the IDL declares, or an
 * application exception such as UNKNOWN_METHOD). Engine tests use it to show which
 * methods an engine really calls, that a code path went through a given method (Spark's
 * partition pruning → get_partitions_by_filter), and that nothing it called was refused.
 *
 * It parses TBinaryProtocol on unframed (buffered) transport, what Hive clients speak by
 * default: a message is a header (strict `0x8001` version word with the type in the low
 * byte, or the old form: name first, then the type) and one struct. A message's end is
 * known only by parsing it through, so each direction buffers until a whole message is in.
 * Bytes are forwarded as they arrive, before parsing: the recorder never delays a call.
 */
import net from "node:net";

export type ReplyKind = "result" | "declared" | "application";

export interface RecordedCall {
  readonly method: string;
  /** The call's top-level string arguments by field id (e.g. get_partitions_by_filter's filter is 3). */
  readonly args: Readonly<Record<number, string>>;
  /** How the server answered; undefined while the reply is outstanding. */
  reply?: { readonly kind: ReplyKind; readonly message?: string; readonly applicationType?: number };
}

export interface CallRecorder {
  /** `thrift://127.0.0.1:PORT`: give this to engines. */
  readonly uri: string;
  readonly port: number;
  readonly calls: readonly RecordedCall[];
  /** How many times `method` was called since the start (or the last `reset`). */
  count(method: string): number;
  /** Distinct methods answered with an application exception (UNKNOWN_METHOD is type 1). */
  refused(): string[];
  /** Distinct methods called, in first-call order. */
  methods(): string[];
  reset(): void;
  close(): Promise<void>;
}

const MESSAGE_CALL = 1;
const MESSAGE_REPLY = 2;
const MESSAGE_EXCEPTION = 3;
const MESSAGE_ONEWAY = 4;
const MAX_DEPTH = 64;

class Underrun extends Error {}

/** Reads TBinaryProtocol values from a buffer, throwing Underrun past its end. */
class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (n < 0) throw new Error(`negative length ${n} at offset ${this.offset}`);
    if (this.offset + n > this.buf.length) throw new Underrun();
  }
  byte(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  string(): string {
    return this.bytes(this.i32()).toString("utf8");
  }
  skip(type: number, depth = 0): void {
    if (depth > MAX_DEPTH) throw new Error("nesting too deep");
    switch (type) {
      case 2: // bool
      case 3: // byte
        this.bytes(1);
        return;
      case 4: // double
      case 10: // i64
        this.bytes(8);
        return;
      case 6: // i16
        this.bytes(2);
        return;
      case 8: // i32
        this.bytes(4);
        return;
      case 11: // string / binary
        this.bytes(this.i32());
        return;
      case 12: // struct
        for (;;) {
          const t = this.byte();
          if (t === 0) return;
          this.i16();
          this.skip(t, depth + 1);
        }
      case 13: {
        // map
        const k = this.byte();
        const v = this.byte();
        const n = this.i32();
        for (let i = 0; i < n; i++) {
          this.skip(k, depth + 1);
          this.skip(v, depth + 1);
        }
        return;
      }
      case 14: // set
      case 15: {
        // list
        const e = this.byte();
        const n = this.i32();
        for (let i = 0; i < n; i++) this.skip(e, depth + 1);
        return;
      }
      default:
        throw new Error(`unknown Thrift type ${type} at offset ${this.offset}`);
    }
  }
}

interface Message {
  readonly name: string;
  readonly type: number;
  readonly args?: Record<number, string>;
  readonly reply?: RecordedCall["reply"];
  readonly length: number;
}

/** Parses one whole message from the start of `buf`, or returns undefined if incomplete. */
function parseMessage(buf: Buffer): Message | undefined {
  const r = new Reader(buf);
  try {
    const first = r.i32();
    let name: string;
    let type: number;
    if (first < 0) {
      if ((first & 0xffff0000) !== (0x80010000 | 0)) throw new Error(`bad protocol version word 0x${(first >>> 0).toString(16)}`);
      type = first & 0xff;
      name = r.string();
    } else {
      name = r.bytes(first).toString("utf8");
      type = r.byte();
    }
    r.i32(); // seqid
    let reply: RecordedCall["reply"];
    let args: Record<number, string> | undefined;
    if (type === MESSAGE_CALL || type === MESSAGE_ONEWAY) {
      args = {};
      for (;;) {
        const t = r.byte();
        if (t === 0) break;
        const id = r.i16();
        if (t === 11) args[id] = r.string();
        else r.skip(t);
      }
    } else if (type === MESSAGE_REPLY) {
      // The result struct: field 0 is the success value, any other field a declared exception.
      let kind: ReplyKind = "result";
      let message: string | undefined;
      for (;;) {
        const t = r.byte();
        if (t === 0) break;
        const id = r.i16();
        if (id !== 0 && t === 12) {
          kind = "declared";
          message = readExceptionMessage(r);
        } else r.skip(t);
      }
      reply = message === undefined ? { kind } : { kind, message };
    } else if (type === MESSAGE_EXCEPTION) {
      let message: string | undefined;
      let applicationType: number | undefined;
      for (;;) {
        const t = r.byte();
        if (t === 0) break;
        const id = r.i16();
        if (id === 1 && t === 11) message = r.string();
        else if (id === 2 && t === 8) applicationType = r.i32();
        else r.skip(t);
      }
      reply = { kind: "application", ...(message !== undefined ? { message } : {}), ...(applicationType !== undefined ? { applicationType } : {}) };
    } else {
      r.skip(12);
    }
    return { name, type, length: r.offset, ...(reply !== undefined ? { reply } : {}), ...(args !== undefined ? { args } : {}) };
  } catch (e) {
    if (e instanceof Underrun) return undefined;
    throw e;
  }
}

/** Reads an exception struct, returning its field 1 if it is a string (every HMS exception's `message`). */
function readExceptionMessage(r: Reader): string | undefined {
  let message: string | undefined;
  for (;;) {
    const t = r.byte();
    if (t === 0) return message;
    const id = r.i16();
    if (id === 1 && t === 11) message = r.string();
    else r.skip(t);
  }
}

/** Feeds chunks of one direction of a connection and calls `onMessage` per whole message. */
function messageStream(onMessage: (m: Message) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let broken = false;
  return (chunk) => {
    if (broken) return;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    try {
      for (;;) {
        const m = parseMessage(pending);
        if (m === undefined) return;
        pending = pending.subarray(m.length);
        onMessage(m);
      }
    } catch {
      // Not Thrift binary (or a framed client): stop recording this connection, keep relaying.
      broken = true;
    }
  };
}

export async function startCallRecorder(target: { readonly host: string; readonly port: number }): Promise<CallRecorder> {
  const calls: RecordedCall[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    // Calls on one connection are answered in order; replies match the oldest outstanding call.
    const outstanding: RecordedCall[] = [];
    const fromClient = messageStream((m) => {
      if (m.type !== MESSAGE_CALL && m.type !== MESSAGE_ONEWAY) return;
      const call: RecordedCall = { method: m.name, args: m.args ?? {} };
      calls.push(call);
      if (m.type === MESSAGE_CALL) outstanding.push(call);
    });
    const fromServer = messageStream((m) => {
      const call = outstanding.shift();
      if (call !== undefined && m.reply !== undefined) call.reply = m.reply;
    });
    client.on("data", (d: Buffer) => {
      upstream.write(d);
      fromClient(d);
    });
    upstream.on("data", (d: Buffer) => {
      client.write(d);
      fromServer(d);
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    client.on("close", () => {
      sockets.delete(client);
      upstream.end();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `thrift://127.0.0.1:${port}`,
    port,
    calls,
    count: (method) => calls.filter((c) => c.method === method).length,
    refused: () => [...new Set(calls.filter((c) => c.reply?.kind === "application").map((c) => c.method))],
    methods: () => [...new Set(calls.map((c) => c.method))],
    reset: () => {
      calls.length = 0;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
