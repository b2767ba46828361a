#!/usr/bin/env node
/**
 * The `streamhouse` command. Exit codes: 0 success, 1 the command failed (one line on
 * stderr says why; `--verbose` adds the stack), 2 the command was called wrongly.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command, Output } from "./cli-context.js";
import { createCommand } from "./commands/create.js";
import { describeCommand } from "./commands/describe.js";
import { snapshotsCommand } from "./commands/snapshots.js";
import { alterCommand } from "./commands/alter.js";
import { compactCommand } from "./commands/compact.js";
import { tagCommand } from "./commands/tag.js";
import { writeCommand } from "./commands/write.js";
import { expireCommand } from "./commands/expire.js";
import { rollbackCommand } from "./commands/rollback.js";
import { inspectCommand } from "./commands/inspect.js";
import { metastoreCommand } from "./commands/metastore.js";
import { scanCommand } from "./commands/scan.js";
import { tailCommand } from "./commands/tail.js";
import { queryCommand } from "./commands/query.js";
import { listCommand } from "./commands/list.js";
import { dropCommand } from "./commands/drop.js";
import { trinoCommand } from "./commands/trino.js";
import { upCommand } from "./commands/up.js";
import { EXIT_USAGE, errorReport, oneLine, usageLine } from "./error-line.js";

export const COMMANDS: readonly Command[] = [
  upCommand,
  createCommand,
  describeCommand,
  listCommand,
  dropCommand,
  inspectCommand,
  snapshotsCommand,
  writeCommand,
  scanCommand,
  tailCommand,
  alterCommand,
  compactCommand,
  tagCommand,
  expireCommand,
  rollbackCommand,
  queryCommand,
  metastoreCommand,
  trinoCommand,
];

const VERSION = "0.1.0";

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: streamhouse <command> [options]",
    "",
    "Streamhouse: a streaming lakehouse table store, byte-compatible with Apache Paimon.",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `streamhouse <command> --help` for a command's options. Exit codes: 0 success,",
    "1 the command failed, 2 the command was called wrongly (unknown command or flag, bad",
    "value); either way one line on stderr says why (--verbose adds the stack trace).",
    "",
  ].join("\n");
}

export async function runCli(argv: readonly string[], out: Output, err: Output): Promise<number> {
  const [name, ...args] = argv;
  const verbose = args.includes("--verbose");
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    out.write(helpText());
    return 0;
  }
  if (name === "--version") {
    out.write(`streamhouse ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    err.write(usageLine(null, `unknown command "${name}"`));
    return EXIT_USAGE;
  }
  if (args.includes("--help") || args.includes("-h")) {
    out.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    await command.run({ args, out, err });
    return 0;
  } catch (e) {
    const report = errorReport(name, e, verbose);
    err.write(report.text);
    return report.exitCode;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Exits once everything written to stdout and stderr has been handed to the OS. A pipe
 * whose reader is slower than we are queues writes in the process (libuv retries after
 * EAGAIN), and process.exit would drop that queue: `scan … | wc -l` lost rows that way.
 * A write callback runs after every earlier write on its stream has been flushed.
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

if (isMain()) {
  // A reader that goes away (`scan … | head`) is not an error of ours: stop quietly.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  const stdout: Output = { write: (t) => void process.stdout.write(t) };
  const stderr: Output = { write: (t) => void process.stderr.write(t) };
  runCli(process.argv.slice(2), stdout, stderr).then(
    // Exit rather than wait for the event loop to drain: an S3 client's keep-alive
    // sockets would otherwise hold the process open.
    (code) => exitAfterFlush(code),
    (e: unknown) => {
      process.stderr.write(`streamhouse: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
      exitAfterFlush(1);
    },
  );
}
