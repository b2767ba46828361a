// Every command answers --help with its usage (exit 0), refuses an unknown flag with one
// line that points at --help (exit 2), and flags shared by commands mean one thing.
import { describe, expect, it } from "vitest";
import { COMMANDS, } from "@streamhouse/cli";
import { cli } from "./support/run-cli.js";

describe("the CLI's help and flags", () => {
  it("lists every command in --help, and each answers --help and -h", async () => {
    const top = await cli("--help");
    expect(top.code).toBe(0);
    for (const c of COMMANDS) {
      expect(top.out).toMatch(new RegExp(`\\n  ${c.name} +${c.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      for (const flag of ["--help", "-h"]) {
        const r = await cli(c.name, flag);
        expect(r.code, c.name).toBe(0);
        expect(r.out.startsWith(`usage: streamhouse ${c.name}`), c.name).toBe(true);
        expect(r.err).toBe("");
      }
    }
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(["up", "create", "describe", "write", "scan", "tail", "inspect", "snapshots", "compact", "expire", "tag", "rollback", "query", "metastore", "list", "drop", "trino"]));
  });

  it("refuses an unknown flag with one error line pointing at the command's help, exit 2", async () => {
    for (const c of COMMANDS) {
      const r = await cli(c.name, "--no-such-flag");
      expect(r.code, c.name).toBe(2);
      expect(r.err, c.name).toBe(`streamhouse: Unknown option '--no-such-flag' (see streamhouse ${c.name} --help)\n`);
      expect(r.out, c.name).toBe("");
    }
    expect(await cli("nosuch")).toEqual({ code: 2, out: "", err: 'streamhouse: unknown command "nosuch" (see streamhouse --help)\n' });
    expect((await cli("--version")).out).toMatch(/^streamhouse \d+\.\d+\.\d+\n$/);
  });

  it("uses --format for output formats only, and documents each shared flag the same way", () => {
    for (const c of COMMANDS) {
      const format = /--format ([a-z|]+)/.exec(c.usage)?.[1];
      if (format !== undefined) for (const f of format.split("|")) expect(["table", "ndjson", "csv"], c.name).toContain(f);
      if (c.usage.includes("--option")) expect(c.usage, c.name).toContain("--option k=v ...");
      if (c.usage.includes("--snapshot")) expect(c.usage, c.name).toMatch(/--snapshot N\b/);
    }
    // Every command that opens one table takes it as a location or a catalog name, with the
    // same catalog flags and per-invocation table options.
    for (const name of ["describe", "snapshots", "alter", "write", "scan", "tail", "inspect", "compact", "tag", "expire", "rollback"]) {
      const usage = COMMANDS.find((c) => c.name === name)?.usage ?? "";
      expect(usage, name).toMatch(new RegExp(`^streamhouse ${name} <table-dir\\|db\\.table>`));
      expect(usage, name).toContain("[--option k=v ...]");
      expect(usage, name).toContain("[--metastore thrift://HOST:PORT | --warehouse DIR]");
    }
  });
});
