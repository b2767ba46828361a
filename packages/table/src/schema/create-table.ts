/**
 * Creating a table: writing its `schema/schema-0` (the creating half of Paimon's
 * `SchemaManager.createTable`, release 2.0.0).
 *
 * As in Paimon, primary-key columns are made NOT NULL, `primary-key` / `partition`
 * given as options move into the schema's key lists, and the schema is validated
 * before anything is written. The file is published with `writeIfAbsent`: of two
 * concurrent creators exactly one wins, the other gets AlreadyExists — and so does a
 * creator that finds any schema file already there.
 */
import type { FileIO } from "@streamhouse/fileio";
import {
  type DataField,
  encodeTableSchema,
  ErrorKind,
  highestFieldId,
  parseFieldList,
  SCHEMA_VERSION,
  StreamhouseError,
  type TableSchema,
  withNullability,
} from "@streamhouse/format";
import { FileStoreTable } from "../file-store-table.js";
import { SchemaManager } from "../schema-manager.js";
import { TablePaths } from "../table-paths.js";
import { schemaInvalid, validateSchema } from "./schema-validation.js";

export interface TableDefinition {
  /** Columns, or a column list such as `id BIGINT NOT NULL, name STRING` (ids from 0, depth-first). */
  readonly fields: readonly DataField[] | string;
  readonly primaryKeys?: readonly string[];
  readonly partitionKeys?: readonly string[];
  readonly options?: Readonly<Record<string, string>>;
  readonly comment?: string | null;
}

export interface CreateTableOptions {
  /** The schema's `timeMillis` (default Date.now). */
  readonly clock?: () => number;
}

function keyList(value: string | undefined): string[] {
  return value === undefined || value.trim() === "" ? [] : value.split(",").map((x) => x.trim());
}

/** The schema-0 a definition makes, validated; pure. */
export function newTableSchema(definition: TableDefinition, timeMillis: number): TableSchema {
  const options = { ...(definition.options ?? {}) };
  let primaryKeys = [...(definition.primaryKeys ?? [])];
  let partitionKeys = [...(definition.partitionKeys ?? [])];
  for (const [key, given] of [
    ["primary-key", primaryKeys],
    ["partition", partitionKeys],
  ] as const) {
    const opt = options[key];
    if (opt === undefined) continue;
    if (given.length > 0) throw schemaInvalid(`give the ${key === "partition" ? "partition keys" : "primary key"} either as a list or as the "${key}" option, not both`, { option: key });
    delete options[key];
    if (key === "primary-key") primaryKeys = keyList(opt);
    else partitionKeys = keyList(opt);
  }
  let fields: DataField[];
  try {
    fields = typeof definition.fields === "string" ? parseFieldList(definition.fields) : [...definition.fields];
  } catch (e) {
    if (e instanceof StreamhouseError) throw schemaInvalid(`bad column list: ${e.reason}`);
    throw e;
  }
  fields = fields.map((f) => (primaryKeys.includes(f.name) && f.type.nullable ? { ...f, type: withNullability(f.type, false) } : f));
  const schema: TableSchema = {
    version: SCHEMA_VERSION,
    id: 0,
    fields,
    highestFieldId: highestFieldId(fields),
    partitionKeys,
    primaryKeys,
    options,
    comment: definition.comment ?? null,
    timeMillis,
  };
  const ids = new Set<number>();
  for (const f of fields) {
    if (ids.has(f.id)) throw schemaInvalid(`field id ${f.id} is used twice`, { column: f.name });
    ids.add(f.id);
  }
  validateSchema(schema);
  return schema;
}

/** Writes schema-0 of a new table at `path` and opens it. */
export async function createTable(io: FileIO, path: string, definition: TableDefinition, options: CreateTableOptions = {}): Promise<FileStoreTable> {
  const schema = newTableSchema(definition, (options.clock ?? Date.now)());
  const existing = await new SchemaManager(io, path).listSchemaIds();
  if (existing.length > 0) throw alreadyExists(path);
  const created = await io.writeIfAbsent(TablePaths.schema(path, 0), new TextEncoder().encode(encodeTableSchema(schema)));
  if (!created) throw alreadyExists(path);
  return FileStoreTable.open(io, path);
}

function alreadyExists(path: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.AlreadyExists, `a table already exists at ${path}`, { context: { table: path } });
}
