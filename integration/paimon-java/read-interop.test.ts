/**
 * Randomized read interop: Java Paimon writes a table from a seeded random script
 * (interop-scripts.ts), then for every snapshot our TableRead must return exactly the
 * rows Java reads (in the latest schema), and our StreamScan from snapshot 1 exactly
 * Java's streaming change log — per snapshot, as multisets, row kinds included. Also
 * per snapshot a random filter + projection, which must give Java's rows filtered and
 * projected (pruning must never change an answer); for two snapshots a seed, time
 * travel by the snapshot's timestamp (against Java's `scan.timestamp-millis`); every
 * tag; and a stream that starts with a full read (`scan.mode = latest-full`).
 *
 * Seeds: 1…STREAMHOUSE_INTEROP_SEEDS (default 40), starting at
 * STREAMHOUSE_INTEROP_FIRST_SEED (default 1); STREAMHOUSE_SEED=N runs seed N only.
 * A failing seed keeps its warehouse and prints where it is, with the script.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { type DataField, type Value, valueFromJson } from "@streamhouse/format";
import { bindPredicate, evaluate, FileStoreTable, P, type Predicate, StreamScan, TableRead } from "@streamhouse/table";
import { changesBySnapshot, changeToJson, type JsonRow, multiset, rowToJson } from "../../packages/table/test/support/rows-json.js";
import { ENGINES, type Engine, interopCase, Prng } from "./interop-scripts.js";
import { ensurePaimonJava, type PaimonJava } from "./paimon-java.js";

function seeds(): number[] {
  const pinned = process.env["STREAMHOUSE_SEED"];
  if (pinned !== undefined && pinned !== "") return [Number(pinned)];
  const count = Number(process.env["STREAMHOUSE_INTEROP_SEEDS"] ?? "40");
  const first = Number(process.env["STREAMHOUSE_INTEROP_FIRST_SEED"] ?? "1");
  return Array.from({ length: count }, (_, i) => first + i);
}

let java: PaimonJava;
let work: string;
const results = new Map<Engine, { passed: number; failed: number[] }>(ENGINES.map((e) => [e, { passed: 0, failed: [] }]));
/** What was compared, so a run that compares nothing shows it. */
const compared = { snapshots: 0, rows: 0, changes: 0, tags: 0, timestamps: 0, filtered: 0, latestFull: 0 };

beforeAll(async () => {
  java = await ensurePaimonJava();
  work = mkdtempSync(join(tmpdir(), "streamhouse-read-interop-"));
});

afterAll(async () => {
  await java?.close();
  const lines = [...results].map(([e, r]) => `  ${e.padEnd(15)} ${r.passed} passed${r.failed.length > 0 ? `, failed seeds ${r.failed.join(" ")}` : ""}`);
  console.log(
    `read interop by engine:\n${lines.join("\n")}\n  compared ${compared.snapshots} snapshots, ${compared.rows} rows, ${compared.changes} changes, ` +
      `${compared.tags} tag reads, ${compared.timestamps} timestamp reads, ${compared.filtered} filtered/projected reads, ` +
      `${compared.latestFull} latest-full streams`,
  );
  if ([...results.values()].every((r) => r.failed.length === 0)) rmSync(work, { recursive: true, force: true });
  else console.log(`failing warehouses kept under ${work}`);
});

/**
 * A random filter over `fields` whose literals come from `rows` (so it selects
 * something), mixing key, partition and value columns, comparisons, IS NULL, IN,
 * AND / OR / NOT.
 */
function randomPredicate(rng: Prng, fields: readonly DataField[], rows: readonly JsonRow[], depth = 0): Predicate {
  if (depth < 2 && rng.chance(0.3)) {
    const a = randomPredicate(rng, fields, rows, depth + 1);
    const b = randomPredicate(rng, fields, rows, depth + 1);
    return rng.pick([P.and(a, b), P.or(a, b), P.not(a)]);
  }
  const f = rng.pick(fields);
  const literal = (): Value | null => {
    const row = rows.length > 0 ? rng.pick(rows) : null;
    return row === null ? null : valueFromJson(f.type, row[f.name] ?? null);
  };
  const lit = literal();
  if (lit === null || rng.chance(0.15)) return rng.chance(0.5) ? P.isNull(f.name) : P.isNotNull(f.name);
  if (rng.chance(0.2)) return P.in(f.name, [lit, literal() ?? lit]);
  return P.compare(f.name, rng.pick(["=", "<>", "<", "<=", ">", ">="] as const), lit);
}

/** Rows only on one side, for a readable failure. */
function difference(ours: readonly string[], theirs: readonly string[]): string {
  const left = [...theirs];
  const onlyOurs: string[] = [];
  for (const r of ours) {
    const i = left.indexOf(r);
    if (i >= 0) left.splice(i, 1);
    else onlyOurs.push(r);
  }
  return `only in Streamhouse:\n    ${onlyOurs.join("\n    ")}\n  only in Java:\n    ${left.join("\n    ")}`;
}

async function check(seed: number): Promise<void> {
  const warehouse = join(work, `seed-${seed}`);
  const c = interopCase(seed, warehouse);
  const context = `seed ${seed} (STREAMHOUSE_SEED=${seed}): ${c.description}\n  warehouse ${warehouse}`;
  try {
    await java.run(c.script);
    const path = join(warehouse, "db.db", "t");
    const table = await FileStoreTable.open(new LocalFileIO(), path);
    const ids = await table.snapshots.listSnapshotIds();
    const read = new TableRead(table);
    const fields = table.schema.fields;
    const same = (what: string, ours: readonly string[], theirs: readonly string[]): void => {
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) expect.fail(`${context}\n  ${what} differs:\n  ${difference(ours, theirs)}`);
    };
    const rng = new Prng(seed ^ 0x5eed);
    const timeTravel = new Set(ids.length === 0 ? [] : [rng.pick(ids), ids[ids.length - 1]!]);
    for (const id of ids) {
      const javaRows = await java.dump(path, { snapshot: id, latestSchema: true });
      const theirs = multiset(javaRows);
      same(`snapshot ${id}`, multiset((await read.toArray({ snapshotId: id })).map((r) => rowToJson(fields, r))), theirs);
      compared.snapshots++;
      compared.rows += theirs.length;

      // Time travel by timestamp resolves to the same snapshot on both sides (two snapshots a seed).
      if (timeTravel.has(id)) {
        const { timeMillis } = await table.snapshots.snapshot(id);
        same(
          `timestamp ${timeMillis} (snapshot ${id})`,
          multiset((await read.toArray({ timestampMillis: timeMillis })).map((r) => rowToJson(fields, r))),
          multiset(await java.dump(path, { latestSchema: true, options: { "scan.timestamp-millis": String(timeMillis) } })),
        );
        compared.timestamps++;
      }

      // Pruning never changes the answer: a filtered, projected read is Java's rows
      // filtered (post-merge, row by row) and projected.
      const filter = randomPredicate(rng, fields, javaRows);
      const projection = rng.some(
        fields.map((f) => f.name),
        rng.int(1, fields.length),
      );
      const bound = bindPredicate(filter, fields);
      const expected = javaRows
        .filter((r) => evaluate(bound, fields.map((f) => valueFromJson(f.type, r[f.name] ?? null))) === true)
        .map((r) => Object.fromEntries(projection.map((n) => [n, r[n] ?? null])));
      const projected = fields.filter((f) => projection.includes(f.name));
      same(
        `snapshot ${id} with filter ${JSON.stringify(filter, (_, v) => (typeof v === "bigint" ? `${v}n` : v))} and projection [${projection.join(", ")}]`,
        multiset((await read.toArray({ snapshotId: id, filter, projection })).map((r) => rowToJson(projected, r))),
        multiset(expected),
      );
      compared.filtered++;
    }
    for (const tag of await table.tagNames()) {
      same(
        `tag ${tag}`,
        multiset((await read.toArray({ tag })).map((r) => rowToJson(fields, r))),
        multiset(await java.dump(path, { tag, latestSchema: true })),
      );
      compared.tags++;
    }
    if (ids.length > 0) {
      const theirs = changesBySnapshot(await java.dump(path, { changesFrom: ids[0]!, changesTo: ids[ids.length - 1]! }));
      const changes: JsonRow[] = [];
      for await (const ch of new StreamScan(table).changes({ start: { from: "snapshot", snapshotId: ids[0]! }, stopAtLatest: true })) {
        changes.push(changeToJson(table.schema.fields, ch));
      }
      const ours = changesBySnapshot(changes);
      for (const id of ids) {
        const o = ours[String(id)] ?? [];
        const t = theirs[String(id)] ?? [];
        same(`changes of snapshot ${id}`, o, t);
        compared.changes += o.length;
      }

      // Starting with a full read of the latest snapshot (scan.mode = latest-full): which
      // files the full read sees and what follows it must agree exactly. One known
      // difference is set aside explicitly: Java's full read keeps each merged row's
      // stored kind (+I or +U), ours says +I; so +U counts as +I at the latest snapshot.
      const latest = ids[ids.length - 1]!;
      const asInsert = (r: JsonRow): JsonRow => (r["_snapshot"] === latest && r["_row_kind"] === "+U" ? { ...r, _row_kind: "+I" } : r);
      const full: JsonRow[] = [];
      for await (const ch of new StreamScan(table).changes({ start: { from: "latest-full" }, stopAtLatest: true })) full.push(changeToJson(table.schema.fields, ch));
      same(
        "latest-full stream",
        multiset(full.map(asInsert)),
        multiset((await java.dump(path, { changesFrom: latest, changesTo: latest, changesStart: "latest-full" })).map(asInsert)),
      );
      compared.latestFull++;
    }
    results.get(c.engine)!.passed++;
  } catch (e) {
    results.get(c.engine)!.failed.push(seed);
    writeFileSync(join(work, `seed-${seed}.json`), JSON.stringify(c.script, null, 1));
    console.log(`FAILED ${context}\n  script ${join(work, `seed-${seed}.json`)}`);
    throw e;
  }
}

describe("Streamhouse reads what Java Paimon wrote, as Java reads it", () => {
  for (const seed of seeds()) test(`seed ${seed}`, () => check(seed));
});
