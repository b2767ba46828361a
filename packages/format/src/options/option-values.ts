/**
 * Parsing of option values the way Paimon's `Options` parses them: memory sizes
 * ("128 mb", "8MB", "1024"), durations ("1 h", "10s", "30 min", "100 ms") and booleans.
 */
import { ErrorKind, StreamhouseError } from "../errors.js";

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kibibytes: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mebibytes: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gibibytes: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tebibytes: 1024 ** 4,
};

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  "": 1,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

function badValue(key: string, value: string, expected: string): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, `option "${key}" has value "${value}", expected ${expected}`, {
    context: { option: key },
  });
}

export function parseMemorySize(value: string, key = "memory size"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m === null ? undefined : MEMORY_UNITS[m[2]!.toLowerCase()];
  if (m === null || unit === undefined) throw badValue(key, value, "a memory size such as 128 mb");
  return Math.floor(Number(m[1]) * unit);
}

/** Durations in milliseconds. A bare number is milliseconds, as in Paimon. */
export function parseDurationMs(value: string, key = "duration"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m === null ? undefined : DURATION_UNITS_MS[m[2]!.toLowerCase()];
  if (m === null || unit === undefined) throw badValue(key, value, "a duration such as 1 h or 10 s");
  return Math.floor(Number(m[1]) * unit);
}

export function parseBoolean(value: string, key = "boolean"): boolean {
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw badValue(key, value, "true or false");
}

export function parseInteger(value: string, key = "integer"): number {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) throw badValue(key, value, "an integer");
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw badValue(key, value, "an integer");
  return n;
}

export function parseEnum<T extends string>(value: string, allowed: readonly T[], key: string): T {
  const v = value.trim().toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === v);
  if (hit === undefined) throw badValue(key, value, `one of ${allowed.join(", ")}`);
  return hit;
}
