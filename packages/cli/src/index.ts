// Public API of @streamhouse/cli: running the command in-process (used by tests).
export type { Command, CommandContext, Output } from "./cli-context.js";
export { UsageError } from "./cli-context.js";
export { COMMANDS, runCli } from "./main.js";
