/** Seeded random values of every writable type, for the writer tests. */
import { SeededRandom } from "@streamhouse/fileio";
import { type DataField, type DataType, DataTypes, type Row, type Value } from "@streamhouse/format";

const F = DataTypes.FIELD;

/** A table of every type the writer handles, nested ones included (ids 0…). */
export function allTypeFields(): DataField[] {
  return [
    F(0, "id", DataTypes.BIGINT(false)),
    F(1, "b", DataTypes.BOOLEAN()),
    F(2, "t", DataTypes.TINYINT()),
    F(3, "s", DataTypes.SMALLINT()),
    F(4, "i", DataTypes.INT()),
    F(5, "f", DataTypes.FLOAT()),
    F(6, "d", DataTypes.DOUBLE()),
    F(7, "str", DataTypes.STRING()),
    F(8, "ch", DataTypes.CHAR(5)),
    F(9, "bin", DataTypes.BYTES()),
    F(10, "dec9", DataTypes.DECIMAL(9, 2)),
    F(11, "dec18", DataTypes.DECIMAL(18, 4)),
    F(12, "dec38", DataTypes.DECIMAL(38, 10)),
    F(13, "date", DataTypes.DATE()),
    F(14, "time", DataTypes.TIME(3)),
    F(15, "ts3", DataTypes.TIMESTAMP(3)),
    F(16, "ts6", DataTypes.TIMESTAMP(6)),
    F(17, "ts9", DataTypes.TIMESTAMP(9)),
    F(18, "ltz3", DataTypes.TIMESTAMP_LTZ(3)),
    F(19, "ltz9", DataTypes.TIMESTAMP_LTZ(9)),
    F(20, "arr", DataTypes.ARRAY(DataTypes.INT())),
    F(21, "map", DataTypes.MAP(DataTypes.STRING(false), DataTypes.BIGINT())),
    F(22, "row", DataTypes.ROW([F(23, "x", DataTypes.INT()), F(24, "y", DataTypes.ARRAY(DataTypes.STRING()))])),
    F(25, "ms", DataTypes.MULTISET(DataTypes.STRING(false))),
  ];
}

export class RandomValues {
  readonly rnd: SeededRandom;
  constructor(readonly seed: number) {
    this.rnd = new SeededRandom(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd.nextFloat() * (hi - lo + 1));
  }

  string(maxLength = 24): string {
    const alphabet = ["a", "b", "z", "é", "中", "😀", "\uffff", " "];
    let s = "";
    const n = this.int(0, maxLength);
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }

  value(type: DataType, nullRate = 0.15): Value | null {
    if (type.nullable && this.rnd.nextFloat() < nullRate) return null;
    switch (type.root) {
      case "BOOLEAN":
        return this.rnd.nextFloat() < 0.5;
      case "TINYINT":
        return this.int(-128, 127);
      case "SMALLINT":
        return this.int(-32768, 32767);
      case "INT":
        return this.int(-2147483648, 2147483647);
      case "BIGINT":
        return BigInt(this.int(-1e9, 1e9)) * BigInt(this.int(-1e9, 1e9));
      case "FLOAT":
        return Math.fround((this.rnd.nextFloat() - 0.5) * 1e6);
      case "DOUBLE":
        return (this.rnd.nextFloat() - 0.5) * 1e12;
      case "CHAR":
      case "VARCHAR":
        return this.string();
      case "BINARY":
      case "VARBINARY":
        return Uint8Array.from({ length: this.int(0, 20) }, () => this.int(0, 255));
      case "DECIMAL": {
        let digits = "";
        const n = this.int(1, type.precision);
        for (let i = 0; i < n; i++) digits += String(this.int(0, 9));
        return { unscaled: BigInt(digits) * (this.rnd.nextFloat() < 0.5 ? -1n : 1n), precision: type.precision, scale: type.scale };
      }
      case "DATE":
        return this.int(-100_000, 100_000);
      case "TIME":
        return this.int(0, 86_399_999);
      case "TIMESTAMP":
      case "TIMESTAMP_LTZ": {
        const millis = this.int(-2e12, 4e12);
        const nanos = type.precision <= 3 ? 0 : type.precision <= 6 ? this.int(0, 999) * 1000 : this.int(0, 999_999);
        return { millis, nanoOfMillis: nanos };
      }
      case "ARRAY":
        return Array.from({ length: this.int(0, 4) }, () => this.value(type.element));
      case "MAP": {
        const keys = new Set<string>();
        const n = this.int(0, 3);
        for (let i = 0; i < n; i++) keys.add(this.string(6));
        return [...keys].map((k) => [k, this.value(type.value)] as const);
      }
      case "MULTISET": {
        const keys = new Set<string>();
        for (let i = 0; i < this.int(0, 3); i++) keys.add(this.string(6));
        return [...keys].map((k) => [k, this.int(1, 5)] as const);
      }
      case "ROW":
        return type.fields.map((f) => this.value(f.type));
      default:
        throw new Error(`no random values for ${type.root}`);
    }
  }

  row(fields: readonly DataField[], id: number): Row {
    return fields.map((f, i) => (i === 0 ? BigInt(id) : this.value(f.type)));
  }
}
