/**
 * CRC-32 as in ISO-HDLC / zlib / `java.util.zip.CRC32`: reflected polynomial
 * 0xEDB88320, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. Check value:
 * `crc32("123456789")` = 0xCBF43926.
 *
 * Results are unsigned (0 … 2^32-1). Java stores `(int) crc.getValue()`, so a
 * CRC read back from a Java-written file as a signed int must be compared with
 * `>>> 0` applied, or read as unsigned in the first place.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * Continues a running CRC over `bytes[start, end)`. Start with `crc = 0`; the
 * pre- and post-inversion are applied inside, so calls can be chained:
 * `crc32Update(crc32Update(0, a), b) === crc32(concat(a, b))`.
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = ~crc;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32 of `bytes[start, end)`, unsigned. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Update(0, bytes, start, end);
}
