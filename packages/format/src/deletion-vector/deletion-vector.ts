/**
 * Deletion vectors: the set of deleted row positions of one data file (position =
 * 0-based row index within the file). Two kinds exist, told apart by a magic number
 * at the start of their serialized form (the "bin" of an index-file entry):
 *
 *   bitmap32 (Java `BitmapDeletionVector`, the default)
 *     i32 BIG-endian magic 1581511376 (bytes 5E 43 F2 D0)
 *     portable 32-bit Roaring bitmap (little-endian inside, see roaring-bitmap.ts)
 *     Positions 0 … 2^31-1.
 *
 *   bitmap64 (Java `Bitmap64DeletionVector`, option `deletion-vectors.bitmap64`;
 *   the layout of Iceberg v3 deletion vectors)
 *     i32 LITTLE-endian magic 1681511377 (bytes D1 D3 39 64)
 *     u64 LE number of 32-bit bitmaps that follow
 *     per bitmap, keys ascending: i32 LE key (the high 32 bits of its positions),
 *       then a portable 32-bit Roaring bitmap of the low 32 bits
 *     Java writes one bitmap for every key from 0 to the highest key in use, empty
 *     ones included (an empty bitmap is 8 bytes: 3A 30 00 00 00 00 00 00).
 *
 * Both kinds run-optimize their bitmaps before serializing (Java's
 * `RoaringBitmap32.serialize` and `OptimizedRoaringBitmap64.runLengthEncode` do),
 * which changes the in-memory container kinds just as it does in Java.
 * Mirrors Paimon 2.0.0 `org.apache.paimon.deletionvectors`.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";
import { RoaringBitmap } from "./roaring-bitmap.js";

/** Magic of a 32-bit vector, stored big-endian. */
export const BITMAP32_MAGIC = 1581511376;
/** Magic of a 64-bit vector, stored little-endian. */
export const BITMAP64_MAGIC = 1681511377;
/** Largest position a 32-bit vector accepts (Java's `RoaringBitmap32.MAX_VALUE`). */
export const BITMAP32_MAX_POSITION = 2147483647;
/**
 * Largest position a 64-bit vector accepts (Java's `OptimizedRoaringBitmap64.MAX_VALUE`:
 * key 2^31-2, low part 2^31).
 */
export const BITMAP64_MAX_POSITION: bigint = (2147483646n << 32n) | 2147483648n;
const MAX_KEY = 2147483646;
const TWO_32 = 4294967296;

export type DeletionVectorKind = "bitmap32" | "bitmap64";

/** A row position; `number` must be a safe integer. */
export type RowPosition = number | bigint;

function invalidPosition(position: RowPosition, max: RowPosition): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, `row position ${position} outside 0 … ${max}`);
}

/** 32-bit deletion vector (Java `BitmapDeletionVector`). */
export class BitmapDeletionVector {
  readonly kind = "bitmap32" as const;
  readonly bitmap: RoaringBitmap;

  constructor(bitmap: RoaringBitmap = new RoaringBitmap()) {
    this.bitmap = bitmap;
  }

  static of(positions: Iterable<RowPosition>): BitmapDeletionVector {
    const dv = new BitmapDeletionVector();
    for (const p of positions) dv.delete(p);
    return dv;
  }

  /** Marks `position` deleted; returns whether it was not deleted before. */
  delete(position: RowPosition): boolean {
    const p = typeof position === "bigint" ? (position <= BigInt(BITMAP32_MAX_POSITION) ? Number(position) : -1) : position;
    if (!Number.isSafeInteger(p) || p < 0 || p > BITMAP32_MAX_POSITION) throw invalidPosition(position, BITMAP32_MAX_POSITION);
    return this.bitmap.add(p);
  }

  /** Positions outside the vector's range are simply not deleted. */
  isDeleted(position: RowPosition): boolean {
    if (typeof position === "bigint") return position >= 0n && position <= BigInt(BITMAP32_MAX_POSITION) && this.bitmap.contains(Number(position));
    return position <= BITMAP32_MAX_POSITION && this.bitmap.contains(position);
  }

  get cardinality(): number {
    return this.bitmap.cardinality;
  }

  get isEmpty(): boolean {
    return this.bitmap.isEmpty;
  }

  /** Deleted positions, ascending. */
  positions(): IterableIterator<number> {
    return this.bitmap.values();
  }

  /** Magic + bitmap, after run optimization (mutates container kinds, as Java does). */
  encode(): Uint8Array {
    this.bitmap.runOptimize();
    const out = new Uint8Array(4 + this.bitmap.serializedSizeInBytes());
    new DataView(out.buffer).setInt32(0, BITMAP32_MAGIC, false);
    this.bitmap.serializeInto(out, 4);
    return out;
  }
}

/** 64-bit deletion vector (Java `Bitmap64DeletionVector`). */
export class Bitmap64DeletionVector {
  readonly kind = "bitmap64" as const;
  // key (high 32 bits) → bitmap of the low 32 bits. Keys 0 … keyCount-1 are all
  // serialized; absent ones as empty bitmaps.
  private readonly bitmaps = new Map<number, RoaringBitmap>();
  private keyCount = 0;

  static of(positions: Iterable<RowPosition>): Bitmap64DeletionVector {
    const dv = new Bitmap64DeletionVector();
    for (const p of positions) dv.delete(p);
    return dv;
  }

  /** Same positions in the 64-bit form (Java `fromBitmapDeletionVector`; shares the bitmap). */
  static fromBitmap32(dv: BitmapDeletionVector): Bitmap64DeletionVector {
    const out = new Bitmap64DeletionVector();
    out.bitmaps.set(0, dv.bitmap);
    out.keyCount = 1;
    return out;
  }

  delete(position: RowPosition): boolean {
    const split = splitPosition(position);
    if (split === undefined) throw invalidPosition(position, BITMAP64_MAX_POSITION);
    const [key, low] = split;
    let bitmap = this.bitmaps.get(key);
    if (bitmap === undefined) {
      bitmap = new RoaringBitmap();
      this.bitmaps.set(key, bitmap);
    }
    this.keyCount = Math.max(this.keyCount, key + 1);
    return bitmap.add(low);
  }

  isDeleted(position: RowPosition): boolean {
    const split = splitPosition(position);
    if (split === undefined) return false;
    return this.bitmaps.get(split[0])?.contains(split[1]) ?? false;
  }

  get cardinality(): number {
    let n = 0;
    for (const b of this.bitmaps.values()) n += b.cardinality;
    return n;
  }

  get isEmpty(): boolean {
    return this.cardinality === 0;
  }

  /** The bitmap of one key (high 32 bits), if any (for tests and diagnostics). */
  bitmapOfKey(key: number): RoaringBitmap | undefined {
    return this.bitmaps.get(key);
  }

  /**
   * Deleted positions, ascending, as numbers. A position ≥ 2^53 cannot be a row of a
   * real file; meeting one throws rather than yielding an inexact number.
   */
  *positions(): IterableIterator<number> {
    const keys = [...this.bitmaps.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      const base = key * TWO_32;
      for (const low of this.bitmaps.get(key)!.values()) {
        const p = base + low;
        if (!Number.isSafeInteger(p)) throw new StreamhouseError(ErrorKind.Unsupported, `row position beyond 2^53 (key ${key})`);
        yield p;
      }
    }
  }

  encode(): Uint8Array {
    let size = 4 + 8;
    for (let key = 0; key < this.keyCount; key++) {
      const b = this.bitmaps.get(key);
      if (b !== undefined) b.runOptimize();
      size += 4 + (b === undefined ? 8 : b.serializedSizeInBytes());
      if (size > 0x7fffffff - 8) throw new StreamhouseError(ErrorKind.Unsupported, "deletion vector larger than 2 GiB");
    }
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setInt32(0, BITMAP64_MAGIC, true);
    view.setBigUint64(4, BigInt(this.keyCount), true);
    let p = 12;
    const empty = new RoaringBitmap();
    for (let key = 0; key < this.keyCount; key++) {
      view.setInt32(p, key, true);
      p = (this.bitmaps.get(key) ?? empty).serializeInto(out, p + 4);
    }
    return out;
  }

  /** Reads the part after the magic; `keyCount` follows the highest key read, as in Java. */
  static decodeBody(bytes: Uint8Array, start: number, end: number): Bitmap64DeletionVector {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (start + 8 > end) throw dataInvalid("64-bit deletion vector truncated: bitmap count needs 8 bytes", { offset: start });
    const count = view.getBigInt64(start, true);
    // each bitmap takes at least 12 bytes (key + empty bitmap)
    if (count < 0n || count > BigInt(Math.floor((end - start - 8) / 12))) {
      throw dataInvalid(`64-bit deletion vector bitmap count ${count} does not fit in ${end - start - 8} bytes`, { offset: start });
    }
    const dv = new Bitmap64DeletionVector();
    let p = start + 8;
    let lastKey = -1;
    for (let i = 0; i < Number(count); i++) {
      if (p + 4 > end) throw dataInvalid("64-bit deletion vector truncated: key needs 4 bytes", { offset: p });
      const key = view.getInt32(p, true);
      if (key < 0 || key > MAX_KEY || key <= lastKey) {
        throw dataInvalid(`64-bit deletion vector key ${key} invalid after ${lastKey} (keys ascend within 0 … ${MAX_KEY})`, { offset: p });
      }
      const { bitmap, next } = RoaringBitmap.deserialize(bytes, p + 4, end);
      if (!bitmap.isEmpty) dv.bitmaps.set(key, bitmap);
      lastKey = key;
      p = next;
    }
    if (p !== end) throw dataInvalid(`${end - p} unexpected bytes after 64-bit deletion vector`, { offset: p });
    dv.keyCount = lastKey + 1;
    return dv;
  }
}

export type DeletionVector = BitmapDeletionVector | Bitmap64DeletionVector;

/** [key, low 32 bits] of a valid 64-bit position, else undefined. */
function splitPosition(position: RowPosition): [number, number] | undefined {
  if (typeof position === "bigint") {
    if (position < 0n || position > BITMAP64_MAX_POSITION) return undefined;
    return [Number(position >> 32n), Number(position & 0xffffffffn)];
  }
  if (!Number.isSafeInteger(position) || position < 0) return undefined;
  const key = Math.floor(position / TWO_32);
  return [key, position - key * TWO_32];
}

/** Encodes a vector's bin: magic + bitmap(s). */
export function encodeDeletionVector(dv: DeletionVector): Uint8Array {
  return dv.encode();
}

/**
 * Decodes a bin (magic + bitmap) occupying exactly `bytes[start, end)`. Errors are
 * DataInvalid with the offset into `bytes`.
 */
export function decodeDeletionVector(bytes: Uint8Array, start = 0, end: number = bytes.length): DeletionVector {
  if (start + 4 > end) throw dataInvalid("deletion vector truncated: magic needs 4 bytes", { offset: start });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(start, false) === BITMAP32_MAGIC) {
    const { bitmap, next } = RoaringBitmap.deserialize(bytes, start + 4, end);
    if (next !== end) throw dataInvalid(`${end - next} unexpected bytes after 32-bit deletion vector`, { offset: next });
    return new BitmapDeletionVector(bitmap);
  }
  if (view.getInt32(start, true) === BITMAP64_MAGIC) return Bitmap64DeletionVector.decodeBody(bytes, start + 4, end);
  throw dataInvalid(
    `unknown deletion vector magic ${view.getInt32(start, false)} (expected ${BITMAP32_MAGIC} big-endian or ${BITMAP64_MAGIC} little-endian)`,
    { offset: start },
  );
}
