/**
 * Decoding serialized BinaryRows (big-endian int32 arity + row bytes, see
 * binary-row-layout.ts) into rows of values. All checks happen here or in
 * BinarySectionReader; corrupt input yields DataInvalid with the byte `offset`.
 */
import type { ErrorContext } from "../errors.js";
import { dataInvalid } from "../errors.js";
import type { DataType } from "../types/data-type.js";
import type { Value } from "../types/values.js";
import { ARITY_PREFIX_BYTES, fixedPartSize, MAX_ARITY } from "./binary-row-layout.js";
import { BinarySectionReader } from "./binary-section-reader.js";
import { rowPlanFor } from "./field-plan.js";
import { type RowKind, rowKindFromByte } from "./row-kind.js";

/** The arity prefix of a serialized BinaryRow, checked against the bytes that follow it. */
export function binaryRowArity(bytes: Uint8Array, context?: ErrorContext): number {
  if (bytes.length < ARITY_PREFIX_BYTES) {
    throw dataInvalid(`serialized BinaryRow of ${bytes.length} bytes has no arity prefix`, { ...context, offset: 0 });
  }
  const arity = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) | 0;
  if (arity < 0 || arity > MAX_ARITY) throw dataInvalid(`invalid BinaryRow arity ${arity}`, { ...context, offset: 0 });
  const size = bytes.length - ARITY_PREFIX_BYTES;
  if (size < fixedPartSize(arity)) {
    throw dataInvalid(`BinaryRow of arity ${arity} needs ${fixedPartSize(arity)} bytes, has ${size}`, {
      ...context,
      offset: ARITY_PREFIX_BYTES,
    });
  }
  return arity;
}

/** The row kind in the header byte of a serialized BinaryRow. */
export function binaryRowRowKind(bytes: Uint8Array, context?: ErrorContext): RowKind {
  binaryRowArity(bytes, context);
  return rowKindFromByte(bytes[ARITY_PREFIX_BYTES]!, ARITY_PREFIX_BYTES);
}

/**
 * Decodes a serialized BinaryRow whose fields have types `types`. The arity prefix must
 * equal `types.length`. `context` (e.g. `{ file }`) is added to any error.
 */
export function decodeBinaryRow(types: readonly DataType[], bytes: Uint8Array, context?: ErrorContext): (Value | null)[] {
  const arity = binaryRowArity(bytes, context);
  if (arity !== types.length) {
    throw dataInvalid(`BinaryRow has ${arity} fields, expected ${types.length}`, { ...context, offset: 0 });
  }
  const plan = rowPlanFor(types);
  return new BinarySectionReader(bytes, context).readRow(plan, ARITY_PREFIX_BYTES, bytes.length - ARITY_PREFIX_BYTES);
}
