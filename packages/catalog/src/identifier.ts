/**
 * Database and table names: the rules they follow and the `db.table` form.
 *
 * Names are case-insensitive and kept lower-case, as Hive keeps them (Paimon's
 * Hive catalog is case-insensitive by default too). Both kinds of name become
 * directory names (`<warehouse>/<db>.db/<table>`), so they may hold letters,
 * digits and `_` only — the rule our metastore applies (packages/metastore
 * names.ts): no `.`, `/`, `\`, `..` or control characters that could steer a
 * path, and no `$`, which Paimon reserves for system tables (`t$snapshots`).
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { Identifier } from "./catalog.js";

export const NAME_LENGTH_MAX = 128;
const VALID_NAME = /^[\p{L}\p{N}_]+$/u;
/** What an argument must look like to be taken as a `db.table` name rather than a path. */
const TABLE_NAME_SHAPE = /^[\p{L}\p{N}_]+\.[\p{L}\p{N}_]+$/u;

/** The name with control characters made visible and cut short, for messages. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).slice(0, 200);
}

/** The lower-cased name; InvalidArgument unless it is 1–128 letters, digits or `_`. */
export function normalizeName(what: "database" | "table", name: string): string {
  if (name.length === 0 || name.length > NAME_LENGTH_MAX || !VALID_NAME.test(name)) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid ${what} name '${printable(name)}': use 1 to ${NAME_LENGTH_MAX} letters, digits or '_'`, {
      context: { object: what },
    });
  }
  return name.toLowerCase();
}

/** A validated, lower-cased identifier. */
export function identifier(database: string, table: string): Identifier {
  return { database: normalizeName("database", database), table: normalizeName("table", table) };
}

/** Parses `db.table`; InvalidArgument for anything else (no dot, two dots, bad names). */
export function parseIdentifier(text: string): Identifier {
  const dot = text.indexOf(".");
  if (dot < 0 || dot !== text.lastIndexOf(".")) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `'${printable(text)}' is not a table name of the form database.table`, { context: { name: printable(text) } });
  }
  return identifier(text.slice(0, dot), text.slice(dot + 1));
}

/** Whether `text` has the shape of a `db.table` name (it may still also be a path). */
export function looksLikeTableName(text: string): boolean {
  return TABLE_NAME_SHAPE.test(text);
}

/** `db.table`, for messages. */
export function fullName(id: Identifier): string {
  return `${id.database}.${id.table}`;
}
