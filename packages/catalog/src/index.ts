// Public API of @streamhouse/catalog: every export is listed by name.
export type { Catalog, CreateDatabaseOptions, CreateTableOptions, DropDatabaseOptions, DropTableOptions, Identifier } from "./catalog.js";
export type { CatalogSelection } from "./catalog-factory.js";
export { catalogFromOptions } from "./catalog-factory.js";
export type { CommitLock } from "./commit-lock.js";
export { DATABASE_PLACEHOLDER, FilesystemCatalog } from "./filesystem-catalog.js";
export type { HiveCatalogOptions } from "./hive-catalog.js";
export { HiveCatalog, keepsFilesOnDrop, qualifyLocation } from "./hive-catalog.js";
export type { HiveCommitLockOptions } from "./hive-commit-lock.js";
export { DEFAULT_LOCK_ACQUIRE_TIMEOUT_MS, DEFAULT_LOCK_CHECK_MAX_SLEEP_MS, HiveCommitLock } from "./hive-commit-lock.js";
export type { HmsTable, RegistrationInput } from "./hive-table-registration.js";
export {
  bucketKeys,
  hmsTableFor,
  isPaimonTable,
  MANAGED_TABLE,
  PAIMON_INPUT_FORMAT,
  PAIMON_OUTPUT_FORMAT,
  PAIMON_SERDE,
  PAIMON_STORAGE_HANDLER,
  PAIMON_TABLE_TYPE,
  PARTITIONED_TABLE_OPTION,
  RETENTION_MAX,
  registrationParameters,
} from "./hive-table-registration.js";
export { HIVE_CHAR_LENGTH_MAX, HIVE_VARCHAR_LENGTH_MAX, hiveTypeName } from "./hive-types.js";
export { fb303Types, hmsService, hmsTypes } from "./hms/generated.js";
export type { CallOptions, HmsClientOptions, MetastoreAddress, RawHmsClient } from "./hms/hms-client.js";
export { HmsClient, parseMetastoreUri } from "./hms/hms-client.js";
export { hmsError, UNKNOWN_METHOD } from "./hms/hms-errors.js";
export { fullName, identifier, looksLikeTableName, NAME_LENGTH_MAX, normalizeName, parseIdentifier } from "./identifier.js";
export type { ResolvedLocation } from "./location.js";
export { childLocation, isObjectStoreLocation, localPathOf, resolveLocation, s3FileIOFromEnv } from "./location.js";
