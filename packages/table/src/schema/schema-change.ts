/**
 * The changes `ALTER TABLE` can make to a schema (mirrors the top-level-column subset
 * of `org.apache.paimon.schema.SchemaChange`, release 2.0.0). Plain data with a
 * `kind`, plus a frozen companion of constructors. Column names are top-level names:
 * nested paths (`a.b`) are not supported.
 */
import type { DataType } from "@streamhouse/format";

/** Where an added column goes; absent: last (or before the partition columns, see add-column-before-partition). */
export type ColumnMove =
  | { readonly type: "first" }
  | { readonly type: "last" }
  | { readonly type: "after"; readonly column: string }
  | { readonly type: "before"; readonly column: string };

export type SchemaChange =
  | { readonly kind: "setOption"; readonly key: string; readonly value: string }
  | { readonly kind: "removeOption"; readonly key: string }
  | { readonly kind: "updateComment"; readonly comment: string | null }
  | { readonly kind: "addColumn"; readonly name: string; readonly type: DataType; readonly description?: string; readonly move?: ColumnMove }
  | { readonly kind: "renameColumn"; readonly name: string; readonly newName: string }
  | { readonly kind: "dropColumn"; readonly name: string }
  | { readonly kind: "updateColumnType"; readonly name: string; readonly type: DataType; readonly keepNullability?: boolean }
  | { readonly kind: "updateColumnNullability"; readonly name: string; readonly nullable: boolean }
  | { readonly kind: "updateColumnComment"; readonly name: string; readonly comment: string | null };

export const SchemaChanges = Object.freeze({
  setOption: (key: string, value: string): SchemaChange => ({ kind: "setOption", key, value }),
  removeOption: (key: string): SchemaChange => ({ kind: "removeOption", key }),
  updateComment: (comment: string | null): SchemaChange => ({ kind: "updateComment", comment }),
  addColumn: (name: string, type: DataType, options: { description?: string; move?: ColumnMove } = {}): SchemaChange => ({
    kind: "addColumn",
    name,
    type,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.move === undefined ? {} : { move: options.move }),
  }),
  renameColumn: (name: string, newName: string): SchemaChange => ({ kind: "renameColumn", name, newName }),
  dropColumn: (name: string): SchemaChange => ({ kind: "dropColumn", name }),
  updateColumnType: (name: string, type: DataType, keepNullability = false): SchemaChange => ({ kind: "updateColumnType", name, type, keepNullability }),
  updateColumnNullability: (name: string, nullable: boolean): SchemaChange => ({ kind: "updateColumnNullability", name, nullable }),
  updateColumnComment: (name: string, comment: string | null): SchemaChange => ({ kind: "updateColumnComment", name, comment }),
});
