/**
 * The JSON form of data types in Paimon schema files
 * (mirrors `org.apache.paimon.types.DataTypeJsonParser`, release 2.0.0).
 *
 * Atomic types are strings (`"INT NOT NULL"`); nested types are objects:
 *   {"type":"ARRAY","element":T}        {"type":"MULTISET","element":T}
 *   {"type":"MAP","key":K,"value":V}     {"type":"VECTOR","element":T,"length":n}
 *   {"type":"ROW","fields":[{"id","name","type",["description"],["defaultValue"]}]}
 * where `"type"` carries ` NOT NULL` when the nested type itself is not nullable.
 */
import { dataInvalid } from "../errors.js";
import type { DataField, DataType } from "./data-type.js";
import { dataTypeToString } from "./data-type.js";
import { parseDataType } from "./data-type-parser.js";

export type DataTypeJson = string | { readonly [key: string]: unknown };

export interface DataFieldJson {
  readonly id: number;
  readonly name: string;
  readonly type: DataTypeJson;
  readonly description?: string;
  readonly defaultValue?: string;
}

export function dataTypeToJson(type: DataType): DataTypeJson {
  const nn = type.nullable ? "" : " NOT NULL";
  switch (type.root) {
    case "ARRAY":
    case "MULTISET":
      return { type: type.root + nn, element: dataTypeToJson(type.element) };
    case "VECTOR":
      return { type: type.root + nn, element: dataTypeToJson(type.element), length: type.length };
    case "MAP":
      return { type: "MAP" + nn, key: dataTypeToJson(type.key), value: dataTypeToJson(type.value) };
    case "ROW":
      return { type: "ROW" + nn, fields: type.fields.map(dataFieldToJson) };
    default:
      return dataTypeToString(type);
  }
}

export function dataFieldToJson(field: DataField): DataFieldJson {
  const out: { id: number; name: string; type: DataTypeJson; description?: string; defaultValue?: string } = {
    id: field.id,
    name: field.name,
    type: dataTypeToJson(field.type),
  };
  if (field.description !== undefined) out.description = field.description;
  if (field.defaultValue !== undefined) out.defaultValue = field.defaultValue;
  return out;
}

export function dataTypeFromJson(json: unknown, path = "type"): DataType {
  if (typeof json === "string") return parseDataType(json);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw dataInvalid(`data type must be a string or an object`, { path });
  }
  const obj = json as Record<string, unknown>;
  const head = obj["type"];
  if (typeof head !== "string") throw dataInvalid(`nested data type has no "type"`, { path });
  const m = /^\s*([A-Za-z]+)\s*(NOT\s+NULL)?\s*$/i.exec(head);
  if (m === null) throw dataInvalid(`unknown nested data type "${head}"`, { path });
  const root = m[1]!.toUpperCase();
  const nullable = m[2] === undefined;
  switch (root) {
    case "ARRAY":
    case "MULTISET":
      return { root, nullable, element: dataTypeFromJson(obj["element"], `${path}.element`) };
    case "VECTOR": {
      const length = obj["length"];
      if (typeof length !== "number") throw dataInvalid(`VECTOR needs a numeric "length"`, { path });
      return { root, nullable, element: dataTypeFromJson(obj["element"], `${path}.element`), length };
    }
    case "MAP":
      return {
        root,
        nullable,
        key: dataTypeFromJson(obj["key"], `${path}.key`),
        value: dataTypeFromJson(obj["value"], `${path}.value`),
      };
    case "ROW": {
      const fields = obj["fields"];
      if (!Array.isArray(fields)) throw dataInvalid(`ROW needs a "fields" array`, { path });
      return { root, nullable, fields: fields.map((f, i) => dataFieldFromJson(f, `${path}.fields[${i}]`)) };
    }
    default:
      // Some writers put atomic types in object form too.
      return parseDataType(head);
  }
}

export function dataFieldFromJson(json: unknown, path = "field"): DataField {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw dataInvalid(`field must be an object`, { path });
  }
  const obj = json as Record<string, unknown>;
  const id = obj["id"];
  const name = obj["name"];
  if (typeof id !== "number" || !Number.isInteger(id)) throw dataInvalid(`field has no integer "id"`, { path });
  if (typeof name !== "string") throw dataInvalid(`field has no "name"`, { path });
  const type = dataTypeFromJson(obj["type"], `${path}.type`);
  const description = obj["description"];
  const defaultValue = obj["defaultValue"];
  const field: { id: number; name: string; type: DataType; description?: string; defaultValue?: string } = { id, name, type };
  if (typeof description === "string") field.description = description;
  if (typeof defaultValue === "string") field.defaultValue = defaultValue;
  return field;
}

/** The largest field id used by `fields`, nested ROW fields included (-1 when none). */
export function highestFieldId(fields: readonly DataField[]): number {
  let max = -1;
  const visit = (type: DataType): void => {
    switch (type.root) {
      case "ARRAY":
      case "MULTISET":
      case "VECTOR":
        visit(type.element);
        break;
      case "MAP":
        visit(type.key);
        visit(type.value);
        break;
      case "ROW":
        for (const f of type.fields) {
          max = Math.max(max, f.id);
          visit(f.type);
        }
        break;
      default:
        break;
    }
  };
  for (const f of fields) {
    max = Math.max(max, f.id);
    visit(f.type);
  }
  return max;
}
