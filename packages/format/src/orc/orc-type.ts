/**
 * The ORC schema as a tree.
 *
 * The footer stores the schema flattened in pre-order: entry 0 is the root
 * (always a struct for files written by Java ORC), and compound types list
 * their children's ids in `subtypes`. The id of a type is also the id of its
 * column, which is how stripe streams refer to it. Building the tree checks
 * the invariants the column decoders rely on: every child id is greater than
 * its parent's, each id is used once, and child counts fit the kind.
 */
import { dataInvalid } from "../errors.js";
import type { OrcTypeEntry } from "./orc-metadata.js";

/** Type.Kind numbers from orc_proto.proto, index = wire value. */
const KIND_NAMES = [
  "boolean",
  "byte",
  "short",
  "int",
  "long",
  "float",
  "double",
  "string",
  "binary",
  "timestamp",
  "list",
  "map",
  "struct",
  "union",
  "decimal",
  "date",
  "varchar",
  "char",
  "timestamp_instant",
] as const;

export type OrcTypeKind = (typeof KIND_NAMES)[number];

export interface OrcField {
  readonly name: string;
  readonly type: OrcType;
}

export interface OrcType {
  /** Column id: the index of this type in the footer's pre-order list. */
  readonly id: number;
  readonly kind: OrcTypeKind;
  /** Children in order: list → [element], map → [key, value], struct/union → members. */
  readonly children: readonly OrcType[];
  /** Struct members by name; empty for other kinds. */
  readonly fields: readonly OrcField[];
  readonly maximumLength?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** Deeper nesting than this is not a schema anyone writes; refusing it bounds recursion. */
const NESTING_DEPTH_MAX = 100;

export function orcTypeTree(entries: readonly OrcTypeEntry[]): OrcType {
  if (entries.length === 0) throw dataInvalid("ORC footer has no types");
  const used = new Uint8Array(entries.length);
  const build = (id: number, depth: number): OrcType => {
    const e = entries[id];
    if (e === undefined) throw dataInvalid(`ORC type id ${id} out of range`, { column: id });
    if (used[id] !== 0) throw dataInvalid(`ORC type id ${id} is referenced twice`, { column: id });
    if (depth > NESTING_DEPTH_MAX) throw dataInvalid("ORC schema nested too deeply", { column: id });
    used[id] = 1;
    const kind = KIND_NAMES[e.kind];
    if (kind === undefined) throw dataInvalid(`unknown ORC type kind ${e.kind}`, { column: id });
    const expected = kind === "list" ? 1 : kind === "map" ? 2 : kind === "struct" || kind === "union" ? -1 : 0;
    if (expected >= 0 && e.subtypes.length !== expected) {
      throw dataInvalid(`ORC ${kind} type has ${e.subtypes.length} children`, { column: id });
    }
    if (kind === "struct" && e.fieldNames.length !== e.subtypes.length) {
      throw dataInvalid(`ORC struct has ${e.subtypes.length} children but ${e.fieldNames.length} names`, { column: id });
    }
    const children = e.subtypes.map((child) => {
      if (child <= id) throw dataInvalid(`ORC type ${id} has child ${child} that is not after it`, { column: id });
      return build(child, depth + 1);
    });
    const fields = kind === "struct" ? children.map((type, i) => ({ name: e.fieldNames[i]!, type })) : [];
    const t: { -readonly [K in keyof OrcType]: OrcType[K] } = { id, kind, children, fields };
    if (e.maximumLength !== undefined) t.maximumLength = e.maximumLength;
    if (e.precision !== undefined) t.precision = e.precision;
    if (e.scale !== undefined) t.scale = e.scale;
    return t;
  };
  const root = build(0, 0);
  const orphan = used.indexOf(0);
  if (orphan >= 0) throw dataInvalid(`ORC type id ${orphan} is not reachable from the root`, { column: orphan });
  return root;
}

/** Hive-style type string, e.g. `struct<_VERSION:int,_FILE:struct<...>>`, for messages and tests. */
export function orcTypeToString(t: OrcType): string {
  switch (t.kind) {
    case "struct":
      return `struct<${t.fields.map((f) => `${f.name}:${orcTypeToString(f.type)}`).join(",")}>`;
    case "list":
      return `array<${orcTypeToString(t.children[0]!)}>`;
    case "map":
      return `map<${orcTypeToString(t.children[0]!)},${orcTypeToString(t.children[1]!)}>`;
    case "union":
      return `uniontype<${t.children.map(orcTypeToString).join(",")}>`;
    case "decimal":
      return `decimal(${t.precision ?? 38},${t.scale ?? 10})`;
    case "varchar":
    case "char":
      return `${t.kind}(${t.maximumLength ?? 0})`;
    case "long":
      return "bigint";
    case "byte":
      return "tinyint";
    case "short":
      return "smallint";
    case "timestamp_instant":
      return "timestamp with local time zone";
    default:
      return t.kind;
  }
}
