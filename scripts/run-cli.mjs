#!/usr/bin/env node
// `npm run streamhouse -- <args>`: the CLI from the last build, without rebuilding.
import { join } from "node:path";
import { root, run } from "./ensure-ready.mjs";

process.exit(run(process.execPath, [join(root, "packages", "cli", "dist", "main.js"), ...process.argv.slice(2)]));
