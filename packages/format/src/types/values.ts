/**
 * How values of each data type are held in memory (Paimon's "internal" data
 * structures, `org.apache.paimon.data.*`), independent of any file format.
 *
 * | type                              | value                                  |
 * |-----------------------------------|----------------------------------------|
 * | BOOLEAN                           | boolean                                |
 * | TINYINT, SMALLINT, INT            | number                                 |
 * | BIGINT                            | bigint                                 |
 * | FLOAT, DOUBLE                     | number                                 |
 * | DATE                              | number (days since 1970-01-01)         |
 * | TIME(p)                           | number (milliseconds of the day)       |
 * | CHAR, VARCHAR                     | string                                 |
 * | BINARY, VARBINARY, BLOB           | Uint8Array                             |
 * | DECIMAL(p, s)                     | Decimal                                |
 * | TIMESTAMP(p), TIMESTAMP_LTZ(p)    | Timestamp                              |
 * | ARRAY, VECTOR                     | readonly Value[] (elements may be null)|
 * | MULTISET                          | readonly [element, count][]            |
 * | MAP                               | readonly [key, value][]                |
 * | ROW                               | readonly Value[] (by field position)   |
 * | VARIANT                           | Variant                                |
 *
 * null stands for SQL NULL everywhere.
 */
import { dataInvalid } from "../errors.js";

/** An exact decimal: `unscaled * 10^-scale`. */
export interface Decimal {
  readonly unscaled: bigint;
  readonly precision: number;
  readonly scale: number;
}

/**
 * A point in time as Java's `org.apache.paimon.data.Timestamp`: milliseconds since
 * the epoch plus the nanoseconds within that millisecond (0..999,999). For TIMESTAMP
 * (without time zone) the epoch is read on a UTC wall clock.
 */
export interface Timestamp {
  readonly millis: number;
  readonly nanoOfMillis: number;
}

export interface Variant {
  readonly value: Uint8Array;
  readonly metadata: Uint8Array;
}

export type Value =
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Decimal
  | Timestamp
  | Variant
  | readonly (Value | null)[]
  | readonly (readonly [Value | null, Value | null])[];

/** A row of values by field position. */
export type Row = readonly (Value | null)[];

export const Decimals = {
  of(unscaled: bigint, precision: number, scale: number): Decimal {
    return { unscaled, precision, scale };
  },

  /** Parses a decimal string ("-12.345") to exactly `scale` digits; throws if it does not fit `precision`. */
  parse(text: string, precision: number, scale: number): Decimal {
    const m = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw dataInvalid(`not a decimal: "${text}"`);
    const sign = m[1] === "-" ? -1n : 1n;
    let digits = (m[2] ?? "") + (m[3] ?? "");
    let exp = -(m[3] ?? "").length + Number(m[4] ?? "0");
    // Bring the exponent to -scale, rounding half-up when digits are dropped.
    let unscaled: bigint;
    if (exp + scale >= 0) {
      digits += "0".repeat(exp + scale);
      unscaled = BigInt(digits === "" ? "0" : digits);
    } else {
      const drop = -(exp + scale);
      const keep = digits.length - drop;
      const kept = keep > 0 ? BigInt(digits.slice(0, keep)) : 0n;
      const next = keep >= 0 && keep < digits.length ? Number(digits[keep]) : 0;
      unscaled = kept + (next >= 5 ? 1n : 0n);
      exp = -scale;
    }
    const d = { unscaled: sign * unscaled, precision, scale };
    if (!Decimals.fits(d)) throw dataInvalid(`decimal "${text}" does not fit DECIMAL(${precision}, ${scale})`);
    return d;
  },

  fits(d: Decimal): boolean {
    const abs = d.unscaled < 0n ? -d.unscaled : d.unscaled;
    return abs.toString().length <= d.precision || abs === 0n;
  },

  toString(d: Decimal): string {
    const neg = d.unscaled < 0n;
    let s = (neg ? -d.unscaled : d.unscaled).toString();
    if (d.scale > 0) {
      s = s.padStart(d.scale + 1, "0");
      s = `${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`;
    }
    return neg ? `-${s}` : s;
  },
} as const;

const MILLIS_PER_DAY = 86_400_000;

export const Timestamps = {
  fromMillis(millis: number, nanoOfMillis = 0): Timestamp {
    return { millis, nanoOfMillis };
  },

  /** From nanoseconds since the epoch (floor division, as Java's Timestamp.fromEpochNanos... by parts). */
  fromEpochNanos(nanos: bigint): Timestamp {
    let millis = nanos / 1_000_000n;
    let rem = nanos % 1_000_000n;
    if (rem < 0n) {
      rem += 1_000_000n;
      millis -= 1n;
    }
    return { millis: Number(millis), nanoOfMillis: Number(rem) };
  },

  toEpochNanos(t: Timestamp): bigint {
    return BigInt(t.millis) * 1_000_000n + BigInt(t.nanoOfMillis);
  },

  /**
   * Parses an ISO-8601 date-time ("2024-01-02T03:04:05.123456789", a space also works).
   * Without a zone the wall clock is read as UTC; a `Z` or `+hh:mm` suffix is honored.
   */
  parse(text: string): Timestamp {
    const m = /^\s*(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(text);
    if (m === null) throw dataInvalid(`not a timestamp: "${text}"`);
    const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
    const secondsOfDay = Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
    const frac = (m[7] ?? "").padEnd(9, "0");
    let millis = days * MILLIS_PER_DAY + secondsOfDay * 1000 + Number(frac.slice(0, 3));
    const zone = m[8];
    if (zone !== undefined && zone !== "Z") {
      const z = zone.replace(":", "");
      const offsetMin = (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
      millis -= offsetMin * 60_000;
    }
    return { millis, nanoOfMillis: Number(frac.slice(3)) };
  },

  /** ISO-8601 on a UTC wall clock with as many fraction digits as `precision` asks. */
  toString(t: Timestamp, precision = 9): string {
    const days = Math.floor(t.millis / MILLIS_PER_DAY);
    const msOfDay = t.millis - days * MILLIS_PER_DAY;
    const date = Dates.toString(days);
    const hh = Math.floor(msOfDay / 3_600_000);
    const mm = Math.floor((msOfDay % 3_600_000) / 60_000);
    const ss = Math.floor((msOfDay % 60_000) / 1000);
    const base = `${date}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
    if (precision <= 0) return base;
    const frac = (String(msOfDay % 1000).padStart(3, "0") + String(t.nanoOfMillis).padStart(6, "0")).slice(0, precision);
    return `${base}.${frac}`;
  },
} as const;

export const Dates = {
  /** Days since the epoch of an ISO date "YYYY-MM-DD". */
  parse(text: string): number {
    const m = /^\s*(-?\d{4,})-(\d{2})-(\d{2})\s*$/.exec(text);
    if (m === null) throw dataInvalid(`not a date: "${text}"`);
    return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  },

  toString(days: number): string {
    const { y, m, d } = civilFromDays(days);
    const year = y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0");
    return `${year}-${pad2(m)}-${pad2(d)}`;
  },
} as const;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// Proleptic Gregorian calendar conversions (Howard Hinnant's civil-days algorithms).
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}
