/**
 * Checks rows a caller hands to a writer against the table schema and turns them into
 * Streamhouse values (values.ts) — before anything is buffered or written, so a bad row
 * never leaves a partial file behind. Every failure is a SchemaMismatch naming the
 * column and the row's position in the call.
 *
 * Input rows are objects keyed by column name (missing columns are null, unknown ones
 * are refused) or arrays by column position (exactly one value per column). Besides
 * the internal forms, these are accepted: a safe-integer number for BIGINT; a decimal
 * string or finite number for DECIMAL; a `Date` or ISO-8601 string for TIMESTAMP; an
 * ISO date string for DATE; a JS `Map` for MAP; an object by field name for ROW.
 * Timestamps lose the digits the file cannot store (nanos for p ≤ 3, below micros for p ≤ 6).
 * Primary-key columns may never be null, whatever their declared type.
 */
import {
  type DataField,
  type DataType,
  Dates,
  type Decimal,
  Decimals,
  ErrorKind,
  type Row,
  StreamhouseError,
  type Timestamp,
  Timestamps,
  type Value,
} from "@streamhouse/format";

export type InputRow = Readonly<Record<string, unknown>> | readonly unknown[];

class Mismatch extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export class RowNormalizer {
  private readonly index: ReadonlyMap<string, number>;
  private readonly required: readonly boolean[];

  constructor(
    readonly fields: readonly DataField[],
    primaryKeys: readonly string[] = [],
  ) {
    this.index = new Map(fields.map((f, i) => [f.name, i]));
    this.required = fields.map((f) => !f.type.nullable || primaryKeys.includes(f.name));
  }

  /** The row as values by field position; throws SchemaMismatch naming `rowIndex`. */
  normalize(input: InputRow, rowIndex: number): Row {
    const fields = this.fields;
    const out: (Value | null)[] = new Array(fields.length);
    if (Array.isArray(input)) {
      if (input.length !== fields.length) {
        throw mismatch(`row ${rowIndex} has ${input.length} values, the table has ${fields.length} columns`, rowIndex, undefined);
      }
      for (let i = 0; i < fields.length; i++) out[i] = this.value(i, input[i], rowIndex);
      return out;
    }
    if (input === null || typeof input !== "object") throw mismatch(`row ${rowIndex} is not an object or an array`, rowIndex, undefined);
    const obj = input as Readonly<Record<string, unknown>>;
    for (const k in obj) {
      if (!this.index.has(k) && obj[k] !== undefined) throw mismatch(`row ${rowIndex} has unknown column "${k}"`, rowIndex, k);
    }
    for (let i = 0; i < fields.length; i++) out[i] = this.value(i, obj[fields[i]!.name], rowIndex);
    return out;
  }

  private value(i: number, raw: unknown, rowIndex: number): Value | null {
    const f = this.fields[i]!;
    if (raw === null || raw === undefined) {
      if (this.required[i]) throw mismatch(`row ${rowIndex}: column "${f.name}" must not be null`, rowIndex, f.name);
      return null;
    }
    try {
      return convert(f.type, raw, f.name);
    } catch (e) {
      if (e instanceof Mismatch) throw mismatch(`row ${rowIndex}: ${e.message}`, rowIndex, e.path);
      throw e;
    }
  }
}

function mismatch(message: string, row: number, column: string | undefined): StreamhouseError {
  return new StreamhouseError(ErrorKind.SchemaMismatch, message, { context: { row, column } });
}

function fail(path: string, type: string, raw: unknown): never {
  const shown = typeof raw === "string" ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw) : typeof raw === "bigint" ? `${raw}n` : typeof raw === "object" ? (Array.isArray(raw) ? "an array" : "an object") : String(raw);
  throw new Mismatch(path, `column "${path}" expects ${type}, got ${shown}`);
}

const INT_RANGES = { TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INT: [-2147483648, 2147483647] } as const;
const MILLIS_PER_DAY = 86_400_000;

/** Converts a non-null input value to `type`'s internal form. */
export function convert(type: DataType, raw: unknown, path: string): Value {
  switch (type.root) {
    case "BOOLEAN":
      if (typeof raw !== "boolean") fail(path, "BOOLEAN", raw);
      return raw;
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const [lo, hi] = INT_RANGES[type.root];
      const n = typeof raw === "bigint" ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isInteger(n) || n < lo || n > hi) fail(path, type.root, raw);
      return n;
    }
    case "BIGINT":
      if (typeof raw === "bigint") {
        if (BigInt.asIntN(64, raw) !== raw) fail(path, "BIGINT", raw);
        return raw;
      }
      if (typeof raw === "number" && Number.isSafeInteger(raw)) return BigInt(raw);
      return fail(path, "BIGINT", raw);
    case "FLOAT":
      if (typeof raw !== "number") fail(path, "FLOAT", raw);
      return Math.fround(raw);
    case "DOUBLE":
      if (typeof raw !== "number") fail(path, "DOUBLE", raw);
      return raw;
    case "DATE":
      if (typeof raw === "number" && Number.isInteger(raw)) return raw;
      if (typeof raw === "string") return attempt(path, "DATE", raw, () => Dates.parse(raw));
      return fail(path, "DATE", raw);
    case "TIME":
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw >= MILLIS_PER_DAY) fail(path, "TIME (milliseconds of the day)", raw);
      return raw;
    case "CHAR":
    case "VARCHAR":
      if (typeof raw !== "string") fail(path, "a string", raw);
      return raw;
    case "BINARY":
    case "VARBINARY":
      if (!(raw instanceof Uint8Array)) fail(path, "bytes (Uint8Array)", raw);
      return raw;
    case "DECIMAL":
      return decimal(type.precision, type.scale, raw, path);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return truncateTimestamp(timestamp(raw, path), type.precision);
    case "ARRAY": {
      if (!Array.isArray(raw)) fail(path, "an array", raw);
      return raw.map((e, i) => element(type.element, e, `${path}[${i}]`));
    }
    case "MULTISET":
    case "MAP": {
      const entries = raw instanceof Map ? [...raw.entries()] : raw;
      if (!Array.isArray(entries)) fail(path, type.root === "MAP" ? "a Map or [key, value] pairs" : "[element, count] pairs", raw);
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      return entries.map((pair: unknown, i: number) => {
        if (!Array.isArray(pair) || pair.length !== 2) fail(`${path}[${i}]`, "a [key, value] pair", pair);
        if (pair[0] === null || pair[0] === undefined) throw new Mismatch(path, `column "${path}" has a null map key`);
        return [convert(keyType, pair[0], `${path}[${i}].key`), element(valueType, pair[1], `${path}[${i}].value`)] as const;
      });
    }
    case "ROW": {
      const fields = type.fields;
      if (Array.isArray(raw)) {
        if (raw.length !== fields.length) fail(path, `a row of ${fields.length} fields`, raw);
        return fields.map((f, i) => element(f.type, raw[i], `${path}.${f.name}`));
      }
      if (typeof raw !== "object") fail(path, "a row (array or object)", raw);
      const obj = raw as Record<string, unknown>;
      for (const k in obj) if (!fields.some((f) => f.name === k)) throw new Mismatch(`${path}.${k}`, `column "${path}" has no field "${k}"`);
      return fields.map((f) => element(f.type, obj[f.name], `${path}.${f.name}`));
    }
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `writing ${type.root} values is not supported yet`, { context: { column: path } });
  }
}

function element(type: DataType, raw: unknown, path: string): Value | null {
  if (raw === null || raw === undefined) {
    if (!type.nullable) throw new Mismatch(path, `column "${path}" must not be null`);
    return null;
  }
  return convert(type, raw, path);
}

function attempt<T>(path: string, type: string, raw: unknown, fn: () => T): T {
  try {
    return fn();
  } catch {
    return fail(path, type, raw);
  }
}

function decimal(precision: number, scale: number, raw: unknown, path: string): Decimal {
  const type = `DECIMAL(${precision}, ${scale})`;
  if (typeof raw === "string") return attempt(path, type, raw, () => Decimals.parse(raw, precision, scale));
  if (typeof raw === "number" && Number.isFinite(raw)) return attempt(path, type, raw, () => Decimals.parse(String(raw), precision, scale));
  if (typeof raw === "object" && raw !== null && typeof (raw as Decimal).unscaled === "bigint" && typeof (raw as Decimal).scale === "number") {
    const d = raw as Decimal;
    let unscaled = d.unscaled;
    if (d.scale < scale) unscaled *= 10n ** BigInt(scale - d.scale);
    else if (d.scale > scale) {
      const factor = 10n ** BigInt(d.scale - scale);
      if (unscaled % factor !== 0n) fail(path, `${type} (no rounding)`, Decimals.toString(d));
      unscaled /= factor;
    }
    const out = { unscaled, precision, scale };
    if (!Decimals.fits(out)) fail(path, type, Decimals.toString(d));
    return out;
  }
  return fail(path, type, raw);
}

function timestamp(raw: unknown, path: string): Timestamp {
  if (raw instanceof Date) {
    const ms = raw.getTime();
    if (Number.isNaN(ms)) fail(path, "TIMESTAMP", raw);
    return { millis: ms, nanoOfMillis: 0 };
  }
  if (typeof raw === "string") return attempt(path, "TIMESTAMP", raw, () => Timestamps.parse(raw));
  if (typeof raw === "object" && raw !== null) {
    const t = raw as Timestamp;
    if (Number.isSafeInteger(t.millis) && Number.isInteger(t.nanoOfMillis) && t.nanoOfMillis >= 0 && t.nanoOfMillis < 1_000_000) {
      return { millis: t.millis, nanoOfMillis: t.nanoOfMillis };
    }
  }
  return fail(path, "TIMESTAMP ({millis, nanoOfMillis}, Date or ISO string)", raw);
}

/** Drops what the file cannot hold: nanos for p ≤ 3 (millis), below micros for p ≤ 6 (as Java's writer does). */
function truncateTimestamp(t: Timestamp, precision: number): Timestamp {
  if (precision > 6 || t.nanoOfMillis === 0) return t;
  if (precision <= 3) return { millis: t.millis, nanoOfMillis: 0 };
  return { millis: t.millis, nanoOfMillis: t.nanoOfMillis - (t.nanoOfMillis % 1000) };
}
