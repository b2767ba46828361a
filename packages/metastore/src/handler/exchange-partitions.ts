/**
 * exchange_partition(s): moves the partitions matching a partial specification
 * from one table to another with the same columns and partition keys, as Apache
 * Hive's metastore does (HMSHandler.exchange_partitions): the partitions change
 * tables in one transaction, then their data directory moves from the source
 * table's location to the destination's (inside a local warehouse only).
 */
import { existsSync } from "node:fs";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { decodeStruct, encodeStruct } from "../codec.js";
import { decodePartition, loadTable, partitionKeyNames, partitionRow } from "../objects.js";
import { makePartitionName } from "../partition-names.js";
import { managedPathOf, moveDirectory } from "../warehouse-dirs.js";
import { PartitionCalls } from "./partitions.js";

const meta = (message: string) => new T.MetaException({ message });

/** Whether two column lists have the same names and types, in order (Hive compares case-insensitively). */
function sameColumns(a: H.FieldSchema[] | null | undefined, b: H.FieldSchema[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((c, i) => c.name?.toLowerCase() === y[i]?.name?.toLowerCase() && c.type?.toLowerCase() === y[i]?.type?.toLowerCase());
}

export class ExchangeCalls extends PartitionCalls {
  protected async exchange(spec: Record<string, string> | null, sourceDb: string, sourceTable: string, destDb: string, destTable: string): Promise<H.Partition[]> {
    if (!spec || !sourceDb || !sourceTable || !destDb || !destTable) {
      throw meta("The DB and table name for the source and destination tables, and the partition specs must not be null.");
    }
    let moves: { from: string; to: string } | undefined;
    // Hive answers every failure here, a missing table included, with MetaException.
    const moved = await this.run(["MetaException"], async (tx) => {
      const srcKey = this.tableKey(sourceDb, sourceTable);
      const dstKey = this.tableKey(destDb, destTable);
      if (srcKey.catalog !== dstKey.catalog) throw meta("You cannot move a partition across catalogs");
      const src = await loadTable(tx, srcKey);
      const dst = await loadTable(tx, dstKey);
      if (!sameColumns(src.sd?.cols, dst.sd?.cols) || !sameColumns(src.partitionKeys, dst.partitionKeys)) {
        throw meta("The tables have different schemas. Their partitions cannot be exchanged.");
      }
      const keys = partitionKeyNames(src);
      // Keys that are not partition keys are ignored, as Hive's MetaStoreUtils.getPvals does.
      const lowerSpec = new Map(Object.entries(spec).map(([k, v]) => [k.toLowerCase(), v]));
      const values = keys.map((k) => lowerSpec.get(k) ?? "");
      const present = keys.filter((_, i) => values[i] !== "");
      // The values must name a leading run of keys (year, or year and month, …): they
      // select one directory, which moves whole.
      if (present.length === 0 || present.some((k, i) => k !== keys[i])) {
        throw meta(`The partition specification ${JSON.stringify(spec)} must give values for the first partition keys of ${srcKey.table} (${keys.join(", ")}), in order`);
      }
      const rows = (await tx.getPartitions(srcKey)).filter((r) => {
        const v = decodePartition(r).values ?? [];
        return values.every((s, i) => s === "" || s === v[i]);
      });
      if (rows.length === 0) throw meta(`No partition is found with the values ${JSON.stringify(spec)} for the table ${srcKey.table}`);
      const existing = new Set(await tx.listPartitionNames(dstKey));
      for (const r of rows) if (existing.has(r.name)) throw meta(`The partition ${r.name} already exists in the table ${dstKey.table}`);
      const out: H.Partition[] = [];
      const dstBase = (dst.sd?.location ?? "").replace(/\/+$/, "");
      for (const r of rows) {
        const p = decodeStruct(T.Partition, encodeStruct(decodePartition(r)));
        p.dbName = dstKey.db;
        p.tableName = dstKey.table;
        p.catName = dstKey.catalog;
        if (p.sd) p.sd.location = dstBase === "" ? "" : `${dstBase}/${r.name}`;
        await tx.insertPartition(partitionRow(dstKey, r.name, p));
        await tx.deletePartition(srcKey, r.name);
        out.push(p);
      }
      await this.emit(tx, "ADD_PARTITION", dstKey.catalog, dstKey.db, dstKey.table, { partitions: rows.map((r) => r.name) });
      await this.emit(tx, "DROP_PARTITION", srcKey.catalog, srcKey.db, srcKey.table, { partitions: rows.map((r) => r.name) });
      // The directory of the specified prefix moves as one, as in Hive: src/<k1=v1/…> to dst/<k1=v1/…>.
      const prefix = makePartitionName(
        present,
        present.map((k) => values[keys.indexOf(k)]!),
      );
      const srcBase = (src.sd?.location ?? "").replace(/\/+$/, "");
      if (srcBase !== "" && dstBase !== "") {
        moves = { from: `${srcBase}/${prefix}`, to: `${dstBase}/${prefix}` };
        // Partitions kept elsewhere than under their table's directory cannot move with it (Hive fails the rename).
        const local = managedPathOf(moves.from, this.managedRoot);
        if (local !== undefined && !existsSync(local)) throw meta(`Unable to move the partition data: ${moves.from} does not exist`);
      }
      return out;
    });
    if (moves !== undefined) await moveDirectory(moves.from, moves.to, this.managedRoot);
    return moved;
  }

  async exchange_partition(partitionSpecs: Record<string, string>, source_db: string, source_table_name: string, dest_db: string, dest_table_name: string): Promise<H.Partition> {
    const moved = await this.exchange(partitionSpecs, source_db, source_table_name, dest_db, dest_table_name);
    return moved[0]!;
  }

  exchange_partitions(partitionSpecs: Record<string, string>, source_db: string, source_table_name: string, dest_db: string, dest_table_name: string): Promise<H.Partition[]> {
    return this.exchange(partitionSpecs, source_db, source_table_name, dest_db, dest_table_name);
  }
}
