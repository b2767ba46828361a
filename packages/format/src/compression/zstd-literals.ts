/**
 * The Literals_Section of a compressed block (RFC 8878 §3.1.1.3.1).
 *
 * Header, first byte bits 0-1 = Literals_Block_Type, bits 2-3 = Size_Format:
 *   Raw (0) / RLE (1):  Size_Format x0 → 1 byte, 5-bit size; 01 → 2 bytes, 12-bit size;
 *                       11 → 3 bytes, 20-bit size (size bits start at bit 3 or 4)
 *   Compressed (2):     00 → 1 stream, 3 bytes, 10-bit regenerated + 10-bit compressed size
 *                       01 → 4 streams, 3 bytes, 10 + 10 bits
 *                       10 → 4 streams, 4 bytes, 14 + 14 bits
 *                       11 → 4 streams, 5 bytes, 18 + 18 bits   (sizes start at bit 4)
 * Compressed content: Huffman tree description, then for 4 streams a 6-byte jump table
 * (little-endian 16-bit sizes of streams 1-3), then the streams. The four streams carry
 * consecutive segments of ceil(n/4) literals, the last one the rest.
 *
 * We pick RLE when all literals are one byte, Huffman when it saves more than its
 * overhead, else Raw. Treeless (reusing the previous block's tree) is never written.
 */
import { ByteSink } from "./bit-writer.js";
import { buildHuffmanCode, huffmanPayloadBytes, writeHuffmanStream, writeHuffmanTree } from "./huffman-encoder.js";

/** Below this many literals a Huffman tree rarely pays for itself. */
const HUFFMAN_MIN_LITERALS = 64;

export function writeLiteralsSection(out: ByteSink, literals: Uint8Array): void {
  const n = literals.length;
  if (n > 0x3ffff) throw new Error(`zstd: ${n} literals exceed a block's limit`);
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[literals[i]!]!++;
  let distinct = 0;
  for (let s = 0; s < 256; s++) if (counts[s]! > 0) distinct++;

  if (n > 0 && distinct === 1) {
    writeRawOrRleHeader(out, 1, n);
    out.byte(literals[0]!);
    return;
  }
  if (n >= HUFFMAN_MIN_LITERALS && writeHuffmanLiterals(out, literals, counts)) return;
  writeRawOrRleHeader(out, 0, n);
  out.append(literals);
}

function writeRawOrRleHeader(out: ByteSink, type: number, size: number): void {
  if (size < 32) out.byte(type | (size << 3));
  else if (size < 4096) out.uintLE(type | (1 << 2) | (size << 4), 2);
  else out.uintLE(type | (3 << 2) | (size << 4), 3);
}

/** Writes a Compressed_Literals_Block if it beats raw by enough; returns whether it did. */
function writeHuffmanLiterals(out: ByteSink, literals: Uint8Array, counts: Uint32Array): boolean {
  const n = literals.length;
  const code = buildHuffmanCode(counts);
  // Cheap estimate first: if even the payload alone saves too little, skip the work.
  if (huffmanPayloadBytes(code, counts) + 16 >= n) return false;
  const tree = writeHuffmanTree(code);
  if (tree === undefined) return false;

  const single = n < 1024;
  const body = new ByteSink(n);
  body.append(tree);
  if (single) {
    writeHuffmanStream(body, code, literals);
  } else {
    const jumpAt = body.length;
    body.uintLE(0, 6);
    const segment = Math.ceil(n / 4);
    const sizes: number[] = [];
    for (let k = 0; k < 4; k++) {
      const start = body.length;
      writeHuffmanStream(body, code, literals.subarray(Math.min(n, k * segment), Math.min(n, (k + 1) * segment)));
      sizes.push(body.length - start);
    }
    for (let k = 0; k < 3; k++) {
      const size = sizes[k]!;
      if (size > 0xffff) return false;
      body.bytes[jumpAt + 2 * k] = size & 0xff;
      body.bytes[jumpAt + 2 * k + 1] = size >>> 8;
    }
  }
  const compressed = body.length;
  let headerBytes: number;
  let sizeFormat: number;
  if (single) [sizeFormat, headerBytes] = [0, 3];
  else if (n < 1024 && compressed < 1024) [sizeFormat, headerBytes] = [1, 3];
  else if (n < 16384 && compressed < 16384) [sizeFormat, headerBytes] = [2, 4];
  else [sizeFormat, headerBytes] = [3, 5];
  if (single && compressed >= 1024) return false;
  if (compressed > 0x3ffff) return false;
  if (headerBytes + compressed >= n + (n < 32 ? 1 : n < 4096 ? 2 : 3)) return false;

  const sizeBits = headerBytes === 3 ? 10 : headerBytes === 4 ? 14 : 18;
  // type 2 | format << 2 | regenerated << 4 | compressed << (4 + sizeBits); up to 40 bits.
  const header = 2 + sizeFormat * 4 + n * 16 + compressed * 2 ** (4 + sizeBits);
  out.uintLE(header, headerBytes);
  out.append(body.bytes.subarray(0, body.length));
  return true;
}
