/**
 * The one table from our error kinds to the Hive Metastore's Thrift
 * exceptions. A method may only throw the exceptions its IDL declares (any
 * other error reaches the client as a TApplicationException), so each method
 * names its declared list and `toThriftError` picks the best member of it.
 */
import { ErrorKind, isStreamhouseError, type StreamhouseError } from "@streamhouse/format";
import { hmsTypes as T } from "@streamhouse/catalog";

export type ThriftExceptionClass = new (args?: { message?: string }) => Error;

type Name =
  | "MetaException"
  | "NoSuchObjectException"
  | "AlreadyExistsException"
  | "InvalidObjectException"
  | "InvalidOperationException"
  | "InvalidInputException"
  | "UnknownDBException"
  | "UnknownTableException"
  | "NoSuchLockException"
  | "NoSuchTxnException"
  | "TxnAbortedException"
  | "TxnOpenException"
  | "ConfigValSecurityException";

const cls = (n: Name): ThriftExceptionClass => T[n] as unknown as ThriftExceptionClass;

/** Preferred exceptions per kind, best first. */
function preferences(e: StreamhouseError): Name[] {
  switch (e.kind) {
    case ErrorKind.NotFound: {
      const unknown: Name[] = e.context.object === "database" ? ["UnknownDBException", "UnknownTableException"] : ["UnknownTableException", "UnknownDBException"];
      const lock: Name[] = e.context.object === "lock" ? ["NoSuchLockException"] : [];
      return [...lock, "NoSuchObjectException", ...unknown, "InvalidOperationException", "InvalidObjectException", "MetaException"];
    }
    case ErrorKind.AlreadyExists:
      return ["AlreadyExistsException", "InvalidOperationException", "MetaException"];
    case ErrorKind.InvalidArgument:
    case ErrorKind.DataInvalid:
    case ErrorKind.SchemaMismatch:
      return ["InvalidObjectException", "InvalidInputException", "InvalidOperationException", "MetaException"];
    case ErrorKind.Unsupported:
      return ["InvalidOperationException", "MetaException"];
    default:
      return ["MetaException"];
  }
}

/** Method groups by the exceptions Hive's IDL declares for them. */
export const Declared = {
  none: [] as Name[],
  meta: ["MetaException"] as Name[],
  read: ["NoSuchObjectException", "MetaException"] as Name[],
  create: ["AlreadyExistsException", "InvalidObjectException", "MetaException", "NoSuchObjectException"] as Name[],
  dropDb: ["NoSuchObjectException", "InvalidOperationException", "MetaException"] as Name[],
  alterDb: ["MetaException", "NoSuchObjectException"] as Name[],
  fields: ["MetaException", "UnknownTableException", "UnknownDBException"] as Name[],
  alter: ["InvalidOperationException", "MetaException"] as Name[],
  addPartition: ["InvalidObjectException", "AlreadyExistsException", "MetaException"] as Name[],
  tablesReq: ["MetaException", "InvalidOperationException", "UnknownDBException"] as Name[],
  statsUpdate: ["NoSuchObjectException", "InvalidObjectException", "MetaException", "InvalidInputException"] as Name[],
  statsRead: ["NoSuchObjectException", "MetaException", "InvalidInputException", "InvalidObjectException"] as Name[],
  config: ["ConfigValSecurityException"] as Name[],
  lock: ["NoSuchTxnException", "TxnAbortedException"] as Name[],
  checkLock: ["NoSuchTxnException", "TxnAbortedException", "NoSuchLockException"] as Name[],
  unlock: ["NoSuchLockException", "TxnOpenException"] as Name[],
  heartbeat: ["NoSuchLockException", "NoSuchTxnException", "TxnAbortedException"] as Name[],
  createCatalog: ["AlreadyExistsException", "InvalidObjectException", "MetaException"] as Name[],
  changeCatalog: ["NoSuchObjectException", "InvalidOperationException", "MetaException"] as Name[],
} as const;

export type DeclaredExceptions = readonly Name[];

/**
 * The Thrift exception to send for `e` from a method declaring `declared`.
 * Errors that are not ours (bugs) keep their identity and become
 * TApplicationException in the generated processor.
 */
export function toThriftError(e: unknown, declared: DeclaredExceptions): unknown {
  if (!isStreamhouseError(e)) return e;
  for (const name of preferences(e)) {
    if (declared.includes(name)) return new (cls(name))({ message: e.message });
  }
  if (declared.includes("MetaException")) return new (cls("MetaException"))({ message: e.message });
  return e;
}
