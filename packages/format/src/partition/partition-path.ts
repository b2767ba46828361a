/**
 * Partition directories `k1=v1/k2=v2/` with Hive's path escaping (mirrors
 * `org.apache.paimon.utils.PartitionPathUtils` and `InternalRowPartitionComputer`,
 * release 2.0.0).
 *
 * Escaping turns each of these characters into `%XX` (two upper-case hex digits):
 * the control characters U+0000–U+001F and U+007F, and `" # % ' * / : = ? \ { } [ ] ^`.
 * Everything else, including non-ASCII, stays as it is. A null value (or, as
 * in Paimon, an empty string) is written as the default partition name,
 * `__DEFAULT_PARTITION__` unless the table sets `partition.default-name`.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";
import type { DataType } from "../types/data-type.js";
import { Dates, type Decimal, Decimals, type Timestamp, Timestamps, type Value } from "../types/values.js";

const ESCAPED = new Set<number>();
for (let c = 0; c < 0x20; c++) ESCAPED.add(c);
for (const ch of `"#%'*/:=?\\{}[]^\u007f`) ESCAPED.add(ch.charCodeAt(0));

export function escapePathName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    out += ESCAPED.has(c) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : name[i];
  }
  return out;
}

/** Reverses escapePathName; a `%` not followed by two hex digits is kept as it is (as Hive does). */
export function unescapePathName(path: string): string {
  let out = "";
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === "%" && /^[0-9a-fA-F]{2}$/.test(path.slice(i + 1, i + 3))) {
      out += String.fromCharCode(Number.parseInt(path.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += ch;
    }
  }
  return out;
}

/** One partition as ordered (name, string value or null) pairs. */
export type PartitionSpec = readonly (readonly [string, string | null])[];

/** `k1=v1/k2=v2/` for a partition (empty string for an unpartitioned table). */
export function partitionPath(spec: PartitionSpec, defaultName = "__DEFAULT_PARTITION__"): string {
  let out = "";
  for (const [name, value] of spec) {
    const v = value === null || value === "" ? defaultName : value;
    out += `${escapePathName(name)}=${escapePathName(v)}/`;
  }
  return out;
}

/** Parses `k1=v1/k2=v2` (trailing slash optional) back to pairs; the default name becomes null. */
export function parsePartitionPath(path: string, defaultName = "__DEFAULT_PARTITION__"): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const part of path.split("/")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `not a partition directory: "${part}"`, { context: { path } });
    }
    const value = unescapePathName(part.slice(eq + 1));
    out.push([unescapePathName(part.slice(0, eq)), value === defaultName ? null : value]);
  }
  return out;
}

/**
 * The string a partition value has in paths and in the metastore. With
 * `partition.legacy-name=true` (Paimon's default) values are printed the way Java's
 * `toString` prints the internal value — so a DATE is its day number; with `false`
 * they are cast to strings as SQL would (`2024-01-31`, `2024-01-31 10:00:00`).
 */
export function partitionValueToString(type: DataType, value: Value | null, legacyName = true): string | null {
  if (value === null) return null;
  switch (type.root) {
    case "DATE":
      return legacyName ? String(value) : Dates.toString(value as number);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return legacyName ? javaLocalDateTimeString(value as Timestamp) : sqlTimestampString(value as Timestamp, type.precision);
    case "DECIMAL":
      return Decimals.toString(value as Decimal);
    case "BINARY":
    case "VARBINARY":
      return new TextDecoder().decode(value as Uint8Array);
    case "FLOAT":
    case "DOUBLE": {
      const n = value as number;
      return Number.isInteger(n) ? `${n}.0` : String(n);
    }
    default:
      return String(value);
  }
}

/** LocalDateTime.toString: seconds and fraction omitted when zero, fraction in 3/6/9 digits. */
function javaLocalDateTimeString(t: Timestamp): string {
  const full = Timestamps.toString(t, 9);
  const [date, time] = full.split("T") as [string, string];
  const [hms, frac = ""] = time.split(".");
  const [h, m, s] = hms!.split(":");
  const trimmed = frac.replace(/0+$/, "");
  if (trimmed === "" && s === "00") return `${date}T${h}:${m}`;
  if (trimmed === "") return `${date}T${hms}`;
  const digits = trimmed.length <= 3 ? 3 : trimmed.length <= 6 ? 6 : 9;
  return `${date}T${hms}.${frac.slice(0, digits)}`;
}

function sqlTimestampString(t: Timestamp, precision: number): string {
  return Timestamps.toString(t, precision).replace("T", " ");
}
