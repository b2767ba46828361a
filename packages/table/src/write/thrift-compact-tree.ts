/**
 * Thrift compact protocol as a generic tree: decode a struct into its fields (id, wire
 * type, value) and encode it back byte for byte. Used to edit a Parquet footer we just
 * wrote (parquet-int96.ts) without a full model of `FileMetaData`: fields we do not
 * touch are carried through unchanged. Wire format: see read/thrift-compact.ts.
 */
import { dataInvalid } from "@streamhouse/format";

export const TType = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export type TValue = boolean | number | bigint | Uint8Array | TStruct | TList | TMap;

export interface TField {
  readonly id: number;
  type: number;
  value: TValue;
}

export interface TStruct {
  readonly kind: "struct";
  fields: TField[];
}

export interface TList {
  readonly kind: "list";
  /** LIST or SET. */
  readonly type: number;
  readonly elementType: number;
  items: TValue[];
}

export interface TMap {
  readonly kind: "map";
  readonly keyType: number;
  readonly valueType: number;
  entries: [TValue, TValue][];
}

const MAX_DEPTH = 64;

export function decodeStruct(bytes: Uint8Array): { struct: TStruct; end: number } {
  const r = new Reader(bytes);
  const struct = r.struct(0);
  return { struct, end: r.pos };
}

export function encodeStruct(s: TStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

export function fieldOf(s: TStruct, id: number): TField | undefined {
  return s.fields.find((f) => f.id === id);
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.b.length) throw dataInvalid("Thrift: unexpected end of data", { offset: this.pos });
    return this.b[this.pos++]!;
  }

  private varint(): bigint {
    let out = 0n;
    let shift = 0n;
    for (;;) {
      const x = this.byte();
      out |= BigInt(x & 0x7f) << shift;
      if ((x & 0x80) === 0) return out;
      shift += 7n;
      if (shift > 70n) throw dataInvalid("Thrift: varint too long", { offset: this.pos });
    }
  }

  private zigzag(): bigint {
    const v = this.varint();
    return (v >> 1n) ^ -(v & 1n);
  }

  private value(type: number, depth: number): TValue {
    switch (type) {
      case TType.TRUE:
        return true;
      case TType.FALSE:
        return false;
      case TType.BYTE:
        return this.byte();
      case TType.I16:
      case TType.I32:
        return Number(this.zigzag());
      case TType.I64:
        return this.zigzag();
      case TType.DOUBLE: {
        const v = this.b.slice(this.pos, this.pos + 8);
        this.pos += 8;
        return v;
      }
      case TType.BINARY: {
        const n = Number(this.varint());
        if (this.pos + n > this.b.length) throw dataInvalid("Thrift: binary runs past the end", { offset: this.pos });
        const v = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case TType.LIST:
      case TType.SET: {
        const h = this.byte();
        const size = h >> 4 === 15 ? Number(this.varint()) : h >> 4;
        const elementType = h & 0x0f;
        const items: TValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.element(elementType, depth + 1));
        return { kind: "list", type, elementType, items };
      }
      case TType.MAP: {
        const size = Number(this.varint());
        const kv = size > 0 ? this.byte() : 0;
        const entries: [TValue, TValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.element(kv >> 4, depth + 1), this.element(kv & 0x0f, depth + 1)]);
        return { kind: "map", keyType: kv >> 4, valueType: kv & 0x0f, entries };
      }
      case TType.STRUCT:
        return this.struct(depth + 1);
      default:
        throw dataInvalid(`Thrift: unknown wire type ${type}`, { offset: this.pos });
    }
  }

  /** Booleans inside collections take a whole byte. */
  private element(type: number, depth: number): TValue {
    if (type === TType.TRUE || type === TType.FALSE) return this.byte() === 1;
    return this.value(type, depth);
  }

  struct(depth: number): TStruct {
    if (depth > MAX_DEPTH) throw dataInvalid("Thrift: nesting too deep", { offset: this.pos });
    const fields: TField[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return { kind: "struct", fields };
      const delta = h >> 4;
      const id = delta === 0 ? Number(this.zigzag()) : last + delta;
      const type = h & 0x0f;
      fields.push({ id, type, value: this.value(type, depth) });
      last = id;
    }
  }
}

class Writer {
  private buf = new Uint8Array(1024);
  private n = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }

  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
  }

  private byte(x: number): void {
    this.ensure(1);
    this.buf[this.n++] = x;
  }

  private varint(v: bigint): void {
    do {
      let x = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) x |= 0x80;
      this.byte(x);
    } while (v !== 0n);
  }

  private zigzag(v: bigint): void {
    this.varint(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
  }

  private raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  private value(type: number, v: TValue): void {
    switch (type) {
      case TType.TRUE:
      case TType.FALSE:
        return;
      case TType.BYTE:
        this.byte(v as number);
        return;
      case TType.I16:
      case TType.I32:
        this.zigzag(BigInt(v as number));
        return;
      case TType.I64:
        this.zigzag(v as bigint);
        return;
      case TType.DOUBLE:
        this.raw(v as Uint8Array);
        return;
      case TType.BINARY:
        this.varint(BigInt((v as Uint8Array).length));
        this.raw(v as Uint8Array);
        return;
      case TType.LIST:
      case TType.SET: {
        const l = v as TList;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elementType);
        else {
          this.byte(0xf0 | l.elementType);
          this.varint(BigInt(l.items.length));
        }
        for (const item of l.items) this.element(l.elementType, item);
        return;
      }
      case TType.MAP: {
        const m = v as TMap;
        this.varint(BigInt(m.entries.length));
        if (m.entries.length > 0) this.byte((m.keyType << 4) | m.valueType);
        for (const [k, x] of m.entries) {
          this.element(m.keyType, k);
          this.element(m.valueType, x);
        }
        return;
      }
      case TType.STRUCT:
        this.struct(v as TStruct);
        return;
      default:
        throw new Error(`Thrift: cannot write wire type ${type}`);
    }
  }

  private element(type: number, v: TValue): void {
    if (type === TType.TRUE || type === TType.FALSE) this.byte(v === true ? 1 : 2);
    else this.value(type, v);
  }

  struct(s: TStruct): void {
    let last = 0;
    for (const f of s.fields) {
      const type = f.type === TType.TRUE || f.type === TType.FALSE ? (f.value === true ? TType.TRUE : TType.FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(f.id));
      }
      this.value(type, f.value);
      last = f.id;
    }
    this.byte(0);
  }
}
