/**
 * `streamhouse list [db] [--metastore URI | --warehouse DIR] [--json]`: the catalog's
 * databases, or the tables of one database (for the Hive catalog only Paimon tables),
 * one name per line or a JSON array.
 */
import { normalizeName } from "@streamhouse/catalog";
import { parseCommandArgs } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, withCatalog } from "./table-location.js";

export const listCommand: Command = {
  name: "list",
  summary: "list the catalog's databases, or the tables of a database",
  usage: "streamhouse list [database] [--metastore thrift://HOST:PORT | --warehouse DIR] [--json]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, { json: { type: "boolean" }, ...CATALOG_FLAGS });
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    const db = parsed.positionals[0];
    const names = await withCatalog(parsed, (catalog) => (db === undefined ? catalog.listDatabases() : catalog.listTables(normalizeName("database", db))));
    if (parsed.values["json"] === true) ctx.out.write(`${JSON.stringify(names)}\n`);
    else if (names.length > 0) ctx.out.write(`${names.join("\n")}\n`);
  },
};
