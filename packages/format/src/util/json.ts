/**
 * JSON as Java Paimon reads and writes it.
 *
 * - `parseJson` keeps 64-bit integers exact: an integer literal outside the
 *   safe-integer range comes back as a `bigint` (batch commits use Long.MAX_VALUE as
 *   their identifier, watermarks use Long.MIN_VALUE), everything else as in JSON.parse.
 * - `stringifyJackson` prints what Jackson's default pretty printer prints, so files
 *   we write look byte-for-byte like Java's: two-space indent, `"key" : value`, arrays
 *   inline with single spaces (`[ 1, 2 ]`, `[ {` ... `}, {` ... `} ]`), empty
 *   containers as `[ ]` and `{ }`, no trailing newline.
 */
import { dataInvalid } from "../errors.js";

export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

export function parseJson(text: string, file?: string): JsonValue {
  let i = 0;
  const fail = (message: string): never => {
    throw dataInvalid(`invalid JSON: ${message}`, { file, offset: i });
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  // Nesting is bounded so hostile input cannot exhaust the stack.
  const maxDepth = 512;
  const value = (depth: number): JsonValue => {
    if (depth > maxDepth) fail("nested too deeply");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, JsonValue> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const key = str();
        ws();
        if (text[i] !== ":") fail('expected ":"');
        i++;
        obj[key] = value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    return num();
  };
  const str = (): string => {
    const start = ++i;
    // Fast path: no escapes.
    const end = text.indexOf('"', start);
    if (end < 0) fail("unterminated string");
    const raw = text.slice(start, end);
    if (!raw.includes("\\")) {
      i = end + 1;
      return raw;
    }
    let out = "";
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === "\\") {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
            out += String.fromCharCode(Number.parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail("bad escape");
        }
      } else {
        out += ch;
        i++;
      }
    }
    return fail("unterminated string");
  };
  const num = (): number | bigint => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) fail("unexpected character");
    const lit = m![0];
    i += lit.length;
    if (m![2] === undefined && m![3] === undefined) {
      const n = Number(lit);
      return Number.isSafeInteger(n) ? n : BigInt(lit);
    }
    return Number(lit);
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail("trailing characters");
  return result;
}

export function stringifyJackson(value: JsonValue | undefined): string {
  const out: string[] = [];
  write(value ?? null, 0, out);
  return out.join("");
}

function write(value: JsonValue, indent: number, out: string[]): void {
  if (value === null) {
    out.push("null");
  } else if (typeof value === "string") {
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    out.push(Number.isInteger(value) ? String(value) : javaDouble(value));
  } else if (typeof value === "bigint" || typeof value === "boolean") {
    out.push(String(value));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[ ]");
      return;
    }
    out.push("[ ");
    value.forEach((v: JsonValue, k: number) => {
      if (k > 0) out.push(", ");
      write(v, indent, out);
    });
    out.push(" ]");
  } else {
    const entries = Object.entries(value as Record<string, JsonValue | undefined>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push("{ }");
      return;
    }
    const pad = "  ".repeat(indent + 1);
    out.push("{");
    entries.forEach(([k, v], n) => {
      out.push(n === 0 ? "\n" : ",\n", pad, JSON.stringify(k), " : ");
      write(v as JsonValue, indent + 1, out);
    });
    out.push("\n", "  ".repeat(indent), "}");
  }
}

/** Java prints doubles with a decimal point ("1.0", "1.5E10"). */
function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return JSON.stringify(String(v));
  const s = String(v);
  return s.includes(".") || s.includes("e") ? s.replace("e+", "E").replace("e-", "E-") : `${s}.0`;
}
