import { describe, expect, it } from "vitest";
import { binaryRowArity, binaryRowRowKind, decodeBinaryRow } from "../src/binary-row/binary-row-reader.js";
import { fixedPartSize, nullBitsWidth } from "../src/binary-row/binary-row-layout.js";
import { BinaryRowWriter, encodeBinaryRow } from "../src/binary-row/binary-row-writer.js";
import { RowKind, rowKindFromShortString, rowKindToShortString } from "../src/binary-row/row-kind.js";
import { isStreamhouseError } from "../src/errors.js";
import { type DataType, DataTypes as T } from "../src/types/data-type.js";
import type { Row, Value } from "../src/types/values.js";
import { mulberry32 as prng } from "./support/prng.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

/** Runs `f`, expecting a StreamhouseError of `kind`; returns it. */
function caught(f: () => unknown, kind: string): { message: string; context: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    if (!isStreamhouseError(e)) throw e;
    expect(e.kind).toBe(kind);
    return e;
  }
  throw new Error(`expected a ${kind} error`);
}

describe("BinaryRow layout", () => {
  it("sizes the null bit set like Java BinaryRow.calculateBitSetWidthInBytes", () => {
    expect([0, 1, 56, 57, 120, 121].map(nullBitsWidth)).toEqual([8, 8, 8, 16, 16, 24]);
    expect(fixedPartSize(3)).toBe(32);
  });

  it("encodes the paimon-format.md §5 examples exactly", () => {
    expect(hex(encodeBinaryRow([], []))).toBe("00000000" + "0000000000000000");
    expect(hex(encodeBinaryRow([T.INT()], [5]))).toBe("00000001" + "0000000000000000" + "0500000000000000");
    expect(hex(encodeBinaryRow([T.INT(), T.STRING(), T.STRING()], [5, "name-5", "even"]))).toBe(
      "00000003" + "0000000000000000" + "0500000000000000" + "6e616d652d350086" + "6576656e00000084",
    );
    expect(decodeBinaryRow([T.INT(), T.STRING(), T.STRING()], unhex("00000003 0000000000000000 0500000000000000 6e616d652d350086 6576656e00000084"))).toEqual([
      5,
      "name-5",
      "even",
    ]);
  });

  it("zeroes null slots and sets bit i + 8", () => {
    const bytes = encodeBinaryRow([T.BIGINT(), T.STRING(), T.INT()], [null, "x", null]);
    expect(hex(bytes)).toBe("00000003" + "0005000000000000" + "0000000000000000" + "7800000000000081" + "0000000000000000");
  });

  it("stores long strings and bytes in the variable part, zero-padded to words", () => {
    const bytes = encodeBinaryRow([T.STRING(), T.BYTES()], ["abcdefgh", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])]);
    expect(hex(bytes)).toBe(
      "00000002" + "0000000000000000" + "0800000018000000" + "0900000020000000" + "6162636465666768" + "0102030405060708" + "0900000000000000",
    );
    const utf8 = encodeBinaryRow([T.STRING()], ["é中"]); // 5 UTF-8 bytes: inline
    expect(hex(utf8)).toBe("00000001" + "0000000000000000" + "c3a9e4b8ad000085");
  });

  it("writes DECIMAL p>18 as minimal big-endian bytes in 16 reserved bytes, reserved even when null", () => {
    const types = [T.DECIMAL(20, 2)];
    expect(hex(encodeBinaryRow(types, [{ unscaled: -1n, precision: 20, scale: 2 }]))).toBe(
      "00000001" + "0000000000000000" + "0100000010000000" + "ff00000000000000" + "0000000000000000",
    );
    expect(hex(encodeBinaryRow(types, [{ unscaled: 128n, precision: 20, scale: 2 }]))).toBe(
      "00000001" + "0000000000000000" + "0200000010000000" + "0080000000000000" + "0000000000000000",
    );
    expect(hex(encodeBinaryRow(types, [null]))).toBe("00000001" + "0001000000000000" + "0000000010000000" + "00".repeat(16));
    expect(hex(encodeBinaryRow([T.DECIMAL(18, 0)], [{ unscaled: -2n, precision: 18, scale: 0 }]))).toBe(
      "00000001" + "0000000000000000" + "feffffffffffffff",
    );
  });

  it("writes TIMESTAMP p>3 as millis in the variable part and nanos in the slot, reserved even when null", () => {
    const types = [T.TIMESTAMP(6), T.TIMESTAMP_LTZ(3)];
    expect(hex(encodeBinaryRow(types, [{ millis: 1, nanoOfMillis: 5 }, { millis: -1, nanoOfMillis: 0 }]))).toBe(
      "00000002" + "0000000000000000" + "0500000018000000" + "ffffffffffffffff" + "0100000000000000",
    );
    expect(hex(encodeBinaryRow(types, [null, null]))).toBe(
      "00000002" + "0003000000000000" + "0000000018000000" + "0000000000000000" + "0000000000000000",
    );
  });

  it("lays out ARRAY, MAP, MULTISET, ROW and VARIANT like BinaryArray/BinaryMap/NestedRow", () => {
    expect(hex(encodeBinaryRow([T.ARRAY(T.INT())], [[1, null, 3]]))).toBe(
      "00000001" + "0000000000000000" + "1800000010000000" + "03000000" + "02000000" + "010000000000000003000000" + "00000000",
    );
    const map = encodeBinaryRow([T.MAP(T.STRING(), T.INT())], [[["a", 1]]]);
    expect(hex(map)).toBe(
      "00000001" + "0000000000000000" + "2400000010000000" + "10000000" +
        "0100000000000000" + "6100000000000081" + // key array: n=1, null bits, inline "a"
        "0100000000000000" + "0100000000000000" + // value array: n=1, null bits, 1 (+ pad)
        "00000000", // pads the 36-byte map to 40
    );
    expect(hex(encodeBinaryRow([T.MULTISET(T.STRING())], [[["a", 1]]]))).toBe(hex(map));
    expect(hex(encodeBinaryRow([T.ROW([T.FIELD(1, "x", T.INT())])], [[7]]))).toBe(
      "00000001" + "0000000000000000" + "1000000010000000" + "0000000000000000" + "0700000000000000",
    );
    expect(hex(encodeBinaryRow([T.VARIANT()], [{ value: new Uint8Array([1, 2, 3]), metadata: new Uint8Array([9]) }]))).toBe(
      "00000001" + "0000000000000000" + "0800000010000000" + "0300000001020309",
    );
    // Null elements of non-compact types reserve nothing inside arrays (BinaryArrayWriter.setNullAt).
    expect(hex(encodeBinaryRow([T.ARRAY(T.DECIMAL(20, 0))], [[null]]))).toBe(
      "00000001" + "0000000000000000" + "1000000010000000" + "0100000001000000" + "0000000000000000",
    );
  });

  it("writes and reads the row kind header", () => {
    const bytes = encodeBinaryRow([T.INT()], [1], RowKind.UPDATE_AFTER);
    expect(bytes[4]).toBe(2);
    expect(binaryRowRowKind(bytes)).toBe(RowKind.UPDATE_AFTER);
    expect(rowKindToShortString(binaryRowRowKind(bytes))).toBe("+U");
    expect(["+I", "-U", "+U", "-D"].map(rowKindFromShortString)).toEqual([0, 1, 2, 3]);
    caught(() => binaryRowRowKind(unhex("00000000 0900000000000000")), "DataInvalid");
    caught(() => rowKindFromShortString("+X"), "DataInvalid");
  });

  it("reuses a writer's buffer without leaking bytes of earlier rows", () => {
    const types = [T.STRING(), T.ARRAY(T.STRING())];
    const w = new BinaryRowWriter(types);
    w.write(["a-long-string-value", ["xxxxxxxxxxxxxxxxxxxxx", "yyyyyyyyyy"]]);
    const fresh = encodeBinaryRow([T.STRING(), T.ARRAY(T.STRING())], ["short", ["é"]]);
    expect(hex(w.write(["short", ["é"]]))).toBe(hex(fresh));
  });
});

describe("BinaryRow encode errors", () => {
  it("rejects values that do not fit their types with SchemaMismatch", () => {
    const cases: [DataType, unknown][] = [
      [T.INT(), "1"],
      [T.INT(), 2 ** 31],
      [T.TINYINT(), 128],
      [T.SMALLINT(), 1.5],
      [T.BIGINT(), 1],
      [T.BIGINT(), 2n ** 63n],
      [T.BOOLEAN(), 0],
      [T.STRING(), 5],
      [T.BYTES(), "ab"],
      [T.DECIMAL(5, 2), { unscaled: 100000n, precision: 5, scale: 2 }],
      [T.DECIMAL(5, 2), { unscaled: 1n, precision: 5, scale: 3 }],
      [T.TIMESTAMP(6), { millis: 0, nanoOfMillis: 1_000_000 }],
      [T.MAP(T.INT(), T.INT()), [[1]]],
    ];
    for (const [type, value] of cases) {
      const e = caught(() => encodeBinaryRow([T.INT(), type], [0, value as Value]), "SchemaMismatch");
      expect(e.context["field"]).toBe(1);
    }
    caught(() => encodeBinaryRow([T.INT()], [1, 2]), "SchemaMismatch");
  });

  it("refuses BLOB and VECTOR with Unsupported", () => {
    caught(() => encodeBinaryRow([T.BLOB()], [null]), "Unsupported");
    caught(() => decodeBinaryRow([T.VECTOR(T.FLOAT(), 3)], encodeBinaryRow([T.INT()], [null])), "Unsupported");
  });
});

// ---------------------------------------------------------------------------------------
// Seeded random round trips


class Gen {
  constructor(readonly rnd: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<X>(xs: readonly X[]): X {
    return xs[this.int(0, xs.length - 1)]!;
  }
  bigint(bits: number): bigint {
    let x = 0n;
    for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(this.int(0, 0xffff));
    return BigInt.asIntN(bits, x);
  }

  type(depth: number): DataType {
    const atoms: (() => DataType)[] = [
      () => T.BOOLEAN(),
      () => T.TINYINT(),
      () => T.SMALLINT(),
      () => T.INT(),
      () => T.BIGINT(),
      () => T.FLOAT(),
      () => T.DOUBLE(),
      () => T.DATE(),
      () => T.TIME(this.int(0, 3)),
      () => T.CHAR(this.int(1, 20)),
      () => T.STRING(),
      () => T.BINARY(this.int(1, 20)),
      () => T.BYTES(),
      () => {
        const p = this.int(1, 38);
        return T.DECIMAL(p, this.int(0, p));
      },
      () => T.TIMESTAMP(this.int(0, 9)),
      () => T.TIMESTAMP_LTZ(this.int(0, 9)),
      () => T.VARIANT(),
    ];
    if (depth <= 0 || this.rnd() < 0.7) return this.pick(atoms)();
    switch (this.int(0, 3)) {
      case 0:
        return T.ARRAY(this.type(depth - 1));
      case 1:
        return T.MAP(this.type(depth - 1), this.type(depth - 1));
      case 2:
        return T.MULTISET(this.type(depth - 1));
      default:
        return T.ROW(Array.from({ length: this.int(0, 4) }, (_, i) => T.FIELD(i, `f${i}`, this.type(depth - 1))));
    }
  }

  string(): string {
    const chars = ["a", "Z", "0", " ", "é", "中", "😀", "\u0000", "~"];
    return Array.from({ length: this.pick([0, 1, 3, 7, 8, 9, 15, 40]) }, () => this.pick(chars)).join("");
  }

  bytes(): Uint8Array {
    return Uint8Array.from({ length: this.pick([0, 1, 6, 7, 8, 13, 33]) }, () => this.int(0, 255));
  }

  value(type: DataType): Value | null {
    if (this.rnd() < 0.15) return null;
    switch (type.root) {
      case "BOOLEAN":
        return this.rnd() < 0.5;
      case "TINYINT":
        return this.int(-128, 127);
      case "SMALLINT":
        return this.int(-32768, 32767);
      case "INT":
      case "DATE":
        return this.int(-(2 ** 31), 2 ** 31 - 1);
      case "TIME":
        return this.int(0, 86_399_999);
      case "BIGINT":
        return this.bigint(64);
      case "FLOAT":
        return this.pick([0, -0, Number.NaN, Math.fround(this.rnd() * 1e6 - 5e5), Math.fround(3.4e38)]);
      case "DOUBLE":
        return this.pick([0, -0, Number.NaN, Number.POSITIVE_INFINITY, this.rnd() * 1e300, -Number.MIN_VALUE]);
      case "CHAR":
      case "VARCHAR":
        return this.string();
      case "BINARY":
      case "VARBINARY":
        return this.bytes();
      case "DECIMAL": {
        const bound = 10n ** BigInt(type.precision);
        const unscaled = this.bigint(128) % bound;
        return { unscaled: this.rnd() < 0.2 ? this.pick([0n, -1n, bound - 1n, 1n - bound]) : unscaled, precision: type.precision, scale: type.scale };
      }
      case "TIMESTAMP":
      case "TIMESTAMP_LTZ":
        return { millis: this.int(-(2 ** 45), 2 ** 45), nanoOfMillis: type.precision <= 3 ? 0 : this.int(0, 999_999) };
      case "VARIANT":
        return { value: this.bytes(), metadata: this.bytes() };
      case "ARRAY":
        return Array.from({ length: this.pick([0, 1, 2, 5, 33]) }, () => this.value(type.element));
      case "MULTISET":
        return Array.from({ length: this.int(0, 4) }, () => [this.value(type.element), this.int(1, 9)] as const);
      case "MAP":
        return Array.from({ length: this.int(0, 4) }, () => [this.value(type.key), this.value(type.value)] as const);
      case "ROW":
        return type.fields.map((f) => this.value(f.type));
      default:
        throw new Error(`no generator for ${type.root}`);
    }
  }
}

/** Runs `body` with a seeded Gen for each seed; the failing seed is part of the error. */
function forSeeds(count: number, body: (g: Gen, seed: number) => void): void {
  const base = Number(process.env["STREAMHOUSE_SEED"] ?? 20240601);
  for (let s = base; s < base + count; s++) {
    try {
      body(new Gen(prng(s)), s);
    } catch (e) {
      throw new Error(`failed with seed ${s} (rerun with STREAMHOUSE_SEED=${s}): ${(e as Error).message}`, { cause: e });
    }
  }
}

describe("BinaryRow round trips (seeded)", () => {
  it("decode(encode(row)) equals row for random nested types and values, and re-encodes identically", () => {
    forSeeds(250, (g) => {
      const types = Array.from({ length: g.int(0, 70) }, () => g.type(3));
      const rows: Row[] = Array.from({ length: 5 }, () => types.map((t) => g.value(t)));
      const w = new BinaryRowWriter(types);
      for (const row of rows) {
        const kind = g.pick([0, 1, 2, 3] as const);
        const bytes = w.encode(row, kind);
        expect((bytes.length - 4) % 8).toBe(0);
        expect(binaryRowArity(bytes)).toBe(types.length);
        expect(binaryRowRowKind(bytes)).toBe(kind);
        const back = decodeBinaryRow(types, bytes);
        expect(back).toEqual(row);
        expect(hex(encodeBinaryRow(types, back, kind))).toBe(hex(bytes));
      }
    });
  });
});

// ---------------------------------------------------------------------------------------
// Corrupt input

function expectDataInvalid(f: () => unknown, offset?: number): void {
  const e = caught(f, "DataInvalid");
  expect(typeof e.context["offset"]).toBe("number");
  if (offset !== undefined) expect(e.context["offset"]).toBe(offset);
}

describe("BinaryRow decode of corrupt bytes", () => {
  const types = [T.INT(), T.STRING(), T.ARRAY(T.STRING()), T.DECIMAL(25, 3), T.TIMESTAMP(9), T.MAP(T.INT(), T.BYTES())];
  const row: Row = [
    7,
    "a string in the variable part",
    ["xy", "a longer element"],
    { unscaled: -123456789012345678901n, precision: 25, scale: 3 },
    { millis: 1_700_000_000_000, nanoOfMillis: 123_456 },
    [[1, new Uint8Array(12)]],
  ];
  const good = encodeBinaryRow(types, row);
  const slot = (i: number) => 4 + 8 + 8 * i;

  it("rejects bad arity prefixes at offset 0", () => {
    expectDataInvalid(() => decodeBinaryRow(types, new Uint8Array([0, 0])), 0);
    const neg = good.slice();
    neg.set([0xff, 0xff, 0xff, 0xff], 0);
    expectDataInvalid(() => decodeBinaryRow(types, neg), 0);
    const absurd = good.slice();
    absurd.set([0x7f, 0xff, 0xff, 0xff], 0);
    expectDataInvalid(() => decodeBinaryRow(types, absurd), 0);
    const other = good.slice();
    other[3] = 5;
    expectDataInvalid(() => decodeBinaryRow(types, other), 0);
    expectDataInvalid(() => decodeBinaryRow([T.INT()], unhex("00000001 0000000000000000")), 4);
  });

  it("reads rows that are views into a larger buffer, and adds the caller's context to errors", () => {
    const big = new Uint8Array(good.length + 11);
    big.set(good, 5);
    expect(decodeBinaryRow(types, big.subarray(5, 5 + good.length))).toEqual(row);
    const bad = big.slice(5, 5 + good.length);
    bad[3] = 1;
    const e = caught(() => decodeBinaryRow(types, bad, { file: "manifest-1" }), "DataInvalid");
    expect(e.context).toMatchObject({ file: "manifest-1", offset: 0 });
  });

  it("rejects every truncation with an offset, unless only padding was cut", () => {
    for (let n = 0; n < good.length; n++) {
      const cut = good.subarray(0, n);
      try {
        expect(decodeBinaryRow(types, cut)).toEqual(row);
      } catch (e) {
        if (!isStreamhouseError(e, "DataInvalid")) throw e;
        expect(typeof e.context["offset"]).toBe("number");
      }
    }
  });

  it("names the slot whose pointer leaves the row", () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(slot(1) + 4, 4000, true);
    expectDataInvalid(() => decodeBinaryRow(types, bad), slot(1));
    const intoHeader = good.slice();
    new DataView(intoHeader.buffer).setUint32(slot(1) + 4, 0, true);
    expectDataInvalid(() => decodeBinaryRow(types, intoHeader), slot(1));
    const longLen = good.slice();
    new DataView(longLen.buffer).setUint32(slot(1), 0x7fffffff, true);
    expectDataInvalid(() => decodeBinaryRow(types, longLen), slot(1));
  });

  it("rejects bad inline lengths, decimal sizes, nanos and element counts", () => {
    const inline = encodeBinaryRow([T.STRING()], ["abc"]);
    inline[4 + 8 + 7] = 0x8f;
    expectDataInvalid(() => decodeBinaryRow([T.STRING()], inline), 12);
    const dec = good.slice();
    new DataView(dec.buffer).setUint32(slot(3), 17, true);
    expectDataInvalid(() => decodeBinaryRow(types, dec), slot(3));
    const ts = good.slice();
    new DataView(ts.buffer).setUint32(slot(4), 1_000_000, true);
    expectDataInvalid(() => decodeBinaryRow(types, ts), slot(4));
    const compact = encodeBinaryRow([T.DECIMAL(3, 0)], [{ unscaled: 5n, precision: 3, scale: 0 }]);
    new DataView(compact.buffer).setInt32(12, 1000, true);
    expectDataInvalid(() => decodeBinaryRow([T.DECIMAL(3, 0)], compact), 12);
    const arrayAt = 4 + new DataView(good.buffer).getUint32(slot(2) + 4, true);
    for (const count of [-1, 1 << 30]) {
      const arr = good.slice();
      new DataView(arr.buffer).setInt32(arrayAt, count, true);
      expectDataInvalid(() => decodeBinaryRow(types, arr), arrayAt);
    }
    const mapAt = 4 + new DataView(good.buffer).getUint32(slot(5) + 4, true);
    const map = good.slice();
    new DataView(map.buffer).setInt32(mapAt, 1 << 20, true);
    expectDataInvalid(() => decodeBinaryRow(types, map), mapAt);
  });

  it("never throws anything but DataInvalid on random corruption (seeded)", () => {
    forSeeds(3000, (g) => {
      const bad = good.slice(0, g.rnd() < 0.2 ? g.int(0, good.length) : good.length);
      for (let k = g.int(1, 4); k > 0 && bad.length > 0; k--) bad[g.int(0, bad.length - 1)] = g.int(0, 255);
      try {
        decodeBinaryRow(types, bad);
      } catch (e) {
        if (!isStreamhouseError(e, "DataInvalid")) throw e;
        expect(typeof e.context["offset"]).toBe("number");
      }
    });
  });
});
