/**
 * How a command's error reaches the user: exactly one line on stderr (the stack trace
 * follows only with `--verbose`), and the exit code.
 *
 * - called wrongly (UsageError, unknown command): exit 2,
 *   `streamhouse: <message> (see streamhouse <command> --help)`
 * - failed (anything else): exit 1, `streamhouse <command>: <ErrorKind>: <message>`
 *
 * A message that spans lines (a server's multi-line error text) is folded into one, so
 * a script reading stderr line by line sees one error per failure.
 */
import { isStreamhouseError } from "@streamhouse/format";
import { UsageError } from "./cli-context.js";

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface ErrorReport {
  readonly exitCode: typeof EXIT_FAILED | typeof EXIT_USAGE;
  /** What goes to stderr: one line, then the stack when verbose. */
  readonly text: string;
}

/** Whitespace runs that contain a line break become one space. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** The usage-error line; `command` null for the top level (`streamhouse --help`). */
export function usageLine(command: string | null, message: string): string {
  return `streamhouse: ${oneLine(message)} (see streamhouse ${command === null ? "" : `${command} `}--help)\n`;
}

export function errorReport(command: string, error: unknown, verbose: boolean): ErrorReport {
  if (error instanceof UsageError) return { exitCode: EXIT_USAGE, text: usageLine(command, error.message) };
  const message = isStreamhouseError(error) ? `${error.kind}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const stack = verbose && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : "";
  return { exitCode: EXIT_FAILED, text: `streamhouse ${command}: ${oneLine(message)}\n${stack}` };
}
