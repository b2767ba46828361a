#!/usr/bin/env node
// The built `streamhouse` command for real-process tests, with `write` registered even
// before main.ts lists it (main.ts is the CLI's own; this only adds what is missing).
// Exit code and output as main.js: runCli's code, stdout/stderr of this process.
import { writeCommand } from "../../../cli/dist/commands/write.js";
import { COMMANDS, runCli } from "../../../cli/dist/main.js";

if (!COMMANDS.some((c) => c.name === writeCommand.name)) COMMANDS.push(writeCommand);
const code = await runCli(
  process.argv.slice(2),
  { write: (t) => void process.stdout.write(t) },
  { write: (t) => void process.stderr.write(t) },
);
process.exit(code);
