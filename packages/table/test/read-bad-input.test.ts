/**
 * Broken tables: each damage the read-path issue names must surface as a typed
 * StreamhouseError naming the file, and a scan must never return partial rows.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { decodeManifestEntries, encodeManifestEntries, isStreamhouseError } from "@streamhouse/format";
import { FileStoreTable, planSnapshot, TableRead } from "@streamhouse/table";
import { vectorPath } from "../../format/test/vectors.js";

const MOR = vectorPath("tables", "pk_table_scan_and_read_mor.db", "pk_table_scan_and_read_mor");
const APPEND = vectorPath("tables", "append_09.db", "append_09");
const dirs: string[] = [];

function copy(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sh-bad-"));
  cpSync(src, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function scanAll(dir: string, snapshotId?: number): Promise<unknown[]> {
  const table = await FileStoreTable.open(new LocalFileIO(), dir);
  return new TableRead(table).toArray(snapshotId === undefined ? {} : { snapshotId });
}

async function expectTypedFailure(run: () => Promise<unknown>, kind: string, names: RegExp): Promise<void> {
  try {
    const got = await run();
    expect.unreachable(`expected a ${kind} error, got ${JSON.stringify(got)?.slice(0, 200)}`);
  } catch (e) {
    expect(isStreamhouseError(e), String(e)).toBe(true);
    expect((e as { kind: string }).kind, String(e)).toBe(kind);
    expect(String(e)).toMatch(names);
  }
}

function dataFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name));
      else if (n.name.startsWith("data-")) out.push(join(d, n.name));
    }
  };
  walk(dir);
  return out;
}

describe("reading broken tables", () => {
  it("a missing data file is NotFound naming it", async () => {
    const dir = copy(MOR);
    const table = await FileStoreTable.open(new LocalFileIO(), dir);
    const live = (await planSnapshot(table))!.files[0]!.file.fileName;
    const victim = dataFiles(dir).find((p) => p.endsWith(live))!;
    unlinkSync(victim);
    await expectTypedFailure(() => scanAll(dir), "NotFound", new RegExp(live));
  });

  it("a truncated Parquet file is DataInvalid naming it", async () => {
    for (const cut of [0.5, 0.95]) {
      const dir = copy(APPEND);
      const victim = dataFiles(dir).sort()[0]!;
      const size = readFileSync(victim).length;
      truncateSync(victim, Math.floor(size * cut));
      const name = victim.split("/").pop()!;
      // The file may not be live at the latest snapshot: read every snapshot.
      await expectTypedFailure(
        async () => {
          for (let s = 1; s <= 5; s++) await scanAll(dir, s);
        },
        "DataInvalid",
        new RegExp(name),
      );
    }
  });

  it("a manifest naming an unknown schema id is NotFound naming the schema", async () => {
    const dir = copy(MOR);
    const manifestDir = join(dir, "manifest");
    for (const f of readdirSync(manifestDir).filter((n) => n.startsWith("manifest-") && !n.startsWith("manifest-list-"))) {
      const p = join(manifestDir, f);
      const entries = decodeManifestEntries(new Uint8Array(readFileSync(p)), f);
      writeFileSync(p, encodeManifestEntries(entries.map((e) => ({ ...e, file: { ...e.file, schemaId: 7n } }))));
    }
    await expectTypedFailure(() => scanAll(dir), "NotFound", /schema 7 does not exist/);
  });

  it("a snapshot pointing at a missing manifest list is NotFound naming it", async () => {
    const dir = copy(MOR);
    const snap = JSON.parse(readFileSync(join(dir, "snapshot", "snapshot-5"), "utf8")) as { deltaManifestList: string };
    unlinkSync(join(dir, "manifest", snap.deltaManifestList));
    await expectTypedFailure(() => scanAll(dir), "NotFound", new RegExp(snap.deltaManifestList));
  });

  it("a garbled manifest is DataInvalid naming it", async () => {
    const dir = copy(MOR);
    const manifestDir = join(dir, "manifest");
    const f = readdirSync(manifestDir).find((n) => n.startsWith("manifest-") && !n.startsWith("manifest-list-"))!;
    const p = join(manifestDir, f);
    const bytes = readFileSync(p);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    writeFileSync(p, bytes.subarray(0, bytes.length - 7));
    await expectTypedFailure(
      async () => {
        for (let s = 1; s <= 5; s++) await scanAll(dir, s);
      },
      "DataInvalid",
      new RegExp(f),
    );
  });

  it("a garbled snapshot file is DataInvalid naming it", async () => {
    const dir = copy(MOR);
    writeFileSync(join(dir, "snapshot", "snapshot-5"), '{"id": 5, "schemaId": ');
    await expectTypedFailure(() => scanAll(dir), "DataInvalid", /snapshot-5/);
  });
});
