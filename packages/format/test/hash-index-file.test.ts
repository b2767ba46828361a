import { describe, expect, it } from "vitest";
import { isStreamhouseError } from "../src/errors.js";
import { encodeBinaryRow } from "../src/binary-row/binary-row-writer.js";
import { binaryRowHash } from "../src/bucket/bucket-function.js";
import { decodeHashIndexFile, encodeHashIndexFile, HASH_INDEX_TYPE } from "../src/bucket/hash-index-file.js";
import { DataTypes } from "../src/types/data-type.js";
import { mulberry32 } from "./support/prng.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("HASH index file codec", () => {
  it("writes big-endian int32s back to back, no header", () => {
    const bytes = encodeHashIndexFile([1, -1, 0x12345678, -0x80000000, 0x7fffffff, 0]);
    expect(hex(bytes)).toBe("00000001" + "ffffffff" + "12345678" + "80000000" + "7fffffff" + "00000000");
    expect(Array.from(decodeHashIndexFile(bytes))).toEqual([1, -1, 0x12345678, -0x80000000, 0x7fffffff, 0]);
    expect(HASH_INDEX_TYPE).toBe("HASH");
  });

  it("reads a file Java Paimon 2.0 wrote: the hashes of the table's keys (INT primary key 1, 2, -3, 1000000)", () => {
    // index/index-<uuid>-0 of a `bucket = -1` table after one write of those four keys.
    const javaFile = new Uint8Array(Buffer.from("e0785e0d5759f99e9f1b58814fe4bbf0", "hex"));
    const hashes = decodeHashIndexFile(javaFile);
    const ours = [1, 2, -3, 1_000_000].map((id) => binaryRowHash(encodeBinaryRow([DataTypes.INT(false)], [id])));
    expect([...hashes].sort((a, b) => a - b)).toEqual(ours.sort((a, b) => a - b));
    expect(hex(encodeHashIndexFile(hashes))).toBe(hex(javaFile));
  });

  it("round-trips random hashes, also from a view into a larger buffer", () => {
    const random = mulberry32(7);
    const hashes = Int32Array.from({ length: 1000 }, () => (random() * 2 ** 32) | 0);
    const bytes = encodeHashIndexFile(hashes);
    expect(bytes.length).toBe(4000);
    expect(decodeHashIndexFile(bytes)).toEqual(hashes);
    const padded = new Uint8Array(4006);
    padded.set(bytes, 3);
    expect(decodeHashIndexFile(padded.subarray(3, 4003))).toEqual(hashes);
  });

  it("an empty file holds no hashes", () => {
    expect(encodeHashIndexFile([]).length).toBe(0);
    expect(decodeHashIndexFile(new Uint8Array(0)).length).toBe(0);
  });

  it("rejects a truncated hash with the offset of the partial entry", () => {
    const bytes = encodeHashIndexFile([5, 6]).subarray(0, 7);
    let caught: unknown;
    try {
      decodeHashIndexFile(bytes, "index/index-x-0");
    } catch (e) {
      caught = e;
    }
    expect(isStreamhouseError(caught, "DataInvalid")).toBe(true);
    if (isStreamhouseError(caught)) {
      expect(caught.context["offset"]).toBe(4);
      expect(caught.context["file"]).toBe("index/index-x-0");
    }
  });

  it("refuses values that are not int32", () => {
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN]) {
      expect(() => encodeHashIndexFile([0, bad])).toThrow(/entry 1 is not an int32/);
    }
  });
});
