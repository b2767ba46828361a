/**
 * The log of a long-running command (`up`): one JSON object per line
 * (`--log-format json`, for log shippers) or one plain line per event for people.
 * Both carry the same level, message and fields.
 */
import type { Output } from "../cli-context.js";
import { type LogLevel, logLine } from "../output/log-line.js";

export type LogFormat = "json" | "plain";

export const LOG_FORMATS: readonly LogFormat[] = ["json", "plain"];

export type ServiceLog = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

export function serviceLog(out: Output, format: LogFormat, now: () => Date = () => new Date()): ServiceLog {
  if (format === "json") return (level, message, fields = {}) => out.write(logLine(level, message, fields));
  return (level, message, fields = {}) => {
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(" ");
    out.write(`${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extra === "" ? "" : ` ${extra}`}\n`);
  };
}
