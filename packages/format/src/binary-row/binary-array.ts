/**
 * The byte layouts of Paimon's BinaryArray and BinaryMap (`org.apache.paimon.data.BinaryArray`,
 * `BinaryArrayWriter`, `BinaryMap`, Paimon 2.0.0), which hold ARRAY, MAP and MULTISET values
 * inside a BinaryRow's variable part. Little-endian throughout.
 *
 * ```
 * BinaryArray, n elements of width w (see elementWidth), H = 4 + ceil(n / 32) * 4
 * 0          4                  H                  H + n*w    round8(H + n*w)
 * +----------+------------------+------------------+----------+--------------------+
 * | n: int32 | null bits        | element slots    | zero pad | variable part      |
 * +----------+------------------+------------------+----------+--------------------+
 *   null flag of element i = bit i of the bytes from offset 4: byte 4 + (i>>3), mask 1 << (i&7)
 *   8-byte slots of strings, decimals, timestamps and nested values follow the BinaryRow
 *   slot rules (inline <= 7 bytes, or offset<<32 | length with offset relative to the
 *   array's first byte). A null element's slot is zero; unlike in a row, a null
 *   DECIMAL p>18 or TIMESTAMP p>3 element reserves no variable space.
 *
 * BinaryMap (MAP<K, V>; MULTISET<E> is stored as MAP<E, INT NOT NULL> of counts)
 * 0                   4                       4 + k
 * +-------------------+-----------------------+------------------------+
 * | k: int32 = size   | keys: BinaryArray<K>  | values: BinaryArray<V> |
 * |   of key array    |   (k bytes)           |   (size - 4 - k bytes) |
 * +-------------------+-----------------------+------------------------+
 * ```
 * Both arrays have the same element count; pair i is (keys[i], values[i]). A map's
 * size is 4 + a multiple of 8, so its containing slot's padding makes it word-aligned.
 */
import type { DataType } from "../types/data-type.js";

/** Java `BinaryArray.calculateHeaderInBytes`: element count + null bits in 4-byte words. */
export function arrayHeaderSize(numElements: number): number {
  return 4 + Math.floor((numElements + 31) / 32) * 4;
}

/**
 * Java `BinaryArray.calculateFixLengthPartSize`: bytes per element slot. Primitive
 * elements are packed at their natural width, everything else takes an 8-byte slot.
 */
export function elementWidth(type: DataType): 1 | 2 | 4 | 8 {
  switch (type.root) {
    case "BOOLEAN":
    case "TINYINT":
      return 1;
    case "SMALLINT":
      return 2;
    case "INT":
    case "FLOAT":
    case "DATE":
    case "TIME":
      return 4;
    default:
      return 8;
  }
}

/** Bytes of an array's header and slots before its variable part (unrounded). */
export function arrayFixedBytes(numElements: number, width: number): number {
  return arrayHeaderSize(numElements) + numElements * width;
}
