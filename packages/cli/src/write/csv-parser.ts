/** An RFC 4180 CSV parser fed text in chunks, keeping the line each record starts on. */
import { BadRow } from "./bad-row.js";

export interface CsvRecord {
  readonly cells: string[];
  /** Whether each cell was quoted (an empty quoted cell is "", an empty bare one null). */
  readonly quoted: boolean[];
  /** The line the record starts on (1-based). */
  readonly line: number;
}

/** RFC 4180 CSV, fed text in chunks: quoted cells may hold commas, quotes ("") and newlines. */
export class CsvParser {
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
