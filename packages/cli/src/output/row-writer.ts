/**
 * Writes rows for people (an aligned table, after all rows are in), or as NDJSON or
 * CSV line by line (so `tail` can stream). Values follow the JSON mapping of
 * DESIGN.md (`valueToJson`); CSV puts nested values as JSON text.
 */
import { type DataField, type Row, type RowKind, rowKindToShortString, valueToJson } from "@streamhouse/format";
import type { Output } from "../cli-context.js";
import { renderTable } from "./render-table.js";

export type RowFormat = "table" | "ndjson" | "csv";

export const ROW_FORMATS: readonly RowFormat[] = ["table", "ndjson", "csv"];

export class RowWriter {
  private readonly buffered: string[][] = [];
  private wroteHeader = false;
  count = 0;

  constructor(
    private readonly out: Output,
    private readonly fields: readonly DataField[],
    private readonly format: RowFormat,
    /** Adds a `_row_kind` column (+I -U +U -D). */
    private readonly withKind = false,
  ) {}

  write(row: Row, kind: RowKind = 0): void {
    this.count++;
    const json = this.fields.map((f, i) => valueToJson(f.type, row[i] ?? null));
    if (this.format === "ndjson") {
      const obj: Record<string, unknown> = {};
      if (this.withKind) obj["_row_kind"] = rowKindToShortString(kind);
      this.fields.forEach((f, i) => {
        obj[f.name] = json[i];
      });
      this.out.write(`${JSON.stringify(obj)}\n`);
      return;
    }
    const cells = json.map((v) => (v === null ? "" : typeof v === "string" ? v : JSON.stringify(v)));
    if (this.withKind) cells.unshift(rowKindToShortString(kind));
    if (this.format === "csv") {
      if (!this.wroteHeader) {
        this.out.write(`${this.header().map(csvCell).join(",")}\n`);
        this.wroteHeader = true;
      }
      this.out.write(`${cells.map(csvCell).join(",")}\n`);
      return;
    }
    this.buffered.push(json.map((v, i) => (v === null ? "NULL" : cells[i + (this.withKind ? 1 : 0)]!)).map((c) => c));
    if (this.withKind) this.buffered[this.buffered.length - 1]!.unshift(rowKindToShortString(kind));
  }

  private header(): string[] {
    return [...(this.withKind ? ["_row_kind"] : []), ...this.fields.map((f) => f.name)];
  }

  /** Prints what was buffered (the table format) and a count line for people. */
  finish(): void {
    if (this.format === "table") {
      this.out.write(`${renderTable(this.header(), this.buffered)}\n(${this.count} row${this.count === 1 ? "" : "s"})\n`);
    } else if (this.format === "csv" && !this.wroteHeader) {
      this.out.write(`${this.header().map(csvCell).join(",")}\n`);
    }
  }
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
