/**
 * Dynamic-bucket HASH index files (`index/index-<uuid>-<n>`, index type `HASH`): the
 * key hashes of one partition-bucket of a primary-key table with `bucket = -1`.
 *
 *   repeated:
 *     i32 BE hash        `BinaryRow.hashCode()` of a key written to the bucket
 *                        (the trimmed primary key, see bucket-function.ts)
 *
 * No header, no count, no checksum: the file is exactly 4 × n bytes, and the index
 * manifest row records n as `_ROW_COUNT`. Order carries no meaning (Java writes its
 * hash set's iteration order). Each hash appears once per file; a partition's files
 * together map every key hash the partition ever saw to its bucket.
 *
 * Mirrors Paimon 2.0.0 `HashIndexFile` over `IntFileUtils.writeInts/readInts`. Java's
 * reader silently drops a trailing partial int; we report it as DataInvalid.
 */
import { dataInvalid } from "../errors.js";

/** `_INDEX_TYPE` of dynamic-bucket hash index files in the index manifest. */
export const HASH_INDEX_TYPE = "HASH";

const INT_BYTES = 4;

/** The bytes of a hash index file holding `hashes` (signed int32 values), in the given order. */
export function encodeHashIndexFile(hashes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(hashes.length * INT_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    if (!Number.isInteger(h) || h < -0x80000000 || h > 0x7fffffff) {
      throw dataInvalid(`hash index entry ${i} is not an int32: ${h}`, { entry: i });
    }
    view.setInt32(i * INT_BYTES, h, false);
  }
  return out;
}

/** The hashes of a hash index file, in file order. `file` names it in errors. */
export function decodeHashIndexFile(bytes: Uint8Array, file?: string): Int32Array {
  if (bytes.length % INT_BYTES !== 0) {
    const offset = bytes.length - (bytes.length % INT_BYTES);
    throw dataInvalid(`hash index file has ${bytes.length} bytes, not a multiple of 4: a truncated hash at the end`, { file, offset });
  }
  const n = bytes.length / INT_BYTES;
  const out = new Int32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getInt32(i * INT_BYTES, false);
  return out;
}
