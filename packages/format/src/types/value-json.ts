/**
 * Values as JSON, the way Streamhouse shows and accepts rows (NDJSON in the CLI, JSON
 * fixtures in tests). The mapping (DESIGN.md, "CLI contract"):
 *
 * | type                         | JSON                                                  |
 * |------------------------------|-------------------------------------------------------|
 * | BOOLEAN                      | true / false                                          |
 * | TINYINT … INT, FLOAT, DOUBLE | number (NaN and ±Infinity as strings)                 |
 * | BIGINT                       | number when |v| ≤ 2^53, else a string of digits        |
 * | DECIMAL                      | string "123.45"                                       |
 * | CHAR, VARCHAR                | string                                                |
 * | BINARY, VARBINARY, BLOB      | base64 string                                         |
 * | DATE                         | "YYYY-MM-DD"                                          |
 * | TIME                         | "HH:MM:SS[.fff]"                                      |
 * | TIMESTAMP(p), _LTZ(p)        | ISO-8601 "YYYY-MM-DDTHH:MM:SS[.f…]" (p digits), UTC   |
 * | ARRAY, VECTOR                | array                                                 |
 * | MULTISET                     | array of [element, count]                             |
 * | MAP                          | array of [key, value] pairs                           |
 * | ROW                          | object keyed by field name                            |
 * | VARIANT                      | {"value": base64, "metadata": base64}                 |
 */
import { dataInvalid, withErrorContext } from "../errors.js";
import type { DataType } from "./data-type.js";
import { Dates, type Decimal, Decimals, type Timestamp, Timestamps, type Value, type Variant } from "./values.js";

export type JsonOut = null | boolean | number | string | JsonOut[] | { [key: string]: JsonOut };

const TWO_53 = 2n ** 53n;

export function valueToJson(type: DataType, value: Value | null): JsonOut {
  if (value === null) return null;
  switch (type.root) {
    case "BOOLEAN":
    case "CHAR":
    case "VARCHAR":
      return value as boolean | string;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      return value as number;
    case "FLOAT":
    case "DOUBLE": {
      const n = value as number;
      return Number.isFinite(n) ? n : String(n);
    }
    case "BIGINT": {
      const b = value as bigint;
      return b <= TWO_53 && b >= -TWO_53 ? Number(b) : b.toString();
    }
    case "DECIMAL":
      return Decimals.toString(value as Decimal);
    case "BINARY":
    case "VARBINARY":
    case "BLOB":
      return toBase64(value as Uint8Array);
    case "DATE":
      return Dates.toString(value as number);
    case "TIME":
      return timeToString(value as number, type.precision);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return Timestamps.toString(value as Timestamp, type.precision);
    case "ARRAY":
    case "VECTOR":
      return (value as readonly (Value | null)[]).map((v) => valueToJson(type.element, v));
    case "MULTISET":
      return (value as readonly (readonly [Value | null, Value | null])[]).map(([k, c]) => [valueToJson(type.element, k), c as number]);
    case "MAP":
      return (value as readonly (readonly [Value | null, Value | null])[]).map(([k, v]) => [valueToJson(type.key, k), valueToJson(type.value, v)]);
    case "ROW": {
      const row = value as readonly (Value | null)[];
      const out: { [key: string]: JsonOut } = {};
      type.fields.forEach((f, i) => {
        out[f.name] = valueToJson(f.type, row[i] ?? null);
      });
      return out;
    }
    case "VARIANT": {
      const v = value as Variant;
      return { value: toBase64(v.value), metadata: toBase64(v.metadata) };
    }
  }
}

/** Parses the JSON form back into a value of `type`; throws DataInvalid naming `path`. */
export function valueFromJson(type: DataType, json: unknown, path = "value"): Value | null {
  if (json === null || json === undefined) {
    if (!type.nullable) throw dataInvalid(`${path} is null but the type is NOT NULL`, { path });
    return null;
  }
  const fail = (expected: string): never => {
    throw dataInvalid(`${path} must be ${expected}, got ${JSON.stringify(json)?.slice(0, 60)}`, { path });
  };
  switch (type.root) {
    case "BOOLEAN":
      return typeof json === "boolean" ? json : fail("a boolean");
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const n = typeof json === "string" && /^-?\d+$/.test(json) ? Number(json) : json;
      if (typeof n !== "number" || !Number.isInteger(n)) return fail("an integer");
      const bits = type.root === "TINYINT" ? 8 : type.root === "SMALLINT" ? 16 : 32;
      const lim = 2 ** (bits - 1);
      if (n < -lim || n >= lim) return fail(`an integer that fits ${type.root}`);
      return n;
    }
    case "BIGINT": {
      let b: bigint;
      if (typeof json === "number" && Number.isSafeInteger(json)) b = BigInt(json);
      else if (typeof json === "string" && /^-?\d+$/.test(json)) b = BigInt(json);
      else if (typeof json === "bigint") b = json;
      else return fail("an integer (a string beyond 2^53)");
      if (b < -(2n ** 63n) || b >= 2n ** 63n) return fail("an integer that fits BIGINT");
      return b;
    }
    case "FLOAT":
    case "DOUBLE":
      if (typeof json === "number") return json;
      if (json === "NaN" || json === "Infinity" || json === "-Infinity") return Number(json);
      return fail("a number");
    case "DECIMAL":
      if (typeof json !== "string" && typeof json !== "number") return fail("a decimal string");
      return withErrorContext({ path }, () => Decimals.parse(String(json), type.precision, type.scale));
    case "CHAR":
    case "VARCHAR":
      if (typeof json !== "string") return fail("a string");
      if ([...json].length > type.length) return fail(`a string of at most ${type.length} characters`);
      return json;
    case "BINARY":
    case "VARBINARY":
    case "BLOB":
      return typeof json === "string" ? fromBase64(json, path) : fail("a base64 string");
    case "DATE":
      return typeof json === "string" ? withErrorContext({ path }, () => Dates.parse(json)) : fail('a date "YYYY-MM-DD"');
    case "TIME":
      return typeof json === "string" ? timeFromString(json, path) : fail('a time "HH:MM:SS"');
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      if (typeof json === "number") return Timestamps.fromMillis(json);
      return typeof json === "string" ? withErrorContext({ path }, () => Timestamps.parse(json)) : fail("an ISO-8601 timestamp");
    case "ARRAY":
    case "VECTOR":
      if (!Array.isArray(json)) return fail("an array");
      return json.map((v, i) => valueFromJson(type.element, v, `${path}[${i}]`));
    case "MULTISET":
    case "MAP": {
      if (!Array.isArray(json)) return fail("an array of [key, value] pairs");
      const keyType = type.root === "MAP" ? type.key : type.element;
      return json.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) return fail("an array of [key, value] pairs");
        const k = valueFromJson(keyType, pair[0], `${path}[${i}][0]`);
        const v = type.root === "MAP" ? valueFromJson(type.value, pair[1], `${path}[${i}][1]`) : (pair[1] as number);
        return [k, v] as const;
      });
    }
    case "ROW": {
      if (typeof json !== "object" || Array.isArray(json)) return fail("an object");
      const obj = json as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        if (!type.fields.some((f) => f.name === k)) throw dataInvalid(`${path} has unknown field "${k}"`, { path });
      }
      return type.fields.map((f) => valueFromJson(f.type, obj[f.name] ?? null, `${path}.${f.name}`));
    }
    case "VARIANT": {
      if (typeof json !== "object" || Array.isArray(json)) return fail("an object with value and metadata");
      const o = json as Record<string, unknown>;
      if (typeof o["value"] !== "string" || typeof o["metadata"] !== "string") return fail("an object with value and metadata");
      return { value: fromBase64(o["value"], path), metadata: fromBase64(o["metadata"], path) };
    }
  }
}

function timeToString(ms: number, precision: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const base = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return precision > 0 ? `${base}.${String(ms % 1000).padStart(3, "0").slice(0, Math.min(3, precision))}` : base;
}

function timeFromString(text: string, path: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (m === null) throw dataInvalid(`${path} must be a time "HH:MM:SS", got "${text}"`, { path });
  return Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3] ?? 0) * 1000 + Number((m[4] ?? "").padEnd(3, "0").slice(0, 3));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : B64[c & 63]!;
  }
  return out;
}

export function fromBase64(text: string, path = "value"): Uint8Array {
  const clean = text.replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) throw dataInvalid(`${path} is not valid base64`, { path });
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
