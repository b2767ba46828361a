/**
 * Test tables in a filesystem catalog on local disk, written by our own writer, and a
 * Thrift client of the service as Trino's connector talks to it (framed, binary).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FilesystemCatalog } from "@streamhouse/catalog";
import { LocalFileIO } from "@streamhouse/fileio";
import { type FileStoreTable, FileStoreCommit, type InputRow, type RowKindLike, type TableDefinition, TableWrite } from "@streamhouse/table";
import thrift from "thrift";
import { trinoService } from "../../src/generated.js";

export interface Warehouse {
  readonly dir: string;
  readonly catalog: FilesystemCatalog;
  create(database: string, table: string, definition: TableDefinition): Promise<FileStoreTable>;
  dispose(): Promise<void>;
}

export async function tempWarehouse(prefix = "streamhouse-trino-"): Promise<Warehouse> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const catalog = new FilesystemCatalog(new LocalFileIO(), join(dir, "warehouse"));
  return {
    dir,
    catalog,
    async create(database, table, definition) {
      await catalog.createDatabase(database, { ignoreIfExists: true });
      return catalog.createTable({ database, table }, definition);
    },
    async dispose() {
      await catalog.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let checkpoint = 0n;

/** Writes `rows` (each with its row kind, INSERT by default) as one commit; returns the snapshot id. */
export async function commitRows(table: FileStoreTable, rows: readonly InputRow[], kind: RowKindLike = "+I", options: { readonly fullCompaction?: boolean } = {}): Promise<number> {
  const write = await TableWrite.open(table);
  try {
    await write.write(rows, kind);
    const commit = new FileStoreCommit(table, "streamhouse-trino-test");
    checkpoint++;
    await commit.commit([await write.prepareCommit(checkpoint, options)]);
  } finally {
    await write.close();
  }
  const id = await table.snapshots.latestSnapshotId();
  return id ?? 0;
}

export interface ServiceClient {
  readonly client: InstanceType<typeof trinoService.Client>;
  close(): void;
}

/** A client of the service speaking as Trino does: FRAMED transport, BINARY protocol. */
export async function connect(port: number): Promise<ServiceClient> {
  const connection = thrift.createConnection("127.0.0.1", port, {
    transport: thrift.TFramedTransport,
    protocol: thrift.TBinaryProtocol,
  });
  await new Promise<void>((resolve, reject) => {
    connection.once("connect", () => resolve());
    connection.once("error", reject);
  });
  connection.on("error", () => {});
  const client = thrift.createClient(trinoService.Client, connection) as InstanceType<typeof trinoService.Client>;
  return { client, close: () => connection.end() };
}
