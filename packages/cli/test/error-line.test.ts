// Errors reach the user as exactly one line: usage mistakes exit 2 and point at the
// command's --help, failures exit 1 with their ErrorKind; the stack only with --verbose.
import { spawnSync } from "node:child_process";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/cli-context.js";
import { errorReport, oneLine, usageLine } from "../src/error-line.js";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", input: "" });

describe("error lines", () => {
  it("folds multi-line messages into one line", () => {
    expect(oneLine("first\n  second\r\nthird")).toBe("first second third");
    expect(oneLine("  kept  as is ")).toBe("kept  as is");
    expect(usageLine(null, 'unknown command "x"')).toBe('streamhouse: unknown command "x" (see streamhouse --help)\n');
  });

  it("reports usage errors with exit 2 and failures with exit 1 and their kind", () => {
    expect(errorReport("scan", new UsageError("--limit must be a non-negative integer, got \"x\""), true)).toEqual({
      exitCode: 2,
      text: 'streamhouse: --limit must be a non-negative integer, got "x" (see streamhouse scan --help)\n',
    });
    const notFound = new StreamhouseError(ErrorKind.NotFound, "no table at /t", { context: { table: "/t" } });
    expect(errorReport("scan", notFound, false)).toEqual({ exitCode: 1, text: "streamhouse scan: NotFound: no table at /t [table=/t]\n" });
    expect(errorReport("query", new Error("Trino says\nsomething"), false)).toEqual({ exitCode: 1, text: "streamhouse query: Trino says something\n" });
    expect(errorReport("query", "a string", false).text).toBe("streamhouse query: a string\n");
    const verbose = errorReport("scan", notFound, true);
    expect(verbose.text.startsWith("streamhouse scan: NotFound: no table at /t [table=/t]\nStreamhouseError: no table at /t")).toBe(true);
    expect(verbose.text).toMatch(/\n\s+at /);
  });

  it("prints one line from the real process: exit 2 for misuse, 1 for failures, the stack only with --verbose", () => {
    const misuse = run(["scan", "/nonexistent/t", "--limit", "x"]);
    expect(misuse.status).toBe(2);
    expect(misuse.stdout).toBe("");
    expect(misuse.stderr).toBe('streamhouse: --limit must be a non-negative integer, got "x" (see streamhouse scan --help)\n');

    const unknown = run(["frobnicate"]);
    expect([unknown.status, unknown.stderr]).toEqual([2, 'streamhouse: unknown command "frobnicate" (see streamhouse --help)\n']);

    const failed = run(["inspect", "/nonexistent/t"]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^streamhouse inspect: NotFound: no table at \/nonexistent\/t[^\n]*\n$/);

    const verbose = run(["inspect", "/nonexistent/t", "--verbose"]);
    expect(verbose.status).toBe(1);
    const lines = verbose.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(failed.stderr.trimEnd());
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(2).every((l) => /^\s+at /.test(l))).toBe(true);
  });
});
