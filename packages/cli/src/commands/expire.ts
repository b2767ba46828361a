/**
 * `streamhouse expire <table-dir> [--retain-min N] [--retain-max N] [--older-than DURATION]
 *  [--max-deletes N] [--dry-run]`: expires snapshots per the table's options or the
 * given overrides (`--older-than` replaces snapshot.time-retained), keeping tagged
 * files and what consumers still need. A `db.table` is expired holding its catalog's
 * commit lock.
 */
import { parseDurationMs } from "@streamhouse/format";
import { expireSnapshots } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, withLockedTable } from "./table-location.js";

export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDurationMs(value, flag);
  } catch {
    throw new UsageError(`--${flag} must be a duration such as 1 h, 30 min or 7 d, got "${value}"`);
  }
}

function positiveFlag(value: number | undefined, flag: string): number | undefined {
  if (value !== undefined && value < 1) throw new UsageError(`--${flag} must be at least 1`);
  return value;
}

export const expireCommand: Command = {
  name: "expire",
  summary: "expire old snapshots and delete the files only they used",
  usage: "streamhouse expire <table-dir|db.table> [--retain-min N] [--retain-max N] [--older-than DURATION] [--max-deletes N] [--dry-run] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      option: { type: "string", multiple: true },
      ...CATALOG_FLAGS,
      "retain-min": { type: "string" },
      "retain-max": { type: "string" },
      "older-than": { type: "string" },
      "max-deletes": { type: "string" },
      "dry-run": { type: "boolean" },
    });
    const retainMin = positiveFlag(integerFlag(parsed, "retain-min"), "retain-min");
    const retainMax = positiveFlag(integerFlag(parsed, "retain-max"), "retain-max");
    const maxDeletes = positiveFlag(integerFlag(parsed, "max-deletes"), "max-deletes");
    const timeRetainedMs = durationFlag(stringFlag(parsed, "older-than"), "older-than");
    if (retainMin !== undefined && retainMax !== undefined && retainMin > retainMax) throw new UsageError("--retain-min must not exceed --retain-max");
    const dryRun = parsed.values["dry-run"] === true;
    const r = await withLockedTable(parsed.positionals[0], optionFlags(parsed), parsed, (table) =>
      expireSnapshots(table, {
        ...(retainMin === undefined ? {} : { retainMin }),
        ...(retainMax === undefined ? {} : { retainMax }),
        ...(maxDeletes === undefined ? {} : { maxDeletes }),
        ...(timeRetainedMs === undefined ? {} : { timeRetainedMs }),
        dryRun,
      }),
    );
    const verb = dryRun ? "would expire" : "expired";
    const ids = r.expiredSnapshots;
    const range = ids.length === 0 ? "no snapshots" : `snapshots ${ids[0]}..${ids[ids.length - 1]} (${ids.length})`;
    const lines = [
      `${verb} ${range}; ${dryRun ? "would delete" : "deleted"} ${r.deletedDataFiles.length} data files, ${r.deletedChangelogFiles.length} changelog files, ${r.deletedMetadataFiles.length} metadata files; earliest snapshot ${r.earliest ?? "none"}`,
    ];
    if (r.expiredConsumers.length > 0) lines.push(`${dryRun ? "would drop" : "dropped"} expired consumers: ${r.expiredConsumers.join(", ")}`);
    ctx.out.write(`${lines.join("\n")}\n`);
  },
};
