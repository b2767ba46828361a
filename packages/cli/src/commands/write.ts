/**
 * `streamhouse write <table-dir> [--from FILE|-] [--format ndjson|csv|parquet]
 *  [--checkpoint-interval N|DURATION] [--commit-user ID] [--resume] [--progress MODE]
 *  [--option k=v ...]`: appends rows to a table, committing at checkpoints, exactly once.
 *
 * Input. NDJSON (default; values as DESIGN.md's JSON mapping, `valueFromJson`), CSV (a
 * header of column names; an empty unquoted cell is null, nested values as JSON text) or
 * Parquet (columns matched by name). The format follows the extension of `--from`
 * (`.csv`, `.parquet`, anything else NDJSON; stdin is NDJSON) unless `--format` says.
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
 * committed before). Commits that lose races to other writers are retried by the
 * committer; when it gives up on a retryable error the checkpoint is looked up
 * (`filterCommitted`) and re-committed, a bounded number of times. A true conflict
 * (CommitConflict, not retryable) stops the command with that error.
 *
 * Progress on stderr: a live line on a terminal, otherwise one line per committed
 * checkpoint (and one every 10 s between checkpoints); `--progress none` is quiet.
 * The summary goes to stdout.
 *
 * SIGINT/SIGTERM: reading stops, the rows since the last checkpoint are dropped (a
 * commit already under way completes), and the command fails saying where the table
 * stands and how to resume. A second signal ends the process at once.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import {
  type DataField,
  type DataType,
  ErrorKind,
  isStreamhouseError,
  RowKind,
  type RowKindShortString,
  rowKindFromShortString,
  type Snapshot,
  StreamhouseError,
  type Value,
  valueFromJson,
} from "@streamhouse/format";
import { type Committable, FileStoreCommit, type FileStoreTable, ParquetFileReader, TableWrite, type WriteChange } from "@streamhouse/table";
import { optionFlags, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, type Output, UsageError } from "../cli-context.js";
import { fileIOFor, openTableArg } from "./table-location.js";

/** The snapshot property holding how many input records the table holds from this writer's input. */
export const INPUT_RECORDS_PROPERTY = "streamhouse.write.input-records";

const ROW_KIND_FIELD = "_row_kind";
const DEFAULT_POLICY: CheckpointPolicy = { rows: 1_000_000, ms: 60_000 };
/** Rows handed to the writer per call: bounds the memory of converted rows not yet buffered. */
const BATCH_ROWS = 4096;
/** Re-commits of one checkpoint after the committer gave up on a retryable error. */
const COMMIT_ROUNDS_MAX = 5;
const PLAIN_PROGRESS_MS = 10_000;
const LIVE_PROGRESS_MS = 200;

type InputFormat = "ndjson" | "csv" | "parquet";
type ProgressMode = "live" | "plain" | "none";

interface CheckpointPolicy {
  /** Checkpoint after this many rows (null: no row limit). */
  readonly rows: number | null;
  /** Checkpoint when this many ms passed since the last one and rows are waiting (null: no time limit). */
  readonly ms: number | null;
}

export const writeCommand: Command = {
  name: "write",
  summary: "write NDJSON/CSV/Parquet rows into a table, committing at checkpoints exactly once",
  usage:
    "streamhouse write <table-dir> [--from FILE|-] [--format ndjson|csv|parquet] [--checkpoint-interval N|DURATION] [--commit-user ID] [--resume] [--progress auto|live|plain|none] [--option k=v ...]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      from: { type: "string" },
      format: { type: "string" },
      "checkpoint-interval": { type: "string" },
      "commit-user": { type: "string" },
      resume: { type: "boolean" },
      progress: { type: "string" },
      option: { type: "string", multiple: true },
    });
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    const from = stringFlag(parsed, "from") ?? "-";
    const format = inputFormat(stringFlag(parsed, "format"), from);
    const policy = parseCheckpointInterval(stringFlag(parsed, "checkpoint-interval"));
    const progressMode = parseProgress(stringFlag(parsed, "progress"));
    const resume = parsed.values["resume"] === true;
    let commitUser = stringFlag(parsed, "commit-user");
    if (commitUser === "") throw new UsageError("--commit-user must not be empty");
    if (commitUser === undefined && resume && from === "-") throw new UsageError("--resume from stdin needs --commit-user (the writer to resume)");
    const table = await openTableArg(parsed.positionals[0], optionFlags(parsed));
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
    const session = new WriteSession(table, commitUser, previous === null ? 1n : previous.commitIdentifier + 1n, skip, policy, progress);
    await session.run(format, from);
    const s = session.summary();
    ctx.out.write(
      `wrote ${fmt(s.rows)} rows in ${s.checkpoints} checkpoint${s.checkpoints === 1 ? "" : "s"}` +
        (s.snapshots.length > 0 ? ` (snapshots ${s.snapshots[0]}–${s.snapshots[s.snapshots.length - 1]})` : "") +
        ` in ${(s.elapsedMs / 1000).toFixed(1)} s, ${fmt(rate(s.rows, s.elapsedMs))} rows/s; commit user ${commitUser}; input records ${fmt(skip)}–${fmt(s.records)}\n`,
    );
  },
};

// ------------------------------------------------------------------ the write session

/** Rows converted from the input, with where each came from (a line or record number). */
interface RowPiece {
  readonly kind: "rows";
  readonly changes: WriteChange[];
  readonly positions: number[];
  /** The bad record that ends the input, after the good rows before it (written in order first). */
  error?: BadRow;
}

/** A record that does not fit the table: where it is and why. */
class BadRow extends Error {
  constructor(
    readonly unit: "line" | "record",
    readonly where: number,
    readonly reason: string,
  ) {
    super(`${unit} ${where}: ${reason}`);
  }
}

/** A slice of an Arrow batch from a Parquet file; `firstRecord` is its first row's record index. */
interface ArrowPiece {
  readonly kind: "arrow";
  readonly batch: ArrowBatch;
  readonly firstRecord: number;
}

type ArrowBatch = Awaited<ReturnType<ParquetFileReader["read"]>>["batches"][number];
type Piece = RowPiece | ArrowPiece;

/** Thrown when a signal stopped the command. */
class Interrupted extends Error {
  override readonly name = "Interrupted";
}

class WriteSession {
  private write: TableWrite | null = null;
  private readonly committer: FileStoreCommit;
  /** Input records the table holds from this input after the last checkpoint. */
  private committedRecords: number;
  /** Input records consumed (written to the writer, or skipped as committed before). */
  private records: number;
  private rows = 0;
  private rowsInCheckpoint = 0;
  private lastCheckpointMs = Date.now();
  private readonly startedMs = Date.now();
  private checkpoints = 0;
  private readonly snapshots: number[] = [];
  private stream: Readable | null = null;
  private signal: NodeJS.Signals | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly table: FileStoreTable,
    readonly commitUser: string,
    private nextIdentifier: bigint,
    private readonly skip: number,
    private readonly policy: CheckpointPolicy,
    private readonly progress: Progress,
  ) {
    this.committer = new FileStoreCommit(table, commitUser);
    this.committedRecords = skip;
    this.records = skip;
  }

  summary(): { rows: number; records: number; checkpoints: number; snapshots: number[]; elapsedMs: number } {
    return { rows: this.rows, records: this.records, checkpoints: this.checkpoints, snapshots: this.snapshots, elapsedMs: Date.now() - this.startedMs };
  }

  async run(format: InputFormat, from: string): Promise<void> {
    const onSignal = (signal: NodeJS.Signals) => {
      // The first signal stops reading; a second one gets the default action (exit).
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      this.signal = signal;
      this.wake?.();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    this.write = await TableWrite.open(this.table);
    try {
      await this.loop(this.pieces(format, from));
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      this.stream?.destroy();
      await this.write.close();
      this.progress.finish();
    }
    if (this.signal !== null) {
      throw new Interrupted(
        `interrupted by ${this.signal}: stopped reading after input record ${this.records}; ` +
          `the table holds ${this.committedRecords} records of this input (${this.rowsInCheckpoint} rows since the last checkpoint were not committed); ` +
          `continue with --resume --commit-user ${this.commitUser}`,
      );
    }
  }

  private async loop(pieces: AsyncIterator<Piece>): Promise<void> {
    let pending: Promise<IteratorResult<Piece>> | null = null;
    try {
      while (this.signal === null) {
        pending ??= pieces.next();
        const waitMs = this.policy.ms === null || this.rowsInCheckpoint === 0 ? null : Math.max(0, this.lastCheckpointMs + this.policy.ms - Date.now());
        const r = await this.race(pending, waitMs);
        if (r === "wake") continue;
        if (r === "timer") {
          await this.checkpoint();
          continue;
        }
        pending = null;
        if (r.done) {
          await this.checkpoint();
          return;
        }
        await this.writePiece(r.value);
      }
    } finally {
      // A read still under way when we stop may fail once the stream is destroyed.
      pending?.catch(() => undefined);
    }
  }

  /** The next piece, or "timer" when a time-based checkpoint is due first, or "wake" on a signal. */
  private race(pending: Promise<IteratorResult<Piece>>, waitMs: number | null): Promise<IteratorResult<Piece> | "timer" | "wake"> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (f: () => void) => {
        if (timer !== undefined) clearTimeout(timer);
        this.wake = null;
        f();
      };
      this.wake = () => settle(() => resolve("wake"));
      if (waitMs !== null) timer = setTimeout(() => settle(() => resolve("timer")), waitMs);
      pending.then(
        (r) => settle(() => resolve(r)),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  }

  private async writePiece(piece: Piece): Promise<void> {
    const n = piece.kind === "rows" ? piece.changes.length : piece.batch.numRows;
    let offset = 0;
    while (offset < n && this.signal === null) {
      const room = this.policy.rows === null ? n - offset : Math.min(n - offset, this.policy.rows - this.rowsInCheckpoint);
      await this.writeSlice(piece, offset, offset + room);
      offset += room;
      this.rowsInCheckpoint += room;
      this.rows += room;
      this.records += room;
      this.progress.rows(this.rows, this.startedMs);
      const dueByRows = this.policy.rows !== null && this.rowsInCheckpoint >= this.policy.rows;
      const dueByTime = this.policy.ms !== null && Date.now() - this.lastCheckpointMs >= this.policy.ms;
      if (dueByRows || dueByTime) await this.checkpoint();
    }
    if (piece.kind === "rows" && piece.error !== undefined && this.signal === null) throw this.badRow(piece.error);
  }

  private async writeSlice(piece: Piece, from: number, to: number): Promise<void> {
    const write = this.write!;
    try {
      if (piece.kind === "rows") await write.writeChanges(from === 0 && to === piece.changes.length ? piece.changes : piece.changes.slice(from, to));
      else await write.writeArrow(from === 0 && to === piece.batch.numRows ? piece.batch : piece.batch.slice(from, to));
    } catch (e) {
      if (!isStreamhouseError(e, ErrorKind.SchemaMismatch) || typeof e.context["row"] !== "number") throw e;
      const i = from + e.context["row"];
      const where = piece.kind === "rows" ? piece.positions[i]! : piece.firstRecord + i + 1;
      throw this.badRow(new BadRow(piece.kind === "rows" ? "line" : "record", where, e.reason.replace(/^row \d+:? ?/, "")));
    }
  }

  private badRow(bad: BadRow): StreamhouseError {
    return new StreamhouseError(ErrorKind.SchemaMismatch, `${bad.message} (nothing after input record ${this.committedRecords} was committed)`);
  }

  /** Commits what was written since the last checkpoint as the next identifier, with the input offset. */
  private async checkpoint(): Promise<void> {
    this.lastCheckpointMs = Date.now();
    if (this.rowsInCheckpoint === 0) return;
    const identifier = this.nextIdentifier++;
    const committable = await this.write!.prepareCommit(identifier);
    const snapshots = await this.commit(committable, { [INPUT_RECORDS_PROPERTY]: String(this.records) });
    this.committedRecords = this.records;
    this.rowsInCheckpoint = 0;
    this.checkpoints++;
    const ids = snapshots.map((s) => s.id);
    this.snapshots.push(...ids);
    this.progress.checkpoint(identifier, this.records, ids, this.rows, this.startedMs);
  }

  private async commit(committable: Committable, properties: Record<string, string>): Promise<Snapshot[]> {
    for (let round = 1; ; round++) {
      try {
        return await this.committer.commit([committable], { properties });
      } catch (e) {
        const context = `checkpoint ${committable.commitIdentifier} of commit user ${this.commitUser}`;
        if (!isStreamhouseError(e) || !e.retryable) {
          if (isStreamhouseError(e, ErrorKind.CommitConflict)) {
            // Part of the checkpoint (its APPEND snapshot) may be in, with its offset.
            const latest = await latestSnapshotOfUser(this.table, this.commitUser);
            const held = latest === null ? this.committedRecords : (recordsOf(latest) ?? this.committedRecords);
            throw new StreamhouseError(ErrorKind.CommitConflict, `${context} conflicts with a concurrent commit: ${e.reason} (the table holds input records up to ${held}; --resume continues after them)`, {
              cause: e,
            });
          }
          throw e;
        }
        // The committer gave up: the checkpoint may have landed in a reply we did not see.
        if ((await this.committer.filterCommitted([committable])).length === 0) {
          const latest = await latestSnapshotOfUser(this.table, this.commitUser);
          return latest === null ? [] : [latest];
        }
        if (round >= COMMIT_ROUNDS_MAX) throw new StreamhouseError(e.kind, `${context} failed after ${round} rounds: ${e.reason}`, { cause: e });
        this.progress.note(`${context}: ${e.reason}; retrying (round ${round + 1} of ${COMMIT_ROUNDS_MAX})`);
        await new Promise((r) => setTimeout(r, 100 * round + Math.floor(Math.random() * 100)));
      }
    }
  }

  // ---------------------------------------------------------------- input

  private pieces(format: InputFormat, from: string): AsyncIterator<Piece> {
    if (format === "parquet") return this.parquetPieces(from);
    const stream = from === "-" ? process.stdin : createReadStream(fileIOFor(from).path, { highWaterMark: 1 << 20 });
    this.stream = stream;
    const converter = new RowConverter(this.table.schema.fields);
    return format === "csv" ? this.csvPieces(stream, converter) : this.ndjsonPieces(stream, converter);
  }

  private async *ndjsonPieces(stream: Readable, converter: RowConverter): AsyncGenerator<Piece> {
    const lines = new LineSplitter();
    let record = 0;
    let piece = newRowPiece();
    for await (const chunk of stream) {
      for (const [text, line] of lines.push(chunk as Buffer)) {
        if (isBlank(text)) continue;
        if (record++ < this.skip) continue;
        if (!convertInto(piece, () => converter.fromJsonLine(text, line), line)) {
          yield piece;
          return;
        }
        if (piece.changes.length >= BATCH_ROWS) {
          yield piece;
          piece = newRowPiece();
        }
      }
      if (piece.changes.length > 0) {
        yield piece;
        piece = newRowPiece();
      }
    }
    const last = lines.end();
    if (last !== null && !isBlank(last[0]) && record++ >= this.skip) convertInto(piece, () => converter.fromJsonLine(last[0], last[1]), last[1]);
    if (piece.changes.length > 0) yield piece;
  }

  private async *csvPieces(stream: Readable, converter: RowConverter): AsyncGenerator<Piece> {
    const parser = new CsvParser();
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let header: CsvHeader | null = null;
    let record = 0;
    let piece = newRowPiece();
    /** Converts records into `piece`; false after a bad one. */
    const take = (records: CsvRecord[]): boolean => {
      for (const r of records) {
        if (header === null) {
          try {
            header = converter.csvHeader(r);
          } catch (e) {
            if (!(e instanceof BadRow)) throw e;
            piece.error = e;
            return false;
          }
          continue;
        }
        if (r.cells.length === 1 && r.cells[0] === "" && !r.quoted[0]) continue; // a blank line
        if (record++ < this.skip) continue;
        const h = header;
        if (!convertInto(piece, () => converter.fromCsv(h, r), r.line)) return false;
      }
      return true;
    };
    for await (const chunk of stream) {
      let text: string;
      try {
        text = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        piece.error = new BadRow("line", parser.currentLine, "the input is not valid UTF-8");
        yield piece;
        return;
      }
      const ok = take(parser.push(text));
      if (piece.changes.length > 0 || !ok) {
        yield piece;
        if (!ok) return;
        piece = newRowPiece();
      }
    }
    let ok: boolean;
    try {
      ok = take(parser.end(decoder.decode()));
    } catch (e) {
      if (!(e instanceof BadRow)) throw e;
      piece.error = e;
      ok = false;
    }
    if (ok && header === null) piece.error = new BadRow("line", 1, "the CSV input has no header line");
    if (piece.changes.length > 0 || piece.error !== undefined) yield piece;
  }

  private async *parquetPieces(from: string): AsyncGenerator<Piece> {
    if (from === "-") throw new UsageError("Parquet input must be a file (--from FILE.parquet)");
    const { io, path } = fileIOFor(from);
    const reader = await ParquetFileReader.open(io, path);
    try {
      let record = 0;
      for (let g = 0; g < reader.footer.rowGroups.length; g++) {
        const groupRows = Number(reader.footer.rowGroups[g]!.numRows);
        if (record + groupRows <= this.skip) {
          record += groupRows;
          continue;
        }
        const table = await reader.read({ rowGroups: [g] });
        for (const batch of table.batches) {
          const start = Math.max(0, this.skip - record);
          if (start < batch.numRows) yield { kind: "arrow", batch: start === 0 ? batch : batch.slice(start), firstRecord: record + start };
          record += batch.numRows;
        }
      }
    } finally {
      reader.close();
    }
  }
}

function newRowPiece(): RowPiece {
  return { kind: "rows", changes: [], positions: [] };
}

/**
 * Adds the change `convert` makes to `piece`; on a bad record sets the piece's error
 * instead and returns false, so the rows before it are still written — in order, with
 * their checkpoints — before the command stops.
 */
function convertInto(piece: RowPiece, convert: () => WriteChange, position: number): boolean {
  let change: WriteChange;
  try {
    change = convert();
  } catch (e) {
    if (!(e instanceof BadRow)) throw e;
    piece.error = e;
    return false;
  }
  piece.changes.push(change);
  piece.positions.push(position);
  return true;
}

function isBlank(text: string): boolean {
  return text.length === 0 || /^\s*$/.test(text);
}

// ------------------------------------------------------------------ rows from text

interface CsvHeader {
  /** Table field index per CSV column; -1 for `_row_kind`. */
  readonly targets: readonly number[];
}

/** Converts NDJSON lines and CSV records into rows of values, naming the line of any bad one. */
class RowConverter {
  private readonly index: ReadonlyMap<string, number>;

  constructor(
    private readonly fields: readonly DataField[],
    private readonly errors = { badRow: (unit: "line", where: number, reason: string) => new BadRow(unit, where, reason) },
  ) {
    this.index = new Map(fields.map((f, i) => [f.name, i]));
  }

  fromJsonLine(text: string, line: number): WriteChange {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw this.errors.badRow("line", line, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw this.errors.badRow("line", line, "expected a JSON object");
    const o = obj as Record<string, unknown>;
    for (const k in o) {
      if (k !== ROW_KIND_FIELD && !this.index.has(k)) throw this.errors.badRow("line", line, `column "${k}" is not a column of the table`);
    }
    const fields = this.fields;
    const row: (Value | null)[] = new Array(fields.length);
    for (let i = 0; i < fields.length; i++) row[i] = this.value(fields[i]!, o[fields[i]!.name], line);
    return { kind: this.kind(o[ROW_KIND_FIELD], line), row };
  }

  csvHeader(r: CsvRecord): CsvHeader {
    const targets = r.cells.map((name) => {
      if (name === ROW_KIND_FIELD) return -1;
      const i = this.index.get(name);
      if (i === undefined) throw this.errors.badRow("line", r.line, `CSV header names column "${name}", which is not a column of the table`);
      return i;
    });
    return { targets };
  }

  fromCsv(header: CsvHeader, r: CsvRecord): WriteChange {
    if (r.cells.length !== header.targets.length) {
      throw this.errors.badRow("line", r.line, `has ${r.cells.length} cells, the header ${header.targets.length}`);
    }
    const fields = this.fields;
    const row: (Value | null)[] = new Array(fields.length).fill(null);
    const seen: boolean[] = new Array(fields.length).fill(false);
    let kind: unknown;
    for (let c = 0; c < header.targets.length; c++) {
      const t = header.targets[c]!;
      const cell = r.cells[c]!;
      if (t < 0) {
        kind = cell;
        continue;
      }
      const f = fields[t]!;
      seen[t] = true;
      row[t] = this.value(f, csvCellToJson(f.type, cell, r.quoted[c]!, (reason) => this.errors.badRow("line", r.line, `column "${f.name}" ${reason}`)), r.line);
    }
    // Columns the header leaves out are null (checked like a JSON row without the field).
    for (let i = 0; i < fields.length; i++) if (!seen[i]) row[i] = this.value(fields[i]!, null, r.line);
    return { kind: this.kind(kind, r.line), row };
  }

  private value(f: DataField, json: unknown, line: number): Value | null {
    try {
      return valueFromJson(f.type, json, f.name);
    } catch (e) {
      if (!isStreamhouseError(e)) throw e;
      const path = typeof e.context["path"] === "string" ? e.context["path"] : f.name;
      const reason = e.reason.startsWith(path) ? `column "${path}"${e.reason.slice(path.length)}` : `column "${f.name}": ${e.reason}`;
      throw this.errors.badRow("line", line, reason);
    }
  }

  private kind(raw: unknown, line: number): RowKind {
    if (raw === undefined || raw === null || raw === "") return RowKind.INSERT;
    if (typeof raw === "string") {
      try {
        return rowKindFromShortString(raw as RowKindShortString);
      } catch {
        // reported below
      }
    }
    throw this.errors.badRow("line", line, `column "${ROW_KIND_FIELD}" must be one of +I -U +U -D, got ${JSON.stringify(raw)}`);
  }
}

/** A CSV cell as the JSON value `valueFromJson` takes for `type`. */
function csvCellToJson(type: DataType, cell: string, quoted: boolean, fail: (reason: string) => BadRow): unknown {
  if (cell === "" && !quoted) return null;
  switch (type.root) {
    case "BOOLEAN": {
      const t = cell.trim().toLowerCase();
      return t === "true" ? true : t === "false" ? false : cell;
    }
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
      return cell.trim();
    case "FLOAT":
    case "DOUBLE": {
      const n = Number(cell);
      return cell.trim() !== "" && !Number.isNaN(n) ? n : cell.trim();
    }
    case "ARRAY":
    case "VECTOR":
    case "MULTISET":
    case "MAP":
    case "ROW":
    case "VARIANT":
      try {
        return JSON.parse(cell);
      } catch {
        throw fail(`must be JSON text for ${type.root}, got ${JSON.stringify(cell.slice(0, 40))}`);
      }
    default:
      return cell;
  }
}

/** Splits bytes into lines (LF or CRLF), numbering them from 1. */
class LineSplitter {
  private rest: Buffer | null = null;
  private line = 0;

  *push(chunk: Buffer): Generator<[string, number]> {
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield [buf.toString("utf8", start, end), ++this.line];
      start = nl + 1;
    }
    if (start < buf.length) this.rest = buf.subarray(start);
  }

  end(): [string, number] | null {
    if (this.rest === null) return null;
    const text = this.rest.toString("utf8").replace(/\r$/, "");
    this.rest = null;
    return [text, ++this.line];
  }
}

interface CsvRecord {
  readonly cells: string[];
  /** Whether each cell was quoted (an empty quoted cell is "", an empty bare one null). */
  readonly quoted: boolean[];
  /** The line the record starts on (1-based). */
  readonly line: number;
}

/** RFC 4180 CSV, fed text in chunks: quoted cells may hold commas, quotes ("") and newlines. */
class CsvParser {
  private cells: string[] = [];
  private quoted: boolean[] = [];
  private cell = "";
  private cellQuoted = false;
  private inQuotes = false;
  /** After a closing quote, waiting to see whether it is a doubled one. */
  private quoteSeen = false;
  private line = 1;
  private recordLine = 1;

  get currentLine(): number {
    return this.line;
  }
  private pendingCR = false;
  private any = false;

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === "\n") continue;
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') {
            this.cell += '"';
            continue;
          }
          this.inQuotes = false;
          // fall through: the character after a closing quote
        } else if (ch === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          if (ch === "\n") this.line++;
          this.cell += ch;
          continue;
        }
      }
      this.any = true;
      if (ch === ",") {
        this.endCell();
      } else if (ch === "\n" || ch === "\r") {
        this.endCell();
        out.push(this.endRecord());
        this.line++;
        this.recordLine = this.line;
        if (ch === "\r") this.pendingCR = true;
      } else if (ch === '"' && this.cell === "" && !this.cellQuoted) {
        this.inQuotes = true;
        this.cellQuoted = true;
      } else {
        this.cell += ch;
      }
    }
    return out;
  }

  end(text: string): CsvRecord[] {
    const out = this.push(text);
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) throw new BadRow("line", this.recordLine, "a quoted CSV cell is not closed before the end of the input");
    if (this.any) {
      this.endCell();
      out.push(this.endRecord());
    }
    return out;
  }

  private endCell(): void {
    this.cells.push(this.cell);
    this.quoted.push(this.cellQuoted);
    this.cell = "";
    this.cellQuoted = false;
  }

  private endRecord(): CsvRecord {
    const r = { cells: this.cells, quoted: this.quoted, line: this.recordLine };
    this.cells = [];
    this.quoted = [];
    this.any = false;
    return r;
  }
}

// ------------------------------------------------------------------ progress

class Progress {
  private lastDrawMs = 0;
  private lastLineMs = Date.now();
  private lastCheckpoint = "no checkpoint yet";

  constructor(
    private readonly err: Output,
    private readonly mode: ProgressMode,
  ) {}

  note(text: string): void {
    if (this.mode !== "none") this.line(text);
  }

  rows(rows: number, startedMs: number): void {
    const now = Date.now();
    if (this.mode === "live" && now - this.lastDrawMs >= LIVE_PROGRESS_MS) this.draw(rows, startedMs, now);
    else if (this.mode === "plain" && now - this.lastLineMs >= PLAIN_PROGRESS_MS) this.line(`${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s (${this.lastCheckpoint})`);
  }

  checkpoint(identifier: bigint, records: number, snapshotIds: readonly number[], rows: number, startedMs: number): void {
    const now = Date.now();
    const snapshots = snapshotIds.length === 0 ? "no snapshot (empty)" : `snapshot ${snapshotIds.join(",")}`;
    this.lastCheckpoint = `checkpoint ${identifier} at input record ${fmt(records)}`;
    if (this.mode === "live") this.draw(rows, startedMs, now);
    else if (this.mode === "plain") {
      this.line(`checkpoint ${identifier} committed: input records ${records}, ${snapshots}, ${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s`);
    }
  }

  finish(): void {
    if (this.mode === "live" && this.lastDrawMs > 0) this.err.write("\n");
    this.lastDrawMs = 0;
  }

  private draw(rows: number, startedMs: number, now: number): void {
    this.lastDrawMs = now;
    this.err.write(`\r\x1b[K${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s — ${this.lastCheckpoint}`);
  }

  private line(text: string): void {
    if (this.mode === "live" && this.lastDrawMs > 0) this.err.write("\r\x1b[K");
    this.lastDrawMs = 0;
    this.lastLineMs = Date.now();
    this.err.write(`streamhouse write: ${text}\n`);
  }
}

// ------------------------------------------------------------------ helpers

function inputFormat(flag: string | undefined, from: string): InputFormat {
  if (flag !== undefined) {
    if (flag !== "ndjson" && flag !== "csv" && flag !== "parquet") throw new UsageError("--format must be one of ndjson, csv, parquet");
    return flag;
  }
  const lower = from.toLowerCase();
  return lower.endsWith(".csv") ? "csv" : lower.endsWith(".parquet") ? "parquet" : "ndjson";
}

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseCheckpointInterval(text: string | undefined): CheckpointPolicy {
  if (text === undefined) return DEFAULT_POLICY;
  const rows = /^(\d+)\s*(?:rows?)?$/.exec(text.trim());
  if (rows !== null) {
    const n = Number(rows[1]);
    if (n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`--checkpoint-interval must be at least 1 row, got "${text}"`);
    return { rows: n, ms: null };
  }
  const d = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)$/.exec(text.trim());
  if (d === null) throw new UsageError(`--checkpoint-interval takes a row count (100000) or a duration (500ms, 10s, 2m), got "${text}"`);
  const ms = Number(d[1]) * DURATION_MS[d[2]!]!;
  if (!(ms >= 1)) throw new UsageError(`--checkpoint-interval must be at least 1ms, got "${text}"`);
  return { rows: null, ms };
}

function parseProgress(text: string | undefined): ProgressMode {
  if (text === undefined || text === "auto") return process.stderr.isTTY === true ? "live" : "plain";
  if (text === "live" || text === "plain" || text === "none") return text;
  throw new UsageError("--progress must be one of auto, live, plain, none");
}

function defaultCommitUser(tablePath: string, inputPath: string): string {
  return `streamhouse-write-${createHash("sha256").update(`${tablePath}\0${inputPath}`).digest("hex").slice(0, 16)}`;
}

/** The input offset a writer's snapshot records; null when it records none. */
function recordsOf(s: Snapshot): number | null {
  const v = s.properties?.[INPUT_RECORDS_PROPERTY];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/** The newest snapshot `user` committed, scanning back from the latest (as Java's SnapshotManager.latestSnapshotOfUser). */
async function latestSnapshotOfUser(table: FileStoreTable, user: string): Promise<Snapshot | null> {
  const latest = await table.snapshots.latestSnapshotId();
  if (latest === null) return null;
  const earliest = (await table.snapshots.earliestSnapshotId()) ?? 1;
  for (let id = latest; id >= earliest; id--) {
    let s: Snapshot;
    try {
      s = await table.snapshots.snapshot(id);
    } catch (e) {
      if (isStreamhouseError(e, ErrorKind.NotFound)) return null; // expired: the scan ends, as in Java
      throw e;
    }
    if (s.commitUser === user) return s;
  }
  return null;
}

function rate(count: number, ms: number): number {
  return ms <= 0 ? 0 : Math.round((count * 1000) / ms);
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
