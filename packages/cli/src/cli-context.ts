/**
 * What every command gets: its parsed arguments and where to write. Commands write
 * results to `out` and never call process.exit; errors are thrown and turned into
 * one line on stderr by main.ts.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface Output {
  write(text: string): void;
}

export interface CommandContext {
  readonly args: readonly string[];
  readonly out: Output;
  readonly err: Output;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(ctx: CommandContext): Promise<void>;
}

/** A mistake in how the command was called: exit code 2, and the usage line is shown. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function invalidArgument(message: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, message);
}

/**
 * A signal (SIGINT/SIGTERM) stopped the command after it put things in order: exit code
 * 1, and the message says where things stand (e.g. `write`: the offset to resume from).
 */
export class Interrupted extends Error {
  override readonly name = "Interrupted";

  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
  ) {
    super(message);
  }
}
