/**
 * Where each kind of file lives inside a table directory (see docs/format-spec.md,
 * "Layout"). Pure string functions: no IO.
 */
import { joinPath } from "@streamhouse/fileio";

export const TablePaths = {
  snapshotDir: (table: string): string => joinPath(table, "snapshot"),
  snapshot: (table: string, id: number): string => joinPath(table, "snapshot", `snapshot-${id}`),
  latestHint: (table: string): string => joinPath(table, "snapshot", "LATEST"),
  earliestHint: (table: string): string => joinPath(table, "snapshot", "EARLIEST"),
  schemaDir: (table: string): string => joinPath(table, "schema"),
  schema: (table: string, id: number): string => joinPath(table, "schema", `schema-${id}`),
  manifestDir: (table: string): string => joinPath(table, "manifest"),
  manifest: (table: string, name: string): string => joinPath(table, "manifest", name),
  indexDir: (table: string): string => joinPath(table, "index"),
  indexFile: (table: string, name: string): string => joinPath(table, "index", name),
  tagDir: (table: string): string => joinPath(table, "tag"),
  tag: (table: string, name: string): string => joinPath(table, "tag", `tag-${name}`),
  consumerDir: (table: string): string => joinPath(table, "consumer"),
  /** `<table>/<k=v/...>bucket-<b>/` for a partition path as made by partitionPath(). */
  bucketDir: (table: string, partitionPath: string, bucket: number): string =>
    joinPath(table, `${partitionPath}bucket-${bucket === -2 ? "postpone" : bucket}`),
} as const;

/** Parses the numeric suffix of `prefix<N>` names (snapshot-3, schema-0); null for others. */
export function numberedName(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}
