/**
 * The read path over S3: Java vector tables uploaded to a real S3 API (moto, started
 * by integration/s3) read through S3FileIO exactly as they read from local disk.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFileIO, S3FileIO } from "@streamhouse/fileio";
import { valueToJson } from "@streamhouse/format";
import { FileStoreTable, inspectTable, StreamScan, TableRead } from "@streamhouse/table";
import { type MotoServer, startMoto } from "../../../integration/s3/moto.js";
import { vectorPath } from "../../format/test/vectors.js";

const BUCKET = "warehouse";
let moto: MotoServer | undefined;
let io: S3FileIO;

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const admin = new S3Client(config);
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  admin.destroy();
  io = new S3FileIO({ clientConfig: config });
}, 15 * 60_000);

afterAll(async () => {
  io?.destroy();
  await moto?.stop();
});

async function upload(localDir: string, prefix: string): Promise<string> {
  const walk = async (d: string): Promise<void> => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) await walk(p);
      else expect(await io.writeIfAbsent(`s3://${BUCKET}/${prefix}/${relative(localDir, p)}`, new Uint8Array(readFileSync(p)))).toBe(true);
    }
  };
  await walk(localDir);
  return `s3://${BUCKET}/${prefix}`;
}

const canonical = (t: FileStoreTable, rows: readonly (readonly unknown[])[]): string[] =>
  rows.map((r) => JSON.stringify(t.schema.fields.map((f, i) => valueToJson(f.type, (r[i] ?? null) as never)))).sort();

describe("reading tables from S3", () => {
  for (const name of ["pk_table_scan_and_read_mor", "pk_table_scan_and_read_dv", "pk_table_nested_type", "append_table_with_alter_table"]) {
    it(`${name}: every snapshot reads as from local disk`, async () => {
      const local = vectorPath("tables", `${name}.db`, name);
      const remote = await upload(local, `db.db/${name}`);
      const a = await FileStoreTable.open(new LocalFileIO(), local);
      const b = await FileStoreTable.open(io, remote);
      const ids = await b.snapshots.listSnapshotIds();
      expect(ids).toEqual(await a.snapshots.listSnapshotIds());
      for (const id of ids) {
        expect(canonical(b, await new TableRead(b).toArray({ snapshotId: id })), `${name}@${id}`).toEqual(canonical(a, await new TableRead(a).toArray({ snapshotId: id })));
      }
      expect((await inspectTable(b)).files.length).toBe((await inspectTable(a)).files.length);
      let changes = 0;
      for await (const _ of new StreamScan(b).changes({ start: { from: "earliest" }, stopAtLatest: true })) changes++;
      expect(changes).toBeGreaterThan(0);
    });
  }
});
