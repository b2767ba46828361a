/**
 * The format-neutral "generic record" that manifest rows pass through between a file
 * reader (Avro here, ORC elsewhere) and the typed models: a plain object keyed by field
 * name, with
 *   int/tinyint/smallint → number, long → bigint, string → string, bytes → Uint8Array,
 *   array → array, nested row → plain object, absent or null → null,
 *   timestamp-millis → bigint milliseconds.
 * Fields are looked up by NAME, as Java Paimon does, so files written by older releases
 * (fewer fields) and newer ones (extra fields) map alike. The checks below take each
 * value's type and name the field in the error, so a wrong value never passes silently.
 *
 * Each typed model is built by one `…FromValues(values)` function over its fields'
 * values in schema order: the Avro reader feeds it straight from the bytes (matching
 * fields by name as it resolves the writer schema), and `…FromRecord` feeds it from a
 * generic record through `valuesOf`. The `…Value` checks serve the former, the
 * `req…`/`opt…` accessors (same checks, by field name) the latter.
 */
import { dataInvalid, type StreamhouseError } from "../errors.js";

export type GenericRecord = Readonly<Record<string, unknown>>;

function describe(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function wrongValue(field: string, expected: string, v: unknown): StreamhouseError {
  return dataInvalid(`manifest field ${field}: expected ${expected}, got ${describe(v)}`, { field });
}

/** The values of `fields` in `rec`, in order: the input of the `…FromValues` builders. */
export function valuesOf(rec: GenericRecord, fields: readonly string[]): unknown[] {
  return fields.map((f) => rec[f]);
}

// Checks on one value.

export function stringValue(v: unknown, field: string): string {
  if (typeof v !== "string") throw wrongValue(field, "string", v);
  return v;
}

export function optStringValue(v: unknown, field: string): string | null {
  return v === null || v === undefined ? null : stringValue(v, field);
}

/** 32-bit ints; a bigint in range is accepted too (an ORC reader may widen). */
export function intValue(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  if (typeof v === "bigint" && v >= -0x80000000n && v <= 0x7fffffffn) return Number(v);
  throw wrongValue(field, "int", v);
}

export function optIntValue(v: unknown, field: string): number | null {
  return v === null || v === undefined ? null : intValue(v, field);
}

/** 64-bit longs as bigint; an integral number is accepted and widened. */
export function longValue(v: unknown, field: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw wrongValue(field, "long", v);
}

export function optLongValue(v: unknown, field: string): bigint | null {
  return v === null || v === undefined ? null : longValue(v, field);
}

export function bytesValue(v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw wrongValue(field, "bytes", v);
  return v;
}

export function optBytesValue(v: unknown, field: string): Uint8Array | null {
  return v === null || v === undefined ? null : bytesValue(v, field);
}

export function arrayValue(v: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(v)) throw wrongValue(field, "array", v);
  return v;
}

/**
 * Every empty array of a typed model is this one frozen instance: most rows have empty
 * `_EXTRA_FILES`, and value stats without columns an empty `_NULL_COUNTS`, so decoded
 * manifests keep one array instead of one per row.
 */
const EMPTY: readonly never[] = Object.freeze([]);

export function stringArrayValue(v: unknown, field: string): readonly string[] {
  const arr = arrayValue(v, field);
  if (arr.length === 0) return EMPTY;
  for (let i = 0; i < arr.length; i++) if (typeof arr[i] !== "string") throw wrongValue(`${field}[]`, "string", arr[i]);
  return arr as string[];
}

export function optStringArrayValue(v: unknown, field: string): readonly string[] | null {
  return v === null || v === undefined ? null : stringArrayValue(v, field);
}

/** `["null", array<["null", long]>]`, e.g. SimpleStats._NULL_COUNTS. The array is reused when it already holds only bigints and nulls. */
export function optNullableLongArrayValue(v: unknown, field: string): readonly (bigint | null)[] | null {
  if (v === null || v === undefined) return null;
  const arr = arrayValue(v, field);
  if (arr.length === 0) return EMPTY;
  let exact = true;
  for (let i = 0; i < arr.length && exact; i++) exact = arr[i] === null || typeof arr[i] === "bigint";
  if (exact) return arr as (bigint | null)[];
  return arr.map((x) => {
    if (x === null || x === undefined) return null;
    if (typeof x === "bigint") return x;
    if (typeof x === "number" && Number.isSafeInteger(x)) return BigInt(x);
    throw wrongValue(`${field}[]`, "long", x);
  });
}

/** A nested model, already built (the builders build nested records first); null is refused. */
export function builtValue<T>(v: unknown, field: string): T {
  if (v === null || v === undefined) throw wrongValue(field, "a record", v);
  return v as T;
}

/** Checks the `_VERSION` a versioned Paimon serializer wrote (absent → accepted). */
export function checkVersionValue(v: unknown, expected: number, what: string): void {
  if (v === undefined || v === null) return;
  if (v !== expected) throw dataInvalid(`${what}: unsupported _VERSION ${String(v)} (expected ${expected})`, { field: "_VERSION" });
}

// The same checks, on a field of a generic record.

export function asRecord(v: unknown, field: string): GenericRecord {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Uint8Array) throw wrongValue(field, "a record", v);
  return v as GenericRecord;
}

export const reqString = (rec: GenericRecord, field: string): string => stringValue(rec[field], field);
export const optString = (rec: GenericRecord, field: string): string | null => optStringValue(rec[field], field);
export const reqInt = (rec: GenericRecord, field: string): number => intValue(rec[field], field);
export const optInt = (rec: GenericRecord, field: string): number | null => optIntValue(rec[field], field);
export const reqLong = (rec: GenericRecord, field: string): bigint => longValue(rec[field], field);
export const optLong = (rec: GenericRecord, field: string): bigint | null => optLongValue(rec[field], field);
export const reqBytes = (rec: GenericRecord, field: string): Uint8Array => bytesValue(rec[field], field);
export const optBytes = (rec: GenericRecord, field: string): Uint8Array | null => optBytesValue(rec[field], field);
export const reqArray = (rec: GenericRecord, field: string): readonly unknown[] => arrayValue(rec[field], field);
export const reqStringArray = (rec: GenericRecord, field: string): readonly string[] => stringArrayValue(rec[field], field);
export const optStringArray = (rec: GenericRecord, field: string): readonly string[] | null => optStringArrayValue(rec[field], field);
export const reqNested = (rec: GenericRecord, field: string): GenericRecord => asRecord(rec[field], field);
export const optNullableLongArray = (rec: GenericRecord, field: string): readonly (bigint | null)[] | null => optNullableLongArrayValue(rec[field], field);
export const checkVersion = (rec: GenericRecord, expected: number, what: string): void => checkVersionValue(rec["_VERSION"], expected, what);

/** A nested generic record mapped by `map`, or null when absent (the builder then decides). */
export function nestedOrNull<T>(rec: GenericRecord, field: string, map: (r: GenericRecord) => T): T | null {
  const v = rec[field];
  return v === null || v === undefined ? null : map(asRecord(v, field));
}

/** array<int>, e.g. GlobalIndexMeta._EXTRA_FIELD_IDS. */
export function optIntArray(rec: GenericRecord, field: string): number[] | null {
  const v = rec[field];
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw wrongValue(field, "array", v);
  return v.map((x) => intValue(x, field));
}
