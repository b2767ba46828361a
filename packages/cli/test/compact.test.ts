import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { DataTypes, encodeTableSchema, SCHEMA_VERSION } from "@streamhouse/format";
import { FileStoreCommit, FileStoreTable, planSnapshot, TableRead, TablePaths, TableWrite } from "@streamhouse/table";
import { compactTable } from "../../table/src/compact/compact-table.js";
import { UsageError } from "../src/cli-context.js";
import { createCompactCommand, parsePartitionSpec } from "../src/commands/compact.js";

const tmp = mkdtempSync(join(tmpdir(), "streamhouse-cli-compact-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const io = new LocalFileIO();
const F = DataTypes.FIELD;

async function writeOnlyTable(path: string): Promise<void> {
  const schema = {
    version: SCHEMA_VERSION,
    id: 0,
    fields: [F(0, "id", DataTypes.INT(false)), F(1, "p", DataTypes.STRING(false)), F(2, "v", DataTypes.STRING())],
    highestFieldId: 2,
    partitionKeys: ["p"],
    primaryKeys: ["id", "p"],
    options: { bucket: "1", "write-only": "true" },
    comment: null,
    timeMillis: 0,
  };
  await io.writeIfAbsent(TablePaths.schema(path, 0), new TextEncoder().encode(encodeTableSchema(schema)));
  const table = await FileStoreTable.open(io, path);
  const write = await TableWrite.open(table);
  const commit = new FileStoreCommit(table, "u");
  for (let i = 1; i <= 3; i++) {
    await write.write([
      { id: i, p: "a", v: `a${i}` },
      { id: i, p: "b", v: `b${i}` },
    ]);
    await commit.commit([await write.prepareCommit(BigInt(i))]);
  }
  await write.close();
}

function capture() {
  let text = "";
  const write = (s: string): void => {
    text += s;
  };
  return { out: { write }, text: () => text };
}

describe("streamhouse compact", () => {
  const command = createCompactCommand(compactTable);

  it("compacts one partition, then the whole table, fully", async () => {
    const path = join(tmp, "t1");
    await writeOnlyTable(path);
    const o1 = capture();
    await command.run({ args: [path, "--full", "--partition", "p=a"], out: o1.out, err: o1.out });
    expect(o1.text()).toMatch(/^snapshot 4: compacted 1 bucket, 3 files → 1\n$/);
    const o2 = capture();
    await command.run({ args: [path, "--full"], out: o2.out, err: o2.out });
    expect(o2.text()).toMatch(/^snapshot 5: compacted 2 buckets, 3 files → 1\n$/);
    const table = await FileStoreTable.open(io, path);
    expect((await planSnapshot(table))!.files.length).toBe(2);
    expect((await new TableRead(table).toArray()).length).toBe(6);
    const o3 = capture();
    await command.run({ args: [path, "--full"], out: o3.out, err: o3.out });
    expect(o3.text()).toBe("nothing to compact (2 buckets checked)\n");
  });

  it("rejects bad partition specs and extra arguments", async () => {
    expect(() => parsePartitionSpec("p")).toThrow(UsageError);
    expect(parsePartitionSpec("a=1,b=x=y")).toEqual({ a: "1", b: "x=y" });
    const o = capture();
    await expect(command.run({ args: [join(tmp, "t1"), "extra"], out: o.out, err: o.out })).rejects.toThrow(UsageError);
    await expect(command.run({ args: [join(tmp, "t1"), "--partition", "q=1"], out: o.out, err: o.out })).rejects.toThrow(/not a partition column/);
  });
});
