/**
 * Where the golden files written by Java Paimon live. They are read in place from
 * `../shared/vectors/paimon-java` beside the checkout (CI always has it there) and
 * never copied into this repository.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export const VECTORS_DIR = process.env["STREAMHOUSE_VECTORS"] ?? join(repoRoot, "..", "shared", "vectors", "paimon-java");

if (!existsSync(VECTORS_DIR)) {
  throw new Error(`Java Paimon vectors not found at ${VECTORS_DIR}: check out ../shared beside the repository`);
}

export const vectorPath = (...parts: string[]): string => join(VECTORS_DIR, ...parts);

/** Every `<name>.db/<name>` table directory under tables/. */
export function vectorTables(): { name: string; dir: string }[] {
  return readdirSync(vectorPath("tables"))
    .filter((d) => d.endsWith(".db"))
    .sort()
    .map((d) => {
      const name = d.slice(0, -3);
      return { name, dir: vectorPath("tables", d, name) };
    });
}
