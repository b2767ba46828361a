/**
 * `streamhouse create <table-dir|db.table> --schema 'id BIGINT NOT NULL, name STRING'
 *  [--primary-key a,b] [--partition p] [--bucket N] [--option k=v ...] [--comment TEXT]`:
 * writes schema-0 of a new table (validated as Paimon validates it). A `db.table` name
 * is created through the catalog (table-location.ts), which also registers it, creating
 * the database first if it is missing.
 */
import { parseIdentifier } from "@streamhouse/catalog";
import { createTable, type FileStoreTable, type TableDefinition } from "@streamhouse/table";
import { optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, fileIOFor, isTableName, withCatalog } from "./table-location.js";

const list = (v: string | undefined): string[] =>
  v === undefined
    ? []
    : v
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== "");

export const createCommand: Command = {
  name: "create",
  summary: "create a table (writes its schema-0)",
  usage:
    "streamhouse create <table-dir|db.table> --schema 'id BIGINT NOT NULL, name STRING' [--primary-key a,b] [--partition p] [--bucket N] [--option k=v ...] [--comment TEXT] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      schema: { type: "string" },
      "primary-key": { type: "string" },
      partition: { type: "string" },
      bucket: { type: "string" },
      option: { type: "string", multiple: true },
      comment: { type: "string" },
      ...CATALOG_FLAGS,
    });
    const location = parsed.positionals[0];
    if (location === undefined || location === "") throw new UsageError("missing the table (a directory, s3://bucket/path or database.table)");
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    const schema = stringFlag(parsed, "schema");
    if (schema === undefined) throw new UsageError("--schema is required, e.g. --schema 'id BIGINT NOT NULL, name STRING'");
    const options = optionFlags(parsed);
    const bucket = stringFlag(parsed, "bucket");
    if (bucket !== undefined) {
      if (!/^-?\d+$/.test(bucket)) throw new UsageError(`--bucket must be an integer, got "${bucket}"`);
      options["bucket"] = bucket;
    }
    const definition: TableDefinition = {
      fields: schema,
      primaryKeys: list(stringFlag(parsed, "primary-key")),
      partitionKeys: list(stringFlag(parsed, "partition")),
      options,
      comment: stringFlag(parsed, "comment") ?? null,
    };
    let table: FileStoreTable;
    let path: string;
    if (isTableName(location)) {
      const id = parseIdentifier(location);
      table = await withCatalog(parsed, async (catalog) => {
        await catalog.createDatabase(id.database, { ignoreIfExists: true });
        return catalog.createTable(id, definition);
      });
      path = `${id.database}.${id.table} at ${table.path}`;
    } else {
      const { io, path: dir } = fileIOFor(location);
      table = await createTable(io, dir, definition);
      path = dir;
    }
    const s = table.schema;
    const keys = s.primaryKeys.length > 0 ? `primary key (${s.primaryKeys.join(", ")})` : "append table";
    ctx.out.write(`created ${path}: ${s.fields.length} columns, ${keys}${s.partitionKeys.length > 0 ? `, partitioned by (${s.partitionKeys.join(", ")})` : ""}\n`);
  },
};
