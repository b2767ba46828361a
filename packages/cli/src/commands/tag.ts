/**
 * `streamhouse tag <table-dir> create NAME [--snapshot N] [--retain DURATION]
 *  | delete NAME | list [--json] | expire`: manages tags, the named snapshots kept
 * against expiration. Changes to a `db.table`'s tags are made holding its catalog's
 * commit lock; `list` only reads.
 */
import { createTag, deleteTag, expireTags, listTags } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { renderTable } from "../output/render-table.js";
import { durationFlag } from "./expire.js";
import { CATALOG_FLAGS, openTableArg, withLockedTable } from "./table-location.js";

export const tagCommand: Command = {
  name: "tag",
  summary: "create, delete, list or expire tags",
  usage: "streamhouse tag <table-dir|db.table> create NAME [--snapshot N] [--retain DURATION] | delete NAME | list [--json] | expire [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      option: { type: "string", multiple: true },
      ...CATALOG_FLAGS,
      snapshot: { type: "string" },
      retain: { type: "string" },
      json: { type: "boolean" },
    });
    const [location, action, name, ...rest] = parsed.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const needName = (): string => {
      if (name === undefined || name === "") throw new UsageError(`tag ${action} needs a tag name`);
      return name;
    };
    const noName = (): void => {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
    };
    switch (action) {
      case "create": {
        const snapshotId = integerFlag(parsed, "snapshot");
        const timeRetainedMs = durationFlag(stringFlag(parsed, "retain"), "retain");
        const tagName = needName();
        const options = { ...(snapshotId === undefined ? {} : { snapshotId }), ...(timeRetainedMs === undefined ? {} : { timeRetainedMs }) };
        const tag = await withLockedTable(location, optionFlags(parsed), parsed, (table) => createTag(table, tagName, options));
        ctx.out.write(`created tag ${tagName} at snapshot ${tag.snapshot.id}${timeRetainedMs === undefined ? "" : `, retained for ${stringFlag(parsed, "retain")}`}\n`);
        return;
      }
      case "delete": {
        const tagName = needName();
        const r = await withLockedTable(location, optionFlags(parsed), parsed, (table) => deleteTag(table, tagName));
        ctx.out.write(`deleted tag ${tagName} (snapshot ${r.snapshotId}); deleted ${r.deletedFiles.length} files only it kept\n`);
        return;
      }
      case "list": {
        noName();
        const tags = await listTags(await openTableArg(location, optionFlags(parsed), parsed));
        const rows = tags.map((t) => ({
          name: t.name,
          snapshot: t.tag.snapshot.id,
          commitTime: new Date(t.tag.snapshot.timeMillis).toISOString(),
          records: t.tag.snapshot.totalRecordCount,
          retainedSeconds: t.tag.timeRetainedSeconds,
        }));
        if (parsed.values["json"] === true) ctx.out.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) ctx.out.write("no tags\n");
        else {
          const text = renderTable(
            ["tag", "snapshot", "commit time", "records", "retained"],
            rows.map((r) => [r.name, String(r.snapshot), r.commitTime, String(r.records), r.retainedSeconds === null ? "forever" : `${r.retainedSeconds} s`]),
          );
          ctx.out.write(`${text}\n`);
        }
        return;
      }
      case "expire": {
        noName();
        const expired = await withLockedTable(location, optionFlags(parsed), parsed, (table) => expireTags(table));
        ctx.out.write(expired.length === 0 ? "no tag has expired\n" : `expired tags: ${expired.join(", ")}\n`);
        return;
      }
      case undefined:
        throw new UsageError("missing the action: create, delete, list or expire");
      default:
        throw new UsageError(`unknown action "${action}": use create, delete, list or expire`);
    }
  },
};
