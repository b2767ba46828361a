/**
 * Row comparators as Paimon generates them (`CodeGeneratorImpl.generateRecordComparator`,
 * release 2.0.0): the chosen fields in order, each with the value order of
 * compare-values.ts, nulls first. A descending order negates only the comparison of
 * two non-null values — a null stays below every value in both directions, because
 * Paimon builds every sort spec with `nullIsLast = false`.
 */
import type { DataType, Row } from "@streamhouse/format";
import { type ValueComparator, valueComparator } from "./compare-values.js";

export type RecordComparator = (a: Row, b: Row) => number;

/** Compares rows by `fields` (positions into rows whose types are `types`). */
export function createRecordComparator(types: readonly DataType[], fields: readonly number[], ascending = true): RecordComparator {
  const indexes = fields.map((index) => {
    if (types[index] === undefined) throw new RangeError(`comparator field ${index} is outside a row of ${types.length} fields`);
    return index;
  });
  const compares = indexes.map((index) => valueComparator(types[index]!));
  const direction = ascending ? 1 : -1;
  // The common primary key of one column gets a comparator without the field loop:
  // key comparisons dominate sorting the write buffer.
  if (indexes.length === 1) return singleFieldComparator(indexes[0]!, compares[0]!, direction);
  const n = indexes.length;
  return (a, b) => {
    for (let k = 0; k < n; k++) {
      const index = indexes[k]!;
      const x = a[index] ?? null;
      const y = b[index] ?? null;
      if (x === null) {
        if (y === null) continue;
        return -1;
      }
      if (y === null) return 1;
      const c = compares[k]!(x, y);
      if (c !== 0) return direction * c;
    }
    return 0;
  };
}

function singleFieldComparator(index: number, compare: ValueComparator, direction: number): RecordComparator {
  return (a, b) => {
    const x = a[index] ?? null;
    const y = b[index] ?? null;
    if (x === null) return y === null ? 0 : -1;
    if (y === null) return 1;
    const c = compare(x, y);
    return c === 0 ? 0 : direction * c;
  };
}

/**
 * The key comparator of a primary-key table: every field of the (trimmed) key row,
 * ascending, nulls first (`CodeGenUtils.newRecordComparator` over the key type).
 */
export function createKeyComparator(keyTypes: readonly DataType[]): RecordComparator {
  return createRecordComparator(
    keyTypes,
    keyTypes.map((_, i) => i),
    true,
  );
}
