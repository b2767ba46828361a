/**
 * Which bucket a row goes to in a fixed-bucket table (`bucket` = n > 0), from its bucket
 * key: the `bucket-key` fields, else the trimmed primary key (PK minus partition fields).
 *
 * Mirrors Paimon 2.0.0 `bucket.DefaultBucketFunction` and `bucket.ModBucketFunction`
 * (`bucket-function.type` = `default` | `mod`). Both take the bucket key as a BinaryRow
 * with row kind +I; here that is the serialized form (int32 BE arity + row bytes), as
 * produced by `encodeBinaryRow`.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";
import { ARITY_PREFIX_BYTES } from "../binary-row/binary-row-layout.js";
import { binaryRowArity } from "../binary-row/binary-row-reader.js";
import { encodeBinaryRow } from "../binary-row/binary-row-writer.js";
import type { DataType } from "../types/data-type.js";
import type { Row } from "../types/values.js";
import { murmur3Words } from "./murmur3.js";

export type BucketFunctionType = "default" | "mod" | "hive";

/** `(serializedKeyRow, numBuckets) => bucket` */
export type BucketFunction = (serializedKeyRow: Uint8Array, numBuckets: number) => number;

/** Java `BinaryRow.hashCode()`: murmur3 (seed 42) over the row bytes — header included, arity prefix not. */
export function binaryRowHash(serializedRow: Uint8Array): number {
  binaryRowArity(serializedRow);
  return murmur3Words(serializedRow, ARITY_PREFIX_BYTES, serializedRow.length - ARITY_PREFIX_BYTES);
}

/** `default` bucket function: `Math.abs(hash % numBuckets)` with Java's truncating int `%`. */
export function bucketOf(serializedKeyRow: Uint8Array, numBuckets: number): number {
  checkNumBuckets(numBuckets);
  return Math.abs(binaryRowHash(serializedKeyRow) % numBuckets);
}

/**
 * `mod` bucket function: `Math.floorMod(key, numBuckets)` of the single INT or BIGINT key
 * field. Like Java it reads the slot without looking at the null flag, so a null key
 * (a zeroed slot) goes to bucket 0.
 */
export function modBucketOf(keyType: DataType, serializedKeyRow: Uint8Array, numBuckets: number): number {
  checkNumBuckets(numBuckets);
  checkModKeyType([keyType]);
  if (binaryRowArity(serializedKeyRow) !== 1) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "mod bucket function needs a bucket key of exactly one field");
  }
  // Single field: 8 bytes of header + null bits, then slot 0.
  const view = new DataView(serializedKeyRow.buffer, serializedKeyRow.byteOffset, serializedKeyRow.byteLength);
  const slot = ARITY_PREFIX_BYTES + 8;
  if (keyType.root === "INT") {
    const r = view.getInt32(slot, true) % numBuckets;
    return r < 0 ? r + numBuckets : r;
  }
  const n = BigInt(numBuckets);
  const r = view.getBigInt64(slot, true) % n;
  return Number(r < 0n ? r + n : r);
}

/** The bucket function a table's `bucket-function.type` selects, for bucket keys of `keyTypes`. */
export function createBucketFunction(type: BucketFunctionType, keyTypes: readonly DataType[]): BucketFunction {
  switch (type) {
    case "default":
      return bucketOf;
    case "mod": {
      checkModKeyType(keyTypes);
      const keyType = keyTypes[0] as DataType;
      return (row, numBuckets) => modBucketOf(keyType, row, numBuckets);
    }
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `bucket-function.type "${type}" is not supported`);
  }
}

/** Encodes the bucket-key `values` (types `keyTypes`) as a +I BinaryRow and returns its bucket. */
export function bucketForKey(
  keyTypes: readonly DataType[],
  values: Row,
  numBuckets: number,
  type: BucketFunctionType = "default",
): number {
  const row = encodeBinaryRow(keyTypes, values);
  return type === "default" ? bucketOf(row, numBuckets) : createBucketFunction(type, keyTypes)(row, numBuckets);
}

function checkNumBuckets(numBuckets: number): void {
  if (!Number.isInteger(numBuckets) || numBuckets <= 0 || numBuckets > 0x7fffffff) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `bucket count must be a positive int, got ${numBuckets}`);
  }
}

function checkModKeyType(keyTypes: readonly DataType[]): void {
  const t = keyTypes[0];
  if (keyTypes.length !== 1 || t === undefined || (t.root !== "INT" && t.root !== "BIGINT")) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "mod bucket function needs a single INT or BIGINT bucket key");
  }
}
