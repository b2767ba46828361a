#!/usr/bin/env node
// `npm start`: installs and builds what is missing, then runs the main job on its
// embedded defaults — today the Hive-Metastore-compatible catalog server
// (`streamhouse metastore start`: port 9083, SQLite store and warehouse under
// ./streamhouse-data) until Ctrl-C. `npm start -- <command> …` runs any CLI command.
// (When the whole stack exists, no arguments will mean `streamhouse up`.)
import { join } from "node:path";
import { ensureReady, root, run } from "./ensure-ready.mjs";

ensureReady({ quiet: false });
const args = process.argv.slice(2);
const cli = join(root, "packages", "cli", "dist", "main.js");
if (args.length === 0) {
  console.error("streamhouse: starting the metastore on embedded defaults (Ctrl-C stops it; `npm start -- --help` lists the commands)");
  process.exit(run(process.execPath, [cli, "metastore", "start"]));
}
process.exit(run(process.execPath, [cli, ...args]));
