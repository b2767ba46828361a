/**
 * MurmurHash3 x86_32 over whole 4-byte little-endian words, as Java's
 * `MurmurHashUtils.hashBytesByWords` (Paimon 2.0.0) — which is what `BinaryRow.hashCode()`
 * runs over the row bytes (the serialized form's arity prefix is not part of the row).
 * A BinaryRow's size is a multiple of 8, so there is never a tail; for inputs whose length
 * is a multiple of 4 this equals the reference murmur3_x86_32.
 */
import { dataInvalid } from "../errors.js";

/** Paimon's `MurmurHashUtils.DEFAULT_SEED`. */
export const PAIMON_HASH_SEED = 42;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Hash of `bytes[offset, offset + length)` as a signed int32; `length` must be a multiple of 4. */
export function murmur3Words(bytes: Uint8Array, offset = 0, length = bytes.length - offset, seed = PAIMON_HASH_SEED): number {
  if (length % 4 !== 0 || offset < 0 || length < 0 || offset + length > bytes.length) {
    throw dataInvalid(`cannot hash ${length} bytes by words at offset ${offset} of ${bytes.length}`, { offset });
  }
  let h1 = seed | 0;
  const end = offset + length;
  for (let i = offset; i < end; i += 4) {
    let k1 = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, C2);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h1 ^ length);
}

/** MurmurHash3's 32-bit finalizer (Java `MurmurHashUtils.fmix(int)`), as a signed int32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
