/**
 * `streamhouse drop <db.table> [--if-exists]` removes a table from its catalog and
 * deletes its directory; `streamhouse drop --database <db> [--cascade] [--if-exists]`
 * removes a database (with its tables only when --cascade is given).
 */
import { fullName, normalizeName, parseIdentifier } from "@streamhouse/catalog";
import { parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, withCatalog } from "./table-location.js";

export const dropCommand: Command = {
  name: "drop",
  summary: "drop a table (db.table) or, with --database, a database",
  usage: "streamhouse drop <db.table> | --database <db> [--cascade] [--if-exists] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      database: { type: "string" },
      cascade: { type: "boolean" },
      "if-exists": { type: "boolean" },
      ...CATALOG_FLAGS,
    });
    const ifExists = parsed.values["if-exists"] === true;
    const database = stringFlag(parsed, "database");
    if (database !== undefined) {
      if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}": --database drops a whole database`);
      const db = normalizeName("database", database);
      const cascade = parsed.values["cascade"] === true;
      await withCatalog(parsed, (catalog) => catalog.dropDatabase(db, { cascade, ignoreIfNotExists: ifExists }));
      ctx.out.write(`dropped database ${db}${cascade ? " and its tables" : ""}\n`);
      return;
    }
    if (parsed.values["cascade"] === true) throw new UsageError("--cascade applies to --database only");
    const name = parsed.positionals[0];
    if (name === undefined) throw new UsageError("missing the table to drop (database.table), or --database <db>");
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    const id = parseIdentifier(name);
    await withCatalog(parsed, (catalog) => catalog.dropTable(id, { ignoreIfNotExists: ifExists }));
    ctx.out.write(`dropped table ${fullName(id)}\n`);
  },
};
