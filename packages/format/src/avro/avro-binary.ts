/**
 * Avro binary datum encoding, compiled: a schema is turned once into a tree of closures
 * that decode (or encode) one datum, so the per-row work is only the byte handling.
 *
 * Value mapping (the "generic record" shape every manifest reader shares):
 *   null → null, boolean → boolean, int → number, long → bigint, float/double → number,
 *   bytes/fixed → Uint8Array (a copy), string → string, enum → symbol string,
 *   array → array, map → Map<string, V>, record → plain object keyed by field name,
 *   union → the value of the selected branch (no wrapper).
 * Logical types keep the underlying representation: timestamp-millis is a bigint of
 * milliseconds, date an int of days, decimal the two's-complement bytes.
 *
 * Schema resolution (writer schema ≠ reader schema, Avro spec "Schema Resolution"):
 * record fields are matched by NAME; writer fields the reader does not know are skipped;
 * reader fields the writer lacks take the reader's default, or null. This is how Java
 * Paimon tolerates manifests written by older and newer releases.
 *
 * Typed records (the hot path of manifest reading): a resolving decoder may be given an
 * `AvroRecordBuilder` for a reader record. It then collects that record's field values in
 * an array, in reader field order, and hands them to the builder, which returns the typed
 * model. No generic object is made: building one keyed by name costs ~10× a plain array,
 * and it would be garbage right after mapping.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";
import type { AvroReader, AvroWriter } from "./avro-cursor.js";
import { type AvroField, type AvroRecord, type AvroSchema, type AvroUnion, fullName, isNamed } from "./avro-schema.js";

export type AvroDecoder = (r: AvroReader) => unknown;

/** Builds a typed value from one record's field values (see the file comment). */
export interface AvroRecordBuilder {
  /** The reader record's field names, in order: what `build` expects at each position. */
  readonly fields: readonly string[];
  /** May throw a StreamhouseError naming the field; values of nested typed records are already built. */
  readonly build: (values: unknown[]) => unknown;
}

/** Builders by reader record (the schema object itself, not its name). */
export type AvroRecordBuilders = ReadonlyMap<AvroRecord, AvroRecordBuilder>;
export type AvroEncoder = (w: AvroWriter, value: unknown) => void;
type Skipper = (r: AvroReader) => void;

/** Largest item count accepted for arrays whose items may encode to zero bytes. */
const MAX_ZERO_SIZE_ITEMS = 1 << 24;

/** Smallest number of bytes one datum of the schema can occupy (0 for null). */
function minSize(s: AvroSchema, seen: Set<AvroSchema> = new Set()): number {
  switch (s.kind) {
    case "null":
      return 0;
    case "float":
      return 4;
    case "double":
      return 8;
    case "fixed":
      return s.size;
    case "record": {
      if (seen.has(s)) return 0;
      seen.add(s);
      let n = 0;
      for (const f of s.fields) n += minSize(f.type, seen);
      seen.delete(s);
      return n;
    }
    default:
      return 1;
  }
}

/** Reads array/map blocks, calling `item` for each element; guards absurd counts. */
function readBlocks(r: AvroReader, itemMin: number, item: () => void): void {
  for (;;) {
    const at = r.pos;
    let count = r.readBlockCount();
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.readLength("block byte size");
    }
    if (itemMin > 0 ? count > r.remaining / itemMin : count > MAX_ZERO_SIZE_ITEMS) {
      throw r.fail(`block count ${count} exceeds what the ${r.remaining} bytes left can hold`, at);
    }
    for (let i = 0; i < count; i++) item();
  }
}

function readBranch(r: AvroReader, n: number): number {
  const at = r.pos;
  const i = r.readSmallLong("union branch");
  if (i < 0 || i >= n) throw r.fail(`bad union branch ${i} (union has ${n} branches)`, at);
  return i;
}

/**
 * Array blocks decoded in a plain loop: arrays sit in every manifest row. The first block
 * sizes the array exactly (pushing onto `[]` would reserve 17 slots), which matters when
 * the decoded rows are kept.
 */
function arrayDecoder(item: AvroDecoder, itemMin: number): AvroDecoder {
  return (r) => {
    let out: unknown[] | undefined;
    for (;;) {
      const at = r.pos;
      let count = r.readBlockCount();
      if (count === 0) return out ?? [];
      if (count < 0) {
        count = -count;
        r.readLength("block byte size");
      }
      if (itemMin > 0 ? count > r.remaining / itemMin : count > MAX_ZERO_SIZE_ITEMS) {
        throw r.fail(`block count ${count} exceeds what the ${r.remaining} bytes left can hold`, at);
      }
      if (out === undefined) {
        out = new Array(count);
        for (let i = 0; i < count; i++) out[i] = item(r);
      } else {
        for (let i = 0; i < count; i++) out.push(item(r));
      }
    }
  };
}

/** Compiles a decoder for data written with `schema`. */
export function compileDecoder(schema: AvroSchema): AvroDecoder {
  return decoderFor(schema, new Map());
}

function decoderFor(s: AvroSchema, cache: Map<AvroSchema, AvroDecoder>): AvroDecoder {
  const hit = cache.get(s);
  if (hit) return hit;
  switch (s.kind) {
    case "null":
      return () => null;
    case "boolean":
      return (r) => r.readBoolean();
    case "int":
      return (r) => r.readInt();
    case "long":
      return (r) => r.readLong();
    case "float":
      return (r) => r.readFloat();
    case "double":
      return (r) => r.readDouble();
    case "bytes":
      return (r) => r.readBytes();
    case "string":
      return (r) => r.readString();
    case "fixed": {
      const size = s.size;
      return (r) => r.readFixed(size);
    }
    case "enum": {
      const symbols = s.symbols;
      return (r) => {
        const at = r.pos;
        const i = r.readInt();
        const sym = symbols[i];
        if (sym === undefined) throw r.fail(`enum index ${i} out of range`, at);
        return sym;
      };
    }
    case "array": {
      return arrayDecoder(decoderFor(s.items, cache), minSize(s.items));
    }
    case "map": {
      const value = decoderFor(s.values, cache);
      const itemMin = 1 + minSize(s.values);
      return (r) => {
        const out = new Map<string, unknown>();
        readBlocks(r, itemMin, () => {
          const k = r.readString();
          out.set(k, value(r));
        });
        return out;
      };
    }
    case "union": {
      const branches = s.branches.map((b) => decoderFor(b, cache));
      const n = branches.length;
      // ["null", T]: the shape of every nullable Paimon field.
      if (n === 2 && s.branches[0]!.kind === "null") {
        const t = branches[1]!;
        return (r) => (readBranch(r, 2) === 0 ? null : t(r));
      }
      return (r) => branches[readBranch(r, n)]!(r);
    }
    case "record": {
      const names = s.fields.map((f) => f.name);
      const decs: AvroDecoder[] = [];
      const dec: AvroDecoder = (r) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < decs.length; i++) o[names[i]!] = decs[i]!(r);
        return o;
      };
      cache.set(s, dec);
      for (const f of s.fields) decs.push(decoderFor(f.type, cache));
      return dec;
    }
  }
}

/** Compiles a function that moves past one datum without materializing it. */
function skipperFor(s: AvroSchema, cache: Map<AvroSchema, Skipper>): Skipper {
  const hit = cache.get(s);
  if (hit) return hit;
  switch (s.kind) {
    case "null":
      return () => {};
    case "boolean":
      return (r) => r.skip(1);
    case "int":
      return (r) => void r.readInt();
    case "long":
      return (r) => void r.readLong();
    case "float":
      return (r) => r.skip(4);
    case "double":
      return (r) => r.skip(8);
    case "bytes":
    case "string":
      return (r) => r.skip(r.readLength("length"));
    case "fixed": {
      const size = s.size;
      return (r) => r.skip(size);
    }
    case "enum":
      return (r) => void r.readInt();
    case "array":
    case "map": {
      const inner = s.kind === "array" ? skipperFor(s.items, cache) : skipperFor(s.values, cache);
      const itemMin = s.kind === "array" ? minSize(s.items) : 1 + minSize(s.values);
      const isMap = s.kind === "map";
      return (r) => {
        for (;;) {
          const at = r.pos;
          const count = r.readBlockCount();
          if (count === 0) return;
          if (count < 0) {
            r.skip(r.readLength("block byte size")); // the writer told us how far to jump
            continue;
          }
          if (itemMin > 0 ? count > r.remaining / itemMin : count > MAX_ZERO_SIZE_ITEMS) {
            throw r.fail(`block count ${count} exceeds what the ${r.remaining} bytes left can hold`, at);
          }
          for (let i = 0; i < count; i++) {
            if (isMap) r.skip(r.readLength("map key length"));
            inner(r);
          }
        }
      };
    }
    case "union": {
      const branches = s.branches.map((b) => skipperFor(b, cache));
      return (r) => branches[readBranch(r, branches.length)]!(r);
    }
    case "record": {
      const skips: Skipper[] = [];
      const sk: Skipper = (r) => {
        for (let i = 0; i < skips.length; i++) skips[i]!(r);
      };
      cache.set(s, sk);
      for (const f of s.fields) skips.push(skipperFor(f.type, cache));
      return sk;
    }
  }
}

function incompatible(writer: AvroSchema, reader: AvroSchema): StreamhouseError {
  return dataInvalid("writer schema cannot be read with the reader schema", { writer: describe(writer), reader: describe(reader) });
}

function describe(s: AvroSchema): string {
  return isNamed(s) ? `${s.kind} ${fullName(s)}` : s.kind;
}

/** Can a writer value of schema `w` be promoted to reader schema `rd` (same kind or a widening)? */
function matches(w: AvroSchema, rd: AvroSchema): boolean {
  // Same kind matches regardless of record names: Paimon's readers ignore them.
  if (w.kind === rd.kind) return true;
  switch (w.kind) {
    case "int":
      return rd.kind === "long" || rd.kind === "float" || rd.kind === "double";
    case "long":
      return rd.kind === "float" || rd.kind === "double";
    case "float":
      return rd.kind === "double";
    case "string":
      return rd.kind === "bytes";
    case "bytes":
      return rd.kind === "string";
    default:
      return false;
  }
}

/** The reader union branch a writer schema resolves to: exact kind/name first, then promotion. */
function pickBranch(w: AvroSchema, rd: AvroUnion): AvroSchema | undefined {
  return rd.branches.find((b) => b.kind === w.kind) ?? rd.branches.find((b) => matches(w, b));
}

/**
 * Compiles a decoder for data written with `writer`, producing values shaped by `reader`.
 * A writer `null` always decodes to null, even where the reader type is not nullable
 * (Paimon 0.9 wrote every nested record as `["null", record]`); the typed mapping above
 * this layer decides whether null is acceptable.
 */
export function compileResolvingDecoder(writer: AvroSchema, reader: AvroSchema, builders: AvroRecordBuilders = new Map()): AvroDecoder {
  return resolve(writer, reader, { records: new Map(), skips: new Map(), builders });
}

interface ResolveState {
  /** Record decoders by writer → reader full names (records may be recursive). */
  readonly records: Map<string, AvroDecoder>;
  readonly skips: Map<AvroSchema, Skipper>;
  readonly builders: AvroRecordBuilders;
}

function resolve(w: AvroSchema, rd: AvroSchema, st: ResolveState): AvroDecoder {
  if (w.kind === "union") {
    const branches = w.branches.map((b) => (b.kind === "null" ? () => null : resolve(b, rd, st)));
    const n = branches.length;
    return (r) => branches[readBranch(r, n)]!(r);
  }
  if (w.kind === "null") return () => null;
  if (rd.kind === "union") {
    const target = pickBranch(w, rd);
    if (target === undefined) throw incompatible(w, rd);
    return resolve(w, target, st);
  }
  if (!matches(w, rd)) throw incompatible(w, rd);
  switch (w.kind) {
    case "int":
      if (rd.kind === "long") return (r) => BigInt(r.readInt());
      return (r) => r.readInt();
    case "long":
      if (rd.kind === "float" || rd.kind === "double") return (r) => Number(r.readLong());
      return (r) => r.readLong();
    case "float":
      return (r) => r.readFloat();
    case "string":
      if (rd.kind === "bytes") return (r) => r.readBytes();
      return (r) => r.readString();
    case "bytes":
      if (rd.kind === "string") return (r) => r.readString();
      return (r) => r.readBytes();
    case "fixed":
      if (rd.kind !== "fixed" || rd.size !== w.size) throw incompatible(w, rd);
      return compileDecoder(w);
    case "enum": {
      if (rd.kind !== "enum") throw incompatible(w, rd);
      const readerSymbols = new Set(rd.symbols);
      const symbols = w.symbols;
      return (r) => {
        const at = r.pos;
        const sym = symbols[r.readInt()];
        if (sym === undefined || !readerSymbols.has(sym)) throw r.fail(`enum symbol ${String(sym)} unknown to the reader`, at);
        return sym;
      };
    }
    case "array": {
      if (rd.kind !== "array") throw incompatible(w, rd);
      const item = resolve(w.items, rd.items, st);
      return arrayDecoder(item, minSize(w.items));
    }
    case "map": {
      if (rd.kind !== "map") throw incompatible(w, rd);
      const value = resolve(w.values, rd.values, st);
      const itemMin = 1 + minSize(w.values);
      return (r) => {
        const out = new Map<string, unknown>();
        readBlocks(r, itemMin, () => {
          const k = r.readString();
          out.set(k, value(r));
        });
        return out;
      };
    }
    case "record":
      if (rd.kind !== "record") throw incompatible(w, rd);
      return resolveRecord(w, rd, st);
    default:
      return compileDecoder(w);
  }
}

function resolveRecord(w: AvroRecord, rd: AvroRecord, st: ResolveState): AvroDecoder {
  const key = `${fullName(w)}→${fullName(rd)}`;
  const hit = st.records.get(key);
  if (hit) return hit;
  const builder = st.builders.get(rd);
  if (builder !== undefined) return resolveTypedRecord(w, rd, builder, key, st);
  // One step per writer field, in writer order: decode into a reader field or skip.
  const steps: { name: string | undefined; dec: AvroDecoder | undefined; skip: Skipper | undefined }[] = [];
  const defaults: [string, unknown][] = [];
  const dec: AvroDecoder = (r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.name !== undefined) o[step.name] = step.dec!(r);
      else step.skip!(r);
    }
    for (let i = 0; i < defaults.length; i++) {
      const d = defaults[i]!;
      o[d[0]] = d[1];
    }
    return o;
  };
  st.records.set(key, dec);
  const readerFields = new Map<string, AvroField>(rd.fields.map((f) => [f.name, f]));
  for (const wf of w.fields) {
    const rf = readerFields.get(wf.name);
    if (rf) steps.push({ name: rf.name, dec: resolve(wf.type, rf.type, st), skip: undefined });
    else steps.push({ name: undefined, dec: undefined, skip: skipperFor(wf.type, st.skips) });
  }
  const written = new Set(w.fields.map((f) => f.name));
  for (const rf of rd.fields) {
    if (!written.has(rf.name)) defaults.push([rf.name, defaultValue(rf)]);
  }
  return dec;
}

/**
 * How a typed record reads one writer field. The common primitives, plain or as Paimon's
 * `["null", T]`, are read inline by `readStep` — one monomorphic call instead of a call
 * through a closure, which V8 cannot inline where twenty fields share one call site.
 * Anything else goes through its compiled decoder (`CALL`) or skipper (`SKIP`).
 */
const Op = { CALL: 0, SKIP: 1, INT: 2, LONG: 3, STRING: 4, BYTES: 5 } as const;
/** Added to INT…BYTES for a `["null", T]` writer union. */
const NULLABLE = 8;

const INLINE_OPS: Readonly<Record<string, number>> = { int: Op.INT, long: Op.LONG, string: Op.STRING, bytes: Op.BYTES };

/** The inline op for reading writer type `w` as reader type `rd`, or CALL. */
function inlineOp(w: AvroSchema, rd: AvroSchema): number {
  let nullable = 0;
  if (w.kind === "union") {
    if (w.branches.length !== 2 || w.branches[0]!.kind !== "null") return Op.CALL;
    w = w.branches[1]!;
    nullable = NULLABLE;
  }
  const target = rd.kind === "union" ? pickBranch(w, rd) : rd;
  const op = INLINE_OPS[w.kind];
  return op !== undefined && target?.kind === w.kind ? op + nullable : Op.CALL;
}

function readStep(r: AvroReader, op: number): unknown {
  if (op >= NULLABLE) {
    if (readBranch(r, 2) === 0) return null;
    op -= NULLABLE;
  }
  switch (op) {
    case Op.INT:
      return r.readInt();
    case Op.LONG:
      return r.readLong();
    case Op.STRING:
      return r.readString();
    default:
      return r.readBytes();
  }
}

/**
 * A record decoded into `values[i]` = reader field i, then built. Writer fields are still
 * matched by name: `slots[j]` is the reader position of writer field j, or -1 to skip it.
 */
function resolveTypedRecord(w: AvroRecord, rd: AvroRecord, builder: AvroRecordBuilder, key: string, st: ResolveState): AvroDecoder {
  const names = rd.fields.map((f) => f.name);
  if (names.length !== builder.fields.length || names.some((n, i) => n !== builder.fields[i])) {
    throw new Error(`builder fields [${builder.fields.join(", ")}] do not match reader record ${fullName(rd)}`);
  }
  const slots: number[] = [];
  const ops: number[] = [];
  /** For CALL and SKIP steps; a no-op elsewhere. */
  const calls: AvroDecoder[] = [];
  /** Reader fields the writer lacks, with their defaults. */
  const missing: [number, unknown][] = [];
  const build = builder.build;
  const n = names.length;
  // `build` copies the values out, so one array serves every record; a record nested in
  // itself (recursive schema) finds it taken and gets its own. Every slot is written
  // before each build: by a writer field or as a default.
  let spare: unknown[] | undefined = new Array(n);
  const dec: AvroDecoder = (r) => {
    const values = spare ?? new Array(n);
    spare = undefined;
    try {
      for (let j = 0; j < ops.length; j++) {
        const op = ops[j]!;
        if (op === Op.SKIP) calls[j]!(r);
        else values[slots[j]!] = op === Op.CALL ? calls[j]!(r) : readStep(r, op);
      }
      for (let k = 0; k < missing.length; k++) {
        const m = missing[k]!;
        values[m[0]] = m[1];
      }
      return build(values);
    } finally {
      spare = values;
    }
  };
  st.records.set(key, dec);
  const noop: AvroDecoder = () => undefined;
  for (const wf of w.fields) {
    const slot = names.indexOf(wf.name);
    slots.push(slot);
    if (slot < 0) {
      ops.push(Op.SKIP);
      calls.push(skipperFor(wf.type, st.skips));
      continue;
    }
    const rt = rd.fields[slot]!.type;
    const op = inlineOp(wf.type, rt);
    ops.push(op);
    // Resolving even for inline ops: it rejects incompatible types at compile time.
    const call = resolve(wf.type, rt, st);
    calls.push(op === Op.CALL ? call : noop);
  }
  rd.fields.forEach((rf, i) => {
    if (!w.fields.some((wf) => wf.name === rf.name)) missing.push([i, defaultValue(rf)]);
  });
  return dec;
}

/** JSON defaults of the primitive kinds Paimon uses; anything else absent reads as null. */
function defaultValue(f: AvroField): unknown {
  const d = f.default;
  if (d === undefined || d === null) return null;
  const t = f.type.kind === "union" ? f.type.branches[0]! : f.type;
  if (t.kind === "long" && typeof d === "number") return BigInt(d);
  if (Array.isArray(d) && d.length === 0) return [];
  return d;
}

function typeError(expected: string, value: unknown): StreamhouseError {
  const shown = typeof value === "bigint" ? `${value}n` : typeof value === "object" ? (value === null ? "null" : "object") : String(value);
  return new StreamhouseError(ErrorKind.InvalidArgument, `cannot encode ${shown} as Avro ${expected}`);
}

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;

/** Does `value` fit `s` (used to choose a union branch)? */
function accepts(s: AvroSchema, value: unknown): boolean {
  switch (s.kind) {
    case "null":
      return value === null || value === undefined;
    case "boolean":
      return typeof value === "boolean";
    case "int":
      return typeof value === "number" && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX;
    case "long":
      return typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value));
    case "float":
    case "double":
      return typeof value === "number";
    case "bytes":
      return value instanceof Uint8Array;
    case "fixed":
      return value instanceof Uint8Array && value.length === s.size;
    case "string":
      return typeof value === "string";
    case "enum":
      return typeof value === "string" && s.symbols.includes(value);
    case "array":
      return Array.isArray(value);
    case "map":
      return value instanceof Map;
    case "record":
      return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Map);
    case "union":
      return s.branches.some((b) => accepts(b, value));
  }
}

/** Compiles an encoder. Values follow the decoder's mapping; longs may also be safe-integer numbers. */
export function compileEncoder(schema: AvroSchema): AvroEncoder {
  return encoderFor(schema, new Map());
}

function encoderFor(s: AvroSchema, cache: Map<AvroSchema, AvroEncoder>): AvroEncoder {
  const hit = cache.get(s);
  if (hit) return hit;
  switch (s.kind) {
    case "null":
      return (_w, v) => {
        if (v !== null && v !== undefined) throw typeError("null", v);
      };
    case "boolean":
      return (w, v) => {
        if (typeof v !== "boolean") throw typeError("boolean", v);
        w.writeBoolean(v);
      };
    case "int":
      return (w, v) => {
        if (!accepts(s, v)) throw typeError("int", v);
        w.writeInt(v as number);
      };
    case "long":
      return (w, v) => {
        if (typeof v === "bigint") {
          if (v < LONG_MIN || v > LONG_MAX) throw typeError("long", v);
          w.writeLong(v);
        } else if (typeof v === "number" && Number.isSafeInteger(v)) {
          w.writeLong(BigInt(v));
        } else throw typeError("long", v);
      };
    case "float":
      return (w, v) => {
        if (typeof v !== "number") throw typeError("float", v);
        w.writeFloat(v);
      };
    case "double":
      return (w, v) => {
        if (typeof v !== "number") throw typeError("double", v);
        w.writeDouble(v);
      };
    case "bytes":
      return (w, v) => {
        if (!(v instanceof Uint8Array)) throw typeError("bytes", v);
        w.writeBytes(v);
      };
    case "string":
      return (w, v) => {
        if (typeof v !== "string") throw typeError("string", v);
        w.writeString(v);
      };
    case "fixed":
      return (w, v) => {
        if (!accepts(s, v)) throw typeError(`fixed(${s.size})`, v);
        w.writeFixed(v as Uint8Array);
      };
    case "enum":
      return (w, v) => {
        const i = typeof v === "string" ? s.symbols.indexOf(v) : -1;
        if (i < 0) throw typeError(`enum ${s.name}`, v);
        w.writeInt(i);
      };
    case "array": {
      const item = encoderFor(s.items, cache);
      return (w, v) => {
        if (!Array.isArray(v)) throw typeError("array", v);
        if (v.length > 0) {
          w.writeLength(v.length);
          for (let i = 0; i < v.length; i++) item(w, v[i]);
        }
        w.writeLength(0);
      };
    }
    case "map": {
      const value = encoderFor(s.values, cache);
      return (w, v) => {
        if (!(v instanceof Map)) throw typeError("map", v);
        if (v.size > 0) {
          w.writeLength(v.size);
          for (const [k, x] of v) {
            if (typeof k !== "string") throw typeError("map key string", k);
            w.writeString(k);
            value(w, x);
          }
        }
        w.writeLength(0);
      };
    }
    case "union": {
      const branches = s.branches;
      const encs = branches.map((b) => encoderFor(b, cache));
      if (branches.length === 2 && branches[0]!.kind === "null") {
        const t = encs[1]!;
        return (w, v) => {
          if (v === null || v === undefined) w.writeInt(0);
          else {
            w.writeInt(1);
            t(w, v);
          }
        };
      }
      return (w, v) => {
        const i = branches.findIndex((b) => accepts(b, v));
        if (i < 0) throw typeError("union", v);
        w.writeInt(i);
        encs[i]!(w, v);
      };
    }
    case "record": {
      const names = s.fields.map((f) => f.name);
      const encs: AvroEncoder[] = [];
      const enc: AvroEncoder = (w, v) => {
        if (!accepts(s, v)) throw typeError(`record ${s.name}`, v);
        const o = v as Record<string, unknown>;
        for (let i = 0; i < encs.length; i++) {
          const name = names[i]!;
          try {
            encs[i]!(w, o[name]);
          } catch (e) {
            if (e instanceof StreamhouseError && e.context["field"] === undefined) throw e.withContext({ field: name });
            throw e;
          }
        }
      };
      cache.set(s, enc);
      for (const f of s.fields) encs.push(encoderFor(f.type, cache));
      return enc;
    }
  }
}
