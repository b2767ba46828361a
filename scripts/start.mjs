#!/usr/bin/env node
// `npm start`: installs and builds what is missing, then runs the main job on its
// embedded defaults — `streamhouse up`: the Hive-Metastore-compatible catalog server
// (port 9083, SQLite store and warehouse under ./streamhouse-data), the Trino connector
// service (port 7779) and /health + /metrics (port 9464) until Ctrl-C.
// `npm start -- <command> …` runs any CLI command.
//
// Signals: Ctrl-C reaches the CLI from the terminal (it is in the same process group),
// so this process only outlives it; SIGTERM sent to this process (or to npm, which
// passes it on) is forwarded, so `kill` stops the CLI as cleanly as Ctrl-C.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureReady, root } from "./ensure-ready.mjs";

ensureReady({ quiet: false });
const args = process.argv.slice(2);
const cli = join(root, "packages", "cli", "dist", "main.js");
if (args.length === 0) console.error("streamhouse: starting on embedded defaults (Ctrl-C stops; `npm start -- --help` lists the commands)");
const child = spawn(process.execPath, [cli, ...(args.length === 0 ? ["up"] : args)], { stdio: "inherit" });
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("error", (e) => {
  console.error(`streamhouse: cannot run the CLI: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15)));
