/**
 * `streamhouse snapshots <table-dir> [--json]`: every snapshot still present, oldest
 * first — id, commit kind, time, records, commit user and identifier.
 */
import { optionFlags, parseCommandArgs } from "../args.js";
import type { Command } from "../cli-context.js";
import { renderTable } from "../output/render-table.js";
import { CATALOG_FLAGS, openTableArg } from "./table-location.js";

export const snapshotsCommand: Command = {
  name: "snapshots",
  summary: "list a table's snapshots",
  usage: "streamhouse snapshots <table-dir|db.table> [--json] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, { json: { type: "boolean" }, option: { type: "string", multiple: true }, ...CATALOG_FLAGS });
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed), parsed);
    const rows = [];
    for (const id of await table.snapshots.listSnapshotIds()) {
      const s = await table.snapshots.snapshot(id);
      rows.push({
        id: s.id,
        schemaId: s.schemaId,
        commitKind: s.commitKind,
        time: new Date(s.timeMillis).toISOString(),
        totalRecords: s.totalRecordCount,
        deltaRecords: s.deltaRecordCount,
        commitUser: s.commitUser,
        commitIdentifier: s.commitIdentifier.toString(),
      });
    }
    if (parsed.values["json"] === true) {
      ctx.out.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      ctx.out.write("no snapshots\n");
      return;
    }
    const text = renderTable(
      ["id", "kind", "time", "records", "delta", "schema", "commit user", "identifier"],
      rows.map((r) => [String(r.id), r.commitKind, r.time, String(r.totalRecords), String(r.deltaRecords), String(r.schemaId), r.commitUser, r.commitIdentifier]),
    );
    ctx.out.write(`${text}\n`);
  },
};
