/**
 * The table filters of get_table_names_by_filter. Hive's clients send them in
 * the partition filter language (partition-filter.ts), over these keys:
 *
 *   hive_filter_field_tablename__       the table's name (Hive 4.1's getTables sends
 *                                       `hive_filter_field_tablename__ like "<pattern>"`)
 *   hive_filter_field_owner__           the table's owner (a string)
 *   hive_filter_field_last_access__     its last access time (an integer)
 *   hive_filter_field_params__<name>    the value of its parameter <name>
 *
 * LIKE takes a Java regular expression matched against the whole value, as
 * in Hive (an optional leading `(?i)` makes it case-insensitive). An empty
 * filter matches every table. A table without the parameter a test names
 * fails that test (as in Hive, `=` and `<>` only see tables that have the
 * key). Any other key is refused with a MetaException.
 */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { type FilterLiteral, type FilterNode, parsePartitionFilter } from "./partition-filter.js";

export const FILTER_FIELD_TABLE_NAME = "hive_filter_field_tablename__";
export const FILTER_FIELD_OWNER = "hive_filter_field_owner__";
export const FILTER_FIELD_LAST_ACCESS = "hive_filter_field_last_access__";
export const FILTER_FIELD_PARAMS = "hive_filter_field_params__";

function metaError(message: string): Error {
  return new T.MetaException({ message }) as unknown as Error;
}

function literalText(lit: FilterLiteral): string {
  return String(lit.value);
}

/** Java's String.matches: the whole value, with an optional leading (?i) flag. */
function regexOf(pattern: string): RegExp {
  const caseless = pattern.startsWith("(?i)");
  const body = caseless ? pattern.slice(4) : pattern;
  try {
    return new RegExp(`^(?:${body})$`, caseless ? "is" : "s");
  } catch (e) {
    throw metaError(`Unsupported LIKE pattern "${pattern.slice(0, 200)}" in table filter: ${(e as Error).message}`);
  }
}

function compare(raw: string, lit: FilterLiteral, integer: boolean): number | undefined {
  if (integer && lit.kind === "number") {
    if (!/^-?[0-9]+$/.test(raw.trim())) return undefined;
    const v = BigInt(raw.trim());
    return v < lit.value ? -1 : v > lit.value ? 1 : 0;
  }
  const s = literalText(lit);
  return raw < s ? -1 : raw > s ? 1 : 0;
}

type Compiled = (lookup: (key: string) => string | undefined) => boolean;

function compileNode(node: FilterNode): Compiled {
  switch (node.kind) {
    case "and": {
      const l = compileNode(node.left);
      const r = compileNode(node.right);
      return (v) => l(v) && r(v);
    }
    case "or": {
      const l = compileNode(node.left);
      const r = compileNode(node.right);
      return (v) => l(v) || r(v);
    }
    case "not": {
      const o = compileNode(node.operand);
      return (v) => !o(v);
    }
    default:
      break;
  }
  const key = node.key;
  const integer = key === FILTER_FIELD_LAST_ACCESS;
  switch (node.kind) {
    case "compare":
      return (v) => {
        const raw = v(key);
        const c = raw === undefined ? undefined : compare(raw, node.value, integer);
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
      };
    case "like": {
      if (integer) throw metaError(`LIKE is not supported on ${FILTER_FIELD_LAST_ACCESS}`);
      const re = regexOf(node.pattern);
      return (v) => {
        const raw = v(key);
        return raw !== undefined && re.test(raw);
      };
    }
    case "between":
      return (v) => {
        const raw = v(key);
        if (raw === undefined) return false;
        const lo = compare(raw, node.low, integer);
        const hi = compare(raw, node.high, integer);
        return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
      };
    case "in":
      return (v) => {
        const raw = v(key);
        return raw !== undefined && node.values.some((lit) => compare(raw, lit, integer) === 0);
      };
  }
}

function checkKeys(node: FilterNode): void {
  switch (node.kind) {
    case "and":
    case "or":
      checkKeys(node.left);
      checkKeys(node.right);
      return;
    case "not":
      checkKeys(node.operand);
      return;
    default: {
      const key = node.key;
      if (key === FILTER_FIELD_TABLE_NAME || key === FILTER_FIELD_OWNER || key === FILTER_FIELD_LAST_ACCESS) return;
      if (key.startsWith(FILTER_FIELD_PARAMS) && key.length > FILTER_FIELD_PARAMS.length) return;
      throw metaError(
        `Unsupported table filter key '${key}': only ${FILTER_FIELD_TABLE_NAME}, ${FILTER_FIELD_OWNER}, ${FILTER_FIELD_LAST_ACCESS} and ${FILTER_FIELD_PARAMS}<key> are supported`,
      );
    }
  }
}

/** A predicate over tables for `filter`; throws MetaException for a filter it cannot evaluate. */
export function compileTableFilter(filter: string | null | undefined): (table: H.Table) => boolean {
  const text = filter ?? "";
  let tree: FilterNode | undefined;
  try {
    tree = parsePartitionFilter(text);
  } catch (e) {
    throw metaError(`Error parsing table filter "${text.slice(0, 200)}": ${(e as Error).message}`);
  }
  if (tree === undefined) return () => true;
  checkKeys(tree);
  const test = compileNode(tree);
  return (table) =>
    test((key) => {
      if (key === FILTER_FIELD_TABLE_NAME) return table.tableName ?? "";
      if (key === FILTER_FIELD_OWNER) return table.owner ?? "";
      if (key === FILTER_FIELD_LAST_ACCESS) return String(table.lastAccessTime ?? 0);
      const name = key.slice(FILTER_FIELD_PARAMS.length);
      const params = table.parameters ?? {};
      const found = Object.keys(params).find((k) => k.toLowerCase() === name);
      return found === undefined ? undefined : params[found];
    });
}
