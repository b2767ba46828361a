/**
 * Ordering of single values the way Paimon orders them in primary keys and
 * sequence fields (release 2.0.0): the comparisons emitted by
 * `paimon-codegen/.../GenerateUtils.generateCompare`, which back every
 * `RecordComparator` (key comparators, `UserDefinedSeqComparator`).
 *
 * Facts taken from the Java source:
 * - CHAR/VARCHAR: `BinaryString.compareTo`, i.e. unsigned byte-wise over the UTF-8
 *   bytes, then shorter first. That is code-point order, not JavaScript's UTF-16
 *   order ("\uFFFF" < "😀" in Paimon, the opposite in `<` on JS strings).
 * - BINARY/VARBINARY: `SortUtil.compareBinary`, unsigned byte-wise, then length.
 * - BOOLEAN: false < true. Integral types, DATE, TIME: numeric.
 * - FLOAT/DOUBLE: `Float.compare`/`Double.compare` — -0.0 < 0.0, NaN above +Infinity
 *   and equal to itself.
 * - DECIMAL, TIMESTAMP, TIMESTAMP_LTZ: `compareTo` (numeric; millis then nano-of-milli).
 * - ARRAY/VECTOR: element by element with null elements first, then length.
 * - MAP/MULTISET: the smaller map first; equal sizes compare key arrays, then value arrays.
 * - ROW: field by field ascending, null fields first.
 * - VARIANT, BLOB: not comparable (Java throws "Illegal type").
 *
 * Callers handle top-level nulls (Paimon sorts them first, see record-comparator.ts).
 */
import type { DataType, Decimal, Timestamp, Value } from "@streamhouse/format";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

/** Compares two non-null values of `type`; negative, zero or positive. */
export function compareValues(type: DataType, a: Value, b: Value): number {
  switch (type.root) {
    case "CHAR":
    case "VARCHAR":
      return compareUtf8(a as string, b as string);
    case "BINARY":
    case "VARBINARY":
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case "BOOLEAN":
      return a === b ? 0 : a ? 1 : -1;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return sign((a as number) - (b as number));
    case "BIGINT":
      return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case "FLOAT":
    case "DOUBLE":
      return compareJavaDouble(a as number, b as number);
    case "DECIMAL":
      return compareDecimals(a as Decimal, b as Decimal);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return compareTimestamps(a as Timestamp, b as Timestamp);
    case "ARRAY":
    case "VECTOR":
      return compareArrays(type.element, a as readonly (Value | null)[], b as readonly (Value | null)[]);
    case "MAP":
      return compareMaps(type.key, type.value, a as readonly (readonly [Value | null, Value | null])[], b as readonly (readonly [Value | null, Value | null])[]);
    case "MULTISET":
      return compareMaps(type.element, MULTISET_COUNT, a as readonly (readonly [Value | null, Value | null])[], b as readonly (readonly [Value | null, Value | null])[]);
    case "ROW": {
      const ra = a as readonly (Value | null)[];
      const rb = b as readonly (Value | null)[];
      for (let i = 0; i < type.fields.length; i++) {
        const c = compareNullsFirst(type.fields[i]!.type, ra[i] ?? null, rb[i] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      throw new StreamhouseError(ErrorKind.Unsupported, `values of type ${type.root} cannot be ordered`, { context: { type: type.root } });
  }
}

const MULTISET_COUNT: DataType = { root: "INT", nullable: false };

/** Compares two non-null values of one type. */
export type ValueComparator = (a: Value, b: Value) => number;

const compareNumbers: ValueComparator = (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
const compareBigints: ValueComparator = (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);

/**
 * `compareValues` bound to one type, with the type dispatch done once: hot loops (sorting,
 * stats) call the returned function for every pair instead of switching on the type.
 */
export function valueComparator(type: DataType): ValueComparator {
  switch (type.root) {
    case "CHAR":
    case "VARCHAR":
      return compareUtf8 as ValueComparator;
    case "BINARY":
    case "VARBINARY":
      return compareBytes as ValueComparator;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      // Integers: no NaN or -0.0, so the plain relational operators are Java's order.
      return compareNumbers;
    case "BIGINT":
      return compareBigints;
    case "FLOAT":
    case "DOUBLE":
      return compareJavaDouble as ValueComparator;
    default:
      return (a, b) => compareValues(type, a, b);
  }
}

/** Like compareValues, with null below every value (Paimon's default null collation, "LOW"). */
export function compareNullsFirst(type: DataType, a: Value | null, b: Value | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareValues(type, a, b);
}

function sign(d: number): number {
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** Java's `Double.compare`: total order with -0.0 < 0.0 and NaN greatest. */
export function compareJavaDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** Unsigned lexicographic byte order, then the shorter array first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return sign(a.length - b.length);
}

/**
 * The order of the UTF-8 encodings of two strings without encoding them: UTF-8
 * preserves code-point order, so comparing code points is the same. Lone
 * surrogates encode as U+FFFD (what Java's encoder writes), so they compare as it.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Restart at the beginning of the code point the first difference falls into.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) i--;
  let ia = i;
  let ib = i;
  while (ia < a.length && ib < b.length) {
    const ca = codePointAt(a, ia);
    const cb = codePointAt(b, ib);
    if (ca !== cb) return ca < cb ? -1 : 1;
    ia += ca > 0xffff ? 2 : 1;
    ib += cb > 0xffff ? 2 : 1;
  }
  const ra = ia < a.length;
  const rb = ib < b.length;
  return ra === rb ? 0 : ra ? 1 : -1;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function codePointAt(s: string, i: number): number {
  const c = s.codePointAt(i)!;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  let ua = a.unscaled;
  let ub = b.unscaled;
  if (a.scale < b.scale) ua *= 10n ** BigInt(b.scale - a.scale);
  else if (b.scale < a.scale) ub *= 10n ** BigInt(a.scale - b.scale);
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.millis !== b.millis) return a.millis < b.millis ? -1 : 1;
  return sign(a.nanoOfMillis - b.nanoOfMillis);
}

function compareArrays(element: DataType, a: readonly (Value | null)[], b: readonly (Value | null)[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNullsFirst(element, a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

function compareMaps(
  keyType: DataType,
  valueType: DataType,
  a: readonly (readonly [Value | null, Value | null])[],
  b: readonly (readonly [Value | null, Value | null])[],
): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  const c = compareArrays(
    keyType,
    a.map((e) => e[0]),
    b.map((e) => e[0]),
  );
  if (c !== 0) return c;
  return compareArrays(
    valueType,
    a.map((e) => e[1]),
    b.map((e) => e[1]),
  );
}
