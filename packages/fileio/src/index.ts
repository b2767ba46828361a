// Public API of @streamhouse/fileio: every export is listed by name.
export type { FileIO, FileStatus } from "./file-io.js";
export { baseName, joinPath, parentPath } from "./file-io.js";
export type { LocalFileIOOptions } from "./local-file-io.js";
export { LocalFileIO } from "./local-file-io.js";
export { MemoryFileIO } from "./memory-file-io.js";
export type { RetryOptions } from "./retry-policy.js";
export { RetryPolicy } from "./retry-policy.js";
export type { S3FileIOOptions } from "./s3-file-io.js";
export { S3FileIO } from "./s3-file-io.js";
export type { S3Location } from "./s3-path.js";
export { formatS3Path, parseS3Path } from "./s3-path.js";
export type { FaultLogEntry, FaultOptions, FaultOutcome, FileIOOperation } from "./fault-injecting-file-io.js";
export { FaultInjectingFileIO, isCrash, isInjectedFault } from "./fault-injecting-file-io.js";
export { SeededRandom } from "./seeded-random.js";
