/**
 * Seeded corruption of every Java-written vector file, through every decoder.
 *
 * The rule under test: bad input gives a typed StreamhouseError (DataInvalid, or
 * Unsupported for a valid-looking feature we do not handle) whose message names the
 * file — and, for binary formats, the byte offset — never an uncaught crash, never a
 * hang. A corruption may also be harmless (a flipped bit inside a value): then the
 * decoder returns normally, and we check that the result is at least self-consistent.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodeDvIndexFile,
  decodeIndexManifest,
  decodeManifestEntries,
  decodeManifestList,
  decodeSnapshot,
  decodeTableSchema,
  isStreamhouseError,
} from "@streamhouse/format";
import { corrupt } from "./support/corrupt.js";
import { Prng, testSeeds } from "./support/prng.js";
import { vectorPath, vectorTables } from "./vectors.js";

type Decoder = (bytes: Uint8Array, file: string) => unknown;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Target {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly decode: Decoder;
  readonly binary: boolean;
}

function targets(): Target[] {
  const out: Target[] = [];
  const add = (path: string, decode: Decoder, binary: boolean): void => {
    out.push({ file: path.split("/").slice(-1)[0]!, bytes: new Uint8Array(readFileSync(path)), decode, binary });
  };
  for (const { dir } of vectorTables()) {
    for (const f of readdirSync(join(dir, "snapshot"))) if (f.startsWith("snapshot-")) add(join(dir, "snapshot", f), (b, n) => decodeSnapshot(text(b), n), false);
    for (const f of readdirSync(join(dir, "schema"))) add(join(dir, "schema", f), (b, n) => decodeTableSchema(text(b), n), false);
    for (const f of readdirSync(join(dir, "manifest"))) {
      const p = join(dir, "manifest", f);
      if (f.startsWith("manifest-list-")) add(p, decodeManifestList, true);
      else if (f.startsWith("index-manifest-")) add(p, decodeIndexManifest, true);
      else if (f.startsWith("manifest-")) add(p, decodeManifestEntries, true);
    }
    const indexDir = join(dir, "index");
    if (statSync(indexDir, { throwIfNoEntry: false })?.isDirectory()) {
      for (const f of readdirSync(indexDir)) add(join(indexDir, f), decodeDvIndexFile, true);
    }
  }
  for (const f of readdirSync(vectorPath("manifests"))) {
    add(vectorPath("manifests", f), f.includes("list") ? decodeManifestList : decodeManifestEntries, true);
  }
  return out;
}

const all = targets();

describe("seeded corruption of Java vector files", () => {
  it("collects every kind of file", () => {
    expect(all.length).toBeGreaterThan(150);
    for (const t of all) expect(() => t.decode(t.bytes, t.file), t.file).not.toThrow();
  });

  for (const seed of testSeeds(20250101, 8)) {
    it(`seed ${seed}: every decoder fails typed or succeeds`, () => {
      const rng = new Prng(seed);
      let failures = 0;
      const problems: string[] = [];
      for (const t of all) {
        for (let k = 0; k < 6; k++) {
          const c = corrupt(t.bytes, rng);
          try {
            t.decode(c.bytes, t.file);
          } catch (e) {
            failures++;
            const where = `${t.file} ${c.kind}: ${String(e).slice(0, 300)}`;
            if (!isStreamhouseError(e)) problems.push(`untyped error: ${where}`);
            else if (e.kind !== "DataInvalid" && e.kind !== "Unsupported") problems.push(`kind ${e.kind}: ${where}`);
            else if (!e.message.includes(t.file)) problems.push(`no file name: ${where}`);
            // Structural damage names the byte offset; a value that decoded but does not fit its
            // field (e.g. a corrupted header schema renamed the field) names the row and field.
            else if (t.binary && e.kind === "DataInvalid" && !/offset=\d+|row=\d+, field=/.test(e.message)) problems.push(`no offset: ${where}`);
          }
        }
      }
      expect(problems, `seed ${seed} (rerun with STREAMHOUSE_SEED=${seed})`).toEqual([]);
      // Most corruptions of structured binary files must be caught.
      expect(failures).toBeGreaterThan(all.length);
    });
  }
});
