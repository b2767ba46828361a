/**
 * `streamhouse alter <table-dir> ACTION ...`: one schema change, published as the next
 * schema file.
 *   add-column 'c INT' [--first | --after COL] [--comment TEXT]
 *   rename-column OLD NEW
 *   drop-column C
 *   modify-column C TYPE
 *   set k=v [k=v ...]
 *   unset k [k ...]
 *   comment TEXT
 * A `db.table`'s schema file is published holding its catalog's commit lock, so no
 * committer that takes the lock publishes a snapshot meanwhile.
 */
import { parseDataType, parseFieldList, StreamhouseError } from "@streamhouse/format";
import { alterTable, type SchemaChange, SchemaChanges } from "@streamhouse/table";
import { optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, withLockedTable } from "./table-location.js";

const ACTIONS = "add-column, rename-column, drop-column, modify-column, set, unset or comment";

function parseOrUsage<T>(what: string, text: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StreamhouseError) throw new UsageError(`bad ${what} "${text}": ${e.reason}`);
    throw e;
  }
}

function changesOf(action: string | undefined, args: readonly string[], flags: { first: boolean; after: string | undefined; comment: string | undefined }): SchemaChange[] {
  const exactly = (n: number, what: string): void => {
    if (args.length !== n) throw new UsageError(`${action} takes ${what}`);
  };
  switch (action) {
    case "add-column": {
      exactly(1, "one column such as 'c INT'");
      const fields = parseOrUsage("column", args[0]!, () => parseFieldList(args[0]!));
      if (fields.length !== 1) throw new UsageError("add-column takes one column at a time");
      if (flags.first && flags.after !== undefined) throw new UsageError("give at most one of --first and --after");
      const move = flags.first ? ({ type: "first" } as const) : flags.after !== undefined ? ({ type: "after", column: flags.after } as const) : undefined;
      const f = fields[0]!;
      return [SchemaChanges.addColumn(f.name, f.type, { ...(move === undefined ? {} : { move }), ...(flags.comment === undefined ? {} : { description: flags.comment }) })];
    }
    case "rename-column":
      exactly(2, "the old and the new name");
      return [SchemaChanges.renameColumn(args[0]!, args[1]!)];
    case "drop-column":
      exactly(1, "one column name");
      return [SchemaChanges.dropColumn(args[0]!)];
    case "modify-column":
      exactly(2, "a column name and a type");
      return [SchemaChanges.updateColumnType(args[0]!, parseOrUsage("type", args[1]!, () => parseDataType(args[1]!)))];
    case "set":
      if (args.length === 0) throw new UsageError("set takes key=value pairs");
      return args.map((kv) => {
        const eq = kv.indexOf("=");
        if (eq <= 0) throw new UsageError(`set takes key=value, got "${kv}"`);
        return SchemaChanges.setOption(kv.slice(0, eq), kv.slice(eq + 1));
      });
    case "unset":
      if (args.length === 0) throw new UsageError("unset takes option keys");
      return args.map((k) => SchemaChanges.removeOption(k));
    case "comment":
      exactly(1, "the comment text");
      return [SchemaChanges.updateComment(args[0]!)];
    case undefined:
      throw new UsageError(`missing the change: ${ACTIONS}`);
    default:
      throw new UsageError(`unknown change "${action}": use ${ACTIONS}`);
  }
}

export const alterCommand: Command = {
  name: "alter",
  summary: "change a table's schema: columns, options, comment",
  usage:
    "streamhouse alter <table-dir|db.table> add-column 'c INT' [--first | --after COL] [--comment TEXT] | rename-column OLD NEW | drop-column C | modify-column C TYPE | set k=v ... | unset k ... | comment TEXT [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, { first: { type: "boolean" }, after: { type: "string" }, comment: { type: "string" }, option: { type: "string", multiple: true }, ...CATALOG_FLAGS });
    const [location, action, ...args] = parsed.positionals;
    const changes = changesOf(action, args, { first: parsed.values["first"] === true, after: stringFlag(parsed, "after"), comment: stringFlag(parsed, "comment") });
    const { path, schema } = await withLockedTable(location, optionFlags(parsed), parsed, async (table) => ({ path: table.path, schema: await alterTable(table, changes) }));
    ctx.out.write(`altered ${path}: schema ${schema.id}, ${schema.fields.length} columns\n`);
  },
};
