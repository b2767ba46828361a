/** Partitions: add, append, read by values, names, filters and as PartitionSpecs, drop, alter. */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { decodeStruct, encodeStruct } from "../codec.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import {
  DDL_TIME,
  decodePartition,
  decodeTable,
  i64ToBigInt,
  invalid,
  limitOf,
  loadTable,
  notFound,
  nowSeconds,
  partitionKeyNames,
  partitionRow,
  partitionStorage,
} from "../objects.js";
import { compilePartitionFilter } from "../partition-filter.js";
import { partitionValueRows } from "../partition-values.js";
import { makePartitionName, parsePartitionName, partitionValuesFromName } from "../partition-names.js";
import type { StoreTx, TableKey } from "../store/store.js";
import { type DeclaredExceptions, Declared as D, toThriftError } from "../thrift-errors.js";
import { normalizeName } from "../names.js";
import { moveDirectory } from "../warehouse-dirs.js";
import { TableCalls } from "./tables.js";
import { type Env, ownsData } from "./core.js";

export class PartitionCalls extends TableCalls {

  /** Builds the stored form of a new partition of `table`. */
  protected newPartition(key: TableKey, table: H.Table, given: H.Partition): { name: string; partition: H.Partition } {
    const keys = partitionKeyNames(table);
    // Hive answers a partition that does not fit its table's keys with MetaException.
    if (keys.length === 0) throw new T.MetaException({ message: `table ${key.db}.${key.table} is not partitioned` });
    const values = given.values ?? [];
    if (values.length !== keys.length || values.some((v) => v == null)) {
      throw new T.MetaException({ message: `partition has ${values.length} values for ${keys.length} partition keys (${keys.join(", ")}) of ${key.db}.${key.table}` });
    }
    const name = makePartitionName(keys, values);
    const p = decodeStruct(T.Partition, encodeStruct(given));
    p.values = values;
    p.dbName = key.db;
    p.tableName = key.table;
    p.catName = key.catalog;
    p.sd = partitionStorage(table, given.sd, name);
    p.parameters = p.parameters ?? {};
    // The server sets the creation time, whatever the client sent (as Hive does).
    const now = nowSeconds(this.now());
    p.createTime = now;
    if (p.parameters[DDL_TIME] === undefined) p.parameters[DDL_TIME] = String(now);
    return { name, partition: p };
  }

  /** Adds partitions atomically; existing ones fail the call unless `ifNotExists`. */
  protected addPartitions(parts: H.Partition[], ifNotExists: boolean, dbName?: string, tblName?: string, catalog?: string | null): Promise<H.Partition[]> {
    return this.run(D.addPartition, async (tx) => {
      const added: H.Partition[] = [];
      const tables = new Map<string, { key: TableKey; table: H.Table }>();
      const named = new Set<string>();
      for (const given of parts ?? []) {
        if (!given) throw invalid("null partition");
        const key = this.tableKey(given.dbName || dbName || "", given.tableName || tblName || "", given.catName || catalog);
        const id = `${key.catalog}\u0000${key.db}\u0000${key.table}`;
        let entry = tables.get(id);
        if (entry === undefined) {
          const row = await tx.getTable(key);
          if (row === undefined) throw invalid(`Unable to add partition because table or database do not exist: ${key.db}.${key.table}`);
          entry = { key, table: decodeTable(row) };
          tables.set(id, entry);
        }
        const { name, partition } = this.newPartition(entry.key, entry.table, given);
        if (named.has(`${id}\u0000${name}`)) throw new T.MetaException({ message: `Duplicate partitions in the list: ${name}` });
        named.add(`${id}\u0000${name}`);
        if (ifNotExists && (await tx.getPartitions(entry.key, [name])).length > 0) continue;
        await tx.insertPartition(partitionRow(entry.key, name, partition));
        await this.makeDirectory(partition.sd?.location);
        await this.emit(tx, "ADD_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
        added.push(partition);
      }
      return added;
    });
  }

  async add_partition(new_part: H.Partition): Promise<H.Partition> {
    return (await this.addPartitions([new_part], false))[0]!;
  }
  async add_partition_with_environment_context(new_part: H.Partition, _env: Env): Promise<H.Partition> {
    return (await this.addPartitions([new_part], false))[0]!;
  }
  async add_partitions(new_parts: H.Partition[]): Promise<number> {
    return (await this.addPartitions(new_parts, false)).length;
  }
  async add_partitions_req(request: H.AddPartitionsRequest): Promise<H.AddPartitionsResult> {
    const added = await this.addPartitions(request?.parts ?? [], request?.ifNotExists ?? false, request?.dbName, request?.tblName, request?.catName);
    const result = new T.AddPartitionsResult();
    if (request?.needResult !== false) result.partitions = added;
    return result;
  }

  /**
   * Hive's add_partitions_pspec: partitions described by PartitionSpecs, either as a
   * list of whole partitions or as partitions sharing one storage descriptor, each
   * at the shared location plus its relativePath (Hive's PartitionSpecWithSharedSDProxy).
   */
  async add_partitions_pspec(new_parts: H.PartitionSpec[]): Promise<number> {
    const parts: H.Partition[] = [];
    for (const spec of new_parts ?? []) {
      if (!spec) throw toThriftError(invalid("null partition spec"), D.addPartition);
      for (const given of spec.partitionList?.partitions ?? []) {
        if (!given) throw toThriftError(invalid("null partition"), D.addPartition);
        const p = decodeStruct(T.Partition, encodeStruct(given));
        p.dbName = given.dbName || spec.dbName;
        p.tableName = given.tableName || spec.tableName;
        if (spec.catName) p.catName = given.catName || spec.catName;
        parts.push(p);
      }
      const shared = spec.sharedSDPartitionSpec;
      for (const w of shared?.partitions ?? []) {
        if (!w) throw toThriftError(invalid("null partition"), D.addPartition);
        const sd = shared?.sd ? decodeStruct(T.StorageDescriptor, encodeStruct(shared.sd)) : undefined;
        // Hive concatenates the two as Java strings: a missing relativePath reads "null".
        if (sd) sd.location = `${sd.location ?? ""}${w.relativePath ?? "null"}`;
        const p = new T.Partition({ values: w.values, dbName: spec.dbName, tableName: spec.tableName, createTime: w.createTime, lastAccessTime: w.lastAccessTime, parameters: w.parameters } as never);
        if (sd) p.sd = sd;
        if (w.privileges) p.privileges = w.privileges;
        if (spec.catName) p.catName = spec.catName;
        parts.push(p);
      }
    }
    const first = new_parts?.[0];
    // The target table must exist before anything else is judged (InvalidObjectException).
    // A spec without names is a bad request (MetaException), as in Hive.
    if (first && (first.dbName == null || first.tableName == null)) throw new T.MetaException({ message: "The partition spec must name its database and table" });
    if (first) {
      await this.run(D.addPartition, async (tx) => {
        const row = first.dbName && first.tableName ? await tx.getTable(this.tableKey(first.dbName, first.tableName, first.catName)) : undefined;
        if (row === undefined) throw invalid(`Unable to add partitions because table or database do not exist: ${first.dbName}.${first.tableName}`);
      });
    }
    for (const p of parts) {
      if (!p.dbName || !p.tableName) throw new T.MetaException({ message: "The database and table name must be set in the partition spec" });
      if (normalizeName(p.dbName) !== normalizeName(first?.dbName) || normalizeName(p.tableName) !== normalizeName(first?.tableName)) {
        throw new T.MetaException({ message: `Partition does not belong to target table ${first?.dbName}.${first?.tableName}` });
      }
    }
    return (await this.addPartitions(parts, false, first?.dbName, first?.tableName, first?.catName)).length;
  }

  protected async appendPartition(db_name: string, tbl_name: string, values: string[], catalog?: string | null): Promise<H.Partition> {
    const p = new T.Partition({ values, dbName: db_name, tableName: tbl_name } as never);
    if (catalog) p.catName = catalog;
    return (await this.addPartitions([p], false))[0]!;
  }

  /** Hive 4.1's append: by values (partVals) or by name. */
  append_partition_req(appendPartitionsReq: H.AppendPartitionsRequest): Promise<H.Partition> {
    const req = appendPartitionsReq;
    if (req?.partVals != null) return this.appendPartition(req.dbName ?? "", req.tableName ?? "", req.partVals, req.catalogName);
    if (req?.name != null) return this.append_partition_by_name(req.dbName ?? "", req.tableName ?? "", req.name, req.catalogName);
    return Promise.reject(new T.MetaException({ message: "append_partition_req needs partVals or a name" }));
  }

  append_partition(db_name: string, tbl_name: string, part_vals: string[]): Promise<H.Partition> {
    return this.appendPartition(db_name, tbl_name, part_vals ?? []);
  }
  append_partition_with_environment_context(db_name: string, tbl_name: string, part_vals: string[], _env: Env): Promise<H.Partition> {
    return this.appendPartition(db_name, tbl_name, part_vals ?? []);
  }
  async append_partition_by_name(db_name: string, tbl_name: string, part_name: string, catalog?: string | null): Promise<H.Partition> {
    let values: string[];
    try {
      values = parsePartitionName(part_name ?? "").map(([, v]) => v);
    } catch (e) {
      throw toThriftError(e, D.addPartition);
    }
    return this.appendPartition(db_name, tbl_name, values, catalog);
  }
  append_partition_by_name_with_environment_context(db_name: string, tbl_name: string, part_name: string, _env: Env): Promise<H.Partition> {
    return this.append_partition_by_name(db_name, tbl_name, part_name);
  }

  /** Runs `fn` with the table's key, the table, and a helper naming partitions by values. */
  protected withTable<R>(
    declared: DeclaredExceptions,
    dbName: string,
    tblName: string,
    catalog: string | null | undefined,
    fn: (tx: StoreTx, key: TableKey, table: H.Table) => Promise<R>,
  ): Promise<R> {
    return this.run(declared, async (tx) => {
      // Hive: a null name is a bad request (MetaException); an empty one names nothing there is.
      if (dbName == null || tblName == null) throw new T.MetaException({ message: "The database and table names must be set" });
      if (dbName === "") throw notFound("database", "Database name is empty");
      const key = this.tableKey(dbName, tblName, catalog);
      return fn(tx, key, await loadTable(tx, key));
    });
  }

  protected async partitionsMatching(tx: StoreTx, key: TableKey, test: (values: readonly string[]) => boolean, max: number | null | undefined) {
    const limit = limitOf(max);
    const out: H.Partition[] = [];
    for (const row of await tx.getPartitions(key)) {
      if (out.length >= limit) break;
      const p = decodePartition(row);
      if (test(p.values ?? [])) out.push(p);
    }
    return out;
  }

  protected getPartition(db: string, tbl: string, values: string[] | null, catalog?: string | null): Promise<H.Partition> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      const name = makePartitionName(partitionKeyNames(table), values ?? []);
      const row = (await tx.getPartitions(key, [name]))[0];
      if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
      return decodePartition(row);
    });
  }

  get_partition(db_name: string, tbl_name: string, part_vals: string[]): Promise<H.Partition> {
    return this.getPartition(db_name, tbl_name, part_vals);
  }
  async get_partition_req(req: H.GetPartitionRequest): Promise<H.GetPartitionResponse> {
    return new T.GetPartitionResponse({ partition: await this.getPartition(req?.dbName ?? "", req?.tblName ?? "", req?.partVals, req?.catName) });
  }
  get_partition_with_auth(db_name: string, tbl_name: string, part_vals: string[], _user: string, _groups: string[]): Promise<H.Partition> {
    return this.getPartition(db_name, tbl_name, part_vals);
  }
  get_partition_by_name(db_name: string, tbl_name: string, part_name: string): Promise<H.Partition> {
    return this.withTable(D.read, db_name, tbl_name, undefined, async (tx, key, table) => {
      const values = valuesOfName(table, part_name);
      const name = makePartitionName(partitionKeyNames(table), values);
      const row = (await tx.getPartitions(key, [name]))[0];
      if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
      return decodePartition(row);
    });
  }

  protected allPartitions(db: string, tbl: string, max: number | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, (tx, key) => this.partitionsMatching(tx, key, () => true, max));
  }

  /**
   * Partitions as PartitionSpecs: one spec listing them whole, rooted at the table's
   * location — what Hive answers unless the table asks for grouping by storage
   * descriptor (hive.hcatalog.partition.spec.grouping.enabled), which readers of
   * either form handle.
   */
  protected async asSpecs(db: string, tbl: string, read: () => Promise<H.Partition[]>, catalog?: string | null): Promise<H.PartitionSpec[]> {
    const partitions = await read();
    const table = await this.run(D.read, (tx) => loadTable(tx, this.tableKey(db, tbl, catalog)));
    const spec = new T.PartitionSpec({
      dbName: table.dbName,
      tableName: table.tableName,
      rootPath: table.sd?.location ?? "",
      partitionList: new T.PartitionListComposingSpec({ partitions }),
    });
    spec.catName = table.catName ?? this.tableKey(db, tbl, catalog).catalog;
    return [spec];
  }
  get_partitions_pspec(db_name: string, tbl_name: string, max_parts: number): Promise<H.PartitionSpec[]> {
    return this.asSpecs(db_name, tbl_name, () => this.allPartitions(db_name, tbl_name, max_parts));
  }
  get_part_specs_by_filter(db_name: string, tbl_name: string, filter: string, max_parts: number): Promise<H.PartitionSpec[]> {
    return this.asSpecs(db_name, tbl_name, () => this.byFilter(db_name, tbl_name, filter, max_parts));
  }

  /** Hive answers every failure here, a missing table included, with MetaException. */
  get_partition_values(request: H.PartitionValuesRequest): Promise<H.PartitionValuesResponse> {
    return this.run(["MetaException"], async (tx) => {
      const key = this.tableKey(request?.dbName ?? "", request?.tblName ?? "", request?.catName);
      const table = await loadTable(tx, key);
      const values = (await tx.getPartitions(key)).map((r) => decodePartition(r).values ?? []);
      const rows = partitionValueRows(partitionKeyNames(table), values, {
        columns: (request?.partitionKeys ?? []).map((k) => k.name),
        distinct: request?.applyDistinct !== false,
        orderBy: (request?.partitionOrder ?? []).map((k) => k.name),
        ascending: request?.ascending !== false,
        max: Number(i64ToBigInt(request?.maxParts) ?? -1n),
      });
      return new T.PartitionValuesResponse({ partitionValues: rows.map((row) => new T.PartitionValuesRow({ row })) });
    });
  }

  get_partitions(db_name: string, tbl_name: string, max_parts: number): Promise<H.Partition[]> {
    return this.allPartitions(db_name, tbl_name, max_parts);
  }
  async get_partitions_req(req: H.PartitionsRequest): Promise<H.PartitionsResponse> {
    return new T.PartitionsResponse({ partitions: await this.allPartitions(req?.dbName ?? "", req?.tblName ?? "", req?.maxParts, req?.catName) });
  }
  get_partitions_with_auth(db_name: string, tbl_name: string, max_parts: number, _user: string, _groups: string[]): Promise<H.Partition[]> {
    return this.allPartitions(db_name, tbl_name, max_parts);
  }

  protected partitionNames(db: string, tbl: string, max: number | null | undefined, catalog?: string | null): Promise<string[]> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key) => (await tx.listPartitionNames(key)).slice(0, limitOf(max)));
  }
  get_partition_names(db_name: string, tbl_name: string, max_parts: number): Promise<string[]> {
    return this.partitionNames(db_name, tbl_name, max_parts);
  }
  fetch_partition_names_req(req: H.PartitionsRequest): Promise<string[]> {
    return this.partitionNames(req?.dbName ?? "", req?.tblName ?? "", req?.maxParts, req?.catName);
  }

  /** Partial specifications: an empty value (or a missing trailing one) matches anything. */
  protected byPartialSpec(values: string[] | null | undefined): (v: readonly string[]) => boolean {
    const spec = values ?? [];
    return (v) => spec.every((s, i) => s === "" || s === v[i]);
  }

  /** `all`: a request without values (the _req forms) means every partition. */
  protected partitionsPs(db: string, tbl: string, vals: string[] | null | undefined, max: number | null | undefined, declared: DeclaredExceptions, catalog?: string | null, all = false) {
    return this.withTable(declared, db, tbl, catalog, (tx, key, table) => {
      if (!(all && vals == null)) checkPartialSpec(vals, table);
      return this.partitionsMatching(tx, key, this.byPartialSpec(vals), max);
    });
  }

  get_partitions_ps(db_name: string, tbl_name: string, part_vals: string[], max_parts: number): Promise<H.Partition[]> {
    return this.partitionsPs(db_name, tbl_name, part_vals, max_parts, D.read);
  }
  get_partitions_ps_with_auth(db_name: string, tbl_name: string, part_vals: string[], max_parts: number, _user: string, _groups: string[]): Promise<H.Partition[]> {
    return this.partitionsPs(db_name, tbl_name, part_vals, max_parts, D.read);
  }
  async get_partitions_ps_with_auth_req(req: H.GetPartitionsPsWithAuthRequest): Promise<H.GetPartitionsPsWithAuthResponse> {
    const partitions = await this.partitionsPs(req?.dbName ?? "", req?.tblName ?? "", req?.partVals, req?.maxParts, D.read, req?.catName, true);
    return new T.GetPartitionsPsWithAuthResponse({ partitions });
  }
  protected async partitionNamesPs(db: string, tbl: string, vals: string[] | null | undefined, max: number | null | undefined, catalog?: string | null, all = false) {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      if (!(all && vals == null)) checkPartialSpec(vals, table);
      const keys = partitionKeyNames(table);
      return (await this.partitionsMatching(tx, key, this.byPartialSpec(vals), max)).map((p) => makePartitionName(keys, p.values ?? []));
    });
  }
  get_partition_names_ps(db_name: string, tbl_name: string, part_vals: string[], max_parts: number): Promise<string[]> {
    return this.partitionNamesPs(db_name, tbl_name, part_vals, max_parts);
  }
  async get_partition_names_ps_req(req: H.GetPartitionNamesPsRequest): Promise<H.GetPartitionNamesPsResponse> {
    return new T.GetPartitionNamesPsResponse({ names: await this.partitionNamesPs(req?.dbName ?? "", req?.tblName ?? "", req?.partValues, req?.maxParts, req?.catName, true) });
  }

  protected byFilter(db: string, tbl: string, filter: string, max: number | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, (tx, key, table) => {
      const test = compilePartitionFilter(filter ?? "", (table.partitionKeys ?? []).map((k) => ({ name: k.name, type: k.type })));
      return this.partitionsMatching(tx, key, test, max);
    });
  }

  get_partitions_by_filter(db_name: string, tbl_name: string, filter: string, max_parts: number): Promise<H.Partition[]> {
    return this.byFilter(db_name, tbl_name, filter, max_parts);
  }
  get_partitions_by_filter_req(req: H.GetPartitionsByFilterRequest): Promise<H.Partition[]> {
    return this.byFilter(req?.dbName ?? "", req?.tblName ?? "", req?.filter ?? "", req?.maxParts, req?.catName);
  }
  async get_num_partitions_by_filter(db_name: string, tbl_name: string, filter: string): Promise<number> {
    return (await this.byFilter(db_name, tbl_name, filter, -1)).length;
  }

  protected byNames(db: string, tbl: string, names: string[] | null | undefined, catalog?: string | null): Promise<H.Partition[]> {
    return this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      // Re-render each name so that differently escaped spellings find the stored one.
      const canonical = (names ?? []).map((n) => makePartitionName(keys, partitionValuesFromName(keys, n)));
      return (await tx.getPartitions(key, [...new Set(canonical)])).map(decodePartition);
    });
  }

  get_partitions_by_names(db_name: string, tbl_name: string, names: string[]): Promise<H.Partition[]> {
    return this.byNames(db_name, tbl_name, names);
  }
  async get_partitions_by_names_req(req: H.GetPartitionsByNamesRequest): Promise<H.GetPartitionsByNamesResult> {
    return new T.GetPartitionsByNamesResult({ partitions: await this.byNames(req?.db_name ?? "", req?.tbl_name ?? "", req?.names) });
  }

  protected async dropPartitionsNamed(
    db: string,
    tbl: string,
    names: (table: H.Table) => string[],
    ifExists: boolean,
    deleteData: boolean,
    catalog?: string | null,
  ): Promise<H.Partition[]> {
    let owned = false;
    const dropped = await this.withTable(D.read, db, tbl, catalog, async (tx, key, table) => {
      owned = ownsData(table);
      const dropped: H.Partition[] = [];
      for (const name of names(table)) {
        const row = (await tx.getPartitions(key, [name]))[0];
        if (row === undefined) {
          if (ifExists) continue;
          throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist`);
        }
        await tx.deletePartition(key, name);
        await this.emit(tx, "DROP_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
        dropped.push(decodePartition(row));
      }
      return dropped;
    });
    if (deleteData && owned) await this.deleteData(dropped.flatMap((p) => (p.sd?.location ? [p.sd.location] : [])));
    return dropped;
  }

  async drop_partition(db_name: string, tbl_name: string, part_vals: string[], deleteData: boolean): Promise<boolean> {
    await this.dropPartitionsNamed(db_name, tbl_name, (t) => [makePartitionName(partitionKeyNames(t), part_vals ?? [])], false, deleteData);
    return true;
  }
  async drop_partition_with_environment_context(db_name: string, tbl_name: string, part_vals: string[], deleteData: boolean, _env: Env): Promise<boolean> {
    await this.dropPartitionsNamed(db_name, tbl_name, (t) => [makePartitionName(partitionKeyNames(t), part_vals ?? [])], false, deleteData);
    return true;
  }
  async drop_partition_by_name(db_name: string, tbl_name: string, part_name: string, deleteData: boolean): Promise<boolean> {
    await this.dropPartitionsNamed(
      db_name,
      tbl_name,
      (t) => [makePartitionName(partitionKeyNames(t), valuesOfName(t, part_name))],
      false,
      deleteData,
    );
    return true;
  }
  drop_partition_by_name_with_environment_context(db_name: string, tbl_name: string, part_name: string, deleteData: boolean, _env: Env): Promise<boolean> {
    return this.drop_partition_by_name(db_name, tbl_name, part_name, deleteData);
  }
  /** Hive 4's drop_partition: by name (partName) or by values (partVals); deleteData defaults to false. */
  async drop_partition_req(req: H.DropPartitionRequest): Promise<boolean> {
    const { partName, partVals } = req ?? {};
    if (partName == null && partVals == null) {
      throw toThriftError(new StreamhouseError(ErrorKind.InvalidArgument, "drop_partition_req needs partName or partVals"), D.read);
    }
    await this.dropPartitionsNamed(
      req?.dbName ?? "",
      req?.tblName ?? "",
      (t) => {
        const keys = partitionKeyNames(t);
        return [makePartitionName(keys, partVals ?? partitionValuesFromName(keys, partName ?? ""))];
      },
      false,
      req?.deleteData === true,
      req?.catName,
    );
    return true;
  }
  async drop_partitions_req(req: H.DropPartitionsRequest): Promise<H.DropPartitionsResult> {
    if (req?.parts?.exprs) {
      throw toThriftError(new StreamhouseError(ErrorKind.Unsupported, "dropping partitions by serialized expression is not supported"), D.read);
    }
    const names = req?.parts?.names ?? [];
    const dropped = await this.dropPartitionsNamed(
      req?.dbName ?? "",
      req?.tblName ?? "",
      (t) => names.map((n) => makePartitionName(partitionKeyNames(t), partitionValuesFromName(partitionKeyNames(t), n))),
      req?.ifExists !== false,
      req?.deleteData !== false,
      req?.catName,
    );
    const result = new T.DropPartitionsResult();
    if (req?.needResult !== false) result.partitions = dropped;
    return result;
  }

  /** Replaces existing partitions (identified by their values), atomically. */
  protected alterPartitions(db: string, tbl: string, parts: H.Partition[] | null | undefined, catalog?: string | null): Promise<void> {
    return this.withTable(D.alter, db, tbl, catalog, async (tx, key, table) => {
      const keys = partitionKeyNames(table);
      for (const given of parts ?? []) {
        if (!given) throw invalid("null partition");
        // Hive refuses an alter that would move a partition to another table or database.
        if ((given.dbName && normalizeName(given.dbName) !== key.db) || (given.tableName && normalizeName(given.tableName) !== key.table)) {
          throw new T.MetaException({ message: `Partition ${given.dbName}.${given.tableName} does not belong to table ${key.db}.${key.table}` });
        }
        if ((given.values ?? []).length !== keys.length) throw new T.MetaException({ message: `partition has ${(given.values ?? []).length} values for ${keys.length} partition keys` });
        const name = makePartitionName(keys, given.values ?? []);
        const row = (await tx.getPartitions(key, [name]))[0];
        if (row === undefined) throw notFound("partition", `Partition ${name} of ${key.db}.${key.table} does not exist; alter is not possible`);
        const old = decodePartition(row);
        const p = decodeStruct(T.Partition, encodeStruct(given));
        p.dbName = key.db;
        p.tableName = key.table;
        p.catName = key.catalog;
        p.createTime = old.createTime;
        p.sd = p.sd ?? old.sd;
        p.parameters = p.parameters ?? {};
        p.parameters[DDL_TIME] = String(nowSeconds(this.now()));
        await tx.updatePartition(partitionRow(key, name, p));
        await this.emit(tx, "ALTER_PARTITION", key.catalog, key.db, key.table, { partitions: [name] });
      }
    });
  }

  /**
   * Gives the partition `partVals` the values of `newPart` (its other fields too). Its
   * data directory moves along when it sat at the table's default place for it.
   * Without old values it is an alter_partition, as in Hive.
   */
  protected async renamePartition(dbName: string, tblName: string, partVals: string[] | null | undefined, newPart: H.Partition, catalog?: string | null): Promise<void> {
    if (!partVals || partVals.length === 0) return this.alterPartitions(dbName, tblName, [newPart], catalog);
    let move: { from: string; to: string } | undefined;
    await this.run(D.alter, async (tx) => {
      if (!dbName || !tblName) throw new T.InvalidOperationException({ message: "The database and table names must be set" });
      if (!newPart) throw new T.MetaException({ message: "no new partition given" });
      const key = this.tableKey(dbName, tblName, catalog);
      const row = await tx.getTable(key);
      if (row === undefined) throw new T.InvalidOperationException({ message: `Table ${key.db}.${key.table} does not exist` });
      const table = decodeTable(row);
      if (normalizeName(newPart.dbName) !== key.db || normalizeName(newPart.tableName) !== key.table) {
        throw new T.MetaException({ message: `The new partition must belong to ${key.db}.${key.table}` });
      }
      const keys = partitionKeyNames(table);
      if (partVals.length !== keys.length || (newPart.values ?? []).length !== keys.length) {
        throw new T.MetaException({ message: `a partition of ${key.db}.${key.table} has ${keys.length} values` });
      }
      const from = makePartitionName(keys, partVals);
      const to = makePartitionName(keys, newPart.values ?? []);
      const old = (await tx.getPartitions(key, [from]))[0];
      if (old === undefined) throw new T.InvalidOperationException({ message: `Partition ${from} of ${key.db}.${key.table} does not exist; rename is not possible` });
      if (from !== to && (await tx.getPartitions(key, [to])).length > 0) {
        throw new T.InvalidOperationException({ message: `Unable to rename partition ${from}: partition ${to} already exists` });
      }
      const before = decodePartition(old);
      const p = decodeStruct(T.Partition, encodeStruct(newPart));
      p.dbName = key.db;
      p.tableName = key.table;
      p.catName = key.catalog;
      p.createTime = before.createTime;
      p.sd = p.sd ?? before.sd;
      const base = (table.sd?.location ?? "").replace(/\/+$/, "");
      if (base !== "" && before.sd?.location === `${base}/${from}` && p.sd) {
        p.sd.location = `${base}/${to}`;
        move = { from: `${base}/${from}`, to: p.sd.location };
      }
      p.parameters = p.parameters ?? {};
      p.parameters[DDL_TIME] = String(nowSeconds(this.now()));
      await tx.renamePartition(key, from, partitionRow(key, to, p));
      await this.emit(tx, "ALTER_PARTITION", key.catalog, key.db, key.table, { partitions: [to], renamedFrom: from });
    });
    if (move !== undefined && move.from !== move.to) await moveDirectory(move.from, move.to, this.managedRoot);
  }
  rename_partition(db_name: string, tbl_name: string, part_vals: string[], new_part: H.Partition): Promise<void> {
    return this.renamePartition(db_name, tbl_name, part_vals, new_part);
  }
  async rename_partition_req(req: H.RenamePartitionRequest): Promise<H.RenamePartitionResponse> {
    await this.renamePartition(req?.dbName ?? "", req?.tableName ?? "", req?.partVals, req?.newPart, req?.catName);
    return new T.RenamePartitionResponse();
  }

  alter_partition(db_name: string, tbl_name: string, new_part: H.Partition): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, [new_part]);
  }
  alter_partitions(db_name: string, tbl_name: string, new_parts: H.Partition[]): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, new_parts);
  }
  alter_partitions_with_environment_context(db_name: string, tbl_name: string, new_parts: H.Partition[], _env: Env): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, new_parts);
  }
  async alter_partitions_req(req: H.AlterPartitionsRequest): Promise<H.AlterPartitionsResponse> {
    await this.alterPartitions(req?.dbName ?? "", req?.tableName ?? "", req?.partitions, req?.catName);
    return new T.AlterPartitionsResponse();
  }
  alter_partition_with_environment_context(db_name: string, tbl_name: string, new_part: H.Partition, _env: Env): Promise<void> {
    return this.alterPartitions(db_name, tbl_name, [new_part]);
  }

  partition_name_to_vals(part_name: string): Promise<string[]> {
    return this.run(D.meta, async () => parsePartitionName(part_name ?? "").map(([, v]) => v));
  }
  partition_name_to_spec(part_name: string): Promise<Record<string, string>> {
    return this.run(D.meta, async () => Object.fromEntries(parsePartitionName(part_name ?? "")));
  }
}

/** A partial specification (get_partitions_ps and friends) names 1 to as many values as there are keys; Hive answers anything else with MetaException. */
function checkPartialSpec(vals: string[] | null | undefined, table: H.Table): void {
  const n = partitionKeyNames(table).length;
  if (!vals || vals.length === 0) throw new T.MetaException({ message: "The partial partition specification must have at least one value" });
  if (vals.length > n) throw new T.MetaException({ message: `The partial partition specification has ${vals.length} values for ${n} partition keys` });
}

/** The values a partition name gives for `table`'s keys; a name that does not parse or fit names no partition (NoSuchObjectException). */
function valuesOfName(table: H.Table, name: string | null | undefined): string[] {
  // No name at all is a bad request rather than a name that matches nothing.
  if (name == null || name === "") throw new T.MetaException({ message: "A partition name is required" });
  try {
    return partitionValuesFromName(partitionKeyNames(table), name ?? "");
  } catch (e) {
    throw notFound("partition", `No partition named '${name}' in ${table.dbName}.${table.tableName}: ${(e as Error).message}`);
  }
}
