/**
 * Row filters that scans push down: to partitions (exact), to files and row groups
 * through min/max/null-count statistics (conservative: "might match"), and to rows.
 *
 * A predicate names fields; `bindPredicate` resolves the names against a row type
 * once, so evaluation works on positions. Evaluation is SQL's three-valued logic:
 * a comparison with NULL is unknown (null), and a row passes only when the result
 * is true.
 */
import { type DataField, type DataType, ErrorKind, StreamhouseError, type Value } from "@streamhouse/format";
import { compareUtf8, compareValues } from "../merge/compare-values.js";

export type CompareOp = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type Predicate =
  | { readonly kind: "compare"; readonly field: string; readonly op: CompareOp; readonly literal: Value }
  | { readonly kind: "isNull"; readonly field: string; readonly negated: boolean }
  | { readonly kind: "in"; readonly field: string; readonly literals: readonly Value[]; readonly negated: boolean }
  | { readonly kind: "startsWith"; readonly field: string; readonly prefix: string }
  | { readonly kind: "and"; readonly children: readonly Predicate[] }
  | { readonly kind: "or"; readonly children: readonly Predicate[] }
  | { readonly kind: "not"; readonly child: Predicate };

/** Constructors, so callers write `P.eq("id", 5n)`. */
export const P = {
  compare: (field: string, op: CompareOp, literal: Value): Predicate => ({ kind: "compare", field, op, literal }),
  eq: (field: string, literal: Value): Predicate => ({ kind: "compare", field, op: "=", literal }),
  lt: (field: string, literal: Value): Predicate => ({ kind: "compare", field, op: "<", literal }),
  gt: (field: string, literal: Value): Predicate => ({ kind: "compare", field, op: ">", literal }),
  isNull: (field: string): Predicate => ({ kind: "isNull", field, negated: false }),
  isNotNull: (field: string): Predicate => ({ kind: "isNull", field, negated: true }),
  in: (field: string, literals: readonly Value[]): Predicate => ({ kind: "in", field, literals, negated: false }),
  startsWith: (field: string, prefix: string): Predicate => ({ kind: "startsWith", field, prefix }),
  and: (...children: Predicate[]): Predicate => (children.length === 1 ? children[0]! : { kind: "and", children }),
  or: (...children: Predicate[]): Predicate => (children.length === 1 ? children[0]! : { kind: "or", children }),
  not: (child: Predicate): Predicate => ({ kind: "not", child }),
} as const;

/** A predicate with field names resolved to positions and types. */
export type BoundPredicate =
  | { readonly kind: "compare"; readonly index: number; readonly type: DataType; readonly op: CompareOp; readonly literal: Value }
  | { readonly kind: "isNull"; readonly index: number; readonly negated: boolean }
  | { readonly kind: "in"; readonly index: number; readonly type: DataType; readonly literals: readonly Value[]; readonly negated: boolean }
  | { readonly kind: "startsWith"; readonly index: number; readonly prefix: string }
  | { readonly kind: "and" | "or"; readonly children: readonly BoundPredicate[] }
  | { readonly kind: "not"; readonly child: BoundPredicate }
  | { readonly kind: "const"; readonly value: boolean };

/**
 * Resolves `p` against `fields`. With `partial`, conditions on fields not in `fields`
 * become "true" (they cannot be checked at this level, e.g. a value filter seen by
 * partition pruning); otherwise an unknown field is an InvalidArgument error.
 */
export function bindPredicate(p: Predicate, fields: readonly DataField[], partial = false): BoundPredicate {
  const find = (name: string): number => {
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0 && !partial) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `unknown column "${name}" in filter`, { context: { column: name } });
    }
    return i;
  };
  switch (p.kind) {
    case "compare": {
      const i = find(p.field);
      return i < 0 ? { kind: "const", value: true } : { kind: "compare", index: i, type: fields[i]!.type, op: p.op, literal: p.literal };
    }
    case "isNull": {
      const i = find(p.field);
      return i < 0 ? { kind: "const", value: true } : { kind: "isNull", index: i, negated: p.negated };
    }
    case "in": {
      const i = find(p.field);
      return i < 0 ? { kind: "const", value: true } : { kind: "in", index: i, type: fields[i]!.type, literals: p.literals, negated: p.negated };
    }
    case "startsWith": {
      const i = find(p.field);
      return i < 0 ? { kind: "const", value: true } : { kind: "startsWith", index: i, prefix: p.prefix };
    }
    case "and":
    case "or":
      return { kind: p.kind, children: p.children.map((c) => bindPredicate(c, fields, partial)) };
    case "not":
      // Under NOT, "unknown field → true" would flip into "false" and wrongly prune.
      if (partial && !predicateFields(p.child).every((n) => fields.some((f) => f.name === n))) return { kind: "const", value: true };
      return { kind: "not", child: bindPredicate(p.child, fields, partial) };
  }
}

/** The field names a predicate mentions. */
export function predicateFields(p: Predicate): string[] {
  switch (p.kind) {
    case "and":
    case "or":
      return [...new Set(p.children.flatMap(predicateFields))];
    case "not":
      return predicateFields(p.child);
    default:
      return [p.field];
  }
}

function compareResult(op: CompareOp, c: number): boolean {
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

/** Three-valued evaluation on one row (values by position): true, false, or null (unknown). */
export function evaluate(p: BoundPredicate, row: readonly (Value | null)[]): boolean | null {
  switch (p.kind) {
    case "const":
      return p.value;
    case "compare": {
      const v = row[p.index] ?? null;
      return v === null ? null : compareResult(p.op, compareValues(p.type, v, p.literal));
    }
    case "isNull":
      return ((row[p.index] ?? null) === null) !== p.negated;
    case "in": {
      const v = row[p.index] ?? null;
      if (v === null) return null;
      const hit = p.literals.some((l) => compareValues(p.type, v, l) === 0);
      return hit !== p.negated;
    }
    case "startsWith": {
      const v = row[p.index] ?? null;
      return v === null ? null : (v as string).startsWith(p.prefix);
    }
    case "and": {
      let unknown = false;
      for (const c of p.children) {
        const r = evaluate(c, row);
        if (r === false) return false;
        if (r === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case "or": {
      let unknown = false;
      for (const c of p.children) {
        const r = evaluate(c, row);
        if (r === true) return true;
        if (r === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case "not": {
      const r = evaluate(p.child, row);
      return r === null ? null : !r;
    }
  }
}

/** Min/max/null-count statistics of one field over a file or row group. */
export interface FieldStats {
  readonly min: Value | null;
  readonly max: Value | null;
  /** null when unknown. */
  readonly nullCount: number | null;
}

/**
 * Whether any row summarized by `stats` (by field position) might satisfy `p`.
 * Conservative: unknown statistics never rule a file out.
 */
export function mightMatch(p: BoundPredicate, stats: readonly (FieldStats | undefined)[], rowCount: number): boolean {
  switch (p.kind) {
    case "const":
      return p.value;
    case "compare": {
      const s = stats[p.index];
      if (s === undefined) return true;
      if (s.nullCount !== null && s.nullCount >= rowCount) return false;
      if (s.min === null || s.max === null) return true;
      const lo = compareValues(p.type, p.literal, s.min);
      const hi = compareValues(p.type, p.literal, s.max);
      switch (p.op) {
        case "=":
          return lo >= 0 && hi <= 0;
        case "<>":
          return !(lo === 0 && hi === 0);
        case "<":
          return compareValues(p.type, s.min, p.literal) < 0;
        case "<=":
          return compareValues(p.type, s.min, p.literal) <= 0;
        case ">":
          return compareValues(p.type, s.max, p.literal) > 0;
        case ">=":
          return compareValues(p.type, s.max, p.literal) >= 0;
      }
      return true;
    }
    case "isNull": {
      const s = stats[p.index];
      if (s === undefined || s.nullCount === null) return true;
      return p.negated ? s.nullCount < rowCount : s.nullCount > 0;
    }
    case "in":
      if (p.negated) return true;
      return p.literals.some((literal) => mightMatch({ kind: "compare", index: p.index, type: p.type, op: "=", literal }, stats, rowCount));
    case "startsWith": {
      const s = stats[p.index];
      if (s === undefined || s.min === null || s.max === null) return true;
      // Truncated string stats (truncate(16)) are still bounds, so prefix checks stay conservative.
      // Strings starting with the prefix sort at or after it (in Paimon's UTF-8 byte
      // order): the file may hold one unless max is below the prefix, or min is above
      // every string with the prefix.
      const min = s.min as string;
      const max = s.max as string;
      if (compareUtf8(max, p.prefix) < 0) return false;
      return min.startsWith(p.prefix) || compareUtf8(min, p.prefix) < 0;
    }
    case "and":
      return p.children.every((c) => mightMatch(c, stats, rowCount));
    case "or":
      return p.children.some((c) => mightMatch(c, stats, rowCount));
    case "not":
      // Statistics cannot bound a negation in general.
      return true;
  }
}
