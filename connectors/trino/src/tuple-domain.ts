/**
 * Trino's `TrinoThriftTupleDomain` (what a query's WHERE says about each column) turned
 * into our scan predicate, for partition pruning and min/max file skipping — a pure
 * function of the decoded Thrift structs.
 *
 * Encoding (Trino's API, release 476): `domains` absent means NONE (no row can match);
 * an empty map means ALL. A domain is a value set plus `nullAllowed`. Value sets:
 * all-or-none; equatable (a list of single-row blocks, `inclusive` false = NOT IN);
 * ranges, each a low and a high marker whose value is a single-row block (absent =
 * unbounded) and bound EXACTLY (inclusive), ABOVE (exclusive low), BELOW (exclusive
 * high).
 *
 * Only columns whose Trino order is the Paimon order take part: integers, bigint,
 * double, boolean, date, timestamp(3), and strings (both compare UTF-8 bytes). Types
 * served as text (decimals, binary, long timestamps) compare differently as text, so
 * their domains are left to Trino, which re-applies the whole filter to the rows
 * anyway (the connector returns the constraint as its remaining filter).
 */
import { type DataField, type DataType, Decimals, type Value } from "@streamhouse/format";
import { P, type Predicate } from "@streamhouse/table";
import type { ColumnRange } from "./system/system-tables.js";
import { trinoColumnType } from "./type-mapping.js";

/** The shapes the generated reader produces (only the members we read). */
export interface ThriftInt64Like {
  readonly buffer: Buffer;
  readonly offset: number;
}

export interface ThriftBlockLike {
  readonly integerData?: { readonly nulls?: readonly boolean[] | null; readonly ints?: readonly number[] | null } | null;
  readonly bigintData?: { readonly nulls?: readonly boolean[] | null; readonly longs?: readonly (ThriftInt64Like | number)[] | null } | null;
  readonly doubleData?: { readonly nulls?: readonly boolean[] | null; readonly doubles?: readonly number[] | null } | null;
  readonly varcharData?: { readonly nulls?: readonly boolean[] | null; readonly sizes?: readonly number[] | null; readonly bytes?: Buffer | null } | null;
  readonly booleanData?: { readonly nulls?: readonly boolean[] | null; readonly booleans?: readonly boolean[] | null } | null;
  readonly dateData?: { readonly nulls?: readonly boolean[] | null; readonly dates?: readonly number[] | null } | null;
  readonly timestampData?: { readonly nulls?: readonly boolean[] | null; readonly timestamps?: readonly (ThriftInt64Like | number)[] | null } | null;
}

export interface ThriftMarkerLike {
  readonly value?: ThriftBlockLike | null;
  readonly bound: number;
}

export interface ThriftDomainLike {
  readonly valueSet: {
    readonly allOrNoneValueSet?: { readonly all: boolean } | null;
    readonly equatableValueSet?: { readonly inclusive: boolean; readonly values: readonly ThriftBlockLike[] } | null;
    readonly rangeValueSet?: { readonly ranges: readonly { readonly low: ThriftMarkerLike; readonly high: ThriftMarkerLike }[] } | null;
  };
  readonly nullAllowed: boolean;
}

export interface ThriftTupleDomainLike {
  readonly domains?: Readonly<Record<string, ThriftDomainLike>> | ReadonlyMap<string, ThriftDomainLike> | null;
}

const BOUND_BELOW = 1;
const BOUND_EXACTLY = 2;
const BOUND_ABOVE = 3;

function int64(v: ThriftInt64Like | number): bigint {
  return typeof v === "number" ? BigInt(v) : v.buffer.readBigInt64BE(v.offset);
}

/** The value of a single-row block (null for a null row or an empty block). */
export function singleValue(block: ThriftBlockLike): boolean | number | bigint | string | null {
  const pick = <T>(d: { readonly nulls?: readonly boolean[] | null } | null | undefined, values: readonly T[] | null | undefined): T | null => {
    if (d?.nulls?.[0] === true) return null;
    return values?.[0] ?? null;
  };
  if (block.integerData) return pick(block.integerData, block.integerData.ints);
  if (block.bigintData) {
    const v = pick(block.bigintData, block.bigintData.longs);
    return v === null ? null : int64(v);
  }
  if (block.doubleData) return pick(block.doubleData, block.doubleData.doubles);
  if (block.booleanData) return pick(block.booleanData, block.booleanData.booleans);
  if (block.dateData) return pick(block.dateData, block.dateData.dates);
  if (block.timestampData) {
    const v = pick(block.timestampData, block.timestampData.timestamps);
    return v === null ? null : int64(v);
  }
  if (block.varcharData) {
    const d = block.varcharData;
    if (d.nulls?.[0] === true) return null;
    const size = d.sizes?.[0] ?? 0;
    return (d.bytes ?? Buffer.alloc(0)).subarray(0, size).toString("utf8");
  }
  return null;
}

/** Whether a column's Trino order equals its Paimon order (see the module comment). */
function orderPreserving(type: DataType): boolean {
  switch (type.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "BOOLEAN":
    case "DATE":
    case "CHAR":
    case "VARCHAR":
      return true;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return type.precision <= 3;
    default:
      return false;
  }
}

/** A Trino value of a column in our representation. */
function toPaimon(type: DataType, v: boolean | number | bigint | string): Value {
  switch (type.root) {
    case "BIGINT":
      return typeof v === "bigint" ? v : BigInt(v as number);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return { millis: Number(v), nanoOfMillis: 0 };
    case "DECIMAL":
      return Decimals.parse(String(v), type.precision, type.scale);
    default:
      return typeof v === "bigint" ? Number(v) : v;
  }
}

function entries(d: ThriftTupleDomainLike["domains"]): [string, ThriftDomainLike][] {
  if (d === null || d === undefined) return [];
  return d instanceof Map ? [...d.entries()] : Object.entries(d as Record<string, ThriftDomainLike>);
}

/** Whether the tuple domain is NONE: no row can match. */
export function isNone(td: ThriftTupleDomainLike | null | undefined): boolean {
  return td !== null && td !== undefined && (td.domains === null || td.domains === undefined);
}

const FALSE = (field: string): Predicate => P.and(P.isNull(field), P.isNotNull(field));

/** One column's domain as a predicate on `field`; null when it says nothing we can use. */
export function domainPredicate(field: DataField, domain: ThriftDomainLike): Predicate | null {
  const name = field.name;
  const vs = domain.valueSet;
  const orNull = (p: Predicate): Predicate => (domain.nullAllowed ? P.or(p, P.isNull(name)) : p);
  if (vs.allOrNoneValueSet) {
    if (vs.allOrNoneValueSet.all) return domain.nullAllowed ? null : P.isNotNull(name);
    return domain.nullAllowed ? P.isNull(name) : FALSE(name);
  }
  if (!orderPreserving(field.type)) return domain.nullAllowed ? null : P.isNotNull(name);
  if (vs.equatableValueSet) {
    if (!vs.equatableValueSet.inclusive) return domain.nullAllowed ? null : P.isNotNull(name);
    const values = vs.equatableValueSet.values.map(singleValue).filter((v) => v !== null);
    return orNull(values.length === 0 ? FALSE(name) : P.in(name, values.map((v) => toPaimon(field.type, v))));
  }
  if (vs.rangeValueSet) {
    const ranges: Predicate[] = [];
    for (const r of vs.rangeValueSet.ranges) {
      const parts: Predicate[] = [];
      const lo = r.low.value ? singleValue(r.low.value) : null;
      const hi = r.high.value ? singleValue(r.high.value) : null;
      if (lo !== null && hi !== null && r.low.bound === BOUND_EXACTLY && r.high.bound === BOUND_EXACTLY && lo === hi) {
        ranges.push(P.eq(name, toPaimon(field.type, lo)));
        continue;
      }
      if (lo !== null) parts.push(P.compare(name, r.low.bound === BOUND_ABOVE ? ">" : ">=", toPaimon(field.type, lo)));
      if (hi !== null) parts.push(P.compare(name, r.high.bound === BOUND_BELOW ? "<" : "<=", toPaimon(field.type, hi)));
      if (parts.length === 0) return domain.nullAllowed ? null : P.isNotNull(name);
      ranges.push(P.and(...parts));
    }
    return orNull(ranges.length === 0 ? FALSE(name) : P.or(...ranges));
  }
  return null;
}

/**
 * The predicate a tuple domain implies on `fields` (keyed by the names Trino uses:
 * `trinoNames[i]` is the served name of `fields[i]`); null when it constrains nothing.
 * Callers check `isNone` first.
 */
export function tupleDomainPredicate(td: ThriftTupleDomainLike | null | undefined, fields: readonly DataField[], trinoNames: readonly string[]): Predicate | null {
  if (td === null || td === undefined) return null;
  const parts: Predicate[] = [];
  for (const [column, domain] of entries(td.domains)) {
    const i = trinoNames.indexOf(column);
    if (i < 0) continue;
    const field = fields[i]!;
    try {
      trinoColumnType(field.type, field.name);
    } catch {
      continue;
    }
    const p = domainPredicate(field, domain);
    if (p !== null) parts.push(p);
  }
  return parts.length === 0 ? null : P.and(...parts);
}

/**
 * The span of each BIGINT column's domain, for system tables: from the lowest low
 * marker to the highest high marker (a superset of the domain). Columns whose domain
 * is not a range set over bigint values are left out (unconstrained).
 */
export function bigintRanges(td: ThriftTupleDomainLike | null | undefined, columns: readonly string[]): Map<string, ColumnRange> {
  const out = new Map<string, ColumnRange>();
  if (td === null || td === undefined) return out;
  for (const [column, domain] of entries(td.domains)) {
    if (!columns.includes(column)) continue;
    const set = domain.valueSet.rangeValueSet;
    const eq = domain.valueSet.equatableValueSet;
    let low: ColumnRange["low"] | undefined;
    let high: ColumnRange["high"] | undefined;
    let unboundedLow = false;
    let unboundedHigh = false;
    const values: { v: bigint; lowIncl: boolean; highIncl: boolean; isLow: boolean }[] = [];
    if (set) {
      for (const r of set.ranges) {
        const lo = r.low.value ? singleValue(r.low.value) : null;
        const hi = r.high.value ? singleValue(r.high.value) : null;
        if (typeof lo === "bigint") values.push({ v: lo, lowIncl: r.low.bound !== BOUND_ABOVE, highIncl: true, isLow: true });
        else unboundedLow = true;
        if (typeof hi === "bigint") values.push({ v: hi, lowIncl: true, highIncl: r.high.bound !== BOUND_BELOW, isLow: false });
        else unboundedHigh = true;
      }
    } else if (eq?.inclusive) {
      for (const b of eq.values) {
        const v = singleValue(b);
        if (typeof v === "bigint") {
          values.push({ v, lowIncl: true, highIncl: true, isLow: true });
          values.push({ v, lowIncl: true, highIncl: true, isLow: false });
        }
      }
      if (values.length === 0) continue;
    } else {
      continue;
    }
    if (domain.nullAllowed) continue;
    for (const x of values) {
      if (x.isLow && !unboundedLow && (low === undefined || x.v < low.value || (x.v === low.value && x.lowIncl))) low = { value: x.v, inclusive: x.lowIncl };
      if (!x.isLow && !unboundedHigh && (high === undefined || x.v > high.value || (x.v === high.value && x.highIncl))) high = { value: x.v, inclusive: x.highIncl };
    }
    if (low === undefined && high === undefined) continue;
    out.set(column, { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) });
  }
  return out;
}

export const Bounds = { BELOW: BOUND_BELOW, EXACTLY: BOUND_EXACTLY, ABOVE: BOUND_ABOVE } as const;
