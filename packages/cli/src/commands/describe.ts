/**
 * `streamhouse describe <table-dir> [--json]`: the latest schema (columns, keys,
 * options, comment), the snapshot range, the latest snapshot, tags and consumers.
 */
import { dataTypeToString, TableSchemas } from "@streamhouse/format";
import { listConsumers, listTags } from "@streamhouse/table";
import { optionFlags, parseCommandArgs } from "../args.js";
import type { Command } from "../cli-context.js";
import { renderTable } from "../output/render-table.js";
import { CATALOG_FLAGS, openTableArg } from "./table-location.js";

export const describeCommand: Command = {
  name: "describe",
  summary: "show a table's schema, options, keys and snapshot summary",
  usage: "streamhouse describe <table-dir|db.table> [--json] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, { json: { type: "boolean" }, option: { type: "string", multiple: true }, ...CATALOG_FLAGS });
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed), parsed);
    const s = table.schema;
    const earliest = await table.snapshots.earliestSnapshotId();
    const latest = await table.snapshots.latestSnapshot();
    const tags = await listTags(table);
    const consumers = await listConsumers(table);
    const report = {
      table: table.path,
      schemaId: s.id,
      comment: s.comment,
      columns: s.fields.map((f) => ({ id: f.id, name: f.name, type: dataTypeToString(f.type), ...(f.description === undefined ? {} : { comment: f.description }) })),
      primaryKeys: [...s.primaryKeys],
      partitionKeys: [...s.partitionKeys],
      bucket: table.options.bucket(),
      bucketKeys: table.options.bucket() > 0 ? TableSchemas.bucketKeys(s) : [],
      options: { ...s.options },
      snapshots: {
        earliest,
        latest: latest?.id ?? null,
        latestCommitKind: latest?.commitKind ?? null,
        latestTime: latest === null ? null : new Date(latest.timeMillis).toISOString(),
        totalRecords: latest?.totalRecordCount ?? 0,
      },
      tags: tags.map((t) => ({ name: t.name, snapshot: t.tag.snapshot.id })),
      consumers: consumers.map((c) => ({ id: c.id, nextSnapshot: c.nextSnapshot })),
    };
    if (parsed.values["json"] === true) {
      ctx.out.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const lines: string[] = [];
    lines.push(`table      ${report.table}`);
    lines.push(`schema     ${s.id}${s.comment === null ? "" : ` — ${s.comment}`}`);
    lines.push(`keys       ${s.primaryKeys.length > 0 ? `primary key (${s.primaryKeys.join(", ")})` : "none (append table)"}`);
    lines.push(`partition  ${s.partitionKeys.length > 0 ? `(${s.partitionKeys.join(", ")})` : "none"}`);
    lines.push(`bucket     ${report.bucket}${report.bucketKeys.length > 0 ? ` on (${report.bucketKeys.join(", ")})` : ""}`);
    const sn = report.snapshots;
    lines.push(
      sn.latest === null
        ? "snapshots  none"
        : `snapshots  ${sn.earliest}..${sn.latest}; latest ${sn.latestCommitKind} at ${sn.latestTime}, ${sn.totalRecords} records`,
    );
    lines.push(`tags       ${tags.length === 0 ? "none" : report.tags.map((t) => `${t.name}@${t.snapshot}`).join(", ")}`);
    if (consumers.length > 0) lines.push(`consumers  ${report.consumers.map((c) => `${c.id}→${c.nextSnapshot}`).join(", ")}`);
    lines.push("", renderTable(["id", "column", "type", "comment"], report.columns.map((c) => [String(c.id), c.name, c.type, c.comment ?? ""])));
    const options = Object.entries(s.options);
    if (options.length > 0) lines.push("", renderTable(["option", "value"], options.map(([k, v]) => [k, v])));
    ctx.out.write(`${lines.join("\n")}\n`);
  },
};
