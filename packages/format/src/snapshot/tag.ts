/**
 * Tag files `tag/tag-<name>` (mirrors `org.apache.paimon.tag.Tag`, release 2.0.0):
 * the tagged snapshot's JSON plus two optional keys —
 *   `tagCreateTime`   a Java LocalDateTime, which Jackson writes as an array
 *                     [year, month, day, hour, minute(, second(, nanos))] (trailing
 *                     zero second/nanos omitted); an ISO string is accepted too;
 *   `tagTimeRetained` a Java Duration, written as decimal seconds (e.g. 3600.0).
 * LocalDateTime has no zone: we read and write it on a UTC wall clock.
 */
import { dataInvalid, withErrorContext } from "../errors.js";
import { Timestamps } from "../types/values.js";
import { type JsonValue, parseJson, stringifyJackson } from "../util/json.js";
import { type Snapshot, snapshotFromJsonValue, snapshotToJsonValue } from "./snapshot.js";

export interface Tag {
  readonly snapshot: Snapshot;
  /** Creation time as epoch millis of the UTC wall clock, or null when absent. */
  readonly createTimeMillis: number | null;
  /** How long the tag is kept, in seconds, or null for forever. */
  readonly timeRetainedSeconds: number | null;
}

const TAG_KEYS = ["tagCreateTime", "tagTimeRetained"];

export function decodeTag(text: string, file?: string): Tag {
  return withErrorContext({ file }, () => {
    const json = parseJson(text, file);
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw dataInvalid("tag must be a JSON object");
    const obj = json as Record<string, JsonValue>;
    const snapshot = snapshotFromJsonValue(json);
    const extra = Object.fromEntries(Object.entries(snapshot.extra).filter(([k]) => !TAG_KEYS.includes(k)));
    const retained = obj["tagTimeRetained"];
    let timeRetainedSeconds: number | null = null;
    if (typeof retained === "number") timeRetainedSeconds = retained;
    else if (typeof retained === "string") timeRetainedSeconds = Number(retained);
    return {
      snapshot: { ...snapshot, extra },
      createTimeMillis: localDateTimeToMillis(obj["tagCreateTime"]),
      timeRetainedSeconds,
    };
  });
}

export function encodeTag(tag: Tag): string {
  const json = snapshotToJsonValue(tag.snapshot);
  if (tag.createTimeMillis !== null) json["tagCreateTime"] = millisToLocalDateTime(tag.createTimeMillis);
  if (tag.timeRetainedSeconds !== null) json["tagTimeRetained"] = tag.timeRetainedSeconds;
  return stringifyJackson(json);
}

function localDateTimeToMillis(v: JsonValue | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return Timestamps.parse(v).millis;
  if (Array.isArray(v) && v.length >= 5 && v.every((x) => typeof x === "number")) {
    const [y, mo, d, h, mi, s = 0, nanos = 0] = v as number[];
    const iso = `${String(y).padStart(4, "0")}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(s)}`;
    return Timestamps.parse(iso).millis + Math.floor(nanos / 1_000_000);
  }
  throw dataInvalid(`tag: "tagCreateTime" must be a date-time array or string`, { key: "tagCreateTime" });
}

function millisToLocalDateTime(millis: number): number[] {
  const iso = Timestamps.toString(Timestamps.fromMillis(millis), 3);
  const m = /^(-?\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)$/.exec(iso)!;
  const parts = m.slice(1, 6).map(Number);
  const second = Number(m[6]);
  const nanos = Number(m[7]) * 1_000_000;
  if (second !== 0 || nanos !== 0) parts.push(second);
  if (nanos !== 0) parts.push(nanos);
  return parts;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
