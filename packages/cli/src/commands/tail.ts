/**
 * `streamhouse tail <table-dir> [--from latest|latest-full|earliest|snapshot:N|timestamp:MS]
 *  [--consumer ID] [--format ndjson|csv] [--limit N] [--stop-at-latest]`: follows the
 * table's change log — every change with its row kind — until interrupted.
 */
import { type StreamStart, StreamScan } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { RowWriter } from "../output/row-writer.js";
import { CATALOG_FLAGS, openTableArg } from "./table-location.js";

function parseFrom(text: string | undefined): StreamStart | undefined {
  if (text === undefined) return undefined;
  if (text === "latest" || text === "latest-full" || text === "earliest") return { from: text };
  const m = /^(snapshot|timestamp):(\d+)$/.exec(text);
  if (m === null) throw new UsageError(`--from must be latest, latest-full, earliest, snapshot:N or timestamp:MS, got "${text}"`);
  return m[1] === "snapshot" ? { from: "snapshot", snapshotId: Number(m[2]) } : { from: "timestamp", timestampMillis: Number(m[2]) };
}

export const tailCommand: Command = {
  name: "tail",
  summary: "follow a table's change log (row kinds included) until interrupted",
  usage: "streamhouse tail <table-dir|db.table> [--from latest|latest-full|earliest|snapshot:N|timestamp:MS] [--consumer ID] [--format ndjson|csv] [--limit N] [--stop-at-latest] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      ...CATALOG_FLAGS,
      from: { type: "string" },
      consumer: { type: "string" },
      format: { type: "string" },
      limit: { type: "string" },
      "stop-at-latest": { type: "boolean" },
      option: { type: "string", multiple: true },
    });
    const format = stringFlag(parsed, "format") ?? "ndjson";
    if (format !== "ndjson" && format !== "csv") throw new UsageError("--format must be ndjson or csv");
    const limit = integerFlag(parsed, "limit");
    const start = parseFrom(stringFlag(parsed, "from"));
    const consumerId = stringFlag(parsed, "consumer");
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed), parsed);
    const writer = new RowWriter(ctx.out, table.schema.fields, format, true);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      const changes = new StreamScan(table).changes({
        ...(start !== undefined ? { start } : {}),
        ...(consumerId !== undefined ? { consumerId } : {}),
        stopAtLatest: parsed.values["stop-at-latest"] === true,
        signal: abort.signal,
      });
      for await (const c of changes) {
        writer.write(c.row, c.kind);
        if (limit !== undefined && writer.count >= limit) break;
      }
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
