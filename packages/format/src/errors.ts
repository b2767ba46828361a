/**
 * One error type for all of Streamhouse, with a closed set of kinds.
 *
 * Every failure a caller may want to act on is a `StreamhouseError` whose `kind`
 * says what went wrong in terms of the table store (not of the library that
 * noticed it). `context` carries the facts a person needs to find the problem —
 * typically the file and the byte offset — and `retryable` says whether trying
 * the same operation again may succeed (a lost race, a flaky store), as opposed
 * to a condition that will not change (a corrupt file, a bad schema).
 */

export const ErrorKind = {
  /** Bytes or JSON that do not follow the format: corrupt, truncated, out of bounds. */
  DataInvalid: "DataInvalid",
  /** Something looked up by name or id does not exist. */
  NotFound: "NotFound",
  /** A create-if-absent found the target already present. */
  AlreadyExists: "AlreadyExists",
  /** Another committer changed the table in a way that conflicts with ours. */
  CommitConflict: "CommitConflict",
  /** Valid input the implementation does not handle (yet). */
  Unsupported: "Unsupported",
  /** The storage layer failed (disk, network, object store). */
  Io: "Io",
  /** A caller passed arguments that cannot be right (bad option value, bad name). */
  InvalidArgument: "InvalidArgument",
  /** A row does not fit the table's schema. */
  SchemaMismatch: "SchemaMismatch",
} as const;

export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export type ErrorContext = Readonly<Record<string, string | number | bigint | boolean | undefined>>;

export interface StreamhouseErrorOptions {
  readonly context?: ErrorContext;
  readonly cause?: unknown;
  readonly retryable?: boolean;
}

export class StreamhouseError extends Error {
  override readonly name = "StreamhouseError";
  readonly kind: ErrorKind;
  readonly context: ErrorContext;
  readonly retryable: boolean;

  constructor(kind: ErrorKind, message: string, options: StreamhouseErrorOptions = {}) {
    super(StreamhouseError.render(message, options.context), options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.context = options.context ?? {};
    this.retryable = options.retryable ?? false;
  }

  /** The message without the appended context, as it was given. */
  get reason(): string {
    const i = this.message.indexOf(" [");
    return i < 0 ? this.message : this.message.slice(0, i);
  }

  /** Returns a copy whose context has `extra` added (existing keys win). */
  withContext(extra: ErrorContext): StreamhouseError {
    const merged: Record<string, ErrorContext[string]> = { ...extra, ...this.context };
    return new StreamhouseError(this.kind, this.reason, { context: merged, cause: this.cause, retryable: this.retryable });
  }

  private static render(message: string, context: ErrorContext | undefined): string {
    if (context === undefined) return message;
    const parts: string[] = [];
    for (const [k, v] of Object.entries(context)) {
      if (v !== undefined) parts.push(`${k}=${String(v)}`);
    }
    return parts.length === 0 ? message : `${message} [${parts.join(", ")}]`;
  }
}

export function isStreamhouseError(e: unknown, kind?: ErrorKind): e is StreamhouseError {
  return e instanceof StreamhouseError && (kind === undefined || e.kind === kind);
}

/** Shorthand for the most common failure: bytes that do not follow the format. */
export function dataInvalid(message: string, context?: ErrorContext, cause?: unknown): StreamhouseError {
  return new StreamhouseError(ErrorKind.DataInvalid, message, { context, cause });
}

/**
 * Runs `fn` and re-throws any failure as a StreamhouseError carrying `context`
 * (for example the file being decoded). Errors that are not ours become
 * DataInvalid: inside a decoder, anything unexpected means the input was bad.
 */
export function withErrorContext<T>(context: ErrorContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StreamhouseError) throw e.withContext(context);
    throw new StreamhouseError(ErrorKind.DataInvalid, e instanceof Error ? e.message : String(e), { context, cause: e });
  }
}
