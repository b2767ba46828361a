/**
 * What an S3 failure means for Streamhouse: its kind, and whether the same request
 * may succeed if sent again. The SDK reports service errors with the S3 error code
 * as `name` and the HTTP status in `$metadata`; failures below HTTP (reset
 * connections, timeouts) carry a Node `code` or no status at all.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface S3Failure {
  /** The S3 error code (`NoSuchKey`, `SlowDown`…), or the Node/SDK error code or name. */
  readonly code: string;
  /** The HTTP status, or undefined if no response arrived. */
  readonly status: number | undefined;
  readonly message: string;
}

export function describeS3Failure(e: unknown): S3Failure {
  const o = (typeof e === "object" && e !== null ? e : {}) as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = typeof o.$metadata?.httpStatusCode === "number" ? o.$metadata.httpStatusCode : undefined;
  const code = [o.Code, o.code, o.name].find((c): c is string => typeof c === "string" && c !== "" && c !== "Error") ?? "Unknown";
  const message = typeof o.message === "string" ? o.message : String(e);
  return { code, status, message };
}

// Codes S3 documents as transient, whatever their status.
const TRANSIENT_CODES = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestThrottled",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "RequestTimeout",
  "RequestTimeTooSkewed",
  "InternalError",
  "ServiceUnavailable",
  "ConditionalRequestConflict",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** Whether an S3 error code (as in a DeleteObjects result) names a transient condition. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/** Whether sending the same request again may succeed. */
export function isTransient(f: S3Failure): boolean {
  if (TRANSIENT_CODES.has(f.code)) return true;
  if (f.status === undefined) return true; // no response at all: the network, not the request
  return f.status === 429 || f.status >= 500;
}

export function isNotFound(f: S3Failure): boolean {
  return f.status === 404 || f.code === "NoSuchKey" || f.code === "NotFound" || f.code === "NoSuchBucket";
}

/** `If-None-Match: *` found an object at the key. */
export function isPreconditionFailed(f: S3Failure): boolean {
  return f.status === 412 || f.code === "PreconditionFailed";
}

/** A concurrent request on the same key raced a conditional write: S3 asks to retry. */
export function isConditionalConflict(f: S3Failure): boolean {
  return f.code === "ConditionalRequestConflict" || (f.status === 409 && f.code !== "BucketAlreadyExists");
}

export function isNoSuchUpload(f: S3Failure): boolean {
  return f.code === "NoSuchUpload";
}

/** The StreamhouseError for a failed S3 operation on `path`. */
export function s3Error(op: string, path: string, e: unknown, attempts = 1): StreamhouseError {
  if (e instanceof StreamhouseError) return e.withContext({ file: path });
  const f = describeS3Failure(e);
  const context = { file: path, op, s3Code: f.code, httpStatus: f.status, attempts };
  if (isNotFound(f)) {
    const what = f.code === "NoSuchBucket" ? "bucket not found" : "file not found";
    return new StreamhouseError(ErrorKind.NotFound, `${what}: ${path}`, { context, cause: e });
  }
  if (f.status === 501 || f.code === "NotImplemented") {
    return new StreamhouseError(ErrorKind.Unsupported, `${op} is not supported by this S3 endpoint: ${f.message}`, { context, cause: e });
  }
  return new StreamhouseError(ErrorKind.Io, `${op} failed: ${path}: ${f.code}: ${f.message}`, {
    context,
    cause: e,
    retryable: isTransient(f),
  });
}
