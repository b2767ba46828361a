/**
 * `streamhouse write <table-dir> [--from FILE|-] [--input-format ndjson|csv|parquet]
 *  [--checkpoint-interval N|DURATION] [--commit-user ID] [--resume] [--progress MODE]
 *  [--option k=v ...]`: appends rows to a table, committing at checkpoints, exactly once.
 *
 * Input. NDJSON (default; values as DESIGN.md's JSON mapping, `valueFromJson`), CSV (a
 * header of column names; an empty unquoted cell is null, nested values as JSON text) or
 * Parquet (columns matched by name). The format follows the extension of `--from`
 * (`.csv`, `.parquet`, anything else NDJSON; stdin is NDJSON) unless `--input-format`
 * says (`--format` is accepted as its old name).
 * An optional `_row_kind` field/column (`+I -U +U -D`) gives each row's kind, else +I.
 * A *record* is one row of input: a non-blank NDJSON line, a CSV record after the
 * header, a Parquet row. Records are numbered from the start of the input.
 *
 * Validation. Every record is converted and checked against the schema before it is
 * handed to the writer; the first bad one stops the command with one line naming its
 * line (Parquet: record) number and column. Rows since the last checkpoint are dropped,
 * never committed: the table stays at the last complete checkpoint.
 *
 * Checkpoints. Every `--checkpoint-interval` (N rows, or a duration: `500ms`, `10s`, `2m`;
 * default every 1,000,000 rows or 60 s, whichever comes first) and at the end of the
 * input, the writer's files are committed as one checkpoint: commit identifier K, the
 * next of this commit user's identifiers, with the snapshot property
 * `streamhouse.write.input-records` = how many input records the table now holds from
 * this input. The snapshot records data and input offset in one atomic step, so the
 * offset of a commit user's latest snapshot is exactly where its input continues.
 *
 * Commit user and exactly once. `--commit-user ID` names the writer; by default it is
 * derived from the table and the input file's absolute path (`streamhouse-write-<hash>`),
 * so re-running the same file names the same writer; from stdin the default is random
 * (name one to be able to resume). Identifiers continue after the user's latest
 * committed one, so they only grow. With `--resume` the first
 * `streamhouse.write.input-records` records of the input (from the user's latest
 * snapshot) are skipped: re-running an interrupted or killed writer — even one killed
 * in the middle of a commit — on the same input neither loses nor duplicates a row.
 * Without `--resume` the whole input is written again (a note says when the writer had
 * committed before; on a primary-key table that rewrite is an idempotent upsert, on an
 * append table it duplicates rows). Commit retries: see write/write-session.ts.
 *
 * Progress on stderr: a live line on a terminal, otherwise one line per committed
 * checkpoint (and one every 10 s between checkpoints); `--progress none` is quiet.
 * The summary goes to stdout.
 *
 * SIGINT/SIGTERM: reading stops, the rows since the last checkpoint are dropped (a
 * commit already under way completes), and the command fails saying where the table
 * stands and how to resume. A second signal ends the process at once.
 *
 * The parts: write/input-readers.ts (NDJSON, CSV, Parquet), write/progress.ts,
 * write/checkpoint-policy.ts, write/commit-user.ts and write/write-session.ts.
 */
import { randomUUID } from "node:crypto";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { parseCheckpointInterval } from "../write/checkpoint-policy.js";
import { defaultCommitUser, latestSnapshotOfUser, recordsOf } from "../write/commit-user.js";
import { inputFormat } from "../write/input-format.js";
import { Progress, parseProgress } from "../write/progress.js";
import { fmt, rate } from "../write/rates.js";
import { WriteSession } from "../write/write-session.js";
import { CATALOG_FLAGS, fileIOFor, openTableForCommit } from "./table-location.js";

export { INPUT_RECORDS_PROPERTY } from "../write/commit-user.js";
export { parseCheckpointInterval } from "../write/checkpoint-policy.js";

export const writeCommand: Command = {
  name: "write",
  summary: "write NDJSON/CSV/Parquet rows into a table, committing at checkpoints exactly once",
  usage:
    "streamhouse write <table-dir|db.table> [--from FILE|-] [--input-format ndjson|csv|parquet] [--checkpoint-interval N|DURATION] [--commit-user ID] [--resume] [--progress auto|live|plain|none] [--option k=v ...] [--metastore thrift://HOST:PORT | --warehouse DIR]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      from: { type: "string" },
      "input-format": { type: "string" },
      format: { type: "string" },
      "checkpoint-interval": { type: "string" },
      "commit-user": { type: "string" },
      resume: { type: "boolean" },
      progress: { type: "string" },
      option: { type: "string", multiple: true },
      ...CATALOG_FLAGS,
    });
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    const from = stringFlag(parsed, "from") ?? "-";
    const format = inputFormat(stringFlag(parsed, "input-format") ?? stringFlag(parsed, "format"), from);
    const policy = parseCheckpointInterval(stringFlag(parsed, "checkpoint-interval"));
    const progressMode = parseProgress(stringFlag(parsed, "progress"));
    const resume = parsed.values["resume"] === true;
    let commitUser = stringFlag(parsed, "commit-user");
    if (commitUser === "") throw new UsageError("--commit-user must not be empty");
    if (commitUser === undefined && resume && from === "-") throw new UsageError("--resume from stdin needs --commit-user (the writer to resume)");
    const opened = await openTableForCommit(parsed.positionals[0], optionFlags(parsed), parsed);
    try {
      const table = opened.table;
      commitUser ??= from === "-" ? `streamhouse-write-${randomUUID()}` : defaultCommitUser(table.path, fileIOFor(from).path);

      const previous = await latestSnapshotOfUser(table, commitUser);
      const committedRecords = previous === null ? 0 : recordsOf(previous);
      if (resume && previous !== null && committedRecords === null) {
        throw new StreamhouseError(ErrorKind.InvalidArgument, `cannot resume: the latest commit of "${commitUser}" (snapshot ${previous.id}) records no input offset`);
      }
      const skip = resume ? (committedRecords ?? 0) : 0;
      const progress = new Progress(ctx.err, progressMode);
      if (!resume && previous !== null && committedRecords !== null) {
        progress.note(`note: commit user "${commitUser}" already committed ${committedRecords} records of its input (snapshot ${previous.id}); writing all of it again (--resume continues after them)`);
      }
      const first = previous === null ? 1n : previous.commitIdentifier + 1n;
      const session = new WriteSession(table, commitUser, first, skip, policy, progress, opened.lock);
      await session.run(format, from);
      const s = session.summary();
      ctx.out.write(
        `wrote ${fmt(s.rows)} rows in ${s.checkpoints} checkpoint${s.checkpoints === 1 ? "" : "s"}` +
          (s.snapshots.length > 0 ? ` (snapshots ${s.snapshots[0]}–${s.snapshots[s.snapshots.length - 1]})` : "") +
          ` in ${(s.elapsedMs / 1000).toFixed(1)} s, ${fmt(rate(s.rows, s.elapsedMs))} rows/s; commit user ${commitUser}; input records ${fmt(skip)}–${fmt(s.records)}\n`,
      );
    } finally {
      await opened.close();
    }
  },
};
