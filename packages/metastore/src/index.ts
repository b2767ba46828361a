// Public API of @streamhouse/metastore: every export is listed by name.
export type { HandshakeStep } from "./auth/plain-handshake.js";
export { PLAIN_MECHANISM, PlainHandshake, parsePlainResponse } from "./auth/plain-handshake.js";
export type { SaslFrame } from "./auth/sasl-frame.js";
export { decodeSaslFrame, encodeSaslFrame, SaslStatus, saslStatusName } from "./auth/sasl-frame.js";
export type { ScryptHash, UsersFile } from "./auth/users-file.js";
export {
  DEFAULT_SCRYPT,
  hashPassword,
  loadUsersFile,
  parseScryptHash,
  parseUsersFile,
  renderScryptHash,
  validateUserName,
  verifyUser,
  withUser,
} from "./auth/users-file.js";
export type { HandlerOptions } from "./handler.js";
export { MetastoreHandler } from "./handler.js";
export { DEFAULT_CATALOG, matchesPattern, parseDbName, validateObjectName } from "./names.js";
export type { FilterNode, PartitionColumn } from "./partition-filter.js";
export { compilePartitionFilter, parsePartitionFilter } from "./partition-filter.js";
export { DEFAULT_PARTITION_NAME, escapePathName, makePartitionName, parsePartitionName, unescapePathName } from "./partition-names.js";
export type { MetastoreAuth, MetastoreHandle, MetastoreOptions } from "./server.js";
export { openStore, startMetastore } from "./server.js";
export type { PostgresStoreOptions } from "./store/postgres-store.js";
export { PostgresStore } from "./store/postgres-store.js";
export type { SqliteStoreOptions } from "./store/sqlite-store.js";
export { SqliteStore } from "./store/sqlite-store.js";
export type {
  CatalogRow,
  ColumnStatsRow,
  DatabaseRow,
  EventRow,
  FunctionRow,
  LockRow,
  MetastoreStore,
  PartitionRow,
  StoreTx,
  TableKey,
  TableRow,
} from "./store/store.js";
export { fb303Types, hmsService, hmsTypes } from "@streamhouse/catalog";
export { bindHandler, patchThriftRuntime } from "./thrift-runtime.js";
