/**
 * Avro object container files (Avro 1.11 spec, "Object Container Files") — the format of
 * every Paimon manifest, manifest list and index manifest.
 *
 *   header   "Obj" 0x01
 *            metadata: map<bytes> (blocks of long count + (string key, bytes value)…, 0)
 *              avro.schema  writer schema JSON      avro.codec  codec name (absent = null)
 *            16-byte sync marker
 *   blocks   long record count, long byte size, `size` bytes of (compressed) records,
 *            the 16-byte sync marker again
 *
 * Reading checks the magic and every sync marker; records are decoded with the writer
 * schema from the header, resolved by field name against an optional reader schema.
 * Errors are DataInvalid with `offset` = the byte in the file where the bad item starts
 * (inside a compressed block: the block's data offset, plus `decodedOffset` in the inflated data).
 * An error a record builder raises about a decoded value has no byte offset: it names the
 * `row` (record index in the file) instead.
 *
 * Bytes and fixed values in the records are views, not copies: each block is copied once
 * (unless the codec already produced fresh memory), and its records' byte values share that
 * copy. The copy means a caller may reuse its input buffer; the views mean a record keeps
 * its whole block (≤ ~64 KB uncompressed) alive — fine for manifests, which the table layer
 * caches whole anyway, and far cheaper than one ArrayBuffer per value.
 */
import { dataInvalid, StreamhouseError, withErrorContext } from "../errors.js";
import { type AvroDecoder, type AvroRecordBuilders, compileDecoder, compileEncoder, compileResolvingDecoder } from "./avro-binary.js";
import { type AvroCodecName, avroCodec } from "./avro-codecs.js";
import { AvroReader, AvroWriter } from "./avro-cursor.js";
import { type AvroSchema, avroSchemaToJson, parseAvroSchema } from "./avro-schema.js";

const MAGIC = [0x4f, 0x62, 0x6a, 0x01];
export const SYNC_SIZE = 16;
/** Java Avro's DataFileConstants.DEFAULT_SYNC_INTERVAL: a block is flushed past this many bytes. */
export const DEFAULT_BLOCK_SIZE_BYTES = 64_000;

export interface AvroContainerHeader {
  /** The writer schema text exactly as stored. */
  readonly schemaJson: string;
  readonly schema: AvroSchema;
  readonly codec: string;
  /** All metadata entries, including avro.schema and avro.codec, in file order. */
  readonly metadata: ReadonlyMap<string, Uint8Array>;
  readonly sync: Uint8Array;
  /** Offset of the first block. */
  readonly dataOffset: number;
}

export interface AvroReadOptions {
  /** Decode into this shape (fields matched by name); default: the writer schema. */
  readonly readerSchema?: AvroSchema;
  /** Reader records to build into typed values directly (only with `readerSchema`). */
  readonly builders?: AvroRecordBuilders;
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });
const textEncoder = new TextEncoder();

export function readAvroHeader(bytes: Uint8Array): AvroContainerHeader {
  if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw dataInvalid("wrong magic: not an Avro object container file", { offset: 0 });
  }
  const r = new AvroReader(bytes, 4);
  const metadata = new Map<string, Uint8Array>();
  for (;;) {
    const at = r.pos;
    let count = r.readBlockCount();
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      r.readLength("metadata block size");
    }
    if (count > r.remaining / 2) throw r.fail(`absurd metadata entry count ${count}`, at);
    for (let i = 0; i < count; i++) {
      const key = r.readString();
      metadata.set(key, r.readBytes());
    }
  }
  const sync = r.readFixed(SYNC_SIZE);
  const schemaBytes = metadata.get("avro.schema");
  if (schemaBytes === undefined) throw dataInvalid("Avro header has no avro.schema", { offset: 4 });
  let schemaJson: string;
  try {
    schemaJson = textDecoder.decode(schemaBytes);
  } catch {
    throw dataInvalid("avro.schema is not UTF-8", { offset: 4 });
  }
  // The schema sits in the header metadata, which starts right after the magic.
  const schema = withErrorContext({ offset: 4 }, () => parseAvroSchema(schemaJson));
  const codecBytes = metadata.get("avro.codec");
  let codec = "null";
  if (codecBytes !== undefined) {
    try {
      codec = textDecoder.decode(codecBytes);
    } catch {
      throw dataInvalid("avro.codec is not UTF-8", { offset: 4 });
    }
  }
  return { schemaJson, schema, codec, metadata, sync, dataOffset: r.pos };
}

export interface AvroContainer {
  readonly header: AvroContainerHeader;
  readonly records: unknown[];
}

/**
 * Compiled resolving decoders by reader schema, builders and writer-schema text. Every
 * manifest of a table carries the same writer schema, so a scan over many manifests
 * compiles once. Decoders are pure functions of their schemas; bounded per reader.
 */
const resolvingDecoders = new WeakMap<AvroSchema, Map<AvroRecordBuilders | undefined, Map<string, AvroDecoder>>>();
const DECODERS_PER_READER_MAX = 64;

function resolvingDecoder(header: AvroContainerHeader, reader: AvroSchema, builders: AvroRecordBuilders | undefined): AvroDecoder {
  let byBuilders = resolvingDecoders.get(reader);
  if (byBuilders === undefined) {
    byBuilders = new Map();
    resolvingDecoders.set(reader, byBuilders);
  }
  let byWriter = byBuilders.get(builders);
  if (byWriter === undefined) {
    byWriter = new Map();
    byBuilders.set(builders, byWriter);
  }
  let decode = byWriter.get(header.schemaJson);
  if (decode === undefined) {
    decode = compileResolvingDecoder(header.schema, reader, builders);
    if (byWriter.size >= DECODERS_PER_READER_MAX) byWriter.delete(byWriter.keys().next().value!);
    byWriter.set(header.schemaJson, decode);
  }
  return decode;
}

/** Reads every record of the file. */
export function readAvroContainer(bytes: Uint8Array, options: AvroReadOptions = {}): AvroContainer {
  const header = readAvroHeader(bytes);
  const codec = avroCodec(header.codec);
  const decode: AvroDecoder = options.readerSchema
    ? resolvingDecoder(header, options.readerSchema, options.builders)
    : compileDecoder(header.schema);
  const records: unknown[] = [];
  const sync = header.sync;
  const r = new AvroReader(bytes, header.dataOffset);
  while (r.pos < bytes.length) {
    const blockAt = r.pos;
    const count = r.readBlockCount();
    if (count < 0) throw r.fail(`negative block record count ${count}`, blockAt);
    const size = r.readLength("block size");
    const dataAt = r.pos;
    const raw = bytes.subarray(dataAt, dataAt + size);
    r.skip(size);
    if (r.remaining < SYNC_SIZE) throw r.fail("truncated: block is not followed by a sync marker");
    for (let i = 0; i < SYNC_SIZE; i++) {
      if (bytes[r.pos + i] !== sync[i]) throw r.fail("bad sync marker");
    }
    r.pos += SYNC_SIZE;
    let data: Uint8Array;
    try {
      data = codec.decompress(raw);
    } catch (e) {
      if (e instanceof StreamhouseError) throw e.withContext({ offset: dataAt, codec: codec.name });
      throw e;
    }
    if (count > data.length && count > 1 << 24) throw r.fail(`absurd block record count ${count}`, blockAt);
    // Records will hold views of `data`: never of the caller's buffer (see the file comment).
    if (data.buffer === bytes.buffer) data = data.slice();
    const br = new AvroReader(data);
    br.viewBytes = true;
    if (codec.name === "null") br.base = dataAt;
    try {
      decodeBlock(br, count, decode, records);
    } catch (e) {
      if (!(e instanceof StreamhouseError)) throw e;
      // No offset: a builder rejected a decoded value. Name the record.
      if (e.context["offset"] === undefined) throw e.withContext({ row: records.length });
      if (codec.name === "null") throw e;
      // Offsets inside inflated data mean nothing in the file: name the block instead.
      const context = { ...e.context, offset: dataAt, decodedOffset: e.context["offset"], codec: codec.name };
      throw new StreamhouseError(e.kind, e.reason, { context, cause: e.cause });
    }
  }
  return { header, records };
}

function decodeBlock(br: AvroReader, count: number, decode: AvroDecoder, records: unknown[]): void {
  for (let i = 0; i < count; i++) records.push(decode(br));
  if (br.pos !== br.end) throw br.fail(`block declares ${count} records but ${br.end - br.pos} bytes remain after them`);
}

export interface AvroWriteOptions {
  readonly schema: AvroSchema;
  /** Header schema text; default: `avroSchemaToJson(schema)`. Must describe the same schema. */
  readonly schemaJson?: string;
  readonly codec?: AvroCodecName;
  /** Fills the array with random bytes (the sync marker); default `crypto.getRandomValues`. */
  readonly random?: (into: Uint8Array) => void;
  /** A block is closed once its uncompressed records reach this many bytes. */
  readonly blockSizeBytes?: number;
  /** Extra header metadata (keys starting with "avro." are reserved). */
  readonly metadata?: ReadonlyMap<string, Uint8Array>;
}

function defaultRandom(into: Uint8Array): void {
  globalThis.crypto.getRandomValues(into);
}

/** Compiled encoders and rendered schema text by schema: writers reuse constant schemas. */
const encoders = new WeakMap<AvroSchema, { readonly encode: ReturnType<typeof compileEncoder>; readonly json: string }>();

function encoderFor(schema: AvroSchema): { readonly encode: ReturnType<typeof compileEncoder>; readonly json: string } {
  let e = encoders.get(schema);
  if (e === undefined) {
    e = { encode: compileEncoder(schema), json: avroSchemaToJson(schema) };
    encoders.set(schema, e);
  }
  return e;
}

export function writeAvroContainer(records: readonly unknown[], options: AvroWriteOptions): Uint8Array {
  const codec = avroCodec(options.codec ?? "null");
  const { encode, json: schemaJson } = encoderFor(options.schema);
  const blockLimit = options.blockSizeBytes ?? DEFAULT_BLOCK_SIZE_BYTES;
  const sync = new Uint8Array(SYNC_SIZE);
  (options.random ?? defaultRandom)(sync);

  const out = new AvroWriter(4096);
  out.writeFixed(Uint8Array.from(MAGIC));
  const meta: [string, Uint8Array][] = [
    ["avro.schema", textEncoder.encode(options.schemaJson ?? schemaJson)],
    ["avro.codec", textEncoder.encode(codec.name)],
  ];
  for (const [k, v] of options.metadata ?? []) if (!k.startsWith("avro.")) meta.push([k, v]);
  out.writeLength(meta.length);
  for (const [k, v] of meta) {
    out.writeString(k);
    out.writeBytes(v);
  }
  out.writeLength(0);
  out.writeFixed(sync);

  const block = new AvroWriter(Math.min(blockLimit + 1024, 1 << 20));
  let count = 0;
  const flush = (): void => {
    if (count === 0) return;
    const data = codec.compress(block.bytes());
    out.writeLength(count);
    out.writeLength(data.length);
    out.writeFixed(data);
    out.writeFixed(sync);
    block.reset();
    count = 0;
  };
  for (let i = 0; i < records.length; i++) {
    try {
      encode(block, records[i]);
    } catch (e) {
      if (e instanceof StreamhouseError) throw e.withContext({ record: i });
      throw e;
    }
    count++;
    if (block.pos >= blockLimit) flush();
  }
  flush();
  return out.bytes().slice();
}
