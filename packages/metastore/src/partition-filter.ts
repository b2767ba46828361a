/**
 * Hive's partition filter language, as sent to get_partitions_by_filter:
 *
 *   expr    := and ("OR" and)*
 *   and     := unary ("AND" unary)*
 *   unary   := "NOT" unary | "(" expr ")" | test
 *   test    := key op value | value op key
 *            | key ["NOT"] "BETWEEN" value "AND" value
 *            | key ["NOT"] "IN" "(" value ("," value)* ")"
 *            | key ["NOT"] "LIKE" value
 *   op      := "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *   value   := 'string' | "string" | integer | DATE 'yyyy-mm-dd' | TIMESTAMP '...'
 *
 * Keywords are case-insensitive; keys may be back-quoted. Parsing is pure and
 * separate from evaluation, which compares numerically when the partition
 * column is an integer type and the literal is a number, and as strings
 * otherwise (dates in ISO form order correctly as strings).
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { DEFAULT_PARTITION_NAME } from "./partition-names.js";

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type FilterLiteral = { readonly kind: "string"; readonly value: string } | { readonly kind: "number"; readonly value: bigint };

export type FilterNode =
  | { readonly kind: "and" | "or"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "not"; readonly operand: FilterNode }
  | { readonly kind: "compare"; readonly key: string; readonly op: CompareOp; readonly value: FilterLiteral }
  | { readonly kind: "like"; readonly key: string; readonly pattern: string }
  | { readonly kind: "between"; readonly key: string; readonly low: FilterLiteral; readonly high: FilterLiteral }
  | { readonly kind: "in"; readonly key: string; readonly values: readonly FilterLiteral[] };

const FILTER_LENGTH_MAX = 64 * 1024;
const DEPTH_MAX = 200;

type Token =
  | { t: "ident"; v: string; quoted: boolean }
  | { t: "string"; v: string }
  | { t: "number"; v: bigint }
  | { t: "op"; v: string }
  | { t: "punct"; v: "(" | ")" | "," }
  | { t: "end" };

function invalid(message: string, filter: string, offset?: number): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, `invalid partition filter: ${message}`, {
    context: { filter: filter.slice(0, 200), offset },
  });
}

function tokenize(src: string): { tokens: Token[]; offsets: number[] } {
  const tokens: Token[] = [];
  const offsets: number[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    offsets.push(i);
    if (c === "'" || c === '"') {
      let v = "";
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw invalid("unterminated string", src, i);
        const d = src[j]!;
        if (d === "\\" && j + 1 < src.length) {
          v += src[j + 1];
          j += 2;
        } else if (d === c) {
          j++;
          break;
        } else {
          v += d;
          j++;
        }
      }
      tokens.push({ t: "string", v });
      i = j;
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) throw invalid("unterminated quoted identifier", src, i);
      tokens.push({ t: "ident", v: src.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      tokens.push({ t: "number", v: BigInt(src.slice(i, j)) });
      i = j;
    } else if (/[\p{L}_$]/u.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\p{L}\p{N}_$.]/u.test(src[j]!)) j++;
      tokens.push({ t: "ident", v: src.slice(i, j), quoted: false });
      i = j;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ t: "punct", v: c });
      i++;
    } else {
      const two = src.slice(i, i + 2);
      if (two === "<=" || two === ">=" || two === "<>" || two === "!=" || two === "==") {
        tokens.push({ t: "op", v: two });
        i += 2;
      } else if (c === "=" || c === "<" || c === ">") {
        tokens.push({ t: "op", v: c });
        i++;
      } else {
        throw invalid(`unexpected character '${c}'`, src, i);
      }
    }
  }
  offsets.push(src.length);
  tokens.push({ t: "end" });
  return { tokens, offsets };
}

const OPS: Record<string, CompareOp> = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const FLIPPED: Record<CompareOp, CompareOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

export function parsePartitionFilter(filter: string): FilterNode | undefined {
  if (filter.length > FILTER_LENGTH_MAX) throw invalid(`longer than ${FILTER_LENGTH_MAX} characters`, filter);
  if (filter.trim() === "") return undefined;
  const { tokens, offsets } = tokenize(filter);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos]!;
  const fail = (message: string): never => {
    throw invalid(message, filter, offsets[pos]);
  };
  const isKeyword = (tok: Token, kw: string): boolean => tok.t === "ident" && !tok.quoted && tok.v.toUpperCase() === kw;
  const eatKeyword = (kw: string): boolean => {
    if (isKeyword(peek(), kw)) {
      pos++;
      return true;
    }
    return false;
  };
  const literal = (): FilterLiteral | undefined => {
    const tok = peek();
    if (tok.t === "string") {
      pos++;
      return { kind: "string", value: tok.v };
    }
    if (tok.t === "number") {
      pos++;
      return { kind: "number", value: tok.v };
    }
    if ((isKeyword(tok, "DATE") || isKeyword(tok, "TIMESTAMP")) && tokens[pos + 1]?.t === "string") {
      const s = tokens[pos + 1] as { v: string };
      pos += 2;
      return { kind: "string", value: s.v };
    }
    return undefined;
  };
  const requireLiteral = (): FilterLiteral => literal() ?? fail("expected a value");
  const key = (): string | undefined => {
    const tok = peek();
    if (tok.t === "ident" && !isKeyword(tok, "DATE") && !isKeyword(tok, "TIMESTAMP")) {
      pos++;
      return tok.v.toLowerCase();
    }
    return undefined;
  };

  const test = (): FilterNode => {
    const lit = literal();
    if (lit !== undefined) {
      const opTok = peek();
      if (opTok.t !== "op") return fail("expected a comparison operator");
      pos++;
      const k = key() ?? fail("expected a partition key");
      return { kind: "compare", key: k, op: FLIPPED[OPS[opTok.v]!], value: lit };
    }
    const k = key() ?? fail("expected a partition key or a value");
    const opTok = peek();
    if (opTok.t === "op") {
      pos++;
      return { kind: "compare", key: k, op: OPS[opTok.v]!, value: requireLiteral() };
    }
    const negated = eatKeyword("NOT");
    let node: FilterNode;
    if (eatKeyword("LIKE")) {
      const p = requireLiteral();
      if (p.kind !== "string") fail("LIKE needs a string pattern");
      node = { kind: "like", key: k, pattern: String(p.value) };
    } else if (eatKeyword("BETWEEN")) {
      const low = requireLiteral();
      if (!eatKeyword("AND")) fail("expected AND in BETWEEN");
      node = { kind: "between", key: k, low, high: requireLiteral() };
    } else if (eatKeyword("IN")) {
      const open = peek();
      if (open.t !== "punct" || open.v !== "(") fail("expected '(' after IN");
      pos++;
      const values = [requireLiteral()];
      for (;;) {
        const tok = peek();
        if (tok.t === "punct" && tok.v === ",") {
          pos++;
          values.push(requireLiteral());
        } else if (tok.t === "punct" && tok.v === ")") {
          pos++;
          break;
        } else {
          fail("expected ',' or ')' in IN list");
        }
      }
      node = { kind: "in", key: k, values };
    } else {
      return fail("expected an operator, LIKE, BETWEEN or IN");
    }
    return negated ? { kind: "not", operand: node } : node;
  };

  const unary = (): FilterNode => {
    if (++depth > DEPTH_MAX) fail(`nested deeper than ${DEPTH_MAX}`);
    try {
      if (eatKeyword("NOT")) return { kind: "not", operand: unary() };
      const tok = peek();
      if (tok.t === "punct" && tok.v === "(") {
        pos++;
        const inner = or();
        const close = peek();
        if (close.t !== "punct" || close.v !== ")") fail("expected ')'");
        pos++;
        return inner;
      }
      return test();
    } finally {
      depth--;
    }
  };
  const and = (): FilterNode => {
    let left = unary();
    while (eatKeyword("AND")) left = { kind: "and", left, right: unary() };
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (eatKeyword("OR")) left = { kind: "or", left, right: and() };
    return left;
  };

  const tree = or();
  if (peek().t !== "end") fail("unexpected text after the filter");
  return tree;
}

const INTEGER_TYPES = new Set(["tinyint", "smallint", "int", "integer", "bigint"]);

export interface PartitionColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * A predicate over partition values (in key order) for `filter`. Throws
 * InvalidArgument for a key that is not a partition key, as Hive does, so that
 * clients fall back to listing partitions.
 */
export function compilePartitionFilter(filter: string, columns: readonly PartitionColumn[]): (values: readonly string[]) => boolean {
  const tree = parsePartitionFilter(filter);
  if (tree === undefined) return () => true;
  const index = new Map(columns.map((c, i) => [c.name.toLowerCase(), i] as const));
  const check = (node: FilterNode): void => {
    switch (node.kind) {
      case "and":
      case "or":
        check(node.left);
        check(node.right);
        return;
      case "not":
        check(node.operand);
        return;
      default:
        if (!index.has(node.key)) throw invalid(`'${node.key}' is not a partition key`, filter);
    }
  };
  check(tree);
  const isInteger = columns.map((c) => INTEGER_TYPES.has(c.type.trim().toLowerCase()));
  return (values) => evaluate(tree, values, index, isInteger);
}

function compareValue(raw: string, lit: FilterLiteral, integer: boolean): number | undefined {
  if (raw === DEFAULT_PARTITION_NAME) return undefined;
  if (integer && lit.kind === "number") {
    if (!/^-?[0-9]+$/.test(raw.trim())) return undefined;
    const v = BigInt(raw.trim());
    return v < lit.value ? -1 : v > lit.value ? 1 : 0;
  }
  const s = String(lit.value);
  return raw < s ? -1 : raw > s ? 1 : 0;
}

function likeMatches(value: string, pattern: string): boolean {
  // SQL wildcards, plus the `.*` / `*` forms Hive's own filters use.
  let p = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "%" || c === "*") p += "\u0000";
    else if (c === "." && pattern[i + 1] === "*") {
      p += "\u0000";
      i++;
    } else if (c === "_") p += "\u0001";
    else p += c;
  }
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < value.length) {
    const pc = p[pi];
    if (pc !== undefined && pc !== "\u0000" && (pc === "\u0001" || pc === value[si])) {
      pi++;
      si++;
    } else if (pc === "\u0000") {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else return false;
  }
  while (p[pi] === "\u0000") pi++;
  return pi === p.length;
}

function evaluate(node: FilterNode, values: readonly string[], index: ReadonlyMap<string, number>, isInteger: readonly boolean[]): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, values, index, isInteger) && evaluate(node.right, values, index, isInteger);
    case "or":
      return evaluate(node.left, values, index, isInteger) || evaluate(node.right, values, index, isInteger);
    case "not":
      return !evaluate(node.operand, values, index, isInteger);
    default: {
      const i = index.get(node.key)!;
      const raw = values[i] ?? "";
      const integer = isInteger[i] ?? false;
      switch (node.kind) {
        case "compare": {
          const c = compareValue(raw, node.value, integer);
          if (c === undefined) return false;
          switch (node.op) {
            case "=":
              return c === 0;
            case "!=":
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
          return false;
        }
        case "like":
          return raw !== DEFAULT_PARTITION_NAME && likeMatches(raw, node.pattern);
        case "between": {
          const lo = compareValue(raw, node.low, integer);
          const hi = compareValue(raw, node.high, integer);
          return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
        }
        case "in":
          return node.values.some((v) => compareValue(raw, v, integer) === 0);
      }
    }
  }
}
