/**
 * Partition names as Hive writes them: `k1=v1/k2=v2`, each key and value
 * escaped so that it is one safe path segment. The escaped set is Hive's
 * (FileUtils.escapePathName, Hive 4.0): control characters, DEL, and the
 * characters listed in ESCAPED below, written as `%XX` with upper-case hex. An empty or null
 * value becomes the default partition name.
 *
 * This differs from Paimon's partition paths (`@streamhouse/format`, partition-path.ts)
 * on purpose: Hive does not escape `}` and its default partition is
 * `__HIVE_DEFAULT_PARTITION__`, where Paimon escapes `}` and uses `__DEFAULT_PARTITION__`.
 */
import { ErrorKind, StreamhouseError, unescapePathName } from "@streamhouse/format";

export const DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__";

const ESCAPED = new Set(['"', "#", "%", "'", "*", "/", ":", "=", "?", "\\", "\u007f", "{", "[", "]", "^"]);

function needsEscape(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x1f || ESCAPED.has(c);
}

export function escapePathName(s: string | null | undefined): string {
  if (s === null || s === undefined || s === "") return DEFAULT_PARTITION_NAME;
  let out = "";
  for (const c of s) {
    out += c.length === 1 && needsEscape(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}` : c;
  }
  return out;
}

/** Reverses the escaping; the same for Hive's and Paimon's sets, so shared with the format package. */
export { unescapePathName };

/** `k1=v1/k2=v2` from partition keys and values (keys lower-cased). */
export function makePartitionName(keys: readonly string[], values: readonly (string | null | undefined)[]): string {
  if (keys.length !== values.length) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `partition has ${values.length} values for ${keys.length} partition keys`, {
      context: { keys: keys.join(",") },
    });
  }
  return keys.map((k, i) => `${escapePathName(k.toLowerCase())}=${escapePathName(values[i])}`).join("/");
}

/** The (key, value) pairs of a partition name, unescaped, in order. */
export function parsePartitionName(name: string): [string, string][] {
  if (name === "") throw new StreamhouseError(ErrorKind.InvalidArgument, "empty partition name");
  return name.split("/").map((segment) => {
    const eq = segment.indexOf("=");
    if (eq <= 0) throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid partition name segment '${segment}'`, { context: { name } });
    return [unescapePathName(segment.slice(0, eq)), unescapePathName(segment.slice(eq + 1))];
  });
}

/** The values of `name` in the order of `keys`; the name must name exactly those keys. */
export function partitionValuesFromName(keys: readonly string[], name: string): string[] {
  const pairs = parsePartitionName(name);
  if (pairs.length !== keys.length || pairs.some(([k], i) => k.toLowerCase() !== keys[i]!.toLowerCase())) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `partition name '${name}' does not match partition keys (${keys.join(", ")})`);
  }
  return pairs.map(([, v]) => v);
}
