/**
 * The input readers of `write`: NDJSON lines, CSV records after a header row, Parquet
 * rows as Arrow batches (parquet-wasm through ParquetFileReader). Each yields pieces of
 * converted rows and skips the first `skip` records (those a resumed writer already
 * committed). A *record* is one row of input: a non-blank NDJSON line, a CSV record after
 * the header, a Parquet row; records are numbered from the start of the input.
 */
import { createReadStream, statSync } from "node:fs";
import type { Readable } from "node:stream";
import type { DataField } from "@streamhouse/format";
import { ParquetFileReader } from "@streamhouse/table";
import { UsageError } from "../cli-context.js";
import { fileIOFor } from "../commands/table-location.js";
import { BadRow } from "./bad-row.js";
import { CsvParser, type CsvRecord } from "./csv-parser.js";
import type { InputFormat } from "./input-format.js";
import { convertInto, isBlank, newRowPiece, type Piece } from "./input-piece.js";
import { LineSplitter } from "./line-splitter.js";
import { type CsvHeader, RowConverter } from "./row-converter.js";

/** Rows handed to the writer per call: bounds the memory of converted rows not yet buffered. */
const BATCH_ROWS = 4096;

export interface OpenedInput {
  readonly pieces: AsyncIterator<Piece>;
  /** The byte stream under a text input (destroyed when the session stops early). */
  readonly stream: Readable | null;
  /** The input file's size, for progress; null for stdin and Parquet. */
  readonly sizeBytes: number | null;
}

/** Opens `from` (a file, or `-` for stdin) as pieces of rows for a table with `fields`. */
export function openInput(format: InputFormat, from: string, fields: readonly DataField[], skip: number, stdin: Readable = process.stdin): OpenedInput {
  if (format === "parquet") return { pieces: readParquet(from, skip), stream: null, sizeBytes: null };
  const path = from === "-" ? null : fileIOFor(from).path;
  const stream = path === null ? stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const sizeBytes = path === null ? null : sizeOf(path);
  const converter = new RowConverter(fields);
  return { pieces: format === "csv" ? readCsv(stream, converter, skip) : readNdjson(stream, converter, skip), stream, sizeBytes };
}

/** A regular file's size; null for anything else (a FIFO, a missing file: the read reports that). */
function sizeOf(path: string): number | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

export async function* readNdjson(stream: Readable, converter: RowConverter, skip: number): AsyncGenerator<Piece> {
  const lines = new LineSplitter();
  let record = 0;
  let piece = newRowPiece();
  for await (const chunk of stream) {
    for (const [text, line] of lines.push(chunk as Buffer)) {
      if (isBlank(text)) continue;
      if (record++ < skip) continue;
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
  if (last !== null && !isBlank(last[0]) && record++ >= skip) convertInto(piece, () => converter.fromJsonLine(last[0], last[1]), last[1]);
  if (piece.changes.length > 0) yield piece;
}

export async function* readCsv(stream: Readable, converter: RowConverter, skip: number): AsyncGenerator<Piece> {
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
      if (record++ < skip) continue;
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

export async function* readParquet(from: string, skip: number): AsyncGenerator<Piece> {
  if (from === "-") throw new UsageError("Parquet input must be a file (--from FILE.parquet)");
  const { io, path } = fileIOFor(from);
  const reader = await ParquetFileReader.open(io, path);
  try {
    let record = 0;
    for (let g = 0; g < reader.footer.rowGroups.length; g++) {
      const groupRows = Number(reader.footer.rowGroups[g]!.numRows);
      if (record + groupRows <= skip) {
        record += groupRows;
        continue;
      }
      const table = await reader.read({ rowGroups: [g] });
      for (const batch of table.batches) {
        const start = Math.max(0, skip - record);
        if (start < batch.numRows) yield { kind: "arrow", batch: start === 0 ? batch : batch.slice(start), firstRecord: record + start };
        record += batch.numRows;
      }
    }
  } finally {
    reader.close();
  }
}
