/**
 * The JSON texts `t$files` shows for one data file: its partition, its min/max key,
 * and its per-column value statistics (Paimon's `FilesTable` renders these with Java's
 * `toString`; we give JSON so SQL can take them apart with json functions). Values are
 * in the NDJSON form of our CLI (`valueToJson`). Pure: schemas in, strings out.
 */
import {
  type DataField,
  type DataFileMeta,
  decodeBinaryRow,
  type JsonOut,
  partitionValueToString,
  type TableSchema,
  TableSchemas,
  valueToJson,
} from "@streamhouse/format";

/** `{"day":"2025-11-20"}`, or null for an unpartitioned table. */
export function partitionJson(schema: TableSchema, partition: Uint8Array, legacyName: boolean, file: string): string | null {
  const fields = TableSchemas.partitionFields(schema);
  if (fields.length === 0) return null;
  const values = decodeBinaryRow(
    fields.map((f) => f.type),
    partition,
    { file, field: "_PARTITION" },
  );
  const out: Record<string, string | null> = {};
  fields.forEach((f, i) => {
    out[f.name] = partitionValueToString(f.type, values[i] ?? null, legacyName);
  });
  return JSON.stringify(out);
}

/** The file's min or max key over the trimmed primary key of the schema it was written with; null for append tables. */
export function keyJson(fileSchema: TableSchema, key: Uint8Array, which: "_MIN_KEY" | "_MAX_KEY", file: string): string | null {
  if (!TableSchemas.isPrimaryKeyTable(fileSchema)) return null;
  const fields = TableSchemas.fields(fileSchema, TableSchemas.trimmedPrimaryKeys(fileSchema));
  const values = decodeBinaryRow(
    fields.map((f) => f.type),
    key,
    { file, field: which },
  );
  return JSON.stringify(objectOf(fields, (f, i) => valueToJson(f.type, values[i] ?? null)));
}

export interface ValueStatsJson {
  readonly nullValueCounts: string;
  readonly minValues: string;
  readonly maxValues: string;
}

/**
 * Value statistics keyed by the columns of the table's current schema (`tableSchema`):
 * each file column is matched by field id, so renamed columns show under their new
 * name; columns the file has no statistics for (added later, stats mode `none`, or a
 * type changed since) show null.
 */
export function valueStatsJson(file: DataFileMeta, fileSchema: TableSchema, tableSchema: TableSchema): ValueStatsJson {
  const statsFields: readonly DataField[] = file.valueStatsCols === null ? fileSchema.fields : TableSchemas.fields(fileSchema, file.valueStatsCols);
  const stats = file.valueStats;
  const arity = (b: Uint8Array): number => (b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getInt32(0, false) : -1);
  const readable = arity(stats.minValues) === statsFields.length && arity(stats.maxValues) === statsFields.length;
  const types = statsFields.map((f) => f.type);
  const mins = readable ? decodeBinaryRow(types, stats.minValues, { file: file.fileName, field: "_MIN_VALUES" }) : [];
  const maxs = readable ? decodeBinaryRow(types, stats.maxValues, { file: file.fileName, field: "_MAX_VALUES" }) : [];
  const position = (f: DataField): number => {
    const i = statsFields.findIndex((s) => s.id === f.id);
    return i >= 0 && statsFields[i]!.type.root === f.type.root ? i : -1;
  };
  const nulls = objectOf(tableSchema.fields, (f) => {
    const i = statsFields.findIndex((s) => s.id === f.id);
    const n = i < 0 ? undefined : stats.nullCounts?.[i];
    return n === undefined || n === null ? null : Number(n);
  });
  const bound = (values: readonly unknown[]) =>
    objectOf(tableSchema.fields, (f) => {
      const i = position(f);
      return i < 0 || !readable ? null : valueToJson(statsFields[i]!.type, (values[i] ?? null) as Parameters<typeof valueToJson>[1]);
    });
  return { nullValueCounts: JSON.stringify(nulls), minValues: JSON.stringify(bound(mins)), maxValues: JSON.stringify(bound(maxs)) };
}

function objectOf(fields: readonly DataField[], value: (f: DataField, i: number) => JsonOut): Record<string, JsonOut> {
  const out: Record<string, JsonOut> = {};
  fields.forEach((f, i) => {
    out[f.name] = value(f, i);
  });
  return out;
}
