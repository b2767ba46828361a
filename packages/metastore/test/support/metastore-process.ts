// The real `streamhouse metastore start` as a child process (the built CLI in
// packages/cli/dist; `tsc -b` builds it before the tests), and Thrift clients
// whose calls fail, rather than wait forever, when the server goes away.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hmsService } from "@streamhouse/metastore";
import thrift from "thrift";
import type { HmsClient } from "./harness.js";

export const CLI_MAIN = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));
const READY = /metastore ready on thrift:\/\/([^:]+):(\d+)/;

export interface MetastoreProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** The last output on stderr, for failure messages. */
  stderr(): string;
}

export async function spawnMetastore(args: { store: string; warehouse: string; readyTimeoutMs?: number }): Promise<MetastoreProcess> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build with \`npx tsc -b\` first`);
  const child = spawn(process.execPath, [CLI_MAIN, "metastore", "start", "--port", "0", "--store", `sqlite:${args.store}`, "--warehouse", args.warehouse], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err = (err + String(d)).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the metastore did not start within ${args.readyTimeoutMs ?? 20_000} ms: ${err}`));
    }, args.readyTimeoutMs ?? 20_000);
    child.stdout?.on("data", (d) => {
      out += String(d);
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the metastore exited before it was ready: ${err}`));
    });
  });
  return { child, port, exited, stderr: () => err };
}

/** A client whose pending and later calls reject once its connection closes. */
export function connectClient(port: number): { client: HmsClient; close(): void } {
  const connection = thrift.createConnection("127.0.0.1", port, { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol, max_attempts: 0 } as never);
  connection.on("error", () => {});
  let closed = false;
  const gone = new Promise<never>((_, reject) => {
    connection.on("close", () => {
      closed = true;
      reject(new Error("connection closed"));
    });
  });
  gone.catch(() => {});
  const raw = thrift.createClient(hmsService.Client, connection) as HmsClient;
  const client = new Proxy(raw, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== "function") return v;
      return (...a: unknown[]) => (closed ? Promise.reject(new Error("connection closed")) : Promise.race([v.apply(target, a), gone]));
    },
  });
  return { client, close: () => connection.end() };
}
