/**
 * A minimal protocol-buffers wire-format decoder: enough to read ORC's
 * PostScript, Footer and StripeFooter messages.
 *
 * Wire layout: a message is a sequence of (tag, value) pairs where
 * tag = varint(fieldNumber << 3 | wireType) and the wire type says how to find
 * the value's end:
 *   0 VARINT   base-128 varint
 *   1 I64      8 bytes little-endian
 *   2 LEN      varint length, then that many bytes (strings, bytes, nested
 *              messages, packed repeated scalars)
 *   5 I32      4 bytes little-endian
 * Groups (3, 4) are obsolete and never written by ORC; they are rejected.
 * Fields we do not know are skipped, as protobuf requires, so newer writers that
 * add fields stay readable.
 */
import { ByteCursor } from "./byte-cursor.js";

export const WireType = { Varint: 0, I64: 1, Len: 2, I32: 5 } as const;

export interface ProtoTag {
  readonly field: number;
  readonly wire: number;
}

export class ProtoReader extends ByteCursor {
  /** Reads the next tag; call only when `!atEnd()`. */
  tag(): ProtoTag {
    const at = this.pos;
    const key = this.varintNumber("field tag");
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw this.fail("protobuf field number 0", at);
    return { field, wire };
  }

  /** A nested reader over a length-delimited value, positioned in the same buffer. */
  message(tag: ProtoTag): ProtoReader {
    const bytes = this.lengthDelimited(tag);
    const start = this.pos - bytes.length;
    return new ProtoReader(this.bytes, start, this.pos);
  }

  lengthDelimited(tag: ProtoTag): Uint8Array {
    this.expect(tag, WireType.Len);
    const n = this.varintNumber("length");
    return this.take(n, `field ${tag.field}`);
  }

  /** An unsigned varint field that must fit a safe integer. */
  uint(tag: ProtoTag): number {
    this.expect(tag, WireType.Varint);
    return this.varintNumber(`field ${tag.field}`);
  }

  /**
   * A repeated uint32/uint64 field, accepting both the packed form (one LEN
   * value holding varints) and the unpacked form (one VARINT per tag), since
   * protobuf parsers must accept either.
   */
  uints(tag: ProtoTag, into: number[]): void {
    if (tag.wire === WireType.Varint) {
      into.push(this.varintNumber(`field ${tag.field}`));
      return;
    }
    const inner = this.message(tag);
    while (!inner.atEnd()) into.push(inner.varintNumber(`field ${tag.field}`));
  }

  string(tag: ProtoTag): Uint8Array {
    return this.lengthDelimited(tag);
  }

  /** Skips the value of a field we do not read. */
  skip(tag: ProtoTag): void {
    switch (tag.wire) {
      case WireType.Varint:
        this.varint64();
        return;
      case WireType.I64:
        this.take(8, `field ${tag.field}`);
        return;
      case WireType.Len:
        this.lengthDelimited(tag);
        return;
      case WireType.I32:
        this.take(4, `field ${tag.field}`);
        return;
      default:
        throw this.fail(`unsupported protobuf wire type ${tag.wire} for field ${tag.field}`);
    }
  }

  private expect(tag: ProtoTag, wire: number): void {
    if (tag.wire !== wire) throw this.fail(`field ${tag.field} has wire type ${tag.wire}, expected ${wire}`);
  }
}
