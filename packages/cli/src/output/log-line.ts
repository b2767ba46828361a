/** Structured logs: one JSON object per line, with time, level, message and fields. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export function logLine(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`;
}
