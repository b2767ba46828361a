/**
 * A HiveServer2 client for tests, on the npm `hive-driver` package: binary Thrift
 * transport with PLAIN SASL (what a HiveServer2 — and the Spark Thrift Server — speaks
 * under its default `hive.server2.authentication=NONE`: any user, any password).
 * Rows come back as arrays in the result schema's column order.
 */
import hive from "hive-driver";

export interface HiveSqlClient {
  /** Runs one statement and fetches every row. */
  query(statement: string): Promise<{ readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }>;
  /** Closes the session and the connection; later calls return the first call's promise. */
  close(): Promise<void>;
}

export interface HiveSqlClientOptions {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  /** Socket connect timeout (default 10 s). */
  readonly connectTimeoutMs?: number;
}

interface ResultSchema {
  readonly columns: readonly { readonly columnName: string; readonly position: number }[];
}

export async function connectHiveSql(options: HiveSqlClientOptions): Promise<HiveSqlClient> {
  const { TCLIService, TCLIService_types } = hive.thrift;
  const client = new hive.HiveClient(TCLIService, TCLIService_types);
  const utils = new hive.HiveUtils(TCLIService_types);
  await client.connect(
    { host: options.host, port: options.port, options: { connect_timeout: options.connectTimeoutMs ?? 10_000, max_attempts: 1 } },
    new hive.connections.TcpConnection(),
    new hive.auth.PlainTcpAuthentication({ username: options.user ?? "streamhouse", password: "unused" }),
  );
  let session: Awaited<ReturnType<typeof client.openSession>>;
  try {
    session = await client.openSession({ client_protocol: TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
  } catch (e) {
    client.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    async query(statement) {
      const operation = await session.executeStatement(statement, { runAsync: true });
      try {
        await utils.waitUntilReady(operation, false, () => {});
        await utils.fetchAll(operation);
        const schema = operation.getSchema() as ResultSchema | null;
        const columns = [...(schema?.columns ?? [])].sort((a, b) => a.position - b.position).map((c) => c.columnName.split(".").pop() ?? "");
        const objects = utils.getResult(operation).getValue() as Record<string, unknown>[] | null;
        const rows = (objects ?? []).map((o) => columns.map((c) => o[c] ?? null));
        return { columns, rows };
      } finally {
        await operation.close();
      }
    },
    close() {
      closing ??= (async () => {
        try {
          await session.close();
        } finally {
          client.close();
        }
      })();
      return closing;
    },
  };
}
