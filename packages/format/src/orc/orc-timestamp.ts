/**
 * ORC timestamp values → epoch milliseconds.
 *
 * A timestamp column stores, per value, seconds since 2015-01-01 00:00:00 in the
 * DATA stream (signed) and the nanoseconds within the second in SECONDARY
 * (unsigned) with trailing decimal zeros folded away: when the low three bits
 * z are non-zero, the value is (encoded >> 3) * 10^(z + 1); when z is 0 it is
 * encoded >> 3 as is. So 1000 ns is stored as 0x0a (1 << 3 | 2) and 100000 ns
 * as 0x0c (1 << 3 | 4).
 *
 * Which 2015-01-01 depends on the type:
 *  - TIMESTAMP_INSTANT: midnight UTC; the value is an instant.
 *  - TIMESTAMP: midnight in the stripe's writer time zone (StripeFooter field
 *    3), and the stored seconds are the written instant minus that base. Java
 *    readers rebuild the instant, then keep its wall clock in the writer's zone.
 *    Paimon writes TIMESTAMP values as that wall clock (java.sql.Timestamp of
 *    its LocalDateTime) and reads them back the same way, holding wall clocks
 *    as if they were UTC. So for TIMESTAMP we return the wall clock, as epoch
 *    millis on a UTC clock: instant + offset(writer zone, instant).
 * For zones without offset changes since 2015 (UTC, Asia/Shanghai, ...) this is
 * simply 2015-01-01T00:00Z + seconds; offsets of other zones come from Intl.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";

/** 2015-01-01T00:00:00Z in seconds since the epoch: ORC's timestamp base. */
export const ORC_TIMESTAMP_BASE_SECONDS = 1_420_070_400;

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;

/** Undoes the trailing-zeros folding of a SECONDARY value. */
export function decodeTimestampNanos(encoded: bigint): bigint {
  const zeros = Number(encoded & 7n);
  const digits = encoded >> 3n;
  return zeros === 0 ? digits : digits * 10n ** BigInt(zeros + 1);
}

/**
 * Milliseconds of one ORC timestamp: the instant for TIMESTAMP_INSTANT
 * (`zone` = undefined or a UTC name), else the wall clock in `zone`.
 */
export function timestampMillis(seconds: bigint, encodedNanos: bigint, zone: string | undefined): bigint {
  const nanos = decodeTimestampNanos(encodedNanos);
  if (nanos >= NANOS_PER_SECOND) throw dataInvalid(`ORC timestamp nanoseconds ${nanos} out of range`);
  const utc = zone === undefined || isUtc(zone);
  let instantSeconds = seconds + BigInt(utc ? ORC_TIMESTAMP_BASE_SECONDS : localMidnightEpoch(zone));
  // Writers split milliseconds with truncating division, so a negative time
  // with a fraction carries seconds one too high; Java's reader steps back one.
  if (instantSeconds < 0n && nanos >= NANOS_PER_MILLI) instantSeconds -= 1n;
  const offset = utc ? 0 : zoneOffsetSeconds(zone, Number(instantSeconds));
  return (instantSeconds + BigInt(offset)) * 1000n + nanos / NANOS_PER_MILLI;
}

function isUtc(zone: string): boolean {
  return zone === "UTC" || zone === "GMT" || zone === "Z" || zone === "Etc/UTC" || zone === "Etc/GMT";
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        era: "short",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (e) {
      // Intl reports an unknown zone id as a RangeError: for us the file names a zone we cannot apply.
      const reason = e instanceof Error ? e.message : String(e);
      throw new StreamhouseError(ErrorKind.Unsupported, `ORC writer time zone "${zone}" is not known here: ${reason}`, {
        context: { zone },
      });
    }
    formatters.set(zone, f);
  }
  return f;
}

/** UTC offset of `zone` at an instant, in seconds (wall clock minus UTC). */
export function zoneOffsetSeconds(zone: string, epochSeconds: number): number {
  if (!Number.isFinite(epochSeconds) || Math.abs(epochSeconds) > 8.64e12) {
    throw dataInvalid(`ORC timestamp ${epochSeconds}s is outside the representable range`);
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(epochSeconds * 1000))) parts[p.type] = p.value;
  const yearOfEra = Number(parts["year"]);
  const year = parts["era"] === "BC" || parts["era"] === "B" ? 1 - yearOfEra : yearOfEra;
  const wall = Date.UTC(year, Number(parts["month"]) - 1, Number(parts["day"]), Number(parts["hour"]), Number(parts["minute"]), Number(parts["second"]));
  // Date.UTC maps years 0..99 to 1900..1999; fix that up for ancient instants.
  const wallFixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  return Math.round(wallFixed / 1000) - Math.floor(epochSeconds);
}

const midnights = new Map<string, number>();

/** The instant of 2015-01-01 00:00:00 on `zone`'s wall clock (two steps settle any offset change nearby). */
function localMidnightEpoch(zone: string): number {
  let epoch = midnights.get(zone);
  if (epoch === undefined) {
    const guess = ORC_TIMESTAMP_BASE_SECONDS - zoneOffsetSeconds(zone, ORC_TIMESTAMP_BASE_SECONDS);
    epoch = ORC_TIMESTAMP_BASE_SECONDS - zoneOffsetSeconds(zone, guess);
    midnights.set(zone, epoch);
  }
  return epoch;
}
