import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import type { Row } from "@streamhouse/format";
import { planSnapshot } from "../src/scan/table-scan.js";
import { createPkTable, openWriter, readRows, reopen, SeededRandom, sortedRows } from "./compact-support.js";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-read-lookup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A lookup compaction writes a key's merged value to its output level and leaves the
// older value it looked up in a deeper level; a batch read must not merge that one again.
describe("batch reads of lookup-changelog tables", () => {
  for (const [engine, options] of [
    ["aggregation (sum)", { "merge-engine": "aggregation", "fields.n.aggregate-function": "sum" }],
    ["partial-update", { "merge-engine": "partial-update" }],
  ] as const) {
    it(`${engine}: each key's value counts once, whatever levels hold older copies`, async () => {
      const table = await createPkTable(io, join(tmp, engine.replace(/\W+/g, "-")), {
        "changelog-producer": "lookup",
        "num-sorted-run.compaction-trigger": "2",
        ...options,
      });
      const w = await openWriter(table);
      const random = new SeededRandom(7);
      const model = new Map<number, Row>();
      let sawStackedLevels = false;
      for (let round = 1; round <= 12; round++) {
        const changes = [];
        for (let i = 0; i < 8; i++) {
          const id = random.nextInt(6);
          const old = model.get(id);
          const add = BigInt(round * 10 + i);
          const n = engine.startsWith("aggregation") ? ((old?.[2] as bigint | undefined) ?? 0n) + add : add;
          model.set(id, [id, `r${round}`, n]);
          changes.push({ kind: "+I" as const, row: { id, v: `r${round}`, n: add } });
        }
        await w.checkpoint(changes);
        const t = await reopen(table);
        expect(await readRows(t), `round ${round}`).toEqual(sortedRows(model.values()));
        const levels = new Set((await planSnapshot(t))!.files.filter((e) => e.file.level > 0).map((e) => e.file.level));
        if (levels.size > 1) sawStackedLevels = true;
      }
      // The case the semantics exist for did occur: values in more than one level above 0.
      expect(sawStackedLevels).toBe(true);
      await w.close();
    });
  }
});
