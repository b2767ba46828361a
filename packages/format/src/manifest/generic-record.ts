/**
 * The format-neutral "generic record" that manifest rows pass through between a file
 * reader (Avro here, ORC elsewhere) and the typed models: a plain object keyed by field
 * name, with
 *   int/tinyint/smallint → number, long → bigint, string → string, bytes → Uint8Array,
 *   array → array, nested row → plain object, absent or null → null,
 *   timestamp-millis → bigint milliseconds.
 * Fields are looked up by NAME, as Java Paimon does, so files written by older releases
 * (fewer fields) and newer ones (extra fields) map alike. The accessors below check each
 * value's type and name the field in the error, so a wrong value never passes silently.
 */
import { dataInvalid } from "../errors.js";

export type GenericRecord = Readonly<Record<string, unknown>>;

function describe(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function wrong(field: string, expected: string, v: unknown): Error {
  return dataInvalid(`manifest field ${field}: expected ${expected}, got ${describe(v)}`, { field });
}

export function asRecord(v: unknown, field: string): GenericRecord {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Uint8Array) throw wrong(field, "a record", v);
  return v as GenericRecord;
}

export function reqString(rec: GenericRecord, field: string): string {
  const v = rec[field];
  if (typeof v !== "string") throw wrong(field, "string", v);
  return v;
}

export function optString(rec: GenericRecord, field: string): string | null {
  const v = rec[field];
  return v === null || v === undefined ? null : reqString(rec, field);
}

/** 32-bit ints; a bigint in range is accepted too (an ORC reader may widen). */
export function reqInt(rec: GenericRecord, field: string): number {
  const v = rec[field];
  if (typeof v === "number" && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  if (typeof v === "bigint" && v >= -0x80000000n && v <= 0x7fffffffn) return Number(v);
  throw wrong(field, "int", v);
}

export function optInt(rec: GenericRecord, field: string): number | null {
  const v = rec[field];
  return v === null || v === undefined ? null : reqInt(rec, field);
}

/** 64-bit longs as bigint; an integral number is accepted and widened. */
export function reqLong(rec: GenericRecord, field: string): bigint {
  const v = rec[field];
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw wrong(field, "long", v);
}

export function optLong(rec: GenericRecord, field: string): bigint | null {
  const v = rec[field];
  return v === null || v === undefined ? null : reqLong(rec, field);
}

export function reqBytes(rec: GenericRecord, field: string): Uint8Array {
  const v = rec[field];
  if (!(v instanceof Uint8Array)) throw wrong(field, "bytes", v);
  return v;
}

export function optBytes(rec: GenericRecord, field: string): Uint8Array | null {
  const v = rec[field];
  return v === null || v === undefined ? null : reqBytes(rec, field);
}

export function reqArray(rec: GenericRecord, field: string): readonly unknown[] {
  const v = rec[field];
  if (!Array.isArray(v)) throw wrong(field, "array", v);
  return v;
}

export function reqStringArray(rec: GenericRecord, field: string): string[] {
  const arr = reqArray(rec, field);
  for (const s of arr) if (typeof s !== "string") throw wrong(`${field}[]`, "string", s);
  return arr as string[];
}

export function optStringArray(rec: GenericRecord, field: string): string[] | null {
  const v = rec[field];
  return v === null || v === undefined ? null : reqStringArray(rec, field);
}

export function reqNested(rec: GenericRecord, field: string): GenericRecord {
  return asRecord(rec[field], field);
}

/** Checks the `_VERSION` a versioned Paimon serializer wrote (absent in ORC-less callers → accepted). */
export function checkVersion(rec: GenericRecord, expected: number, what: string): void {
  const v = rec["_VERSION"];
  if (v === undefined || v === null) return;
  if (v !== expected) throw dataInvalid(`${what}: unsupported _VERSION ${String(v)} (expected ${expected})`, { field: "_VERSION" });
}

/** `["null", array<["null", long]>]`, e.g. SimpleStats._NULL_COUNTS. */
export function optNullableLongArray(rec: GenericRecord, field: string): (bigint | null)[] | null {
  const v = rec[field];
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw wrong(field, "array", v);
  return v.map((x) => {
    if (x === null || x === undefined) return null;
    if (typeof x === "bigint") return x;
    if (typeof x === "number" && Number.isSafeInteger(x)) return BigInt(x);
    throw wrong(`${field}[]`, "long", x);
  });
}

/** array<int>, e.g. GlobalIndexMeta._EXTRA_FIELD_IDS. */
export function optIntArray(rec: GenericRecord, field: string): number[] | null {
  const v = rec[field];
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw wrong(field, "array", v);
  return v.map((x) => reqInt({ [field]: x }, field));
}
