// Public API of @streamhouse/table: every export is listed by name.
export { FileStoreTable } from "./file-store-table.js";
export type { InspectedFile, InspectReport } from "./inspect.js";
export { inspectTable } from "./inspect.js";
export { fileIdentifier, mergeFileEntries } from "./scan/file-entries.js";
export { ManifestReader } from "./scan/manifest-reader.js";
export type { ScanPlan } from "./scan/table-scan.js";
export { planSnapshot, snapshotIdOfTag } from "./scan/table-scan.js";
export { SchemaManager } from "./schema-manager.js";
export { SnapshotManager } from "./snapshot-manager.js";
export { numberedName, TablePaths } from "./table-paths.js";
