/**
 * Schema evolution on read: which column of a data file holds each field of the
 * read schema (Paimon's `SchemaEvolutionUtil` / `FormatReaderMapping`, release 2.0.0).
 *
 * A data file is written with the table schema of its `_SCHEMA_ID`; the reader uses
 * the latest schema. Fields are matched by FIELD ID, never by name or position:
 *   - a field renamed since the file was written is found by its id;
 *   - a field dropped since is simply not read;
 *   - a field added since has no column in the file and reads as null;
 *   - a field whose type changed is read with the file's type and cast
 *     (cast-executors.ts), nested ROW fields by their own ids.
 * The Parquet columns carry the Paimon field id (`field_id`, surfaced by Arrow as
 * `PARQUET:field_id` metadata). Files written before ids were recorded (Paimon 0.9,
 * e.g. the `append_09` vector) are matched by the name the field had in the file's
 * own schema.
 *
 * Primary-key files also hold, under ids of their own:
 *   _KEY_<name>       KEY_FIELD_ID_START + id of the key field
 *   _SEQUENCE_NUMBER  2147483646
 *   _VALUE_KIND       2147483645
 */
import type { Field, Schema as ArrowSchema } from "apache-arrow";
import { type DataField, dataInvalid } from "@streamhouse/format";

/** Java `SpecialFields.KEY_FIELD_ID_START` (Integer.MAX_VALUE / 2). */
export const KEY_FIELD_ID_START = 1073741823;
export const SEQUENCE_NUMBER_FIELD_ID = 2147483646;
export const VALUE_KIND_FIELD_ID = 2147483645;
export const KEY_FIELD_PREFIX = "_KEY_";
export const SEQUENCE_NUMBER_FIELD = "_SEQUENCE_NUMBER";
export const VALUE_KIND_FIELD = "_VALUE_KIND";

/** One top-level column of a file as Arrow describes it. */
export interface FileColumn {
  readonly name: string;
  readonly fieldId: number | null;
  readonly index: number;
}

export interface ColumnMapping {
  readonly readField: DataField;
  /** The same field (same id) as the file's schema has it; null when the file predates the field. */
  readonly fileField: DataField | null;
  /** The file column holding it; null exactly when fileField is null. */
  readonly column: FileColumn | null;
}

export function fileColumnsOf(schema: ArrowSchema): FileColumn[] {
  return schema.fields.map((f: Field, index: number) => {
    const raw = f.metadata.get("PARQUET:field_id");
    const id = raw === undefined ? null : Number(raw);
    return { name: f.name, fieldId: id !== null && Number.isInteger(id) ? id : null, index };
  });
}

/** Columns are looked up by id when the file records ids, else by name. */
export class FileColumnIndex {
  private readonly byId = new Map<number, FileColumn>();
  private readonly byName = new Map<string, FileColumn>();
  readonly hasFieldIds: boolean;

  constructor(
    readonly columns: readonly FileColumn[],
    readonly file: string,
  ) {
    for (const c of columns) {
      if (c.fieldId !== null) this.byId.set(c.fieldId, c);
      this.byName.set(c.name, c);
    }
    this.hasFieldIds = columns.length > 0 && columns.every((c) => c.fieldId !== null);
  }

  /** The column for field `id` named `name` in the file's schema, or null if absent. */
  find(id: number, name: string): FileColumn | null {
    const c = this.hasFieldIds ? this.byId.get(id) : this.byName.get(name);
    return c ?? null;
  }

  require(id: number, name: string, what: string): FileColumn {
    const c = this.find(id, name);
    if (c === null) throw dataInvalid(`data file has no column for ${what} "${name}" (field id ${id})`, { file: this.file });
    return c;
  }

  hasKeyColumns(): boolean {
    return this.columns.some((c) =>
      this.hasFieldIds ? c.fieldId! >= KEY_FIELD_ID_START && c.fieldId! < VALUE_KIND_FIELD_ID : c.name.startsWith(KEY_FIELD_PREFIX),
    );
  }
}

/**
 * Maps each read field to its column in a file written with `fileFields`. A field
 * the file's schema has must be in the file: a missing column means the file does
 * not match its own schema, which is reported, never read as nulls.
 */
export function mapColumns(readFields: readonly DataField[], fileFields: readonly DataField[], index: FileColumnIndex): ColumnMapping[] {
  const fileById = new Map(fileFields.map((f) => [f.id, f]));
  return readFields.map((readField) => {
    const fileField = fileById.get(readField.id) ?? null;
    if (fileField === null) return { readField, fileField: null, column: null };
    const column = index.require(fileField.id, fileField.name, "field");
    return { readField, fileField, column };
  });
}

/** The `_KEY_` column of key field `keyField` (as the file's schema names it). */
export function keyColumn(index: FileColumnIndex, keyField: DataField): FileColumn {
  return index.require(KEY_FIELD_ID_START + keyField.id, KEY_FIELD_PREFIX + keyField.name, "key field");
}
