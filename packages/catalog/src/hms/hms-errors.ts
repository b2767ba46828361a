/**
 * The metastore's Thrift exceptions as our typed errors: the client side of the
 * table in packages/metastore/src/thrift-errors.ts. The generated exception
 * classes set `name` to the IDL's exception name, which is what we go by.
 */
import { type ErrorContext, ErrorKind, StreamhouseError } from "@streamhouse/format";

/** TApplicationException type a server sends for a method it does not have. */
export const UNKNOWN_METHOD = 1;

const KIND_BY_EXCEPTION: Readonly<Record<string, ErrorKind>> = {
  NoSuchObjectException: ErrorKind.NotFound,
  UnknownDBException: ErrorKind.NotFound,
  UnknownTableException: ErrorKind.NotFound,
  UnknownPartitionException: ErrorKind.NotFound,
  NoSuchLockException: ErrorKind.NotFound,
  NoSuchTxnException: ErrorKind.NotFound,
  AlreadyExistsException: ErrorKind.AlreadyExists,
  InvalidObjectException: ErrorKind.InvalidArgument,
  InvalidInputException: ErrorKind.InvalidArgument,
  InvalidOperationException: ErrorKind.InvalidArgument,
  InvalidPartitionException: ErrorKind.InvalidArgument,
  TxnAbortedException: ErrorKind.CommitConflict,
  TxnOpenException: ErrorKind.CommitConflict,
  MetaException: ErrorKind.Io,
};

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === "object" && e !== null && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}

/**
 * The typed error for anything a metastore call threw. StreamhouseErrors (ours,
 * e.g. a lost connection) pass through with `context` added.
 */
export function hmsError(e: unknown, method: string, context: ErrorContext = {}): StreamhouseError {
  if (e instanceof StreamhouseError) return e.withContext({ ...context, method });
  const name = e instanceof Error ? e.name : typeof e === "object" && e !== null && "name" in e ? String((e as { name: unknown }).name) : "";
  const known = KIND_BY_EXCEPTION[name];
  if (known !== undefined) {
    return new StreamhouseError(known, `metastore ${method}: ${messageOf(e)}`, { context: { ...context, method, exception: name }, cause: e });
  }
  if (name === "TApplicationException") {
    const type = (e as { type?: number }).type;
    const kind = type === UNKNOWN_METHOD ? ErrorKind.Unsupported : ErrorKind.Io;
    return new StreamhouseError(kind, `metastore ${method}: ${messageOf(e)}`, { context: { ...context, method, exception: name }, cause: e });
  }
  return new StreamhouseError(ErrorKind.Io, `metastore ${method} failed: ${messageOf(e)}`, { context: { ...context, method }, cause: e, retryable: true });
}
