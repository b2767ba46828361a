/**
 * Flag parsing shared by all commands, on node:util's parseArgs. The same flag
 * means the same thing in every command: `--json`, `--snapshot N`, `--verbose`,
 * `--option k=v` (repeatable), `--help`.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./cli-context.js";

export type FlagSpec = Readonly<Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>>;

const COMMON: FlagSpec = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
};

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export function parseCommandArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: { ...COMMON, ...spec }, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    // Node's own wording, without its advice on positionals that start with "-".
    const message = e instanceof Error ? e.message.replace(/^\w+ \[\w+\]: /, "").replace(/\. To specify a positional argument .*$/s, "") : String(e);
    throw new UsageError(message);
  }
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A non-negative integer flag; undefined when absent. */
export function integerFlag(parsed: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(parsed, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/** `--option k=v` pairs as an object. */
export function optionFlags(parsed: ParsedArgs): Record<string, string> {
  const v = parsed.values["option"];
  const list = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--option takes key=value, got "${kv}"`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}
