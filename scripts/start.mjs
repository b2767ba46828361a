#!/usr/bin/env node
// `npm start`: installs and builds what is missing, then runs the streamhouse CLI.
// With no arguments it prints the CLI's help; `npm start -- inspect <dir>` runs a command.
// (When the stack exists, no arguments will mean `streamhouse up`.)
import { join } from "node:path";
import { ensureReady, root, run } from "./ensure-ready.mjs";

ensureReady({ quiet: false });
process.exit(run(process.execPath, [join(root, "packages", "cli", "dist", "main.js"), ...process.argv.slice(2)]));
