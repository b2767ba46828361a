/**
 * Strict UTF-8 decoding without TextDecoder (the format package compiles
 * against the ES library only, no DOM or Node globals).
 *
 * Strict, because ORC strings are UTF-8 by definition: malformed bytes mean a
 * corrupt file, and replacing them with U+FFFD would hand back a plausible but
 * wrong file name. Returns undefined on malformed input; callers raise the
 * error with their own context.
 */

/** Code units are flushed to a string in slices of this size to bound argument lists. */
const CHUNK_UNITS = 4096;

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  // ASCII fast path: most ORC strings in Paimon manifests are file names.
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii && bytes.length <= CHUNK_UNITS) return String.fromCharCode(...bytes);

  let out = "";
  const units: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    let cp: number;
    let n: number;
    if (b0 < 0x80) {
      cp = b0;
      n = 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      n = 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      n = 4;
    } else {
      return undefined;
    }
    if (i + n > bytes.length) return undefined;
    for (let k = 1; k < n; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    // Reject overlong 3/4-byte forms, surrogates and values past U+10FFFF.
    if ((n === 3 && cp < 0x800) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
      return undefined;
    }
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      units.push(cp);
    }
    if (units.length >= CHUNK_UNITS) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
    i += n;
  }
  return out + String.fromCharCode(...units);
}
