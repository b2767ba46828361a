/**
 * get_partition_values, planned without IO: from the values of a table's
 * partitions (in partition-name order), the rows of the requested keys' values —
 * distinct if asked, ordered by the requested order keys, at most `max`.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface PartitionValuesQuery {
  /** The keys whose values make a row, in row order. */
  readonly columns: readonly string[];
  readonly distinct: boolean;
  /** Keys to order rows by; none keeps partition-name order. */
  readonly orderBy: readonly string[];
  readonly ascending: boolean;
  /** At most this many rows; negative means all. */
  readonly max: number;
}

function indexOfKey(keys: readonly string[], name: string): number {
  const i = keys.indexOf(name.toLowerCase());
  if (i < 0) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `${name} is not a partition key (${keys.join(", ")})`, { context: { key: name } });
  }
  return i;
}

export function partitionValueRows(keys: readonly string[], partitions: readonly (readonly string[])[], q: PartitionValuesQuery): string[][] {
  if (q.columns.length === 0) throw new StreamhouseError(ErrorKind.InvalidArgument, "no partition keys requested");
  const columns = q.columns.map((c) => indexOfKey(keys, c));
  const order = q.orderBy.map((c) => indexOfKey(keys, c));
  const sorted = [...partitions];
  if (order.length > 0) {
    sorted.sort((a, b) => {
      for (const i of order) {
        const x = a[i] ?? "";
        const y = b[i] ?? "";
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
  }
  if (!q.ascending) sorted.reverse();
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const values of sorted) {
    const row = columns.map((i) => values[i] ?? "");
    if (q.distinct) {
      const id = JSON.stringify(row);
      if (seen.has(id)) continue;
      seen.add(id);
    }
    rows.push(row);
    if (q.max >= 0 && rows.length >= q.max) break;
  }
  return rows;
}
