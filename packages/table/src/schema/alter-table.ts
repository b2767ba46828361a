/**
 * ALTER TABLE: schema changes applied to the latest schema and published as
 * `schema-(N+1)` (the altering half of Paimon's `SchemaManager.commitChanges` and
 * `generateTableSchema`, release 2.0.0).
 *
 * `applySchemaChanges` is pure: schema and changes in, the next schema out (or a typed
 * error). `alterTable` reads the latest schema, applies, and creates the next file
 * with `writeIfAbsent`; when a concurrent change took that id it re-reads the new
 * latest schema and applies the changes again on top of it (a change that no longer
 * applies fails with its own error), a bounded number of times.
 *
 * Rules Paimon enforces and we mirror:
 * - added columns must be nullable; their id is highestFieldId + 1, nested ROW fields
 *   get the ids after it, depth-first;
 * - partition columns cannot be renamed, dropped or retyped; primary-key columns
 *   cannot be dropped or retyped (renaming one renames it in the key);
 * - a type change needs a cast Paimon has (the reader's cast table, cast-executors.ts);
 *   nullable → NOT NULL is refused unless `alter-column-null-to-not-null.disabled=false`;
 * - once the table has a snapshot, immutable options cannot be set or removed, nor can
 *   `bucket` be changed (Paimon would need a rescale overwrite, which we do not do),
 *   deletion vectors switched without `deletion-vectors.modifiable`, or `ignore-delete`
 *   turned off;
 * - renaming a column renames it in `bucket-key`, `sequence.field` and
 *   `fields.<name>.*` options;
 * - the result passes the same validation as a new table (schema-validation.ts).
 */
import {
  type DataField,
  type DataType,
  dataTypeToString,
  encodeTableSchema,
  ErrorKind,
  parseBoolean,
  StreamhouseError,
  type TableSchema,
  withNullability,
} from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { castExecutor } from "../read/cast-executors.js";
import { SchemaManager } from "../schema-manager.js";
import { TablePaths } from "../table-paths.js";
import type { ColumnMove, SchemaChange } from "./schema-change.js";
import { schemaInvalid, validateSchema } from "./schema-validation.js";

/** Options that are fixed once a table has data (Paimon's `@Immutable` options, plus the key lists). */
export const IMMUTABLE_OPTIONS: ReadonlySet<string> = new Set([
  "primary-key",
  "partition",
  "bucket-key",
  "merge-engine",
  "sequence.field",
  "rowkind.field",
  "row-tracking.enabled",
  "data-evolution.enabled",
]);

export interface ApplyOptions {
  /** Whether the table has a snapshot (option changes are checked only then, as in Paimon). */
  readonly hasSnapshots: boolean;
  /** The new schema's `timeMillis`. */
  readonly timeMillis: number;
}

function unsupported(message: string, context: Record<string, string> = {}): StreamhouseError {
  return new StreamhouseError(ErrorKind.Unsupported, message, { context });
}

function columnNotFound(name: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.NotFound, `column "${name}" does not exist`, { context: { column: name } });
}

function columnExists(name: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.AlreadyExists, `column "${name}" already exists`, { context: { column: name } });
}

/** Gives every ROW field inside `type` a fresh id from `next`, depth-first (Paimon's `ReassignFieldId`). */
function reassignIds(type: DataType, next: { value: number }): DataType {
  switch (type.root) {
    case "ARRAY":
    case "MULTISET":
    case "VECTOR":
      return { ...type, element: reassignIds(type.element, next) };
    case "MAP":
      return { ...type, key: reassignIds(type.key, next), value: reassignIds(type.value, next) };
    case "ROW":
      return {
        ...type,
        fields: type.fields.map((f) => {
          const id = ++next.value;
          return { ...f, id, type: reassignIds(f.type, next) };
        }),
      };
    default:
      return type;
  }
}

function bool(options: Readonly<Record<string, string>>, key: string, fallback: boolean): boolean {
  const v = options[key];
  return v === undefined ? fallback : parseBoolean(v, key);
}

function checkSetOption(old: Readonly<Record<string, string>>, key: string, value: string | null): void {
  if (IMMUTABLE_OPTIONS.has(key)) throw unsupported(`option "${key}" cannot be changed once the table has data`, { option: key });
  if (key === "bucket") {
    throw unsupported(
      value === null ? "option \"bucket\" cannot be removed once the table has data" : "changing \"bucket\" of a table with data needs a rescale, which is not supported",
      { option: key },
    );
  }
  if (value === null) return;
  if (key === "deletion-vectors.enabled" && !bool(old, "deletion-vectors.modifiable", false)) {
    if (bool(old, key, false) !== parseBoolean(value, key)) {
      throw unsupported("deletion-vectors.enabled cannot be switched on a table with data unless deletion-vectors.modifiable=true", { option: key });
    }
  }
  if ((key === "ignore-delete" || key === "ignore-update-before") && bool(old, key, false) && !parseBoolean(value, key)) {
    throw unsupported(`option "${key}" cannot be changed from true to false`, { option: key });
  }
}

function insertAt(fields: DataField[], field: DataField, move: ColumnMove | undefined, schema: TableSchema): void {
  const indexOf = (name: string): number => {
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0) throw columnNotFound(name);
    return i;
  };
  if (move === undefined) {
    if (bool(schema.options, "add-column-before-partition", false) && schema.partitionKeys.length > 0) {
      const i = fields.findIndex((f) => schema.partitionKeys.includes(f.name));
      fields.splice(i < 0 ? fields.length : i, 0, field);
    } else {
      fields.push(field);
    }
    return;
  }
  switch (move.type) {
    case "first":
      fields.unshift(field);
      return;
    case "last":
      fields.push(field);
      return;
    case "after":
      fields.splice(indexOf(move.column) + 1, 0, field);
      return;
    case "before":
      fields.splice(indexOf(move.column), 0, field);
      return;
  }
}

function renameInList(list: string, from: string, to: string): string {
  return list
    .split(",")
    .map((x) => (x.trim() === from ? to : x.trim()))
    .join(",");
}

/** Options that name a renamed column follow the rename (Paimon's `applyRenameColumnsToOptions`). */
function renameInOptions(options: Record<string, string>, from: string, to: string): void {
  for (const key of ["bucket-key", "sequence.field"]) {
    const v = options[key];
    if (v !== undefined && v.trim() !== "") options[key] = renameInList(v, from, to);
  }
  for (const key of Object.keys(options)) {
    const m = /^fields\.(.+)\.([^.]+(?:-[^.]+)*)$/.exec(key);
    if (m === null) continue;
    const names = m[1]!;
    const suffix = m[2]!;
    const value = options[key]!;
    if (suffix === "sequence-group" || suffix === "nested-key") {
      delete options[key];
      options[`fields.${renameInList(names, from, to)}.${suffix}`] = renameInList(value, from, to);
    } else if (names === from) {
      delete options[key];
      options[`fields.${to}.${suffix}`] = value;
    }
  }
}

/** The schema after `changes`, in order, or a typed error; pure. */
export function applySchemaChanges(old: TableSchema, changes: readonly SchemaChange[], options: ApplyOptions): TableSchema {
  if (changes.length === 0) throw schemaInvalid("no schema change given");
  const fields: DataField[] = [...old.fields];
  const newOptions: Record<string, string> = { ...old.options };
  let primaryKeys = [...old.primaryKeys];
  let comment = old.comment;
  const next = { value: old.highestFieldId };
  const nullToNotNullDisabled = bool(old.options, "alter-column-null-to-not-null.disabled", true);
  const find = (name: string): number => {
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0) throw columnNotFound(name);
    return i;
  };

  for (const change of changes) {
    switch (change.kind) {
      case "setOption":
        if (change.key === "path") throw unsupported("the table path cannot be changed", { option: "path" });
        if (options.hasSnapshots) checkSetOption(old.options, change.key, change.value);
        else if (change.key === "primary-key" || change.key === "partition") throw unsupported(`option "${change.key}" cannot be set by ALTER TABLE`, { option: change.key });
        newOptions[change.key] = change.value;
        break;
      case "removeOption":
        if (options.hasSnapshots) checkSetOption(old.options, change.key, null);
        delete newOptions[change.key];
        break;
      case "updateComment":
        comment = change.comment;
        break;
      case "addColumn": {
        if (!change.type.nullable) throw schemaInvalid(`added column "${change.name}" cannot be NOT NULL: existing rows have no value for it`, { column: change.name });
        if (fields.some((f) => f.name === change.name)) throw columnExists(change.name);
        const id = ++next.value;
        const type = reassignIds(change.type, next);
        const field: DataField = change.description === undefined ? { id, name: change.name, type } : { id, name: change.name, type, description: change.description };
        insertAt(fields, field, change.move, old);
        break;
      }
      case "renameColumn": {
        if (old.partitionKeys.includes(change.name)) throw unsupported(`partition column "${change.name}" cannot be renamed`, { column: change.name });
        const i = find(change.name);
        if (fields[i]!.type.root === "BLOB") throw unsupported(`BLOB column "${change.name}" cannot be renamed`, { column: change.name });
        if (fields.some((f) => f.name === change.newName)) throw columnExists(change.newName);
        fields[i] = { ...fields[i]!, name: change.newName };
        primaryKeys = primaryKeys.map((k) => (k === change.name ? change.newName : k));
        renameInOptions(newOptions, change.name, change.newName);
        break;
      }
      case "dropColumn": {
        if (old.partitionKeys.includes(change.name) || old.primaryKeys.includes(change.name)) {
          throw unsupported(`partition or primary-key column "${change.name}" cannot be dropped`, { column: change.name });
        }
        fields.splice(find(change.name), 1);
        if (fields.length === 0) throw schemaInvalid("cannot drop every column of a table");
        break;
      }
      case "updateColumnType": {
        if (old.partitionKeys.includes(change.name)) throw unsupported(`the type of partition column "${change.name}" cannot be changed`, { column: change.name });
        if (old.primaryKeys.includes(change.name)) throw unsupported(`the type of primary-key column "${change.name}" cannot be changed`, { column: change.name });
        const i = find(change.name);
        const from = fields[i]!.type;
        let to = change.type;
        if (change.keepNullability === true) to = withNullability(to, from.nullable);
        else if (nullToNotNullDisabled && from.nullable && !to.nullable) {
          throw unsupported(`column "${change.name}" cannot change from nullable to NOT NULL (set alter-column-null-to-not-null.disabled=false to allow it)`, { column: change.name });
        }
        if (from.root === "BLOB" || to.root === "BLOB") throw unsupported(`the type of BLOB column "${change.name}" cannot be changed`, { column: change.name });
        if (castExecutor(from, to) === null) {
          throw unsupported(`column "${change.name}" cannot be converted from ${typeText(from)} to ${typeText(to)}`, { column: change.name });
        }
        fields[i] = { ...fields[i]!, type: to };
        break;
      }
      case "updateColumnNullability": {
        if (change.nullable && old.primaryKeys.includes(change.name)) throw unsupported(`primary-key column "${change.name}" must stay NOT NULL`, { column: change.name });
        const i = find(change.name);
        const from = fields[i]!.type;
        if (nullToNotNullDisabled && from.nullable && !change.nullable) {
          throw unsupported(`column "${change.name}" cannot change from nullable to NOT NULL (set alter-column-null-to-not-null.disabled=false to allow it)`, { column: change.name });
        }
        fields[i] = { ...fields[i]!, type: withNullability(from, change.nullable) };
        break;
      }
      case "updateColumnComment": {
        const i = find(change.name);
        const { description: _old, ...rest } = fields[i]!;
        fields[i] = change.comment === null ? rest : { ...rest, description: change.comment };
        break;
      }
    }
  }

  const schema: TableSchema = {
    version: old.version,
    id: old.id + 1,
    fields,
    highestFieldId: next.value,
    partitionKeys: [...old.partitionKeys],
    primaryKeys,
    options: newOptions,
    comment,
    timeMillis: options.timeMillis,
  };
  validateSchema(schema);
  return schema;
}

function typeText(t: DataType): string {
  return dataTypeToString(t);
}

export interface AlterTableOptions {
  /** The new schema's `timeMillis` (default Date.now). */
  readonly clock?: () => number;
  /** Attempts when concurrent changes keep taking the next id (default 10). */
  readonly attemptsMax?: number;
}

/**
 * Applies `changes` to the latest schema of `table` and publishes the result as the
 * next schema file. Returns the new schema; `table` itself keeps the schema it was
 * opened with (reopen it to see the change).
 */
export async function alterTable(table: FileStoreTable, changes: readonly SchemaChange[], options: AlterTableOptions = {}): Promise<TableSchema> {
  const clock = options.clock ?? Date.now;
  const attemptsMax = options.attemptsMax ?? 10;
  // A fresh manager: the table's own caches schemas by id, which is fine, but `latest` must list.
  const schemas = new SchemaManager(table.io, table.path);
  const hasSnapshots = (await table.snapshots.latestSnapshotId()) !== null;
  for (let attempt = 1; ; attempt++) {
    const latest = await schemas.latest();
    if (latest === null) throw new StreamhouseError(ErrorKind.NotFound, `no table at ${table.path}`, { context: { table: table.path } });
    const next = applySchemaChanges(latest, changes, { hasSnapshots, timeMillis: clock() });
    const created = await table.io.writeIfAbsent(TablePaths.schema(table.path, next.id), new TextEncoder().encode(encodeTableSchema(next)));
    if (created) return next;
    if (attempt >= attemptsMax) {
      throw new StreamhouseError(ErrorKind.CommitConflict, `schema ${next.id} was taken by concurrent changes ${attempt} times; giving up`, {
        context: { table: table.path, schema: next.id },
        retryable: true,
      });
    }
  }
}
