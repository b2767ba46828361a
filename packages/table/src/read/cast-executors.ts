/**
 * Casting atomic values when a column's type was altered after a file was written
 * (the reading half of `ALTER TABLE … MODIFY COLUMN`): a file keeps the type it
 * was written with, and readers cast each value to the current type. Mirrors the
 * rules of Paimon's `org.apache.paimon.casting.CastExecutors` (release 2.0.0):
 *
 *   numeric ↔ numeric        Java primitive conversions: integers wrap, floating
 *                            point truncates toward zero and saturates, NaN → 0
 *   numeric → DECIMAL        exact, rounded HALF_UP to the scale; null on overflow
 *   DECIMAL → DECIMAL        rescaled HALF_UP; null on overflow
 *   DECIMAL → numeric        integers truncate toward zero; FLOAT/DOUBLE nearest
 *   BOOLEAN ↔ integer        1/0; non-zero is true
 *   anything atomic → CHAR/VARCHAR   Java's string form, cut to the length
 *                            (CHAR is padded with spaces)
 *   CHAR/VARCHAR → numeric, BOOLEAN, DECIMAL, DATE, TIME, TIMESTAMP, BINARY  parsed
 *   BINARY/VARBINARY ↔ BINARY/VARBINARY, → CHAR/VARCHAR   bytes, cut (BINARY(n)
 *                            zero-padded), UTF-8
 *   TIMESTAMP ↔ TIMESTAMP(_LTZ), → DATE, → TIME, DATE/TIME → TIMESTAMP, integer ↔
 *   TIMESTAMP (seconds)
 *
 * Conversions between TIMESTAMP and TIMESTAMP_LTZ depend on a session time zone in
 * Java; here that zone is UTC, so the instant and the wall clock coincide.
 * Casts to and from ARRAY/MAP/ROW strings are not supported (Unsupported at plan time).
 */
import {
  type DataType,
  Dates,
  type Decimal,
  Decimals,
  dataInvalid,
  dataTypeEquals,
  type Timestamp,
  Timestamps,
  type Value,
  withNullability,
} from "@streamhouse/format";

export type CastExecutor = (v: Value) => Value | null;

const MILLIS_PER_DAY = 86_400_000;

export function sameTypeIgnoringNullability(a: DataType, b: DataType): boolean {
  return dataTypeEquals(withNullability(a, true), withNullability(b, true));
}

const INTEGERS = new Set(["TINYINT", "SMALLINT", "INT", "BIGINT"]);
const FLOATS = new Set(["FLOAT", "DOUBLE"]);
const STRINGS = new Set(["CHAR", "VARCHAR"]);
const BINARIES = new Set(["BINARY", "VARBINARY"]);
const TIMESTAMPS = new Set(["TIMESTAMP", "TIMESTAMP_LTZ"]);

/** The cast from `from` to `to`, or null when Paimon has no such cast. */
export function castExecutor(from: DataType, to: DataType): CastExecutor | null {
  if (sameTypeIgnoringNullability(from, to)) return (v) => v;
  const f = from.root;
  if (STRINGS.has(to.root)) {
    const toText = toStringOf(from);
    if (toText === null) return null;
    const length = (to as { length: number }).length;
    const pad = to.root === "CHAR";
    return (v) => fitString(toText(v), length, pad);
  }
  if (BINARIES.has(to.root)) {
    const length = (to as { length: number }).length;
    const pad = to.root === "BINARY";
    if (BINARIES.has(f)) return (v) => fitBytes(v as Uint8Array, length, pad);
    if (STRINGS.has(f)) return (v) => fitBytes(new TextEncoder().encode(v as string), length, pad);
    return null;
  }
  if (STRINGS.has(f)) return fromString(to);
  if (INTEGERS.has(to.root) || FLOATS.has(to.root)) {
    const store = numericStore(to.root);
    const fromFloat = FLOATS.has(f);
    if (INTEGERS.has(f) || fromFloat) return (v) => store(v as number | bigint, fromFloat);
    if (f === "DECIMAL") return (v) => store(decimalToNumeric(v as Decimal, INTEGERS.has(to.root)), false);
    if (f === "BOOLEAN") return (v) => store(v ? 1 : 0, false);
    if (TIMESTAMPS.has(f) && INTEGERS.has(to.root)) return (v) => store(BigInt(Math.trunc((v as Timestamp).millis / 1000)), false);
    return null;
  }
  if (to.root === "DECIMAL") {
    const { precision, scale } = to;
    if (f === "DECIMAL") return (v) => rescale((v as Decimal).unscaled, (v as Decimal).scale, precision, scale);
    if (INTEGERS.has(f)) return (v) => rescale(BigInt(v as number | bigint), 0, precision, scale);
    if (FLOATS.has(f)) return (v) => decimalOfText(javaDoubleString(v as number), precision, scale);
    return null;
  }
  if (to.root === "BOOLEAN") {
    if (INTEGERS.has(f)) return (v) => BigInt(v as number | bigint) !== 0n;
    return null;
  }
  if (TIMESTAMPS.has(to.root)) {
    const precision = (to as { precision: number }).precision;
    if (TIMESTAMPS.has(f)) return (v) => truncateTimestamp(v as Timestamp, precision);
    if (f === "DATE") return (v) => ({ millis: (v as number) * MILLIS_PER_DAY, nanoOfMillis: 0 });
    if (f === "TIME") return (v) => ({ millis: v as number, nanoOfMillis: 0 });
    if (INTEGERS.has(f)) return (v) => ({ millis: Number(v) * 1000, nanoOfMillis: 0 });
    return null;
  }
  if (to.root === "DATE" && TIMESTAMPS.has(f)) return (v) => Math.floor((v as Timestamp).millis / MILLIS_PER_DAY);
  if (to.root === "TIME") {
    const precision = to.precision;
    if (TIMESTAMPS.has(f)) return (v) => truncateTime(millisOfDay((v as Timestamp).millis), precision);
    if (f === "TIME") return (v) => truncateTime(v as number, precision);
  }
  return null;
}

// ---- numbers -------------------------------------------------------------------

/**
 * Java's primitive conversion to `root`. Integers (and bigints) wrap; a floating
 * point source first becomes an int (TINYINT/SMALLINT/INT) or a long (BIGINT),
 * truncating toward zero and saturating, as `(byte) 3.9e10f` does in Java.
 */
function numericStore(root: string): (x: number | bigint, fromFloat: boolean) => number | bigint {
  const integral = (bits: number) => (x: number | bigint, fromFloat: boolean) =>
    Number(BigInt.asIntN(bits, fromFloat ? BigInt(saturate(x as number, 32)) : toLong(x)));
  switch (root) {
    case "TINYINT":
      return integral(8);
    case "SMALLINT":
      return integral(16);
    case "INT":
      return integral(32);
    case "BIGINT":
      return (x) => toLong(x);
    case "FLOAT":
      return (x) => Math.fround(Number(x));
    default:
      return (x) => Number(x);
  }
}

/** Java's (long) conversion: floating point truncates toward zero, saturates, NaN → 0. */
function toLong(x: number | bigint): bigint {
  if (typeof x === "bigint") return BigInt.asIntN(64, x);
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return 9223372036854775807n;
  if (x <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(x));
}

function saturate(x: number, bits: number): number {
  if (Number.isNaN(x)) return 0;
  const max = 2 ** (bits - 1) - 1;
  return Math.max(-max - 1, Math.min(max, Math.trunc(x)));
}

function decimalToNumeric(d: Decimal, integral: boolean): number | bigint {
  if (integral) return BigInt.asIntN(64, d.unscaled / 10n ** BigInt(d.scale));
  return Number(Decimals.toString(d));
}

/** Rescales to `scale` rounding HALF_UP (away from zero on ties); null when it does not fit `precision`. */
function rescale(unscaled: bigint, fromScale: number, precision: number, scale: number): Decimal | null {
  let u = unscaled;
  if (scale >= fromScale) {
    u *= 10n ** BigInt(scale - fromScale);
  } else {
    const div = 10n ** BigInt(fromScale - scale);
    const q = u / div;
    const r = u % div;
    const twice = (r < 0n ? -r : r) * 2n;
    u = twice >= div ? q + (u < 0n ? -1n : 1n) : q;
  }
  const d = { unscaled: u, precision, scale };
  return Decimals.fits(d) ? d : null;
}

function decimalOfText(text: string, precision: number, scale: number): Decimal | null {
  try {
    return Decimals.parse(text, precision, scale);
  } catch {
    // Paimon returns null for values that overflow the target precision.
    return null;
  }
}

// ---- strings -------------------------------------------------------------------

function fitString(s: string, length: number, pad: boolean): string {
  const chars = [...s];
  if (chars.length > length) return chars.slice(0, length).join("");
  return pad && chars.length < length ? s + " ".repeat(length - chars.length) : s;
}

function fitBytes(b: Uint8Array, length: number, pad: boolean): Uint8Array {
  if (b.length > length) return b.slice(0, length);
  if (pad && b.length < length) {
    const out = new Uint8Array(length);
    out.set(b);
    return out;
  }
  return b;
}

/** Java's string form of a value of type `t` (what `CAST(x AS STRING)` gives in Paimon). */
function toStringOf(t: DataType): ((v: Value) => string) | null {
  switch (t.root) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "CHAR":
    case "VARCHAR":
      return (v) => String(v);
    case "FLOAT":
      return (v) => javaFloatString(v as number);
    case "DOUBLE":
      return (v) => javaDoubleString(v as number);
    case "DECIMAL":
      return (v) => Decimals.toString(v as Decimal);
    case "DATE":
      return (v) => Dates.toString(v as number);
    case "TIME":
      return (v) => timeString(v as number, t.precision);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return (v) => timestampString(v as Timestamp, t.precision);
    case "BINARY":
    case "VARBINARY":
      return (v) => new TextDecoder().decode(v as Uint8Array);
    default:
      return null;
  }
}

/** Java's Double.toString: "1.0", "0.001", "1.0E-4", "1.0E7" (shortest digits, as JDK 19+). */
export function javaDoubleString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.startsWith("+") ? exp.slice(1) : exp}`;
}

/** Java's Float.toString: the shortest decimal that reads back as the same float. */
function javaFloatString(x: number): string {
  if (!Number.isFinite(x) || x === 0) return javaDoubleString(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return javaDoubleString(candidate);
  }
  return javaDoubleString(x);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function millisOfDay(millis: number): number {
  return millis - Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY;
}

function timeString(ms: number, precision: number): string {
  const base = `${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}`;
  return precision > 0 ? `${base}.${pad(ms % 1000, 3).slice(0, Math.min(precision, 3))}` : base;
}

/** `yyyy-MM-dd HH:mm:ss[.fraction]`: trailing zeros of the fraction dropped, but never below `precision` digits. */
function timestampString(t: Timestamp, precision: number): string {
  const iso = Timestamps.toString(t, 9);
  const [date, rest] = iso.split("T") as [string, string];
  const [clock, fraction = ""] = rest.split(".");
  let f = fraction;
  while (f.length > precision && f.endsWith("0")) f = f.slice(0, -1);
  return f === "" ? `${date} ${clock}` : `${date} ${clock}.${f}`;
}

function truncateTimestamp(t: Timestamp, precision: number): Timestamp {
  if (precision >= 9) return t;
  if (precision <= 3) {
    const unit = 10 ** (3 - precision);
    return { millis: Math.floor(t.millis / unit) * unit, nanoOfMillis: 0 };
  }
  const unit = 10 ** (9 - precision);
  return { millis: t.millis, nanoOfMillis: Math.floor(t.nanoOfMillis / unit) * unit };
}

function truncateTime(ms: number, precision: number): number {
  const unit = 10 ** Math.max(0, 3 - precision);
  return Math.floor(ms / unit) * unit;
}

const TRUE_STRINGS = new Set(["t", "true", "y", "yes", "1"]);
const FALSE_STRINGS = new Set(["f", "false", "n", "no", "0"]);

function fromString(to: DataType): CastExecutor | null {
  switch (to.root) {
    case "BOOLEAN":
      return (v) => {
        const s = (v as string).trim().toLowerCase();
        if (TRUE_STRINGS.has(s)) return true;
        if (FALSE_STRINGS.has(s)) return false;
        throw dataInvalid(`cannot cast "${v as string}" to BOOLEAN`);
      };
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT": {
      const bits = { TINYINT: 8, SMALLINT: 16, INT: 32, BIGINT: 64 }[to.root];
      return (v) => {
        const s = (v as string).trim();
        if (!/^[+-]?\d+$/.test(s)) throw dataInvalid(`cannot cast "${s}" to ${to.root}`);
        const n = BigInt(s);
        if (BigInt.asIntN(bits, n) !== n) throw dataInvalid(`"${s}" overflows ${to.root}`);
        return bits === 64 ? n : Number(n);
      };
    }
    case "FLOAT":
    case "DOUBLE":
      return (v) => {
        const n = Number((v as string).trim());
        if (Number.isNaN(n) && (v as string).trim() !== "NaN") throw dataInvalid(`cannot cast "${v as string}" to ${to.root}`);
        return to.root === "FLOAT" ? Math.fround(n) : n;
      };
    case "DECIMAL":
      return (v) => decimalOfText((v as string).trim(), to.precision, to.scale);
    case "DATE":
      return (v) => Dates.parse(v as string);
    case "TIME":
      return (v) => {
        const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*$/.exec(v as string);
        if (m === null) throw dataInvalid(`cannot cast "${v as string}" to TIME`);
        const ms = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000 + Number((m[4] ?? "").padEnd(3, "0").slice(0, 3));
        return truncateTime(ms, to.precision);
      };
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return (v) => truncateTimestamp(Timestamps.parse(v as string), to.precision);
    default:
      return null;
  }
}
