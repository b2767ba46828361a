/**
 * `streamhouse inspect <table-dir> [--snapshot N] [--json]`: schema, one snapshot
 * (the latest unless --snapshot), and its live data files.
 */
import { type InspectReport, inspectTable } from "@streamhouse/table";
import { integerFlag, optionFlags, parseCommandArgs } from "../args.js";
import type { Command } from "../cli-context.js";
import { renderTable } from "../output/render-table.js";
import { CATALOG_FLAGS, openTableArg } from "./table-location.js";

export const inspectCommand: Command = {
  name: "inspect",
  summary: "show a table's schema, a snapshot and its live data files",
  usage: "streamhouse inspect <table-dir|db.table> [--snapshot N] [--json] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      ...CATALOG_FLAGS,
      snapshot: { type: "string" },
      json: { type: "boolean" },
      option: { type: "string", multiple: true },
    });
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed), parsed);
    const report = await inspectTable(table, integerFlag(parsed, "snapshot"));
    ctx.out.write(parsed.values["json"] === true ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  },
};

function keyText(k: unknown): string {
  if (k === null || typeof k !== "object") return "";
  return Object.values(k as Record<string, unknown>)
    .map((v) => (typeof v === "string" ? v : JSON.stringify(v)))
    .join(", ");
}

function partitionText(p: Readonly<Record<string, string | null>>): string {
  const parts = Object.entries(p).map(([k, v]) => `${k}=${v ?? "null"}`);
  return parts.length === 0 ? "-" : parts.join("/");
}

export function renderReport(r: InspectReport): string {
  const s = r.schema;
  const lines: string[] = [];
  lines.push(`table      ${r.table}`);
  const keyDesc = s.primaryKeys.length > 0 ? `primary key (${s.primaryKeys.join(", ")}), merge-engine ${s.mergeEngine}` : "append table";
  const partDesc = s.partitionKeys.length > 0 ? `partitioned by (${s.partitionKeys.join(", ")})` : "unpartitioned";
  const bucketDesc = s.bucket > 0 ? `${s.bucket} buckets${s.bucketKeys.length > 0 ? ` on (${s.bucketKeys.join(", ")})` : ""}` : s.bucket === -1 ? "dynamic/unaware buckets" : `bucket ${s.bucket}`;
  lines.push(`schema     ${s.id}: ${keyDesc}; ${partDesc}; ${bucketDesc}`);
  lines.push(`snapshots  ${r.snapshots.count}${r.snapshots.count > 0 ? ` (earliest ${r.snapshots.earliest}, latest ${r.snapshots.latest})` : ""}; tags: ${r.tags.length === 0 ? "none" : r.tags.join(", ")}`);
  if (r.snapshot === null) {
    lines.push("snapshot   none: the table is empty");
  } else {
    const sn = r.snapshot;
    lines.push(
      `snapshot   ${sn.id}: ${sn.commitKind} at ${new Date(sn.timeMillis).toISOString()}, schema ${sn.schemaId}, ${sn.totalRecordCount} records (${sn.deltaRecordCount} in this commit)`,
    );
  }
  lines.push("", renderTable(["id", "column", "type"], s.fields.map((f) => [String(f.id), f.name, f.type])));
  const options = Object.entries(s.options);
  if (options.length > 0) lines.push("", renderTable(["option", "value"], options.map(([k, v]) => [k, v])));
  lines.push("", `${r.files.length} live data files in ${r.partitions.length} partitions, buckets [${r.buckets.join(", ")}]`);
  if (r.files.length > 0) {
    lines.push(
      renderTable(
        ["partition", "bucket", "level", "rows", "sequence", "min key", "max key", "file"],
        r.files.map((f) => [
          partitionText(f.partition),
          String(f.bucket),
          String(f.level),
          String(f.rowCount),
          `${f.minSequenceNumber}..${f.maxSequenceNumber}`,
          keyText(f.minKey),
          keyText(f.maxKey),
          f.fileName,
        ]),
      ),
    );
  }
  if (r.indexFiles.length > 0) {
    lines.push("", renderTable(["index", "bucket", "rows", "file"], r.indexFiles.map((x) => [x.type, String(x.bucket), String(x.rowCount), x.fileName])));
  }
  return `${lines.join("\n")}\n`;
}
