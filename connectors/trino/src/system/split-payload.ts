/**
 * The JSON objects system-table splits travel as. Every split names its table kind;
 * ids are decimal strings (JSON has no 64-bit integers). A split comes back from
 * outside (Trino hands it to another call), so decoding checks every field and
 * reports a malformed one as InvalidArgument.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { SystemTableKind } from "./system-tables.js";

/** Ids from one to another, both inclusive. */
export interface IdRangeSplit {
  readonly kind: SystemTableKind;
  readonly from: string;
  readonly to: string;
}

export function idRangeSplit(kind: SystemTableKind, from: number, to: number): IdRangeSplit {
  return { kind, from: String(from), to: String(to) };
}

export function badSplit(kind: SystemTableKind, message: string, split: unknown): StreamhouseError {
  let text: string;
  try {
    text = JSON.stringify(split) ?? String(split);
  } catch {
    text = String(split);
  }
  return new StreamhouseError(ErrorKind.InvalidArgument, `not a ${kind} split: ${message}`, { context: { split: text.slice(0, 200) } });
}

/** The fields of `split` after checking it is an object of this kind. */
export function splitFields(kind: SystemTableKind, split: unknown): Readonly<Record<string, unknown>> {
  if (split === null || typeof split !== "object" || Array.isArray(split)) throw badSplit(kind, "expected an object", split);
  const fields = split as Record<string, unknown>;
  if (fields["kind"] !== kind) throw badSplit(kind, `its kind is ${JSON.stringify(fields["kind"])}`, split);
  return fields;
}

/** A non-negative id held as a decimal string. */
export function splitId(kind: SystemTableKind, split: unknown, fields: Readonly<Record<string, unknown>>, key: string): number {
  const text = fields[key];
  if (typeof text !== "string" || !/^\d{1,15}$/.test(text)) throw badSplit(kind, `"${key}" must be an id as a decimal string`, split);
  return Number(text);
}

/** Decodes a split made by `idRangeSplit`. */
export function decodeIdRangeSplit(kind: SystemTableKind, split: unknown): { readonly from: number; readonly to: number } {
  const fields = splitFields(kind, split);
  const from = splitId(kind, split, fields, "from");
  const to = splitId(kind, split, fields, "to");
  if (from > to) throw badSplit(kind, `"from" ${from} is after "to" ${to}`, split);
  return { from, to };
}
