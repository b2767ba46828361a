// The metastore record of a table, built without a metastore (hmsTableFor is pure).
import { DataTypes, ErrorKind, parseFieldList, StreamhouseError, type TableSchema } from "@streamhouse/format";
import { describe, expect, it } from "vitest";
import { bucketKeys, hiveTypeName, hmsTableFor, isPaimonTable, keepsFilesOnDrop, registrationParameters, hmsTypes as T } from "../src/index.js";

function schema(over: Partial<TableSchema>): TableSchema {
  const fields = parseFieldList("id BIGINT NOT NULL, dt STRING NOT NULL, v INT");
  return { version: 3, id: 0, fields, highestFieldId: 2, partitionKeys: [], primaryKeys: [], options: {}, comment: null, timeMillis: 0, ...over };
}

describe("registration", () => {
  it("adds only the markers to an append table without options", () => {
    expect(registrationParameters(schema({}))).toEqual({ table_type: "PAIMON", storage_handler: "org.apache.paimon.hive.PaimonStorageHandler" });
  });

  it("takes bucket keys from the option, else the primary key without partition keys", () => {
    expect(bucketKeys(schema({ primaryKeys: ["id", "dt"], partitionKeys: ["dt"] }))).toEqual(["id"]);
    expect(bucketKeys(schema({ primaryKeys: ["id", "dt"], options: { "bucket-key": "dt" } }))).toEqual(["dt"]);
    expect(bucketKeys(schema({ options: { "bucket-key": "v, id" } }))).toEqual(["v", "id"]);
    expect(bucketKeys(schema({}))).toEqual([]);
  });

  it("builds the Thrift table with Paimon's formats, serde and times", () => {
    const t = hmsTableFor({ id: { database: "d", table: "t" }, schema: schema({ comment: "c" }), location: "s3://b/w/d.db/t", owner: "o", nowMs: 1_999 });
    expect(isPaimonTable(t)).toBe(true);
    expect([t.createTime, t.lastAccessTime, t.retention, t.tableType, t.owner]).toEqual([1, 1, 2147483647, "MANAGED_TABLE", "o"]);
    expect(t.sd.location).toBe("s3://b/w/d.db/t");
    expect(t.sd.serdeInfo.serializationLib).toBe("org.apache.paimon.hive.PaimonSerDe");
    expect(t.parameters["comment"]).toBe("c");
    expect(t.sd.cols.map((c) => c.type)).toEqual(["bigint", "string", "int"]);
  });

  it("refuses types Hive has no name for", () => {
    for (const type of [DataTypes.VARIANT(), DataTypes.BLOB(), DataTypes.VECTOR(DataTypes.FLOAT(), 3)]) {
      try {
        hiveTypeName(type);
        expect.unreachable();
      } catch (e) {
        expect(e instanceof StreamhouseError && e.kind).toBe(ErrorKind.Unsupported);
      }
    }
    expect(hiveTypeName(DataTypes.CHAR(255))).toBe("char(255)");
    expect(hiveTypeName(DataTypes.CHAR(256))).toBe("string");
    expect(hiveTypeName(DataTypes.VARCHAR(65535))).toBe("varchar(65535)");
    expect(hiveTypeName(DataTypes.BINARY(4))).toBe("binary");
  });

  it("keeps the files of external tables unless Hive 4 marked them for purge", () => {
    const table = (tableType: string, parameters: Record<string, string>) => Object.assign(new T.Table(), { tableType, parameters });
    expect(keepsFilesOnDrop(table("MANAGED_TABLE", {}))).toBe(false);
    expect(keepsFilesOnDrop(table("EXTERNAL_TABLE", { EXTERNAL: "TRUE" }))).toBe(true);
    expect(keepsFilesOnDrop(table("EXTERNAL_TABLE", { EXTERNAL: "TRUE", "external.table.purge": "TRUE" }))).toBe(false);
  });
});
