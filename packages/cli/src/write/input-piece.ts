/**
 * What the input readers hand the write session: converted rows with the line each came
 * from, or a slice of an Arrow batch read from Parquet. A bad record ends a row piece
 * (`error`), after the good rows before it, so those are still written in order.
 */
import type { ParquetFileReader, WriteChange } from "@streamhouse/table";
import { BadRow } from "./bad-row.js";

/** Rows converted from the input, with where each came from (a line or record number). */
export interface RowPiece {
  readonly kind: "rows";
  readonly changes: WriteChange[];
  readonly positions: number[];
  /** The bad record that ends the input, after the good rows before it (written in order first). */
  error?: BadRow;
}

/** A slice of an Arrow batch from a Parquet file; `firstRecord` is its first row's record index. */
export interface ArrowPiece {
  readonly kind: "arrow";
  readonly batch: ArrowBatch;
  readonly firstRecord: number;
}

export type ArrowBatch = Awaited<ReturnType<ParquetFileReader["read"]>>["batches"][number];
export type Piece = RowPiece | ArrowPiece;

export function newRowPiece(): RowPiece {
  return { kind: "rows", changes: [], positions: [] };
}

/**
 * Adds the change `convert` makes to `piece`; on a bad record sets the piece's error
 * instead and returns false, so the rows before it are still written — in order, with
 * their checkpoints — before the command stops.
 */
export function convertInto(piece: RowPiece, convert: () => WriteChange, position: number): boolean {
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

export function isBlank(text: string): boolean {
  return text.length === 0 || /^\s*$/.test(text);
}
