/**
 * Zstandard (RFC 8878) for Avro's `zstandard` codec, Paimon's default manifest codec.
 *
 * Decompression: `fzstd` (pure JS, synchronous), which reads any conforming frame.
 *
 * Compression — why we write frames ourselves: `node:zlib` has zstd only from Node
 * 22.15, and this package must stay pure and synchronous on Node 20. The wasm builds on
 * npm (@bokuweb/zstd-wasm, zstd-codec, @oneidentity/zstd-js) all initialise
 * asynchronously, which would make every manifest encode async or need a top-level await
 * plus a large binary. A conforming frame made only of Raw blocks is trivially correct,
 * readable by fzstd and by zstd-jni (Java Avro's ZstandardCodec), and costs nothing
 * beyond the data itself. The price is no size reduction: acceptable for manifests (a few
 * KiB each). The level Paimon configures (1) is a writer choice not recorded in the file.
 *
 * Frame layout written (RFC 8878 §3.1.1):
 *   magic            28 B5 2F FD
 *   frame header     descriptor byte: Single_Segment=1, no checksum, no dictionary,
 *                    FCS field size flag chosen by content size (1, 2, 4 or 8 bytes;
 *                    the 2-byte form stores size-256)
 *   blocks           3-byte little-endian header: bit 0 Last_Block, bits 1-2 type
 *                    (0 = Raw), bits 3-23 size (≤ 128 KiB); then the bytes
 * An empty input is one empty last Raw block.
 */
import { decompress as fzstdDecompress } from "fzstd";
import { dataInvalid } from "../errors.js";

const MAX_BLOCK = 128 * 1024;

export function zstdCompress(src: Uint8Array): Uint8Array {
  const n = src.length;
  let fcsFlag: number;
  let fcsBytes: number;
  if (n < 256) [fcsFlag, fcsBytes] = [0, 1];
  else if (n < 65536 + 256) [fcsFlag, fcsBytes] = [1, 2];
  else if (n <= 0xffffffff) [fcsFlag, fcsBytes] = [2, 4];
  else [fcsFlag, fcsBytes] = [3, 8];
  const blocks = Math.max(1, Math.ceil(n / MAX_BLOCK));
  const out = new Uint8Array(4 + 1 + fcsBytes + blocks * 3 + n);
  out.set([0x28, 0xb5, 0x2f, 0xfd], 0);
  out[4] = (fcsFlag << 6) | 0x20; // Single_Segment_Flag
  let p = 5;
  let fcs = fcsFlag === 1 ? n - 256 : n;
  for (let i = 0; i < fcsBytes; i++) {
    out[p++] = fcs % 256;
    fcs = Math.floor(fcs / 256);
  }
  for (let b = 0, from = 0; b < blocks; b++) {
    const size = Math.min(MAX_BLOCK, n - from);
    const header = (size << 3) | (b === blocks - 1 ? 1 : 0); // type 0 = Raw
    out[p++] = header & 0xff;
    out[p++] = (header >>> 8) & 0xff;
    out[p++] = (header >>> 16) & 0xff;
    out.set(src.subarray(from, from + size), p);
    p += size;
    from += size;
  }
  return out;
}

/** Decompresses one or more concatenated frames. */
export function zstdDecompress(src: Uint8Array): Uint8Array {
  try {
    return fzstdDecompress(src);
  } catch (e) {
    throw dataInvalid(`zstd: ${e instanceof Error ? e.message : String(e)}`, {}, e);
  }
}
