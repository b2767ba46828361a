/**
 * `streamhouse rollback <table-dir> --to-snapshot N | --to-tag T`: makes an earlier
 * snapshot (or a tag) the latest again, removing later snapshots, their tags and the
 * files only they used. Stop writers first. A `db.table` is rolled back holding its
 * catalog's commit lock, so no committer that takes the lock publishes meanwhile.
 */
import { rollbackTo } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, withLockedTable } from "./table-location.js";

export const rollbackCommand: Command = {
  name: "rollback",
  summary: "roll a table back to a snapshot or a tag",
  usage: "streamhouse rollback <table-dir|db.table> --to-snapshot N | --to-tag T [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, { "to-snapshot": { type: "string" }, "to-tag": { type: "string" }, option: { type: "string", multiple: true }, ...CATALOG_FLAGS });
    const snapshotId = integerFlag(parsed, "to-snapshot");
    const tag = stringFlag(parsed, "to-tag");
    if ((snapshotId === undefined) === (tag === undefined)) throw new UsageError("give exactly one of --to-snapshot N and --to-tag T");
    const target = snapshotId !== undefined ? { snapshotId } : { tag: tag! };
    const r = await withLockedTable(parsed.positionals[0], optionFlags(parsed), parsed, (table) => rollbackTo(table, target));
    const removed = r.removedSnapshots.length === 0 ? "no snapshots" : `snapshots ${r.removedSnapshots[r.removedSnapshots.length - 1]}..${r.removedSnapshots[0]}`;
    const tags = r.removedTags.length === 0 ? "" : `, tags ${r.removedTags.join(", ")}`;
    ctx.out.write(`rolled back to snapshot ${r.snapshotId}: removed ${removed}${tags} and ${r.deletedFiles.length} files\n`);
  },
};
