// Starts a metastore on an ephemeral port and connects generated Thrift
// clients to it over real sockets. The store is an in-memory SQLite one unless
// `store` names another (see stores.ts for the backends the suite runs on).
import { hmsService, hmsTypes, type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import thrift from "thrift";

export type HmsClient = InstanceType<typeof hmsService.Client>;
export const T = hmsTypes;

export interface Harness {
  readonly server: MetastoreHandle;
  client(): HmsClient;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly framed?: boolean;
  readonly maxMessageBytes?: number;
  readonly partialMessageTimeoutMs?: number;
  /** An `openStore` spec; default `sqlite::memory:`. */
  readonly store?: string;
  readonly onCall?: (method: string, durationMs: number, ok: boolean) => void;
  /** Default /tmp/streamhouse-test-warehouse. */
  readonly warehouse?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const server = await startMetastore({ port: 0, warehouse: "/tmp/streamhouse-test-warehouse", ...options, store: options.store ?? "sqlite::memory:" });
  const connections: thrift.Connection[] = [];
  return {
    server,
    client: () => {
      const connection = thrift.createConnection(server.host, server.port, {
        transport: options.framed ? thrift.TFramedTransport : thrift.TBufferedTransport,
        protocol: thrift.TBinaryProtocol,
      });
      connection.on("error", () => {});
      connections.push(connection);
      return thrift.createClient(hmsService.Client, connection) as HmsClient;
    },
    close: async () => {
      for (const c of connections) c.end();
      await server.close();
    },
  };
}

export function table(db: string, name: string, partitionKeys: [string, string][] = [], parameters: Record<string, string> = {}) {
  return new T.Table({
    tableName: name,
    dbName: db,
    owner: "tester",
    createTime: 0,
    lastAccessTime: 0,
    retention: 0,
    sd: new T.StorageDescriptor({
      cols: [new T.FieldSchema({ name: "id", type: "bigint", comment: "" }), new T.FieldSchema({ name: "name", type: "string", comment: "" })],
      location: "",
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      compressed: false,
      numBuckets: -1,
      serdeInfo: new T.SerDeInfo({ name: "", serializationLib: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", parameters: {} }),
      bucketCols: [],
      sortCols: [],
      parameters: {},
    }),
    partitionKeys: partitionKeys.map(([n, t]) => new T.FieldSchema({ name: n, type: t, comment: "" })),
    parameters,
    viewOriginalText: "",
    viewExpandedText: "",
    tableType: "EXTERNAL_TABLE",
  });
}

export function partition(db: string, tbl: string, values: string[]) {
  return new T.Partition({ values, dbName: db, tableName: tbl } as never);
}

export function database(name: string) {
  return new T.Database({ name, description: "a test database", locationUri: "", parameters: { k: "v" } });
}
