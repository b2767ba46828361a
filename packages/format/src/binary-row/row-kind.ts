/**
 * The change a row describes, stored in byte 0 of every BinaryRow (the header byte).
 *
 * Mirrors `org.apache.paimon.types.RowKind` (Paimon 2.0.0): the byte values and the
 * short strings are part of the format — `_VALUE_KIND` in primary-key data files holds
 * the same byte values. Rows that are keys, partitions or statistics always carry 0.
 */
import { dataInvalid } from "../errors.js";

export const RowKind = {
  /** `+I`: an inserted row. */
  INSERT: 0,
  /** `-U`: the old content of an updated row, retracted before its `+U`. */
  UPDATE_BEFORE: 1,
  /** `+U`: the new content of an updated row. */
  UPDATE_AFTER: 2,
  /** `-D`: a deleted row. */
  DELETE: 3,
} as const;

export type RowKind = (typeof RowKind)[keyof typeof RowKind];

export type RowKindShortString = "+I" | "-U" | "+U" | "-D";

const SHORT_STRINGS: readonly RowKindShortString[] = ["+I", "-U", "+U", "-D"];

export function isRowKind(value: number): value is RowKind {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/** Validates a header byte (or `_VALUE_KIND` value); anything but 0..3 is corrupt data. */
export function rowKindFromByte(value: number, offset = 0): RowKind {
  if (!isRowKind(value)) throw dataInvalid(`invalid row kind byte ${value}`, { offset });
  return value;
}

export function rowKindToShortString(kind: RowKind): RowKindShortString {
  return SHORT_STRINGS[kind] as RowKindShortString;
}

export function rowKindFromShortString(text: string): RowKind {
  const i = SHORT_STRINGS.indexOf(text as RowKindShortString);
  if (i < 0) throw dataInvalid(`invalid row kind "${text}" (expected +I, -U, +U or -D)`);
  return i as RowKind;
}
