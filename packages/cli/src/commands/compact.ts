/**
 * `streamhouse compact <table-dir> [--full] [--partition k=v,... ...] [--option k=v ...]`:
 * a dedicated compaction job — compacts the table's buckets (fully with `--full`, else
 * what the universal planner picks; level-0 files are forced up where the table needs
 * lookups) and commits the result as one COMPACT snapshot. `--partition` (repeatable)
 * limits it to those partitions. The way to compact tables written with `write-only`.
 * A `db.table` is committed holding its catalog's commit lock (as `write` does): the
 * files are rewritten without it, the snapshot is published under it.
 */
import { type CommitLock, compactTable, type FileStoreTable } from "@streamhouse/table";
import { optionFlags, parseCommandArgs } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { CATALOG_FLAGS, openTableForCommit } from "./table-location.js";

/** The shape of @streamhouse/table's `compactTable` (compact/compact-table.ts). */
export type CompactTableFn = (
  table: FileStoreTable,
  options: {
    readonly partitions?: readonly Readonly<Record<string, string>>[];
    readonly full?: boolean;
    readonly commitOptions?: { readonly lock?: CommitLock };
  },
) => Promise<{
  readonly snapshot: { readonly id: number } | null;
  readonly buckets: number;
  readonly filesBefore: number;
  readonly filesAfter: number;
  readonly changelogFiles: number;
}>;

/** `k=v,k2=v2` → { k: v, k2: v2 }. */
export function parsePartitionSpec(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new UsageError(`--partition takes k=v[,k=v...], got "${spec}"`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1);
  }
  return out;
}

/** The command, with the compaction job injectable (tests). */
export function createCompactCommand(compact?: CompactTableFn): Command {
  return {
    name: "compact",
    summary: "compact a table's buckets and commit a COMPACT snapshot",
    usage: "streamhouse compact <table-dir|db.table> [--full] [--partition k=v,... ...] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
    async run(ctx) {
      const parsed = parseCommandArgs(ctx.args, {
        ...CATALOG_FLAGS,
        full: { type: "boolean" },
        partition: { type: "string", multiple: true },
        option: { type: "string", multiple: true },
      });
      if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
      const raw = parsed.values["partition"];
      const partitions = (Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : []).map(parsePartitionSpec);
      const opened = await openTableForCommit(parsed.positionals[0], optionFlags(parsed), parsed);
      const job = compact ?? compactTable;
      let r: Awaited<ReturnType<CompactTableFn>>;
      try {
        r = await job(opened.table, {
          full: parsed.values["full"] === true,
          ...(partitions.length > 0 ? { partitions } : {}),
          ...(opened.lock === null ? {} : { commitOptions: { lock: opened.lock } }),
        });
      } finally {
        await opened.close();
      }
      if (r.snapshot === null) {
        ctx.out.write(`nothing to compact (${r.buckets} bucket${r.buckets === 1 ? "" : "s"} checked)\n`);
        return;
      }
      const changelog = r.changelogFiles > 0 ? `, ${r.changelogFiles} changelog files` : "";
      ctx.out.write(`snapshot ${r.snapshot.id}: compacted ${r.buckets} bucket${r.buckets === 1 ? "" : "s"}, ${r.filesBefore} files → ${r.filesAfter}${changelog}\n`);
    },
  };
}

export const compactCommand: Command = createCompactCommand();
