/**
 * Parses type strings: Paimon's atomic forms as they appear in schema JSON
 * (`INT NOT NULL`, `DECIMAL(10, 2)`, `TIMESTAMP(6) WITH LOCAL TIME ZONE`) and the
 * SQL forms people type on the command line (`ARRAY<INT>`, `MAP<STRING, BIGINT>`,
 * `ROW<a INT, b STRING>`), and whole column lists (`id BIGINT NOT NULL, name STRING`).
 *
 * Field ids for ROW fields (and for the columns of a column list) are handed out by
 * the `nextId` counter in depth-first order, the order Paimon assigns them.
 */
import { dataInvalid } from "../errors.js";
import { type DataField, type DataType, DataTypes, withNullability } from "./data-type.js";

interface Token {
  readonly text: string;
  readonly pos: number;
  readonly quoted: boolean;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "`") {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= input.length) throw dataInvalid(`unterminated quoted identifier in type "${input}"`, { offset: i });
        if (input[j] === "`") {
          if (input[j + 1] === "`") {
            text += "`";
            j += 2;
            continue;
          }
          break;
        }
        text += input[j];
        j++;
      }
      tokens.push({ text, pos: i, quoted: true });
      i = j + 1;
    } else if ("<>(),:".includes(c)) {
      tokens.push({ text: c, pos: i, quoted: false });
      i++;
    } else {
      let j = i;
      while (j < input.length && /[A-Za-z0-9_$.-]/.test(input[j]!)) j++;
      if (j === i) throw dataInvalid(`unexpected character ${JSON.stringify(c)} in type "${input}"`, { offset: i });
      tokens.push({ text: input.slice(i, j), pos: i, quoted: false });
      i = j;
    }
  }
  return tokens;
}

class TypeParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly nextId: { value: number },
  ) {
    this.tokens = tokenize(input);
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private fail(message: string): never {
    const t = this.peek();
    throw dataInvalid(`${message} in type "${this.input}"`, { offset: t?.pos ?? this.input.length });
  }

  private keyword(): string {
    const t = this.peek();
    if (t === undefined || t.quoted || "<>(),:".includes(t.text)) this.fail("expected a type name");
    this.index++;
    return t.text.toUpperCase();
  }

  private accept(text: string): boolean {
    const t = this.peek();
    if (t !== undefined && !t.quoted && t.text.toUpperCase() === text) {
      this.index++;
      return true;
    }
    return false;
  }

  expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected "${text}"`);
  }

  private integer(): number {
    const t = this.peek();
    if (t === undefined || !/^\d+$/.test(t.text)) this.fail("expected a number");
    this.index++;
    return Number(t.text);
  }

  /** `(n)` if present, else `fallback`. */
  private optionalSize(fallback: number): number {
    if (!this.accept("(")) return fallback;
    const n = this.integer();
    this.expect(")");
    return n;
  }

  identifier(): string {
    const t = this.peek();
    if (t === undefined || (!t.quoted && "<>(),:".includes(t.text))) this.fail("expected a field name");
    this.index++;
    return t.text;
  }

  parseType(): DataType {
    const type = this.parseBareType();
    if (this.accept("NOT")) {
      this.expect("NULL");
      return withNullability(type, false);
    }
    this.accept("NULL");
    return type;
  }

  private parseBareType(): DataType {
    const name = this.keyword();
    switch (name) {
      case "BOOLEAN":
      case "TINYINT":
      case "SMALLINT":
      case "INT":
      case "BIGINT":
      case "FLOAT":
      case "DOUBLE":
      case "DATE":
      case "VARIANT":
      case "BLOB":
        return { root: name, nullable: true };
      case "INTEGER":
        return DataTypes.INT();
      case "STRING":
        return DataTypes.STRING();
      case "BYTES":
        return DataTypes.BYTES();
      case "CHAR":
        return DataTypes.CHAR(this.optionalSize(1));
      case "VARCHAR":
        return DataTypes.VARCHAR(this.optionalSize(1));
      case "BINARY":
        return DataTypes.BINARY(this.optionalSize(1));
      case "VARBINARY":
        return DataTypes.VARBINARY(this.optionalSize(1));
      case "DEC":
      case "NUMERIC":
      case "DECIMAL": {
        let precision = 10;
        let scale = 0;
        if (this.accept("(")) {
          precision = this.integer();
          if (this.accept(",")) scale = this.integer();
          this.expect(")");
        }
        return DataTypes.DECIMAL(precision, scale);
      }
      case "TIME": {
        const p = this.optionalSize(0);
        if (this.accept("WITHOUT")) {
          this.expect("TIME");
          this.expect("ZONE");
        }
        return DataTypes.TIME(p);
      }
      case "TIMESTAMP": {
        const p = this.optionalSize(6);
        if (this.accept("WITH")) {
          this.expect("LOCAL");
          this.expect("TIME");
          this.expect("ZONE");
          return DataTypes.TIMESTAMP_LTZ(p);
        }
        if (this.accept("WITHOUT")) {
          this.expect("TIME");
          this.expect("ZONE");
        }
        return DataTypes.TIMESTAMP(p);
      }
      case "TIMESTAMP_LTZ":
        return DataTypes.TIMESTAMP_LTZ(this.optionalSize(6));
      case "ARRAY":
      case "MULTISET": {
        this.expect("<");
        const element = this.parseType();
        this.expect(">");
        return name === "ARRAY" ? DataTypes.ARRAY(element) : DataTypes.MULTISET(element);
      }
      case "VECTOR": {
        this.expect("<");
        const element = this.parseType();
        this.expect(",");
        const length = this.integer();
        this.expect(">");
        return DataTypes.VECTOR(element, length);
      }
      case "MAP": {
        this.expect("<");
        const key = this.parseType();
        this.expect(",");
        const value = this.parseType();
        this.expect(">");
        return DataTypes.MAP(key, value);
      }
      case "ROW": {
        let open = ">";
        if (!this.accept("<")) {
          this.expect("(");
          open = ")";
        }
        const fields: DataField[] = [];
        if (!this.accept(open)) {
          do {
            fields.push(this.parseField());
          } while (this.accept(","));
          this.expect(open);
        }
        return DataTypes.ROW(fields);
      }
      default:
        return this.fail(`unknown type ${name}`);
    }
  }

  /** `name [:] TYPE [COMMENT 'x']` — the id is taken before the nested type's ids. */
  parseField(): DataField {
    const name = this.identifier();
    this.accept(":");
    const id = this.nextId.value++;
    const type = this.parseType();
    return DataTypes.FIELD(id, name, type);
  }
}

/** Parses one type string. ROW field ids start at `firstFieldId` (default 0). */
export function parseDataType(input: string, firstFieldId = 0): DataType {
  const p = new TypeParser(input, { value: firstFieldId });
  const type = p.parseType();
  if (!p.atEnd()) p.expect("<end>");
  return type;
}

/** Parses `id BIGINT NOT NULL, name STRING, ...` into fields with ids from 0, depth-first. */
export function parseFieldList(input: string): DataField[] {
  const nextId = { value: 0 };
  const p = new TypeParser(input, nextId);
  const fields: DataField[] = [];
  if (p.atEnd()) throw dataInvalid("empty column list");
  fields.push(p.parseField());
  while (!p.atEnd()) {
    p.expect(",");
    fields.push(p.parseField());
  }
  return fields;
}

