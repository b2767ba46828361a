// kill -9 during DDL. The real server process (`streamhouse metastore start`
// on a SQLite file) serves a client that creates, alters and drops tables and
// adds partitions in a loop, recording every acknowledged change in a model.
// At a seeded random moment the server gets SIGKILL; it is restarted on the
// same file and must hold exactly the acknowledged changes, plus at most the
// one change in flight at the kill, applied whole or not at all.
//
// Reproduce a failure with STREAMHOUSE_CRASH_SEED=<seed> (printed on failure).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { database, type HmsClient, partition, T, table } from "./support/harness.js";
import { connectClient, type MetastoreProcess, spawnMetastore } from "./support/metastore-process.js";
import { seededRandom } from "./support/wire-bytes.js";

const ROUNDS = 6;
const KILL_AFTER_MS_MIN = 50;
const KILL_AFTER_MS_MAX = 700;
const DB = "crash";
const NAMES = ["t0", "t1", "t2", "t3", "t4", "t5"];

const seed = Number(process.env.STREAMHOUSE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const dir = mkdtempSync(join(tmpdir(), "streamhouse-crash-"));
const running: MetastoreProcess[] = [];

afterAll(() => {
  for (const p of running) p.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** What we control of a table: three parameters an alter sets together, its columns, its partitions. */
interface TableState {
  readonly params: Readonly<Record<string, string>>;
  readonly cols: readonly string[];
  readonly partitions: readonly string[];
}
type Model = ReadonlyMap<string, TableState>;

type Op =
  | { kind: "create"; name: string }
  | { kind: "drop"; name: string }
  | { kind: "alter"; name: string; gen: number }
  | { kind: "addPartitions"; name: string; values: string[] };

function apply(model: Model, op: Op): Model {
  const next = new Map(model);
  const t = model.get(op.name);
  switch (op.kind) {
    case "create":
      next.set(op.name, { params: { gen: "0", a: "0", b: "0" }, cols: ["id", "name"], partitions: [] });
      break;
    case "drop":
      next.delete(op.name);
      break;
    case "alter": {
      const g = String(op.gen);
      next.set(op.name, { ...t!, params: { gen: g, a: g, b: g }, cols: ["id", "name", `c${g}`] });
      break;
    }
    case "addPartitions":
      next.set(op.name, { ...t!, partitions: [...t!.partitions, ...op.values.map((v) => `p=${v}`)].sort() });
      break;
  }
  return next;
}

function describe(model: Model): string {
  return JSON.stringify([...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function snapshot(c: HmsClient): Promise<Model> {
  const out = new Map<string, TableState>();
  for (const name of await c.get_all_tables(DB)) {
    const t = await c.get_table(DB, name);
    const p = t.parameters ?? {};
    const params = Object.fromEntries(["gen", "a", "b"].filter((k) => p[k] !== undefined).map((k) => [k, p[k]!]));
    const partitions = (await c.get_partition_names(DB, name, -1)).sort();
    out.set(name, { params, cols: (t.sd?.cols ?? []).map((col) => col.name), partitions });
  }
  return out;
}

function nextOp(rng: () => number, model: Model, counter: { gen: number; part: number }): Op {
  const existing = NAMES.filter((n) => model.has(n));
  const absent = NAMES.filter((n) => !model.has(n));
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rng() * xs.length)]!;
  const r = rng();
  if (existing.length === 0 || (absent.length > 0 && r < 0.15)) return { kind: "create", name: pick(absent) };
  if (r < 0.25) return { kind: "drop", name: pick(existing) };
  if (r < 0.55) return { kind: "alter", name: pick(existing), gen: ++counter.gen };
  const n = rng() < 0.3 ? 1 : 2 + Math.floor(rng() * 4);
  return { kind: "addPartitions", name: pick(existing), values: Array.from({ length: n }, () => `v${++counter.part}`) };
}

async function perform(c: HmsClient, op: Op): Promise<void> {
  switch (op.kind) {
    case "create":
      return c.create_table(table(DB, op.name, [["p", "string"]], { gen: "0", a: "0", b: "0" }));
    case "drop":
      return c.drop_table(DB, op.name, true);
    case "alter": {
      const g = String(op.gen);
      const t = table(DB, op.name, [["p", "string"]], { gen: g, a: g, b: g });
      t.sd.cols = [...t.sd.cols, new T.FieldSchema({ name: `c${g}`, type: "string", comment: "" })];
      return c.alter_table_with_environment_context(DB, op.name, t, new T.EnvironmentContext({ properties: {} }));
    }
    case "addPartitions":
      if (op.values.length === 1) {
        await c.add_partition(partition(DB, op.name, op.values));
        return;
      }
      await c.add_partitions(op.values.map((v) => partition(DB, op.name, [v])));
  }
}

test(`kill -9 during a DDL loop, ${ROUNDS} rounds: every acknowledged change survives, none is half-applied`, async () => {
  const rng = seededRandom(seed);
  const store = join(dir, "metastore.sqlite");
  const warehouse = join(dir, "warehouse");
  const counter = { gen: 0, part: 0 };
  let model: Model = new Map();
  let inflight: Op | undefined;
  const log: string[] = [];
  const context = (what: string) => `seed ${seed} (reproduce: STREAMHOUSE_CRASH_SEED=${seed}): ${what}; ops: ${log.slice(-8).join(", ")}`;
  let acknowledged = 0;
  let inflightApplied = 0;
  const started = Date.now();

  for (let round = 0; round <= ROUNDS; round++) {
    const server = await spawnMetastore({ store, warehouse });
    running.push(server);
    const { client, close } = connectClient(server.port);
    try {
      if (round === 0) await client.create_database(database(DB));

      // Recovery: exactly the acknowledged state, or that plus the in-flight change, whole.
      const actual = describe(await snapshot(client));
      const candidates = [describe(model)];
      if (inflight !== undefined) candidates.push(describe(apply(model, inflight)));
      expect(candidates, context(`round ${round}: recovered ${actual}; in flight ${JSON.stringify(inflight)}`)).toContain(actual);
      if (inflight !== undefined && actual !== candidates[0]) {
        model = apply(model, inflight);
        inflightApplied++;
      }
      inflight = undefined;
      if (round === ROUNDS) break;

      // The DDL loop, until the kill cuts it off.
      const killAfterMs = KILL_AFTER_MS_MIN + Math.floor(rng() * (KILL_AFTER_MS_MAX - KILL_AFTER_MS_MIN));
      const killer = setTimeout(() => server.child.kill("SIGKILL"), killAfterMs);
      try {
        for (;;) {
          const op = nextOp(rng, model, counter);
          inflight = op;
          try {
            await perform(client, op);
          } catch (e) {
            if (server.child.signalCode === "SIGKILL" || server.child.exitCode !== null || (e as Error).message === "connection closed") break;
            throw new Error(context(`${op.kind} ${op.name} failed while the server was up: ${(e as Error).message ?? String(e)}`));
          }
          model = apply(model, op);
          inflight = undefined;
          acknowledged++;
          log.push(`${op.kind} ${op.name}`);
        }
      } finally {
        clearTimeout(killer);
      }
      await server.exited;
      expect(server.child.signalCode, context("the server died by itself")).toBe("SIGKILL");
    } finally {
      close();
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill("SIGTERM");
        await server.exited;
      }
    }
  }
  console.log(`crash: seed ${seed}, ${ROUNDS} kills, ${acknowledged} acknowledged changes (in flight at a kill and found applied: ${inflightApplied}), ${model.size} tables at the end, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(acknowledged).toBeGreaterThan(ROUNDS);
}, 60_000);
