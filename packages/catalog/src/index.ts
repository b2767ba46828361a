// Public API of @streamhouse/catalog: every export is listed by name.
export type { Catalog, CreateDatabaseOptions, CreateTableOptions, DropDatabaseOptions, DropTableOptions, Identifier } from "./catalog.js";
export { fb303Types, hmsService, hmsTypes } from "./hms/generated.js";
