/**
 * Parses the filter people type after `--where` into a Predicate, with literals
 * typed by the column they are compared with:
 *
 *   expr    := or
 *   or      := and ("OR" and)*
 *   and     := unary ("AND" unary)*
 *   unary   := "NOT" unary | "(" expr ")" | compare
 *   compare := column op literal | column "IS" ["NOT"] "NULL"
 *            | column ["NOT"] "IN" "(" literal ("," literal)* ")"
 *            | column "BETWEEN" literal "AND" literal
 *            | column "LIKE" 'prefix%'
 *   op      := = | != | <> | < | <= | > | >=
 *   literal := number | 'string' ('' escapes a quote) | TRUE | FALSE | NULL
 *
 * Column names are plain identifiers or `back-quoted`. Errors are InvalidArgument
 * with the character offset.
 */
import { type DataField, ErrorKind, StreamhouseError, type Value, valueFromJson } from "@streamhouse/format";
import { type CompareOp, P, type Predicate } from "./predicate.js";

interface Tok {
  readonly t: "ident" | "qident" | "num" | "str" | "op" | "punct" | "end";
  readonly v: string;
  readonly pos: number;
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `${msg} in filter "${src}"`, { context: { offset: i } });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let v = "";
      for (;;) {
        if (j >= src.length) fail("unterminated string");
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += src[j++];
      }
      out.push({ t: "str", v, pos: i });
      i = j + 1;
    } else if (c === "`") {
      const j = src.indexOf("`", i + 1);
      if (j < 0) fail("unterminated quoted column name");
      out.push({ t: "qident", v: src.slice(i + 1, j), pos: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: "num", v: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "ident", v: m[0], pos: i });
      i += m[0].length;
    } else if (/[<>=!]/.test(c)) {
      const m = /^(<=|>=|<>|!=|=|<|>)/.exec(src.slice(i));
      if (m === null) fail(`unexpected "${c}"`);
      out.push({ t: "op", v: m![0], pos: i });
      i += m![0].length;
    } else if ("(),".includes(c)) {
      out.push({ t: "punct", v: c, pos: i });
      i++;
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  out.push({ t: "end", v: "", pos: src.length });
  return out;
}

export function parseWhere(src: string, fields: readonly DataField[]): Predicate {
  const toks = lex(src);
  let k = 0;
  const peek = (): Tok => toks[k]!;
  const fail = (msg: string): never => {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `${msg} in filter "${src}"`, { context: { offset: peek().pos } });
  };
  const isKw = (w: string): boolean => peek().t === "ident" && peek().v.toUpperCase() === w;
  const kw = (w: string): boolean => {
    if (!isKw(w)) return false;
    k++;
    return true;
  };
  const expectKw = (w: string): void => {
    if (!kw(w)) fail(`expected ${w}`);
  };
  const punct = (p: string): boolean => {
    if (peek().t === "punct" && peek().v === p) {
      k++;
      return true;
    }
    return false;
  };

  const column = (): DataField => {
    const t = peek();
    if (t.t !== "ident" && t.t !== "qident") fail("expected a column name");
    k++;
    const f = fields.find((x) => x.name === t.v) ?? (t.t === "ident" ? fields.find((x) => x.name.toLowerCase() === t.v.toLowerCase()) : undefined);
    if (f === undefined) fail(`unknown column "${t.v}"`);
    return f!;
  };

  const literal = (field: DataField): Value | null => {
    const t = peek();
    k++;
    if (t.t === "ident" && t.v.toUpperCase() === "NULL") return null;
    if (t.t === "ident" && (t.v.toUpperCase() === "TRUE" || t.v.toUpperCase() === "FALSE")) {
      return valueFromJson({ ...field.type, nullable: true }, t.v.toUpperCase() === "TRUE", field.name);
    }
    if (t.t === "num") {
      // BIGINT and DECIMAL take the digits as written, so no precision is lost on the way.
      const exact = field.type.root === "BIGINT" || field.type.root === "DECIMAL";
      return valueFromJson({ ...field.type, nullable: true }, exact ? t.v : Number(t.v), field.name);
    }
    if (t.t === "str") return valueFromJson({ ...field.type, nullable: true }, t.v, field.name);
    return fail("expected a literal");
  };

  const compare = (): Predicate => {
    const f = column();
    if (kw("IS")) {
      const negated = kw("NOT");
      expectKw("NULL");
      return negated ? P.isNotNull(f.name) : P.isNull(f.name);
    }
    const negated = kw("NOT");
    if (kw("IN")) {
      if (!punct("(")) fail('expected "("');
      const lits: Value[] = [];
      do {
        const v = literal(f);
        if (v !== null) lits.push(v);
      } while (punct(","));
      if (!punct(")")) fail('expected ")"');
      return { kind: "in", field: f.name, literals: lits, negated };
    }
    if (negated) fail("expected IN after NOT");
    if (kw("BETWEEN")) {
      const lo = literal(f);
      expectKw("AND");
      const hi = literal(f);
      if (lo === null || hi === null) fail("BETWEEN needs non-null bounds");
      return P.and(P.compare(f.name, ">=", lo!), P.compare(f.name, "<=", hi!));
    }
    if (kw("LIKE")) {
      const t = peek();
      if (t.t !== "str") fail("expected a string after LIKE");
      k++;
      const m = /^([^%_]*)%$/.exec(t.v);
      if (m === null) {
        if (!/[%_]/.test(t.v)) return P.eq(f.name, t.v);
        return fail("only LIKE 'prefix%' is supported");
      }
      return P.startsWith(f.name, m![1]!);
    }
    const op = peek();
    if (op.t !== "op") fail("expected a comparison operator");
    k++;
    const v = literal(f);
    if (v === null) fail("compare with NULL using IS NULL");
    const norm: CompareOp = op.v === "!=" ? "<>" : (op.v as CompareOp);
    return P.compare(f.name, norm, v!);
  };

  const unary = (): Predicate => {
    if (kw("NOT")) return P.not(unary());
    if (punct("(")) {
      const e = or();
      if (!punct(")")) fail('expected ")"');
      return e;
    }
    return compare();
  };
  const and = (): Predicate => {
    const parts = [unary()];
    while (kw("AND")) parts.push(unary());
    return P.and(...parts);
  };
  const or = (): Predicate => {
    const parts = [and()];
    while (kw("OR")) parts.push(and());
    return P.or(...parts);
  };

  const result = or();
  if (peek().t !== "end") fail(`unexpected "${peek().v}"`);
  return result;
}
