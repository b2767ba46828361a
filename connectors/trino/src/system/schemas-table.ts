/**
 * `t$schemas`: one row per schema version (the columns of Paimon's `SchemasTable`,
 * release 2.0.0): fields, keys and options as compact JSON text in the form the schema
 * files hold them, `update_time` as a TIMESTAMP(3) on a UTC wall clock.
 *
 * A range on `schema_id` is pushed down: only schema files inside it are read.
 */
import { DataTypes, dataFieldToJson, type Row, Timestamps } from "@streamhouse/format";
import type { FileStoreTable } from "@streamhouse/table";
import { checkConstraint, idInterval, idsWithin } from "./id-range.js";
import { decodeIdRangeSplit, idRangeSplit } from "./split-payload.js";
import type { SystemTable } from "./system-tables.js";

const F = DataTypes.FIELD;

export const SCHEMAS_COLUMNS = Object.freeze([
  F(0, "schema_id", DataTypes.BIGINT(false)),
  F(1, "fields", DataTypes.STRING(false)),
  F(2, "partition_keys", DataTypes.STRING(false)),
  F(3, "primary_keys", DataTypes.STRING(false)),
  F(4, "options", DataTypes.STRING(false)),
  F(5, "comment", DataTypes.STRING()),
  F(6, "update_time", DataTypes.TIMESTAMP(3, false)),
]);

export function openSchemasTable(table: FileStoreTable): SystemTable {
  return {
    columns: SCHEMAS_COLUMNS,
    async splits(constraint) {
      checkConstraint(constraint, SCHEMAS_COLUMNS, `${table.path}$schemas`);
      const ids = idsWithin(await table.schemas.listSchemaIds(), idInterval(constraint, "schema_id"));
      const first = ids[0];
      const last = ids[ids.length - 1];
      // Schema files are few and small: one split.
      return first === undefined || last === undefined ? [] : [idRangeSplit("schemas", first, last)];
    },
    async *rows(split) {
      const { from, to } = decodeIdRangeSplit("schemas", split);
      const ids = (await table.schemas.listSchemaIds()).filter((id) => id >= from && id <= to);
      for (const id of ids) {
        const s = await table.schemas.schema(id);
        const row: Row = [
          BigInt(s.id),
          JSON.stringify(s.fields.map(dataFieldToJson)),
          JSON.stringify(s.partitionKeys),
          JSON.stringify(s.primaryKeys),
          JSON.stringify(s.options),
          s.comment,
          Timestamps.fromMillis(s.timeMillis),
        ];
        yield row;
      }
    },
  };
}
