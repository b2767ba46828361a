/**
 * The byte layout of Paimon's BinaryRow (`org.apache.paimon.data.BinaryRow` and
 * `AbstractBinaryWriter`, Paimon 2.0.0). Everything inside a row is little-endian;
 * only the 4-byte arity prefix of the serialized form is big-endian.
 *
 * ```
 * serialized form (manifests: _PARTITION, _MIN_KEY, stats rows, ...)
 * +----------------+-------------------------------------------------------------+
 * | arity: int32 BE| row bytes (sizeInBytes, always a multiple of 8)             |
 * +----------------+-------------------------------------------------------------+
 *
 * row bytes, arity n, W = nullBitsWidth(n) = ((n + 63 + 8) / 64) * 8
 * offset 0        1             W          W+8        W+8n              size
 * +---------------+-------------+----------+---  ...  -+----------------+
 * | row kind byte | null bits   | slot 0   |           | variable part  |
 * +---------------+-------------+----------+---  ...  -+----------------+
 *   null flag of field i = bit (i + 8): byte (i+8)>>3, mask 1 << ((i+8)&7)
 *   slot i = 8 bytes at W + 8i; a null field's slot is all zero
 *
 * a slot holds either the value itself (BOOLEAN/TINYINT 1 byte, SMALLINT 2,
 * INT/DATE/TIME 4, BIGINT 8, FLOAT/DOUBLE IEEE, DECIMAL p<=18 as unscaled long,
 * TIMESTAMP p<=3 as epoch millis; unused high bytes 0), or:
 *
 *   inline bytes (CHAR/VARCHAR/BINARY/VARBINARY of length <= 7)
 *     byte 0..len-1 = data, byte 7 = 0x80 | len
 *   pointer into the variable part (offset relative to the row's first byte)
 *     bytes 0..3 = uint32 low word, bytes 4..7 = offset (bit 63 = 0)
 *     low word = length in bytes (strings, bytes, DECIMAL p>18, nested values)
 *              = nanoOfMillisecond (TIMESTAMP p>3; 8 bytes of millis at offset)
 * ```
 * Every piece of the variable part starts 8-aligned (relative to the row) and is
 * zero-padded to a multiple of 8. DECIMAL p>18 reserves 16 bytes and TIMESTAMP p>3
 * 8 bytes even when the field is null (Java's `RowHelper` writes the null through
 * `writeDecimal`/`writeTimestamp` so the field can be updated in place later).
 */

/** Bits of the null bit set taken by the row-kind header. */
export const HEADER_SIZE_IN_BITS = 8;

/** The longest CHAR/VARCHAR/BINARY/VARBINARY value stored inside its slot. */
export const MAX_INLINE_BYTES = 7;

/** Java `BinaryRow.calculateBitSetWidthInBytes`: header + null bits, rounded up to 8-byte words. */
export function nullBitsWidth(arity: number): number {
  return Math.floor((arity + 63 + HEADER_SIZE_IN_BITS) / 64) * 8;
}

/** Java `BinaryRow.calculateFixPartSizeInBytes`: where the variable part starts. */
export function fixedPartSize(arity: number): number {
  return nullBitsWidth(arity) + 8 * arity;
}

/** Rounds a byte count up to a whole number of 8-byte words. */
export function roundToWord(numBytes: number): number {
  return (numBytes + 7) & ~7;
}

/** Size of the serialized form's arity prefix. */
export const ARITY_PREFIX_BYTES = 4;

/**
 * The largest arity we accept when decoding. Java has no explicit limit, but a row's
 * fixed part must fit in one memory segment; a prefix beyond this is corruption.
 */
export const MAX_ARITY = 1 << 20;
