/**
 * The Avro schema model (Avro 1.11 specification), parsed from and rendered to the JSON
 * text that Avro object container files carry in their `avro.schema` header entry.
 *
 * Named types (record, enum, fixed) may be referenced later in the same schema by name;
 * the parser resolves those references to the same object, so a decoder compiled from the
 * model never looks names up. Rendering mirrors Java Avro's `Schema.toString()` (the
 * library Java Paimon writes manifests with): keys in the order type, name, namespace,
 * fields; a nested named type omits its namespace when it equals the enclosing one. A
 * schema parsed from a Java-written header therefore renders back to the same text.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";

export type AvroPrimitiveKind = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

/** Logical types do not change the binary encoding; they only annotate it. */
export type AvroLogicalType =
  | { readonly name: "date" }
  | { readonly name: "time-millis" }
  | { readonly name: "time-micros" }
  | { readonly name: "timestamp-millis" }
  | { readonly name: "timestamp-micros" }
  | { readonly name: "local-timestamp-millis" }
  | { readonly name: "local-timestamp-micros" }
  | { readonly name: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly name: "uuid" }
  | { readonly name: "other"; readonly raw: string };

export interface AvroPrimitive {
  readonly kind: AvroPrimitiveKind;
  readonly logical?: AvroLogicalType;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  /** `undefined` = no default; a JSON value (possibly `null`) otherwise. */
  readonly default?: unknown;
  readonly doc?: string;
}

export interface AvroRecord {
  readonly kind: "record";
  readonly name: string;
  readonly namespace: string | undefined;
  readonly fields: readonly AvroField[];
  readonly doc?: string;
}

export interface AvroEnum {
  readonly kind: "enum";
  readonly name: string;
  readonly namespace: string | undefined;
  readonly symbols: readonly string[];
}

export interface AvroFixed {
  readonly kind: "fixed";
  readonly name: string;
  readonly namespace: string | undefined;
  readonly size: number;
  readonly logical?: AvroLogicalType;
}

export interface AvroArray {
  readonly kind: "array";
  readonly items: AvroSchema;
}

export interface AvroMap {
  readonly kind: "map";
  readonly values: AvroSchema;
}

export interface AvroUnion {
  readonly kind: "union";
  readonly branches: readonly AvroSchema[];
}

export type AvroSchema = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion;
export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;

const PRIMITIVES: ReadonlySet<string> = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);

/** Shorthands for building schemas in code (the manifest write schemas). */
export const Avro = {
  null: { kind: "null" } as AvroPrimitive,
  boolean: { kind: "boolean" } as AvroPrimitive,
  int: { kind: "int" } as AvroPrimitive,
  long: { kind: "long" } as AvroPrimitive,
  float: { kind: "float" } as AvroPrimitive,
  double: { kind: "double" } as AvroPrimitive,
  bytes: { kind: "bytes" } as AvroPrimitive,
  string: { kind: "string" } as AvroPrimitive,
  timestampMillis: { kind: "long", logical: { name: "timestamp-millis" } } as AvroPrimitive,
  array: (items: AvroSchema): AvroArray => ({ kind: "array", items }),
  map: (values: AvroSchema): AvroMap => ({ kind: "map", values }),
  union: (...branches: AvroSchema[]): AvroUnion => ({ kind: "union", branches }),
  /** `["null", T]`: how Java Paimon's AvroSchemaConverter writes a nullable type. */
  nullable: (t: AvroSchema): AvroUnion => ({ kind: "union", branches: [{ kind: "null" }, t] }),
  record: (name: string, namespace: string | undefined, fields: AvroField[]): AvroRecord => ({ kind: "record", name, namespace, fields }),
} as const;

export function isNamed(s: AvroSchema): s is AvroNamed {
  return s.kind === "record" || s.kind === "enum" || s.kind === "fixed";
}

export function fullName(s: AvroNamed): string {
  return s.namespace ? `${s.namespace}.${s.name}` : s.name;
}

/** Parses schema JSON text (as found in a container header). */
export function parseAvroSchema(json: string): AvroSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw dataInvalid("Avro schema is not valid JSON", { reason: e instanceof Error ? e.message : String(e) });
  }
  return avroSchemaFromJson(raw);
}

/** Builds the model from an already parsed JSON value. */
export function avroSchemaFromJson(raw: unknown): AvroSchema {
  const names = new Map<string, AvroSchema>();
  return parse(raw, undefined, names, "$");
}

function bad(message: string, path: string): StreamhouseError {
  return dataInvalid(`invalid Avro schema: ${message}`, { path });
}

function splitName(name: string, ns: string | undefined): { name: string; namespace: string | undefined } {
  const dot = name.lastIndexOf(".");
  if (dot >= 0) return { name: name.slice(dot + 1), namespace: name.slice(0, dot) || undefined };
  return { name, namespace: ns };
}

function parseLogical(raw: Record<string, unknown>, path: string): AvroLogicalType | undefined {
  const lt = raw["logicalType"];
  if (lt === undefined) return undefined;
  if (typeof lt !== "string") throw bad("logicalType must be a string", path);
  switch (lt) {
    case "date":
    case "time-millis":
    case "time-micros":
    case "timestamp-millis":
    case "timestamp-micros":
    case "local-timestamp-millis":
    case "local-timestamp-micros":
    case "uuid":
      return { name: lt };
    case "decimal": {
      const precision = raw["precision"];
      const scale = raw["scale"] ?? 0;
      if (typeof precision !== "number" || typeof scale !== "number") throw bad("decimal needs numeric precision/scale", path);
      return { name: "decimal", precision, scale };
    }
    default:
      // Unknown logical types are ignored by the spec: keep the name so it renders back.
      return { name: "other", raw: lt };
  }
}

function parse(raw: unknown, ns: string | undefined, names: Map<string, AvroSchema>, path: string): AvroSchema {
  if (typeof raw === "string") {
    if (PRIMITIVES.has(raw)) return { kind: raw as AvroPrimitiveKind };
    const ref = names.get(raw) ?? (ns !== undefined ? names.get(`${ns}.${raw}`) : undefined);
    if (ref === undefined) throw bad(`unknown type name "${raw}"`, path);
    return ref;
  }
  if (Array.isArray(raw)) {
    const branches = raw.map((b, i) => parse(b, ns, names, `${path}[${i}]`));
    for (const b of branches) if (b.kind === "union") throw bad("union directly inside a union", path);
    return { kind: "union", branches };
  }
  if (raw === null || typeof raw !== "object") throw bad("expected a type name, object or array", path);
  const obj = raw as Record<string, unknown>;
  const type = obj["type"];
  switch (type) {
    case "record":
    case "error": {
      const { name, namespace } = named(obj, ns, path);
      const fieldsRaw = obj["fields"];
      if (!Array.isArray(fieldsRaw)) throw bad("record without fields array", path);
      const fields: AvroField[] = [];
      const rec: AvroRecord = { kind: "record", name, namespace, fields, ...docOf(obj) };
      names.set(fullName(rec), rec); // registered before the fields: records may be recursive
      const seen = new Set<string>();
      fieldsRaw.forEach((f, i) => {
        if (f === null || typeof f !== "object") throw bad("field is not an object", `${path}.fields[${i}]`);
        const fo = f as Record<string, unknown>;
        const fname = fo["name"];
        if (typeof fname !== "string") throw bad("field without name", `${path}.fields[${i}]`);
        if (seen.has(fname)) throw bad(`duplicate field "${fname}"`, `${path}.fields[${i}]`);
        seen.add(fname);
        const ftype = parse(fo["type"], namespace, names, `${path}.${fname}`);
        const field: { name: string; type: AvroSchema; default?: unknown; doc?: string } = { name: fname, type: ftype };
        if ("default" in fo) field.default = fo["default"];
        if (typeof fo["doc"] === "string") field.doc = fo["doc"];
        fields.push(field);
      });
      return rec;
    }
    case "enum": {
      const { name, namespace } = named(obj, ns, path);
      const symbols = obj["symbols"];
      if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === "string")) throw bad("enum needs string symbols", path);
      const e: AvroEnum = { kind: "enum", name, namespace, symbols: symbols as string[] };
      names.set(fullName(e), e);
      return e;
    }
    case "fixed": {
      const { name, namespace } = named(obj, ns, path);
      const size = obj["size"];
      if (typeof size !== "number" || !Number.isInteger(size) || size < 0) throw bad("fixed needs a non-negative size", path);
      const logical = parseLogical(obj, path);
      const f: AvroFixed = logical ? { kind: "fixed", name, namespace, size, logical } : { kind: "fixed", name, namespace, size };
      names.set(fullName(f), f);
      return f;
    }
    case "array":
      return { kind: "array", items: parse(obj["items"], ns, names, `${path}.items`) };
    case "map":
      return { kind: "map", values: parse(obj["values"], ns, names, `${path}.values`) };
    default: {
      if (typeof type === "string" && PRIMITIVES.has(type)) {
        const logical = parseLogical(obj, path);
        return logical ? { kind: type as AvroPrimitiveKind, logical } : { kind: type as AvroPrimitiveKind };
      }
      // {"type": <another schema>} wraps a type reference or nested definition.
      if (type !== undefined && (typeof type === "object" || typeof type === "string")) return parse(type, ns, names, `${path}.type`);
      throw bad(`unknown type ${JSON.stringify(type)}`, path);
    }
  }
}

function named(obj: Record<string, unknown>, ns: string | undefined, path: string): { name: string; namespace: string | undefined } {
  const name = obj["name"];
  if (typeof name !== "string" || name === "") throw bad("named type without name", path);
  const explicitNs = obj["namespace"];
  if (explicitNs !== undefined && typeof explicitNs !== "string") throw bad("namespace must be a string", path);
  return splitName(name, explicitNs === undefined ? ns : explicitNs || undefined);
}

function docOf(obj: Record<string, unknown>): { doc?: string } {
  return typeof obj["doc"] === "string" ? { doc: obj["doc"] } : {};
}

/** Renders the schema as Java Avro's `Schema.toString()` would (compact JSON). */
export function avroSchemaToJson(schema: AvroSchema): string {
  return render(schema, undefined, new Set());
}

function renderLogical(l: AvroLogicalType): string {
  if (l.name === "decimal") return `,"logicalType":"decimal","precision":${l.precision},"scale":${l.scale}`;
  return `,"logicalType":${JSON.stringify(l.name === "other" ? l.raw : l.name)}`;
}

function renderName(s: AvroNamed, ns: string | undefined): string {
  let out = `"name":${JSON.stringify(s.name)}`;
  if (s.namespace !== ns) out += `,"namespace":${JSON.stringify(s.namespace ?? "")}`;
  return out;
}

function render(s: AvroSchema, ns: string | undefined, done: Set<AvroSchema>): string {
  switch (s.kind) {
    case "record": {
      if (done.has(s)) return JSON.stringify(s.namespace === ns ? s.name : fullName(s));
      done.add(s);
      const fields = s.fields.map((f) => {
        let out = `{"name":${JSON.stringify(f.name)},"type":${render(f.type, s.namespace, done)}`;
        if (f.doc !== undefined) out += `,"doc":${JSON.stringify(f.doc)}`;
        if (f.default !== undefined) out += `,"default":${JSON.stringify(f.default)}`;
        return `${out}}`;
      });
      const doc = s.doc !== undefined ? `,"doc":${JSON.stringify(s.doc)}` : "";
      return `{"type":"record",${renderName(s, ns)}${doc},"fields":[${fields.join(",")}]}`;
    }
    case "enum":
      if (done.has(s)) return JSON.stringify(s.namespace === ns ? s.name : fullName(s));
      done.add(s);
      return `{"type":"enum",${renderName(s, ns)},"symbols":${JSON.stringify(s.symbols)}}`;
    case "fixed":
      if (done.has(s)) return JSON.stringify(s.namespace === ns ? s.name : fullName(s));
      done.add(s);
      return `{"type":"fixed",${renderName(s, ns)},"size":${s.size}${s.logical ? renderLogical(s.logical) : ""}}`;
    case "array":
      return `{"type":"array","items":${render(s.items, ns, done)}}`;
    case "map":
      return `{"type":"map","values":${render(s.values, ns, done)}}`;
    case "union":
      return `[${s.branches.map((b) => render(b, ns, done)).join(",")}]`;
    default:
      return s.logical ? `{"type":"${s.kind}"${renderLogical(s.logical)}}` : `"${s.kind}"`;
  }
}

/** Thrown for schema shapes the binary codec cannot handle (never for valid Avro). */
export function unsupportedSchema(message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.Unsupported, message);
}
