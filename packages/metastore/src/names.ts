/**
 * Names as clients send them, and the rules they must follow.
 *
 * Hive 3/4 clients prefix database names in old-style calls with their
 * catalog: `@hive#default` (marker `@`, separator `#`); `@hive#` alone means
 * "every database of catalog hive" where a pattern is expected. Names are
 * case-insensitive and stored lower-case, as Hive does.
 *
 * Database and table names become directory names under the warehouse, so
 * creating one requires letters, digits and `_` only: no `..`, `/`, `\`,
 * control characters or anything else that could steer a path.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export const DEFAULT_CATALOG = "hive";
const CATALOG_MARKER = "@";
const CATALOG_SEPARATOR = "#";
const NAME_LENGTH_MAX = 128;
const VALID_NAME = /^[\p{L}\p{N}_]+$/u;

export interface QualifiedDb {
  readonly catalog: string;
  /** undefined when the client sent `@cat#` (all databases). */
  readonly db: string | undefined;
}

/** Splits `@cat#db` into its parts; a plain name is in the default catalog. */
export function parseDbName(raw: string | null | undefined, defaultCatalog = DEFAULT_CATALOG): QualifiedDb {
  const name = raw ?? "";
  if (name.startsWith(CATALOG_MARKER)) {
    const sep = name.indexOf(CATALOG_SEPARATOR);
    if (sep < 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, "catalog-prefixed name lacks the '#' separator", { context: { name } });
    }
    const catalog = name.slice(1, sep).toLowerCase();
    const db = name.slice(sep + 1);
    return { catalog: catalog === "" ? defaultCatalog : catalog, db: db === "" ? undefined : db.toLowerCase() };
  }
  return { catalog: defaultCatalog, db: name === "" ? undefined : name.toLowerCase() };
}

/** Like parseDbName, but a database is required. */
export function requireDbName(raw: string | null | undefined, catalogOverride?: string | null): { catalog: string; db: string } {
  const q = parseDbName(raw);
  if (q.db === undefined) throw new StreamhouseError(ErrorKind.InvalidArgument, "a database name is required", { context: { name: raw ?? "" } });
  const catalog = catalogOverride ? catalogOverride.toLowerCase() : q.catalog;
  return { catalog, db: q.db };
}

export function normalizeName(name: string | null | undefined): string {
  return (name ?? "").toLowerCase();
}

/** Throws InvalidArgument unless `name` is safe as a database or table name. */
export function validateObjectName(what: "database" | "table" | "catalog", name: string | null | undefined): string {
  const n = name ?? "";
  if (n.length === 0 || n.length > NAME_LENGTH_MAX || !VALID_NAME.test(n)) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid ${what} name '${printable(n)}': use 1 to ${NAME_LENGTH_MAX} letters, digits or '_'`, {
      context: { object: what },
    });
  }
  return n.toLowerCase();
}

/** The name with control characters made visible, for error messages. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).slice(0, 200);
}

/**
 * Hive's name patterns: alternatives separated by `|`, `*` matching any run of
 * characters, `.` any one character, case-insensitive. Matched without a regex
 * engine so that no client pattern can cost more than O(pattern × name).
 */
export function matchesPattern(pattern: string | null | undefined, name: string): boolean {
  if (pattern === null || pattern === undefined || pattern === "") return true;
  const lower = name.toLowerCase();
  return pattern
    .toLowerCase()
    .split("|")
    .some((alt) => globMatch(alt.trim(), lower));
}

function globMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc !== undefined && pc !== "*" && (pc === "." || pc === s[si])) {
      pi++;
      si++;
    } else if (pc === "*") {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}
