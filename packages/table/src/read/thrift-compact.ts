/**
 * A reader for Thrift's compact protocol, just enough to walk a Parquet footer
 * (`FileMetaData`): structs are read field by field and any field the caller does
 * not ask for is skipped by its wire type.
 *
 * Wire format (Thrift `TCompactProtocol`):
 *   field header   1 byte: high nibble = field-id delta (0 → a zigzag varint i16 id
 *                  follows), low nibble = type (below); type 0 = end of struct
 *   bool field     the value is in the type nibble (1 true, 2 false)
 *   i16/i32/i64    zigzag ULEB128 varint
 *   double         8 bytes little-endian
 *   binary/string  ULEB128 length, then the bytes
 *   list/set       1 byte: size in the high nibble (15 → varint size follows),
 *                  element type in the low nibble; bool elements take 1 byte each
 *   map            varint size, then (if size > 0) 1 byte key type << 4 | value type
 * Every read is bounds-checked; errors name the offset.
 */
import { dataInvalid } from "@streamhouse/format";

export const CompactType = {
  STOP: 0,
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

/** Nesting deeper than this is not a Parquet footer (its schema is flattened). */
const MAX_DEPTH = 64;

export class ThriftCompactReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  private fail(what: string): never {
    throw dataInvalid(`Parquet footer: ${what}`, { offset: this.pos });
  }

  byte(): number {
    if (this.pos >= this.bytes.length) this.fail("unexpected end of metadata");
    return this.bytes[this.pos++]!;
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    return this.fail("varint longer than 10 bytes");
  }

  /** A varint known to be small (lengths, i16/i32): avoids bigint. */
  private varint32(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    return this.fail("32-bit varint longer than 5 bytes");
  }

  i32(): number {
    const n = this.varint32();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  i64(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  binary(): Uint8Array {
    const len = this.varint32();
    if (this.pos + len > this.bytes.length) this.fail(`binary of ${len} bytes runs past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return new TextDecoder().decode(this.binary());
  }

  /** Reads a struct, calling `onField(id, type)` per field; the callback must consume the value or return false to skip it. */
  struct(onField: (id: number, type: number) => boolean, depth = 0): void {
    if (depth > MAX_DEPTH) this.fail("structs nested too deeply");
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === CompactType.STOP) return;
      const delta = header >> 4;
      const id = delta === 0 ? this.i32() : lastId + delta;
      lastId = id;
      if (!onField(id, type)) this.skip(type, depth + 1);
    }
  }

  /** Reads a list header; returns the element count and type. */
  listHeader(): { size: number; elementType: number } {
    const h = this.byte();
    const short = h >> 4;
    const size = short === 15 ? this.varint32() : short;
    if (size > this.bytes.length - this.pos) this.fail(`list of ${size} elements is longer than the metadata`);
    return { size, elementType: h & 0x0f };
  }

  list<T>(read: (elementType: number) => T): T[] {
    const { size, elementType } = this.listHeader();
    const out: T[] = [];
    for (let i = 0; i < size; i++) out.push(read(elementType));
    return out;
  }

  /** The value of a bool field (its value lives in the field header's type nibble). */
  static boolOf(type: number): boolean {
    return type === CompactType.TRUE;
  }

  skip(type: number, depth = 0): void {
    if (depth > MAX_DEPTH) this.fail("values nested too deeply");
    switch (type) {
      case CompactType.TRUE:
      case CompactType.FALSE:
        return;
      case CompactType.BYTE:
        this.byte();
        return;
      case CompactType.I16:
      case CompactType.I32:
      case CompactType.I64:
        this.varint();
        return;
      case CompactType.DOUBLE:
        if (this.pos + 8 > this.bytes.length) this.fail("double runs past the end");
        this.pos += 8;
        return;
      case CompactType.BINARY:
        this.binary();
        return;
      case CompactType.LIST:
      case CompactType.SET: {
        const { size, elementType } = this.listHeader();
        for (let i = 0; i < size; i++) {
          if (elementType === CompactType.TRUE || elementType === CompactType.FALSE) this.byte();
          else this.skip(elementType, depth + 1);
        }
        return;
      }
      case CompactType.MAP: {
        const size = this.varint32();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4, depth + 1);
          this.skip(kv & 0x0f, depth + 1);
        }
        return;
      }
      case CompactType.STRUCT:
        this.struct(() => false, depth + 1);
        return;
      default:
        this.fail(`unknown compact type ${type}`);
    }
  }
}
