/**
 * What a split's reader hands the pager: a batch of row arrays (system tables, the
 * general merge) or a range of a selection over decoded files (selection-page-encoder.ts).
 * A page holds chunks of one kind; the pager ends a page where the kind changes.
 */
import type { Row } from "@streamhouse/format";
import type { SelectionSlice } from "./selection-page-encoder.js";

export type PageChunk = readonly Row[] | SelectionSlice;

export function isRowChunk(c: PageChunk): c is readonly Row[] {
  return Array.isArray(c);
}

export function chunkLength(c: PageChunk): number {
  return isRowChunk(c) ? c.length : c.to - c.from;
}

/** The chunk without its first `n` rows. */
export function dropRows(c: PageChunk, n: number): PageChunk {
  return isRowChunk(c) ? c.slice(n) : { selection: c.selection, from: c.from + n, to: c.to };
}
