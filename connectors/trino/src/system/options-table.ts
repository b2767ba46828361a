/**
 * `t$options`: the options of the table's latest schema, one row per key, sorted by
 * key (Paimon's `OptionsTable`, release 2.0.0). The schema is listed afresh when the
 * split is read, so options set by an ALTER after the table was opened show. Options
 * given only for one session (dynamic options) are not table options and do not show.
 */
import { DataTypes, ErrorKind, type Row, StreamhouseError } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";
import { checkConstraint } from "./id-range.js";
import { splitFields } from "./split-payload.js";
import type { SystemTable } from "./system-tables.js";

const F = DataTypes.FIELD;

export const OPTIONS_COLUMNS = Object.freeze([F(0, "key", DataTypes.STRING(false)), F(1, "value", DataTypes.STRING(false))]);

export function openOptionsTable(table: FileStoreTable): SystemTable {
  return {
    columns: OPTIONS_COLUMNS,
    async splits(constraint) {
      checkConstraint(constraint, OPTIONS_COLUMNS, `${table.path}$options`);
      return [{ kind: "options" }];
    },
    async *rows(split) {
      splitFields("options", split);
      const schema = await table.schemas.latest();
      if (schema === null) throw new StreamhouseError(ErrorKind.NotFound, `no table at ${table.path} (it has no schema)`, { context: { table: table.path } });
      const keys = Object.keys(schema.options).sort();
      for (const key of keys) {
        const row: Row = [key, schema.options[key]!];
        yield row;
      }
    },
  };
}
