// Public API of @streamhouse/fileio: every export is listed by name.
export type { FileIO, FileStatus } from "./file-io.js";
export { baseName, joinPath, parentPath } from "./file-io.js";
export type { LocalFileIOOptions } from "./local-file-io.js";
export { LocalFileIO } from "./local-file-io.js";
export { MemoryFileIO } from "./memory-file-io.js";
