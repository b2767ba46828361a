/**
 * Byte-wise order of serialized rows. It is NOT the key order of the values (numbers
 * are little-endian inside a BinaryRow); use it only where any stable order will do,
 * such as listing partitions deterministically.
 */
export function compareBinaryKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
