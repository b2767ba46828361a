/**
 * `streamhouse scan <table-dir> [--snapshot N|--tag T|--timestamp MS] [--where EXPR]
 *  [--columns a,b] [--format table|ndjson|csv] [--limit N] [--option k=v ...]`:
 * the table's rows at one snapshot (the latest by default), merged.
 */
import { TableSchemas } from "@streamhouse/format";
import { parseWhere, TableRead } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { ROW_FORMATS, type RowFormat, RowWriter } from "../output/row-writer.js";
import { CATALOG_FLAGS, openTableArg } from "./table-location.js";

export const scanCommand: Command = {
  name: "scan",
  summary: "print a table's rows at a snapshot (merge-on-read)",
  usage:
    "streamhouse scan <table-dir|db.table> [--snapshot N | --tag T | --timestamp MS] [--where EXPR] [--columns a,b] [--format table|ndjson|csv] [--limit N] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      ...CATALOG_FLAGS,
      snapshot: { type: "string" },
      tag: { type: "string" },
      timestamp: { type: "string" },
      where: { type: "string" },
      columns: { type: "string" },
      format: { type: "string" },
      limit: { type: "string" },
      option: { type: "string", multiple: true },
    });
    const format = (stringFlag(parsed, "format") ?? "table") as RowFormat;
    if (!ROW_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${ROW_FORMATS.join(", ")}`);
    const limit = integerFlag(parsed, "limit");
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed), parsed);
    const columns = stringFlag(parsed, "columns")
      ?.split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
    const fields = columns === undefined ? table.schema.fields : TableSchemas.fields(table.schema, columns);
    const where = stringFlag(parsed, "where");
    const tag = stringFlag(parsed, "tag");
    const snapshotId = integerFlag(parsed, "snapshot");
    const timestampMillis = integerFlag(parsed, "timestamp");
    const writer = new RowWriter(ctx.out, fields, format);
    const rows = new TableRead(table).rows({
      ...(snapshotId !== undefined ? { snapshotId } : {}),
      ...(tag !== undefined ? { tag } : {}),
      ...(timestampMillis !== undefined ? { timestampMillis } : {}),
      ...(columns !== undefined ? { projection: columns } : {}),
      ...(where !== undefined ? { filter: parseWhere(where, table.schema.fields) } : {}),
    });
    for await (const row of rows) {
      if (limit !== undefined && writer.count >= limit) break;
      writer.write(row);
    }
    writer.finish();
  },
};
