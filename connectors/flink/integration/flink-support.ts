/**
 * What the Flink tests share: a metastore with a temp store and warehouse, our Hive
 * catalog on it, the Paimon catalog DDL that points Flink at it, and change lists in
 * one comparable shape.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import { rowKindToShortString, type RowKind } from "@streamhouse/format";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";

export interface FlinkTestEnv {
  readonly work: string;
  readonly warehouse: string;
  readonly metastore: MetastoreHandle;
  /** Streamhouse's catalog on the same metastore and warehouse as Flink's. */
  readonly catalog: HiveCatalog;
  /** `CREATE CATALOG <name>`: a Paimon catalog on our metastore over the warehouse. */
  catalogDdl(name: string): string;
  close(): Promise<void>;
}

export async function startFlinkTestEnv(prefix: string): Promise<FlinkTestEnv> {
  const work = await mkdtemp(join(tmpdir(), `streamhouse-${prefix}-`));
  const warehouse = join(work, "warehouse");
  const metastore = await startMetastore({ port: 0, warehouse, store: `sqlite:${join(work, "metastore.sqlite")}` });
  const catalog = new HiveCatalog({ uri: `thrift://127.0.0.1:${metastore.port}`, warehouse });
  return {
    work,
    warehouse,
    metastore,
    catalog,
    catalogDdl: (name) =>
      `CREATE CATALOG ${name} WITH ('type' = 'paimon', 'metastore' = 'hive', 'uri' = 'thrift://127.0.0.1:${metastore.port}', 'warehouse' = 'file://${warehouse}')`,
    close: async () => {
      await catalog.close();
      await metastore.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** One change as `+U [1,"apple",11]`: kinds and values compared exactly, in order. */
export function changeLabel(kind: string | RowKind, row: readonly unknown[]): string {
  const k = typeof kind === "string" ? kind : rowKindToShortString(kind);
  return `${k} ${JSON.stringify(row.map((v) => (typeof v === "bigint" ? Number(v) : v)))}`;
}
