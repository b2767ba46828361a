/**
 * Block codecs of Avro object container files (Avro 1.11 spec, "Required Codecs" and
 * "Optional Codecs"), by the names written in the `avro.codec` header entry:
 *
 *   null        blocks stored as is
 *   deflate     RFC 1951 raw deflate, no zlib header (Java: Deflater nowrap=true)
 *   snappy      raw snappy block + 4-byte BIG-endian CRC-32 of the UNcompressed data
 *   zstandard   one zstd frame per block (Paimon's default manifest codec, level 1)
 *
 * An unknown codec name is Unsupported, not DataInvalid: the file may be fine.
 */
import { deflateSync, inflateSync } from "fflate";
import { crc32 } from "../util/crc32.js";
import { snappyCompress, snappyDecompress } from "../compression/snappy.js";
import { zstdCompress, zstdDecompress } from "../compression/zstd-frame.js";
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";

export type AvroCodecName = "null" | "deflate" | "snappy" | "zstandard";

export const AVRO_CODEC_NAMES: readonly AvroCodecName[] = ["null", "deflate", "snappy", "zstandard"];

export interface AvroCodec {
  readonly name: AvroCodecName;
  compress(data: Uint8Array): Uint8Array;
  /** Throws DataInvalid (without offset: the container adds the block's). */
  decompress(data: Uint8Array): Uint8Array;
}

const nullCodec: AvroCodec = {
  name: "null",
  compress: (d) => d,
  decompress: (d) => d,
};

const deflateCodec: AvroCodec = {
  name: "deflate",
  // Java Avro's default deflate level is 6 (Deflater.DEFAULT_COMPRESSION).
  compress: (d) => deflateSync(d, { level: 6 }),
  decompress: (d) => {
    try {
      return inflateSync(d);
    } catch (e) {
      throw dataInvalid(`deflate: ${e instanceof Error ? e.message : String(e)}`, {}, e);
    }
  },
};

const snappyCodec: AvroCodec = {
  name: "snappy",
  compress: (d) => {
    const c = snappyCompress(d);
    const out = new Uint8Array(c.length + 4);
    out.set(c, 0);
    new DataView(out.buffer).setUint32(c.length, crc32(d), false);
    return out;
  },
  decompress: (d) => {
    if (d.length < 5) throw dataInvalid("snappy: block shorter than its checksum");
    const body = d.subarray(0, d.length - 4);
    const out = snappyDecompress(body);
    const expected = new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(d.length - 4, false);
    const actual = crc32(out);
    if (actual !== expected) throw dataInvalid(`snappy: CRC-32 mismatch (stored ${expected}, computed ${actual})`);
    return out;
  },
};

const zstdCodec: AvroCodec = {
  name: "zstandard",
  compress: zstdCompress,
  decompress: zstdDecompress,
};

const CODECS: ReadonlyMap<string, AvroCodec> = new Map([
  ["null", nullCodec],
  ["deflate", deflateCodec],
  ["snappy", snappyCodec],
  ["zstandard", zstdCodec],
]);

export function avroCodec(name: string): AvroCodec {
  const c = CODECS.get(name);
  if (c === undefined) {
    throw new StreamhouseError(ErrorKind.Unsupported, `unsupported Avro codec "${name}"`, { context: { codec: name } });
  }
  return c;
}
