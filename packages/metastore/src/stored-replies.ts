/**
 * Replies written straight from stored bytes, for the hot read calls whose
 * answer is a stored object: get_table, get_table_req, get_partitions_by_names
 * and get_partitions_by_names_req.
 *
 * The store keeps each table and partition as the exact TBinaryProtocol
 * encoding of its struct (codec.ts), which is byte for byte what encoding the
 * decoded struct again would give. The generated processor would decode the
 * rows, deep-copy every struct into its result object, and encode them all
 * again; here the stored bytes are copied into the reply instead:
 *
 *   get_table_req reply:  REPLY header
 *                         field 0 STRUCT (GetTableResult)
 *                           field 1 STRUCT (Table) = <stored table bytes, ending in STOP>
 *                           STOP
 *                         STOP
 *   get_partitions_by_names reply:
 *                         field 0 LIST<STRUCT> n, then n × <stored partition bytes>
 *                         STOP
 *
 * Arguments are read with the generated request structs where there is one;
 * the plain-argument forms with a small reader that skips unknown fields, as
 * generated code does. Errors are written as the generated code writes them:
 * a declared exception in its result field, anything else as a
 * TApplicationException (UNKNOWN).
 */
import thrift from "thrift";
import { hmsTypes as T } from "@streamhouse/catalog";

/** What the stored-bytes reads return: the rows' bodies, errors already mapped to the IDL's exceptions. */
export interface StoredReads {
  tableBytes(dbName: string, tblName: string, catalog?: string | null): Promise<Uint8Array>;
  partitionBytesByNames(dbName: string, tblName: string, names: readonly string[] | null | undefined, catalog?: string | null): Promise<Uint8Array[]>;
}

type Protocol = thrift.TProtocol & { trans: { write(buf: Buffer): void } };
type ProcessFn = (seqid: number, input: thrift.TProtocol, output: thrift.TProtocol) => void;

const { Type, MessageType } = thrift.Thrift;

/** Field ids of the exceptions these four methods declare: throws (1: MetaException o1, 2: NoSuchObjectException o2). */
function declaredFieldOf(e: unknown): number | undefined {
  if (e instanceof T.MetaException) return 1;
  if (e instanceof T.NoSuchObjectException) return 2;
  return undefined;
}

function writeRaw(output: thrift.TProtocol, bytes: Uint8Array): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  (output as Protocol).trans.write(buf);
}

function reply(name: string, seqid: number, output: thrift.TProtocol, writeSuccess: () => void): void {
  output.writeMessageBegin(name, MessageType.REPLY, seqid);
  output.writeStructBegin(`${name}_result`);
  writeSuccess();
  output.writeFieldStop();
  output.writeStructEnd();
  output.writeMessageEnd();
  output.flush();
}

function replyError(name: string, seqid: number, output: thrift.TProtocol, e: unknown): void {
  const field = declaredFieldOf(e);
  if (field !== undefined) {
    output.writeMessageBegin(name, MessageType.REPLY, seqid);
    output.writeStructBegin(`${name}_result`);
    output.writeFieldBegin(`o${field}`, Type.STRUCT, field);
    (e as { write(o: thrift.TProtocol): void }).write(output);
    output.writeFieldEnd();
    output.writeFieldStop();
    output.writeStructEnd();
  } else {
    output.writeMessageBegin(name, MessageType.EXCEPTION, seqid);
    new thrift.Thrift.TApplicationException(thrift.Thrift.TApplicationExceptionType.UNKNOWN, (e as Error)?.message ?? String(e)).write(output);
  }
  output.writeMessageEnd();
  output.flush();
}

/**
 * Reads an argument struct: `fields` maps a field id to its expected type and
 * reader; other ids, and known ids of another type, are skipped.
 */
function readArgs(input: thrift.TProtocol, fields: Record<number, { type: number; read: () => void }>): void {
  input.readStructBegin();
  for (;;) {
    const { ftype, fid } = input.readFieldBegin();
    if (ftype === Type.STOP) break;
    const f = fields[fid];
    if (f !== undefined && f.type === ftype) f.read();
    else input.skip(ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  input.readMessageEnd();
}

function readStringList(input: thrift.TProtocol): string[] {
  const { size } = input.readListBegin();
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push(input.readString());
  input.readListEnd();
  return out;
}

function writeTable(output: thrift.TProtocol, bytes: Uint8Array): void {
  output.writeFieldBegin("success", Type.STRUCT, 0);
  writeRaw(output, bytes);
  output.writeFieldEnd();
}

function writeTableResult(output: thrift.TProtocol, bytes: Uint8Array): void {
  output.writeFieldBegin("success", Type.STRUCT, 0);
  output.writeStructBegin("GetTableResult");
  output.writeFieldBegin("table", Type.STRUCT, 1);
  writeRaw(output, bytes);
  output.writeFieldEnd();
  output.writeFieldStop();
  output.writeStructEnd();
  output.writeFieldEnd();
}

function writePartitionList(output: thrift.TProtocol, fieldName: string, fieldId: number, parts: readonly Uint8Array[]): void {
  output.writeFieldBegin(fieldName, Type.LIST, fieldId);
  output.writeListBegin(Type.STRUCT, parts.length);
  for (const p of parts) writeRaw(output, p);
  output.writeListEnd();
  output.writeFieldEnd();
}

function writePartitionsResult(output: thrift.TProtocol, parts: readonly Uint8Array[]): void {
  output.writeFieldBegin("success", Type.STRUCT, 0);
  output.writeStructBegin("GetPartitionsByNamesResult");
  writePartitionList(output, "partitions", 1, parts);
  output.writeFieldStop();
  output.writeStructEnd();
  output.writeFieldEnd();
}

/** Runs `produce` and writes its value with `write`, or the error as the generated code would. */
function answer<V>(name: string, seqid: number, output: thrift.TProtocol, produce: () => Promise<V>, write: (o: thrift.TProtocol, v: V) => void): void {
  produce().then(
    (v) => reply(name, seqid, output, () => write(output, v)),
    (e: unknown) => replyError(name, seqid, output, e),
  );
}

/** The process_ functions to put on the generated processor in place of its own for these methods. */
export function storedReplyProcessors(reads: StoredReads): Record<string, ProcessFn> {
  return {
    get_table(seqid, input, output) {
      let db = "";
      let tbl = "";
      readArgs(input, { 1: { type: Type.STRING, read: () => (db = input.readString()) }, 2: { type: Type.STRING, read: () => (tbl = input.readString()) } });
      answer("get_table", seqid, output, () => reads.tableBytes(db, tbl), writeTable);
    },
    get_table_req(seqid, input, output) {
      const req = new T.GetTableRequest();
      readArgs(input, { 1: { type: Type.STRUCT, read: () => (req as unknown as { read(i: thrift.TProtocol): void }).read(input) } });
      answer("get_table_req", seqid, output, () => reads.tableBytes(req.dbName ?? "", req.tblName ?? "", req.catName), writeTableResult);
    },
    get_partitions_by_names(seqid, input, output) {
      let db = "";
      let tbl = "";
      let names: string[] = [];
      readArgs(input, {
        1: { type: Type.STRING, read: () => (db = input.readString()) },
        2: { type: Type.STRING, read: () => (tbl = input.readString()) },
        3: { type: Type.LIST, read: () => (names = readStringList(input)) },
      });
      answer("get_partitions_by_names", seqid, output, () => reads.partitionBytesByNames(db, tbl, names), (o, parts) => writePartitionList(o, "success", 0, parts));
    },
    get_partitions_by_names_req(seqid, input, output) {
      const req = new T.GetPartitionsByNamesRequest();
      readArgs(input, { 1: { type: Type.STRUCT, read: () => (req as unknown as { read(i: thrift.TProtocol): void }).read(input) } });
      answer("get_partitions_by_names_req", seqid, output, () => reads.partitionBytesByNames(req.db_name ?? "", req.tbl_name ?? "", req.names), writePartitionsResult);
    },
  };
}

/** Replaces the generated processor's functions for these methods on `processor` (an instance). */
export function installStoredReplies(processor: object, reads: StoredReads): void {
  const target = processor as Record<string, unknown>;
  for (const [method, fn] of Object.entries(storedReplyProcessors(reads))) {
    if (typeof target[`process_${method}`] !== "function") throw new Error(`the generated processor has no method ${method}`);
    target[`process_${method}`] = fn;
  }
}
