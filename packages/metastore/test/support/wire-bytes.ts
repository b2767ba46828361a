// Raw TBinaryProtocol bytes for robustness tests: real requests encoded by the
// generated client, a walker that finds where their types and lengths sit, a
// seeded PRNG and the mutations a fuzzer applies, and a probe message whose
// reply is recognisable byte for byte in a stream of replies.
import { hmsService } from "@streamhouse/metastore";
import thrift from "thrift";

/**
 * The bytes the generated client sends for `method(...args)`: a strict
 * TBinaryProtocol CALL message, exactly what a real client writes.
 */
export function encodeCall(method: string, args: readonly unknown[], seqid = 1): Buffer {
  const out: Buffer[] = [];
  const transport = new thrift.TBufferedTransport(undefined, (msg?: Buffer) => {
    if (msg !== undefined) out.push(msg);
  });
  const client = new hmsService.Client(transport as never, thrift.TBinaryProtocol as never) as unknown as Record<string, unknown> & { _seqid: number };
  client._seqid = seqid;
  const send = client[`send_${method}`];
  if (typeof send !== "function") throw new Error(`the generated client has no method ${method}`);
  send.apply(client, args);
  return Buffer.concat(out);
}

/** A getStatus CALL (fb303; no arguments) with `seqid`. */
export function probeCall(seqid: number): Buffer {
  return encodeCall("getStatus", [], seqid);
}

/**
 * The exact reply to probeCall(seqid): REPLY header, "getStatus", seqid, then
 * the result struct {0: i32 ALIVE (2)} and STOP.
 */
export function probeReply(seqid: number): Buffer {
  const name = Buffer.from("getStatus");
  const b = Buffer.alloc(8 + name.length + 4 + 8);
  b.writeUInt32BE(0x80010002, 0);
  b.writeInt32BE(name.length, 4);
  name.copy(b, 8);
  let p = 8 + name.length;
  b.writeInt32BE(seqid, p);
  p += 4;
  b.writeUInt8(8, p); // field type I32
  b.writeInt16BE(0, p + 1); // field id 0 (success)
  b.writeInt32BE(2, p + 3); // fb_status.ALIVE
  b.writeUInt8(0, p + 7); // STOP
  return b;
}

/** Where a message's mutable parts are: type bytes and i32 lengths/sizes, by offset. */
export interface MessageLayout {
  readonly typeOffsets: readonly number[];
  readonly lengthOffsets: readonly number[];
  /** Where the argument struct starts (after the message header). */
  readonly bodyOffset: number;
}

const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

/** Walks a well-formed strict CALL message and records its layout. Throws on anything else. */
export function layoutOf(msg: Buffer): MessageLayout {
  const typeOffsets: number[] = [];
  const lengthOffsets: number[] = [];
  let p = 0;
  if (msg.readUInt32BE(0) >>> 16 !== 0x8001) throw new Error("not a strict binary message");
  lengthOffsets.push(4);
  p = 8 + msg.readInt32BE(4) + 4;
  const bodyOffset = p;
  const value = (type: number, depth: number): void => {
    if (depth > 64) throw new Error("too deep");
    switch (type) {
      case T.BOOL:
      case T.BYTE:
        p += 1;
        return;
      case T.I16:
        p += 2;
        return;
      case T.I32:
        p += 4;
        return;
      case T.I64:
      case T.DOUBLE:
        p += 8;
        return;
      case T.STRING:
        lengthOffsets.push(p);
        p += 4 + msg.readInt32BE(p);
        return;
      case T.STRUCT:
        for (;;) {
          typeOffsets.push(p);
          const ft = msg.readUInt8(p);
          p += 1;
          if (ft === T.STOP) return;
          p += 2;
          value(ft, depth + 1);
        }
      case T.MAP: {
        typeOffsets.push(p, p + 1);
        const kt = msg.readUInt8(p);
        const vt = msg.readUInt8(p + 1);
        lengthOffsets.push(p + 2);
        const n = msg.readInt32BE(p + 2);
        p += 6;
        for (let i = 0; i < n; i++) {
          value(kt, depth + 1);
          value(vt, depth + 1);
        }
        return;
      }
      case T.SET:
      case T.LIST: {
        typeOffsets.push(p);
        const et = msg.readUInt8(p);
        lengthOffsets.push(p + 1);
        const n = msg.readInt32BE(p + 1);
        p += 5;
        for (let i = 0; i < n; i++) value(et, depth + 1);
        return;
      }
      default:
        throw new Error(`unexpected type ${type} at ${p}`);
    }
  };
  value(T.STRUCT, 0);
  if (p !== msg.length) throw new Error(`walked ${p} of ${msg.length} bytes`);
  return { typeOffsets, lengthOffsets, bodyOffset };
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorpusEntry {
  readonly method: string;
  readonly bytes: Buffer;
  readonly layout: MessageLayout;
}

export function corpusEntry(method: string, args: readonly unknown[]): CorpusEntry {
  const bytes = encodeCall(method, args, 1);
  return { method, bytes, layout: layoutOf(bytes) };
}

const ABSURD_LENGTHS = [-1, -2, -0x80000000, 0x7fffffff, 0x40000000, 0x01000000, 65_536, 1_000_000];
const METHOD_NAMES = ["get_table", "get_table_req", "get_partitions_by_names", "create_table", "add_partitions", "alter_table", "lock", "getStatus", "no_such_method", ""];

/** The mutation kinds a fuzz input is made by; each input names the one it used. */
export const MUTATIONS = ["random", "truncate", "flip", "length", "type", "method", "splice", "insert", "header"] as const;
export type Mutation = (typeof MUTATIONS)[number];

/**
 * One malformed input: a real request from `corpus` changed by one seeded
 * mutation (or plain random bytes). Inputs are deterministic in `rng`.
 */
export function mutate(rng: () => number, corpus: readonly CorpusEntry[]): { kind: Mutation; method: string; bytes: Buffer } {
  const int = (n: number): number => Math.floor(rng() * n);
  const pick = <X>(xs: readonly X[]): X => xs[int(xs.length)]!;
  const base = pick(corpus);
  const kind = pick(MUTATIONS);
  const b = Buffer.from(base.bytes);
  switch (kind) {
    case "random": {
      const r = Buffer.alloc(1 + int(rng() < 0.9 ? 64 : 2048));
      for (let i = 0; i < r.length; i++) r[i] = int(256);
      // Half of them past the version check, so the name and body parsers see garbage too.
      if (rng() < 0.5 && r.length >= 4) r.writeUInt32BE(0x80010001, 0);
      return { kind, method: "(random)", bytes: r };
    }
    case "truncate":
      return { kind, method: base.method, bytes: b.subarray(0, 1 + int(b.length - 1)) };
    case "flip":
      for (let n = 1 + int(4); n > 0; n--) b[base.layout.bodyOffset + int(b.length - base.layout.bodyOffset)] = int(256);
      return { kind, method: base.method, bytes: b };
    case "length": {
      const at = pick(base.layout.lengthOffsets);
      const v = rng() < 0.7 ? pick(ABSURD_LENGTHS) : b.readInt32BE(at) + int(33) - 16;
      b.writeInt32BE(v | 0, at);
      return { kind, method: base.method, bytes: b };
    }
    case "type": {
      // A field or element of the wrong type: any byte 0..17 (valid and invalid codes).
      for (let n = 1 + int(2); n > 0; n--) b[pick(base.layout.typeOffsets)] = int(18);
      return { kind, method: base.method, bytes: b };
    }
    case "method": {
      // The arguments of one method sent under another's name: every field has the wrong type or id.
      const name = Buffer.from(pick(METHOD_NAMES));
      const head = Buffer.alloc(8);
      head.writeUInt32BE(0x80010001, 0);
      head.writeInt32BE(name.length, 4);
      const seqid = b.subarray(base.layout.bodyOffset - 4);
      return { kind, method: name.toString(), bytes: Buffer.concat([head, name, seqid]) };
    }
    case "splice": {
      const other = pick(corpus).bytes;
      return { kind, method: base.method, bytes: Buffer.concat([b.subarray(0, int(b.length)), other.subarray(int(other.length))]) };
    }
    case "insert": {
      const at = base.layout.bodyOffset + int(b.length - base.layout.bodyOffset);
      const extra = Buffer.alloc(1 + int(8));
      for (let i = 0; i < extra.length; i++) extra[i] = int(256);
      return { kind, method: base.method, bytes: Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]) };
    }
    case "header": {
      // Version, message type or name length bytes.
      b[int(8)] = int(256);
      return { kind, method: base.method, bytes: b };
    }
  }
}
