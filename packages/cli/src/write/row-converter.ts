/**
 * Converts NDJSON lines and CSV records into table rows (DESIGN.md's JSON value mapping,
 * `valueFromJson`), with the optional `_row_kind` column; a bad record becomes a BadRow
 * naming its line and column.
 */
import { type DataField, type DataType, isStreamhouseError, RowKind, type RowKindShortString, rowKindFromShortString, type Value, valueFromJson } from "@streamhouse/format";
import type { WriteChange } from "@streamhouse/table";
import { BadRow } from "./bad-row.js";
import type { CsvRecord } from "./csv-parser.js";

export const ROW_KIND_FIELD = "_row_kind";

export interface CsvHeader {
  /** Table field index per CSV column; -1 for `_row_kind`. */
  readonly targets: readonly number[];
}

/** Converts NDJSON lines and CSV records into rows of values, naming the line of any bad one. */
export class RowConverter {
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
