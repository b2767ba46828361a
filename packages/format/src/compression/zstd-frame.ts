/**
 * Zstandard (RFC 8878) for Avro's `zstandard` codec, Paimon's default manifest codec.
 *
 * Compression: our own synchronous compressor (`zstd-compress.ts`). `node:zlib` has zstd
 * only from Node 22.15, this package must stay pure and synchronous on Node 20, and the
 * wasm builds on npm all initialise asynchronously. The frames carry no checksum (an
 * optional field; zstd-jni, the zstd CLI and fzstd all read them) and record no level
 * (Paimon's configured level 1 is a writer choice not stored in the file).
 *
 * Decompression: `fzstd` (pure JS, synchronous), which reads any conforming frame.
 */
import { decompress as fzstdDecompress } from "fzstd";
import { dataInvalid } from "../errors.js";
import { zstdCompressFrame } from "./zstd-compress.js";

/** One zstd frame holding `src`; deterministic. */
export function zstdCompress(src: Uint8Array): Uint8Array {
  return zstdCompressFrame(src);
}

/** Decompresses one or more concatenated frames. */
export function zstdDecompress(src: Uint8Array): Uint8Array {
  try {
    return fzstdDecompress(src);
  } catch (e) {
    throw dataInvalid(`zstd: ${e instanceof Error ? e.message : String(e)}`, {}, e);
  }
}
