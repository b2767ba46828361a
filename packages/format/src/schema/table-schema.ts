/**
 * Schema files `schema/schema-<id>` (mirrors `org.apache.paimon.schema.TableSchema`
 * and `SchemaSerializer`, release 2.0.0, JSON version 3).
 *
 * Keys are written in Java's order: version, id, fields, highestFieldId,
 * partitionKeys, primaryKeys, options, comment (only when set), timeMillis.
 * A missing `version` means version 1 (written before 0.8): for those, and for
 * version 2, the defaults of `bucket` and `file.format` differ (see core-options.ts).
 */
import { dataInvalid, ErrorKind, StreamhouseError, withErrorContext } from "../errors.js";
import type { DataField, RowType } from "../types/data-type.js";
import { DataTypes } from "../types/data-type.js";
import { dataFieldFromJson, dataFieldToJson, highestFieldId } from "../types/data-type-json.js";
import { type JsonValue, parseJson, stringifyJackson } from "../util/json.js";
import { JsonFields } from "../snapshot/snapshot.js";

export const SCHEMA_VERSION = 3;

export interface TableSchema {
  readonly version: number;
  readonly id: number;
  readonly fields: readonly DataField[];
  readonly highestFieldId: number;
  readonly partitionKeys: readonly string[];
  readonly primaryKeys: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly comment: string | null;
  readonly timeMillis: number;
}

export function tableSchemaFromJsonValue(json: JsonValue): TableSchema {
  const f = JsonFields.of(json, "schema");
  const rawFields = f.raw("fields");
  if (!Array.isArray(rawFields)) throw dataInvalid(`schema: "fields" must be an array`, { key: "fields" });
  const fields = rawFields.map((x: JsonValue, i: number) => dataFieldFromJson(x, `fields[${i}]`));
  const schema: TableSchema = {
    version: f.optNumber("version") ?? 1,
    id: f.number("id"),
    fields,
    highestFieldId: f.optNumber("highestFieldId") ?? highestFieldId(fields),
    partitionKeys: f.stringArray("partitionKeys"),
    primaryKeys: f.stringArray("primaryKeys"),
    options: f.stringMap("options") ?? {},
    comment: f.optString("comment"),
    timeMillis: f.optNumber("timeMillis") ?? 0,
  };
  validateTableSchema(schema);
  return schema;
}

export function tableSchemaToJsonValue(s: TableSchema): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    version: s.version,
    id: s.id,
    fields: s.fields.map((x) => dataFieldToJson(x) as unknown as JsonValue),
    highestFieldId: s.highestFieldId,
    partitionKeys: [...s.partitionKeys],
    primaryKeys: [...s.primaryKeys],
    options: { ...s.options },
  };
  if (s.comment !== null) out["comment"] = s.comment;
  out["timeMillis"] = s.timeMillis;
  return out;
}

export function decodeTableSchema(text: string, file?: string): TableSchema {
  return withErrorContext({ file }, () => tableSchemaFromJsonValue(parseJson(text, file)));
}

export function encodeTableSchema(s: TableSchema): string {
  return stringifyJackson(tableSchemaToJsonValue(s));
}

/**
 * Checks what Paimon checks when a schema is created: names unique, keys name
 * existing fields, every partition key is part of the primary key (when there is
 * one and buckets are fixed), primary-key fields are NOT NULL-able in spirit (Paimon makes them NOT NULL).
 */
export function validateTableSchema(s: TableSchema): void {
  const names = new Set<string>();
  for (const field of s.fields) {
    if (names.has(field.name)) throw invalid(`duplicate field name "${field.name}"`);
    names.add(field.name);
  }
  for (const k of s.partitionKeys) if (!names.has(k)) throw invalid(`partition key "${k}" is not a field`);
  for (const k of s.primaryKeys) if (!names.has(k)) throw invalid(`primary key "${k}" is not a field`);
  // A primary key without every partition field is Paimon's cross-partition upsert
  // mode, valid only with dynamic buckets (bucket = -1, the default when unset).
  const bucket = s.options["bucket"];
  if (s.primaryKeys.length > 0 && bucket !== undefined && bucket.trim() !== "-1") {
    for (const k of s.partitionKeys) {
      if (!s.primaryKeys.includes(k)) throw invalid(`partition key "${k}" must be part of the primary key unless bucket = -1 (cross-partition upsert)`);
    }
  }
  if (s.highestFieldId < highestFieldId(s.fields)) throw invalid(`highestFieldId ${s.highestFieldId} is below a field id in use`);
}

function invalid(message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.DataInvalid, `schema: ${message}`);
}

/** Helpers that derive the column groups Paimon uses from a schema. */
export const TableSchemas = {
  rowType(s: TableSchema): RowType {
    return DataTypes.ROW(s.fields, false);
  },

  field(s: TableSchema, name: string): DataField {
    const f = s.fields.find((x) => x.name === name);
    if (f === undefined) throw new StreamhouseError(ErrorKind.NotFound, `no field "${name}" in schema ${s.id}`);
    return f;
  },

  fields(s: TableSchema, names: readonly string[]): DataField[] {
    return names.map((n) => TableSchemas.field(s, n));
  },

  /** Primary key minus partition keys: what files store as `_KEY_` columns and min/max keys. */
  trimmedPrimaryKeys(s: TableSchema): string[] {
    const trimmed = s.primaryKeys.filter((k) => !s.partitionKeys.includes(k));
    // Paimon refuses a primary key made only of partition fields; keep the full key then.
    return trimmed.length === 0 ? [...s.primaryKeys] : trimmed;
  },

  /** The `bucket-key` option if set, else the trimmed primary key (empty for append tables without it). */
  bucketKeys(s: TableSchema): string[] {
    const opt = s.options["bucket-key"];
    if (opt !== undefined && opt.trim() !== "") return opt.split(",").map((x) => x.trim());
    return TableSchemas.trimmedPrimaryKeys(s);
  },

  partitionFields(s: TableSchema): DataField[] {
    return TableSchemas.fields(s, s.partitionKeys);
  },

  isPrimaryKeyTable(s: TableSchema): boolean {
    return s.primaryKeys.length > 0;
  },
} as const;
