/** Column statistics of tables and partitions. */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { decodeStruct, encodeStruct } from "../codec.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { normalizeName } from "../names.js";
import {
  invalid,
  loadTable,
  notFound,
  partitionKeyNames,
} from "../objects.js";
import { makePartitionName, partitionValuesFromName } from "../partition-names.js";
import type { StoreTx } from "../store/store.js";
import { Declared as D } from "../thrift-errors.js";
import { ExchangeCalls } from "./exchange-partitions.js";

export class StatisticsCalls extends ExchangeCalls {

  protected async putStats(tx: StoreTx, stats: H.ColumnStatistics, engineDefault: string): Promise<void> {
    const desc = stats?.statsDesc;
    if (!desc) throw invalid("column statistics without a description");
    const key = this.tableKey(desc.dbName, desc.tableName, desc.catName);
    const table = await loadTable(tx, key);
    let partition = "";
    if (!desc.isTblLevel) {
      const keys = partitionKeyNames(table);
      partition = makePartitionName(keys, partitionValuesFromName(keys, desc.partName ?? ""));
      if ((await tx.getPartitions(key, [partition])).length === 0) throw notFound("partition", `Partition ${partition} does not exist`);
    }
    const columns = new Set([...(table.sd?.cols ?? []), ...(table.partitionKeys ?? [])].map((c) => c.name.toLowerCase()));
    const engine = stats.engine || engineDefault || "hive";
    for (const obj of stats.statsObj ?? []) {
      const column = normalizeName(obj.colName);
      if (!columns.has(column)) throw invalid(`column ${obj.colName} is not in table ${key.db}.${key.table}`);
      await tx.putColumnStats({ ...key, partition, column, engine, body: encodeStruct(obj) });
    }
  }

  update_table_column_statistics(stats_obj: H.ColumnStatistics): Promise<boolean> {
    return this.run(D.statsUpdate, async (tx) => {
      await this.putStats(tx, stats_obj, "hive");
      return true;
    });
  }
  update_partition_column_statistics(stats_obj: H.ColumnStatistics): Promise<boolean> {
    return this.update_table_column_statistics(stats_obj);
  }
  update_table_column_statistics_req(req: H.SetPartitionsStatsRequest): Promise<H.SetPartitionsStatsResponse> {
    return this.run(D.statsUpdate, async (tx) => {
      for (const s of req?.colStats ?? []) await this.putStats(tx, s, req.engine);
      return new T.SetPartitionsStatsResponse({ result: true });
    });
  }
  update_partition_column_statistics_req(req: H.SetPartitionsStatsRequest): Promise<H.SetPartitionsStatsResponse> {
    return this.update_table_column_statistics_req(req);
  }

  protected readStats(db: string, tbl: string, partName: string | undefined, col: string): Promise<H.ColumnStatistics> {
    return this.withTable(D.statsRead, db, tbl, undefined, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const partition = partName === undefined ? "" : makePartitionName(keys, partitionValuesFromName(keys, partName));
      const rows = await tx.getColumnStats(key, partition, [normalizeName(col)]);
      if (rows.length === 0) throw notFound("statistics", `Statistics for column ${col} of ${key.db}.${key.table} do not exist`);
      const desc = new T.ColumnStatisticsDesc({ isTblLevel: partName === undefined, dbName: key.db, tableName: key.table });
      if (partName !== undefined) desc.partName = partition;
      desc.catName = key.catalog;
      const stats = new T.ColumnStatistics({ statsDesc: desc, statsObj: rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body)) });
      stats.engine = rows[0]!.engine;
      return stats;
    });
  }

  get_table_column_statistics(db_name: string, tbl_name: string, col_name: string): Promise<H.ColumnStatistics> {
    return this.readStats(db_name, tbl_name, undefined, col_name);
  }
  get_partition_column_statistics(db_name: string, tbl_name: string, part_name: string, col_name: string): Promise<H.ColumnStatistics> {
    return this.readStats(db_name, tbl_name, part_name ?? "", col_name);
  }
  get_table_statistics_req(request: H.TableStatsRequest): Promise<H.TableStatsResult> {
    return this.withTable(D.read, request?.dbName ?? "", request?.tblName ?? "", request?.catName, async (tx, key) => {
      const rows = await tx.getColumnStats(key, "", (request.colNames ?? []).map(normalizeName), request.engine || undefined);
      return new T.TableStatsResult({ tableStats: rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body)) });
    });
  }
  get_partitions_statistics_req(request: H.PartitionsStatsRequest): Promise<H.PartitionsStatsResult> {
    return this.withTable(D.read, request?.dbName ?? "", request?.tblName ?? "", request?.catName, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const partStats: Record<string, H.ColumnStatisticsObj[]> = {};
      for (const given of request.partNames ?? []) {
        const name = makePartitionName(keys, partitionValuesFromName(keys, given));
        const rows = await tx.getColumnStats(key, name, (request.colNames ?? []).map(normalizeName), request.engine || undefined);
        if (rows.length > 0) partStats[given] = rows.map((r) => decodeStruct(T.ColumnStatisticsObj, r.body));
      }
      return new T.PartitionsStatsResult({ partStats });
    });
  }
  delete_partition_column_statistics(db_name: string, tbl_name: string, part_name: string, col_name: string, engine: string): Promise<boolean> {
    return this.withTable(D.statsRead, db_name, tbl_name, undefined, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      const name = makePartitionName(keys, partitionValuesFromName(keys, part_name ?? ""));
      await tx.deleteColumnStats(key, name, col_name ? normalizeName(col_name) : undefined, engine || undefined);
      return true;
    });
  }
  delete_table_column_statistics(db_name: string, tbl_name: string, col_name: string, engine: string): Promise<boolean> {
    return this.withTable(D.statsRead, db_name, tbl_name, undefined, async (tx, key) => {
      await tx.deleteColumnStats(key, "", col_name ? normalizeName(col_name) : undefined, engine || undefined);
      return true;
    });
  }
}
