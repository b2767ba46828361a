/**
 * moto server as the S3 endpoint of tests: ensure (install once, see
 * ensure-moto.mjs), start on a free port of 127.0.0.1, wait until it answers
 * (bounded), stop. Tests never leave a server behind: `stop()` kills it, the
 * server also exits when its stdin closes — which happens however the parent
 * dies — and a process exit hook kills it as a last resort.
 *
 * By default the server handles one request at a time. moto 5.2.5 implements
 * `If-None-Match: *` as a lookup followed by a store, with no lock between
 * (moto/s3/responses.py, put_object and the CompleteMultipartUpload branch), so
 * with its stock threaded server two racing creates of one key could both
 * succeed. S3 arbitrates such races atomically; serializing requests gives moto
 * the same property, so a race test that fails points at our code, not at moto.
 * Racing clients still interleave freely between requests.
 */
import { spawn } from "node:child_process";
import { ensureMoto } from "./ensure-moto.mjs";

export interface MotoServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly port: number;
  readonly version: string;
  /** The last lines the server wrote (request log, tracebacks), for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Use moto's multi-threaded server instead of the serialized one (see above). */
  readonly threaded?: boolean;
  /** How long to wait for the server to answer (default 30 s). */
  readonly readyTimeoutMs?: number;
}

// Builds the same WSGI application as moto's `moto_server` command, binds port 0
// (the OS picks a free port, so no probe-then-bind race), reports the port as one
// JSON line, and exits when stdin reaches EOF.
const LAUNCHER = `
import json, os, sys, threading
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
app = DomainDispatcherApplication(create_backend_app)
server = make_server("127.0.0.1", 0, app, threaded=sys.argv[1] == "threaded", request_handler=MotoRequestHandler)
def exit_when_orphaned():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=exit_when_orphaned, daemon=True).start()
print(json.dumps({"port": server.port}), flush=True)
server.serve_forever()
`;
import { waitForExit } from "../support/processes.mjs";

const LOG_TAIL_CHARS = 8000;

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const install = await ensureMoto();
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const child = spawn(install.python, ["-c", LAUNCHER, options.threaded === true ? "threaded" : "serial"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let log = "";
  child.stderr?.on("data", (d) => {
    log = (log + String(d)).slice(-LOG_TAIL_CHARS);
  });
  const stop = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    child.stdin?.end();
    child.kill("SIGTERM");
    if (!(await waitForExit(child, 5_000))) {
      child.kill("SIGKILL");
      await waitForExit(child, 5_000);
    }
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`moto did not report its port within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.stdout?.on("data", (d) => {
        out += String(d);
        const line = out.split("\n")[0];
        if (out.includes("\n") && line !== undefined) {
          clearTimeout(timer);
          try {
            resolve((JSON.parse(line) as { port: number }).port);
          } catch {
            reject(new Error(`unexpected first line from moto: ${line}`));
          }
        }
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`moto exited during startup (${signal ?? `exit ${code}`})`));
      });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        const r = await fetch(`${endpoint}/moto-api/`);
        await r.arrayBuffer();
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`moto at ${endpoint} did not answer within ${readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { endpoint, port, version: install.version, logTail: () => log, stop };
  } catch (e) {
    await stop();
    throw new Error(`cannot start moto ${install.version}: ${e instanceof Error ? e.message : String(e)}\n${log}`);
  }
}
