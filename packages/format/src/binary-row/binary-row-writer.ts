/**
 * Encoding rows as Paimon BinaryRows in their serialized form: a big-endian int32 arity
 * followed by the row bytes — what Java's `SerializationUtils.serializeBinaryRow` stores
 * in manifests (`_PARTITION`, `_MIN_KEY`, `_MAX_KEY`, stats `_MIN_VALUES`/`_MAX_VALUES`).
 *
 * Nullability in the type is not enforced: Java writes nulls into NOT NULL columns of
 * statistics rows (e.g. when stats are disabled), and so must we.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";
import type { DataType } from "../types/data-type.js";
import type { Row } from "../types/values.js";
import { ARITY_PREFIX_BYTES } from "./binary-row-layout.js";
import { BinarySectionWriter } from "./binary-section-writer.js";
import { type RowPlan, rowPlanFor } from "./field-plan.js";
import { isRowKind, type RowKind } from "./row-kind.js";

/**
 * A reusable encoder for rows of one schema: one growing buffer, no per-field
 * allocation for fixed-size fields and short strings. Not safe to share across
 * concurrent async tasks that interleave `write` and the use of its result.
 */
export class BinaryRowWriter {
  private readonly plan: RowPlan;
  private readonly out = new BinarySectionWriter();

  /**
   * With `reserveNullVariableParts: false` a null non-compact DECIMAL/TIMESTAMP only
   * zeroes its slot, as Java's `setNullAt` does; by default it reserves its bytes as
   * Java's serializers do (the form bucket hashing needs). See BinarySectionWriter.
   */
  constructor(types: readonly DataType[], options: { readonly reserveNullVariableParts?: boolean } = {}) {
    this.plan = rowPlanFor(types);
    this.out.reserveNullVariableParts = options.reserveNullVariableParts ?? true;
  }

  /**
   * Encodes `row` and returns a view of the serialized form in the writer's buffer,
   * valid only until the next call. Use `encode` for bytes you keep.
   */
  write(row: Row, rowKind: RowKind = 0): Uint8Array {
    if (!isRowKind(rowKind)) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid row kind ${String(rowKind)}`);
    }
    const out = this.out;
    out.end = 0;
    out.ensure(ARITY_PREFIX_BYTES);
    out.view.setInt32(0, this.plan.arity, false);
    out.end = ARITY_PREFIX_BYTES;
    const size = out.writeRow(this.plan, row, rowKind);
    return out.buf.subarray(0, ARITY_PREFIX_BYTES + size);
  }

  /** Encodes `row` into a new array holding the serialized form. */
  encode(row: Row, rowKind: RowKind = 0): Uint8Array {
    return this.write(row, rowKind).slice();
  }
}

const writers = new WeakMap<readonly DataType[], BinaryRowWriter>();

/**
 * Serialized BinaryRow of `row` with field types `types`. Reuses an encoder per `types`
 * array object, so pass the same array for every row of a schema.
 */
export function encodeBinaryRow(types: readonly DataType[], row: Row, rowKind: RowKind = 0): Uint8Array {
  let w = writers.get(types);
  if (w === undefined) {
    w = new BinaryRowWriter(types);
    writers.set(types, w);
  }
  return w.encode(row, rowKind);
}
