/**
 * Arithmetic with the results Java gives Paimon's aggregators (release 2.0.0):
 * TINYINT/SMALLINT/INT/BIGINT wrap around on overflow (two's complement), FLOAT
 * rounds every result to single precision, integer division truncates toward zero
 * and fails on zero. DECIMAL follows `DecimalUtils.add/subtract` and
 * `Decimal.fromBigDecimal`:
 *
 * - add/subtract with precision ≤ 18 keep the exact long result when it fits a long —
 *   even if it has more digits than the precision (Java does not check there);
 * - otherwise (and always for multiply/divide) the exact result is rounded HALF_UP
 *   to the type's scale and becomes null when it has more digits than the precision;
 * - divide is `BigDecimal.divide` without a math context: it fails when the quotient
 *   has no finite decimal expansion.
 */
import type { DataType, Decimal, Value } from "@streamhouse/format";
import { Decimals, dataInvalid, ErrorKind, StreamhouseError } from "@streamhouse/format";

const MAX_COMPACT_PRECISION = 18;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export type NumericOp = "add" | "subtract" | "multiply" | "divide";

export function isNumericType(type: DataType): boolean {
  switch (type.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DECIMAL":
      return true;
    default:
      return false;
  }
}

/** `a op b` for two non-null values of a numeric type; null only for a DECIMAL overflow. */
export function arithmetic(type: DataType, op: NumericOp, a: Value, b: Value): Value | null {
  switch (type.root) {
    case "TINYINT":
      return wrap8(intOp(op, a as number, b as number));
    case "SMALLINT":
      return wrap16(intOp(op, a as number, b as number));
    case "INT":
      return op === "multiply" ? Math.imul(a as number, b as number) : intOp(op, a as number, b as number) | 0;
    case "BIGINT":
      return BigInt.asIntN(64, longOp(op, a as bigint, b as bigint));
    case "FLOAT":
      return Math.fround(floatOp(op, a as number, b as number));
    case "DOUBLE":
      return floatOp(op, a as number, b as number);
    case "DECIMAL":
      return decimalOp(op, a as Decimal, b as Decimal, type.precision, type.scale);
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `arithmetic on ${type.root} is not supported`, { context: { type: type.root } });
  }
}

/** `-a` for a non-null numeric value (wrapping like Java's casts). */
export function negate(type: DataType, a: Value): Value {
  switch (type.root) {
    case "TINYINT":
      return wrap8(-(a as number));
    case "SMALLINT":
      return wrap16(-(a as number));
    case "INT":
      return -(a as number) | 0;
    case "BIGINT":
      return BigInt.asIntN(64, -(a as bigint));
    case "FLOAT":
    case "DOUBLE":
      return -(a as number);
    case "DECIMAL": {
      const d = a as Decimal;
      return { unscaled: -d.unscaled, precision: d.precision, scale: d.scale };
    }
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `arithmetic on ${type.root} is not supported`, { context: { type: type.root } });
  }
}

function wrap8(x: number): number {
  return (x << 24) >> 24;
}

function wrap16(x: number): number {
  return (x << 16) >> 16;
}

function intOp(op: NumericOp, a: number, b: number): number {
  switch (op) {
    case "add":
      return a + b;
    case "subtract":
      return a - b;
    case "multiply":
      return a * b;
    case "divide":
      if (b === 0) throw divisionByZero();
      return Math.trunc(a / b);
  }
}

function longOp(op: NumericOp, a: bigint, b: bigint): bigint {
  switch (op) {
    case "add":
      return a + b;
    case "subtract":
      return a - b;
    case "multiply":
      return a * b;
    case "divide":
      if (b === 0n) throw divisionByZero();
      return a / b;
  }
}

function floatOp(op: NumericOp, a: number, b: number): number {
  switch (op) {
    case "add":
      return a + b;
    case "subtract":
      return a - b;
    case "multiply":
      return a * b;
    case "divide":
      return a / b;
  }
}

function divisionByZero(): StreamhouseError {
  return dataInvalid("division by zero while retracting a product");
}

function decimalOp(op: NumericOp, a: Decimal, b: Decimal, precision: number, scale: number): Decimal | null {
  const ua = rescale(a, scale);
  const ub = rescale(b, scale);
  switch (op) {
    case "add":
    case "subtract": {
      const exact = op === "add" ? ua + ub : ua - ub;
      if (precision <= MAX_COMPACT_PRECISION && exact >= LONG_MIN && exact <= LONG_MAX) {
        return { unscaled: exact, precision, scale };
      }
      return fitPrecision(exact, precision, scale);
    }
    case "multiply":
      // ua·ub carries 2·scale fraction digits; round back to `scale`.
      return fitPrecision(divideHalfUp(ua * ub, 10n ** BigInt(scale)), precision, scale);
    case "divide": {
      if (ub === 0n) throw divisionByZero();
      // The exact quotient ua/ub must terminate (BigDecimal.divide without a MathContext).
      let den = ub < 0n ? -ub : ub;
      let num = ub < 0n ? -ua : ua;
      const g = gcd(num < 0n ? -num : num, den);
      num /= g;
      den /= g;
      let rest = den;
      while (rest % 2n === 0n) rest /= 2n;
      while (rest % 5n === 0n) rest /= 5n;
      if (rest !== 1n) {
        throw dataInvalid("non-terminating decimal expansion while retracting a product (Java's BigDecimal.divide fails here)", {
          dividend: Decimals.toString(a),
          divisor: Decimals.toString(b),
        });
      }
      return fitPrecision(divideHalfUp(num * 10n ** BigInt(scale), den), precision, scale);
    }
  }
}

function rescale(d: Decimal, scale: number): bigint {
  if (d.scale === scale) return d.unscaled;
  if (d.scale < scale) return d.unscaled * 10n ** BigInt(scale - d.scale);
  return divideHalfUp(d.unscaled, 10n ** BigInt(d.scale - scale));
}

/** `num / den` rounded half away from zero (Java's RoundingMode.HALF_UP); den > 0. */
export function divideHalfUp(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num % den;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** `Decimal.fromBigDecimal`'s overflow rule: more digits than the precision → null. */
function fitPrecision(unscaled: bigint, precision: number, scale: number): Decimal | null {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  return digits > precision ? null : { unscaled, precision, scale };
}
