/**
 * Deletion-vector index files (`index/index-<uuid>-<n>`, index type
 * `DELETION_VECTORS`): the vectors of many data files of one bucket, back to back.
 *
 *   u8 version = 1
 *   per vector:
 *     i32 BE size        bytes in `bin`
 *     bin                magic + bitmap (see deletion-vector.ts)
 *     i32 BE crc         CRC-32 of `bin`
 *
 * The index manifest names each vector by (data file name, offset, length,
 * cardinality). `offset` points at the size field. `length` is NOT the same for both
 * kinds (Java `DeletionVector.serializeTo` returns it):
 *   bitmap32: length = size                (the bin only)
 *   bitmap64: length = size + 8            (size field + bin + crc)
 * so a reader fetching one vector by range needs at most `length + 8` bytes from
 * `offset`. Java 2.0 readers skip the CRC; we check it.
 * Mirrors Paimon 2.0.0 `DeletionVectorsIndexFile`, `DeletionFileWriter`,
 * `DeletionVector.read`.
 */
import { dataInvalid, ErrorKind, StreamhouseError, withErrorContext } from "../errors.js";
import { crc32 } from "../util/crc32.js";
import { type DeletionVector, decodeDeletionVector } from "./deletion-vector.js";

export const DV_INDEX_FILE_VERSION = 1;
/** `_INDEX_TYPE` of deletion-vector index files in the index manifest. */
export const DELETION_VECTORS_INDEX_TYPE = "DELETION_VECTORS";
/** Bytes around a bin: the size field and the CRC. */
const ENTRY_OVERHEAD = 8;
const INT32_MAX = 0x7fffffff;

/** One row of `_DELETIONS_VECTORS_RANGES` (`f0`, `f1`, `f2`, `_CARDINALITY`). */
export interface DeletionVectorRange {
  readonly dataFileName: string;
  readonly offset: number;
  readonly length: number;
  readonly cardinality: number;
}

/** A vector found by reading an index file from start to end. */
export interface DvIndexEntry {
  readonly offset: number;
  /** As the index manifest would record it. */
  readonly length: number;
  readonly vector: DeletionVector;
}

/** Bytes to fetch from `offset` to be sure of holding the whole entry of a vector of manifest `length`. */
export function deletionVectorReadSpan(length: number): number {
  return length + ENTRY_OVERHEAD;
}

/** The manifest `length` of an entry whose bin has `binSize` bytes. */
function manifestLength(vector: DeletionVector, binSize: number): number {
  return vector.kind === "bitmap32" ? binSize : binSize + ENTRY_OVERHEAD;
}

/**
 * Reads the entry whose size field is at `bytes[at]`. `base` is added to offsets in
 * errors (the file offset of `bytes[0]` when `bytes` is a range of the file).
 */
function readEntry(bytes: Uint8Array, at: number, base: number): { vector: DeletionVector; length: number; next: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (at + 4 > bytes.length) throw dataInvalid("deletion vector entry truncated: size needs 4 bytes", { offset: base + at });
  const size = view.getInt32(at, false);
  if (size < 4) throw dataInvalid(`deletion vector size ${size} is too small`, { offset: base + at });
  const binStart = at + 4;
  const binEnd = binStart + size;
  if (binEnd + 4 > bytes.length) {
    throw dataInvalid(`deletion vector of ${size} bytes (plus CRC) runs past the end of the data at ${base + bytes.length}`, {
      offset: base + at,
    });
  }
  const stored = view.getUint32(binEnd, false);
  const actual = crc32(bytes, binStart, binEnd);
  if (stored !== actual) {
    throw dataInvalid(`deletion vector CRC mismatch: stored ${stored}, computed ${actual}`, { offset: base + at, crcOffset: base + binEnd });
  }
  let vector: DeletionVector;
  try {
    vector = decodeDeletionVector(bytes, binStart, binEnd);
  } catch (e) {
    // offsets from the bitmap decoder are indexes into `bytes`; make them file offsets
    if (e instanceof StreamhouseError && typeof e.context["offset"] === "number" && base !== 0) {
      throw new StreamhouseError(e.kind, e.reason, { context: { ...e.context, offset: e.context["offset"] + base }, cause: e.cause });
    }
    throw e;
  }
  return { vector, length: manifestLength(vector, size), next: binEnd + 4 };
}

function checkVersion(bytes: Uint8Array): void {
  if (bytes.length === 0) throw dataInvalid("deletion vector index file is empty", { offset: 0 });
  if (bytes[0] !== DV_INDEX_FILE_VERSION) {
    throw dataInvalid(`deletion vector index file version ${bytes[0]}, expected ${DV_INDEX_FILE_VERSION}`, { offset: 0 });
  }
}

function checkRange(offset: number, length: number, available: number, base: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 4 || offset >= available) {
    throw dataInvalid(`deletion vector range (offset ${base + offset}, length ${length}) is outside the data`, { offset: base + offset });
  }
}

/**
 * Decodes the vector the index manifest places at (`offset`, `length`) in the whole
 * index file `bytes`, checking the version byte, the size against `length`, and
 * the CRC.
 */
export function decodeDeletionVectorAt(bytes: Uint8Array, offset: number, length: number, file?: string): DeletionVector {
  return withErrorContext({ file }, () => {
    checkVersion(bytes);
    if (offset < 1) throw dataInvalid(`deletion vector offset ${offset} points into the header`, { offset });
    checkRange(offset, length, bytes.length, 0);
    return checkedEntry(bytes, offset, length, 0);
  });
}

/**
 * Decodes a vector from `entry`, the bytes of the index file starting at its
 * manifest `offset` (at least the entry; `deletionVectorReadSpan(length)` bytes
 * suffice). For readers that fetch a byte range instead of the whole file.
 */
export function decodeDeletionVectorEntry(entry: Uint8Array, offset: number, length: number, file?: string): DeletionVector {
  return withErrorContext({ file }, () => {
    checkRange(0, length, entry.length, offset);
    return checkedEntry(entry, 0, length, offset);
  });
}

function checkedEntry(bytes: Uint8Array, at: number, length: number, base: number): DeletionVector {
  const { vector, length: actual } = readEntry(bytes, at, base);
  if (actual !== length) {
    throw dataInvalid(`deletion vector length is ${actual} (${vector.kind}), index manifest says ${length}`, { offset: base + at });
  }
  return vector;
}

/** Reads every vector of an index file in order, without the index manifest. */
export function decodeDvIndexFile(bytes: Uint8Array, file?: string): DvIndexEntry[] {
  return withErrorContext({ file }, () => {
    checkVersion(bytes);
    const entries: DvIndexEntry[] = [];
    let at = 1;
    while (at < bytes.length) {
      const { vector, length, next } = readEntry(bytes, at, 0);
      entries.push({ offset: at, length, vector });
      at = next;
    }
    return entries;
  });
}

/**
 * Writes an index file holding `vectors` in the given order (each serialized after
 * run optimization, as Java does) and returns its bytes with the range of every
 * vector for the index manifest. Data file names must be distinct.
 */
export function encodeDvIndexFile(vectors: Iterable<readonly [dataFileName: string, vector: DeletionVector]>): {
  bytes: Uint8Array;
  ranges: DeletionVectorRange[];
} {
  const bins: { name: string; bin: Uint8Array; vector: DeletionVector }[] = [];
  const seen = new Set<string>();
  let total = 1;
  for (const [name, vector] of vectors) {
    if (seen.has(name)) throw new StreamhouseError(ErrorKind.InvalidArgument, `two deletion vectors for data file ${name}`);
    seen.add(name);
    const bin = vector.encode();
    bins.push({ name, bin, vector });
    total += bin.length + ENTRY_OVERHEAD;
    // offsets and lengths are Avro ints in the index manifest
    if (total > INT32_MAX) throw new StreamhouseError(ErrorKind.Unsupported, "deletion vector index file larger than 2 GiB");
  }
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes[0] = DV_INDEX_FILE_VERSION;
  const ranges: DeletionVectorRange[] = [];
  let at = 1;
  for (const { name, bin, vector } of bins) {
    view.setInt32(at, bin.length, false);
    bytes.set(bin, at + 4);
    view.setUint32(at + 4 + bin.length, crc32(bin), false);
    ranges.push({ dataFileName: name, offset: at, length: manifestLength(vector, bin.length), cardinality: vector.cardinality });
    at += bin.length + ENTRY_OVERHEAD;
  }
  return { bytes, ranges };
}
