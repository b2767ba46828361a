// Fuzzing the server on the wire: ≥ 100,000 malformed inputs made from real
// requests by seeded mutations (random bytes, truncation, byte flips, absurd
// lengths, wrong field types, one method's arguments under another's name…).
//
// Each input is sent on a connection that is at a message boundary, followed by
// a getStatus probe. The server must then either answer the probe (it parsed
// the input as whole messages, answered them, and is ready for more) or close
// the connection, within a bound: a partial message waits at most the
// partial-message timeout. Nothing may hang, crash the server or grow its
// memory without bound, and a well-behaved client is served between bursts.
//
// Reproduce a failure with STREAMHOUSE_FUZZ_SEED=<seed> (printed on failure).
import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { database, type HmsClient, type Harness, partition, startHarness, T, table } from "./support/harness.js";
import { type CorpusEntry, corpusEntry, MUTATIONS, type Mutation, mutate, probeCall, probeReply, seededRandom } from "./support/wire-bytes.js";

const INPUTS = 100_000;
const BURSTS = 10;
/** Concurrent connections: most closes wait out the partial-message timeout, so overlap them. */
const WORKERS = 256;
const PARTIAL_MESSAGE_TIMEOUT_MS = 100;
/** An input that gets neither the probe's answer nor a close within this is a hang. */
const ANSWER_OR_CLOSE_MS = 5_000;
/** With no answer and no close after this, send another probe (see FuzzConnection.exchange). */
const NUDGE_AFTER_MS = 4 * PARTIAL_MESSAGE_TIMEOUT_MS;
const NUDGES_MAX = 3;
const MEMORY_GROWTH_MAX_BYTES = 200 * 1024 * 1024;

const seed = Number(process.env.STREAMHOUSE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let h: Harness;
let steady: HmsClient;

beforeAll(async () => {
  h = await startHarness({ maxMessageBytes: 1024 * 1024, partialMessageTimeoutMs: PARTIAL_MESSAGE_TIMEOUT_MS });
  const c = h.client();
  await c.create_database(database("fuzz"));
  await c.create_table(table("fuzz", "t", [["p", "string"]], { k: "v" }));
  await c.create_table(table("fuzz", "t2"));
  await c.add_partitions(["a", "b", "c"].map((v) => partition("fuzz", "t", [v])));
  await c.create_table(table("default", "ok"));
  steady = h.client();
});

afterAll(async () => {
  await h?.close();
});

function corpus(): CorpusEntry[] {
  const lock = new T.LockRequest({
    component: [new T.LockComponent({ type: T.LockType.EXCLUSIVE, level: T.LockLevel.TABLE, dbname: "fuzz", tablename: "t" } as never)],
    user: "fuzzer",
    hostname: "localhost",
  } as never);
  return [
    corpusEntry("get_all_databases", []),
    corpusEntry("get_database", ["fuzz"]),
    corpusEntry("get_table", ["fuzz", "t"]),
    corpusEntry("get_table_req", [new T.GetTableRequest({ dbName: "fuzz", tblName: "t" } as never)]),
    corpusEntry("get_table_objects_by_name", ["fuzz", ["t", "t2"]]),
    corpusEntry("get_partitions_by_names", ["fuzz", "t", ["p=a", "p=b"]]),
    corpusEntry("get_partitions_by_names_req", [new T.GetPartitionsByNamesRequest({ db_name: "fuzz", tbl_name: "t", names: ["p=c"] } as never)]),
    corpusEntry("get_partitions_by_filter", ["fuzz", "t", 'p = "a" or (p > "b" and p <> "zz")', -1]),
    corpusEntry("get_partition_names", ["fuzz", "t", -1]),
    corpusEntry("partition_name_to_vals", ["p=a/q=b%2Fc"]),
    corpusEntry("create_table", [table("fuzz", "c", [["p", "string"]], { k: "v" })]),
    corpusEntry("add_partitions", [[partition("fuzz", "t", ["z"])]]),
    corpusEntry("alter_table_with_environment_context", [
      "fuzz",
      "t2",
      table("fuzz", "t2", [], { a: "1" }),
      new T.EnvironmentContext({ properties: { DO_NOT_UPDATE_STATS: "true" } }),
    ]),
    corpusEntry("set_ugi", ["fuzzer", ["g1", "g2"]]),
    corpusEntry("get_config_value", ["hive.metastore.warehouse.dir", "x"]),
    corpusEntry("lock", [lock]),
    corpusEntry("get_next_notification", [new T.NotificationEventRequest({ lastEvent: 0, maxEvents: 5 } as never)]),
  ];
}

type Outcome = "answered" | "closed" | "hung";

/** One client connection that sends input + probe and waits for the probe's reply or a close. */
class FuzzConnection {
  private received: Buffer = Buffer.alloc(0);
  private closedFlag = false;
  private wake: (() => void) | undefined;
  private readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("data", (d: Buffer) => {
      this.received = this.received.length === 0 ? d : Buffer.concat([this.received, d]);
      this.wake?.();
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closedFlag = true;
      this.wake?.();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * Sends input + probe. The input may swallow the probe (a length that
   * reaches into it) and still end on a message boundary, so when neither an
   * answer nor a close comes for a while, a fresh probe is sent: a server at a
   * boundary answers it, one inside a partial message closes on its timeout.
   */
  async exchange(input: Buffer, probeSeqid: () => number): Promise<Outcome> {
    let seqid = probeSeqid();
    const probes = [probeReply(seqid)];
    this.received = Buffer.alloc(0);
    this.socket.write(Buffer.concat([input, probeCall(seqid)]));
    const deadline = Date.now() + ANSWER_OR_CLOSE_MS;
    let nudgeAt = Date.now() + NUDGE_AFTER_MS;
    for (;;) {
      if (probes.some((p) => this.received.includes(p))) {
        this.received = Buffer.alloc(0);
        return "answered";
      }
      if (this.closedFlag) return "closed";
      const now = Date.now();
      if (now >= deadline) return "hung";
      if (now >= nudgeAt && probes.length <= NUDGES_MAX) {
        seqid = probeSeqid();
        probes.push(probeReply(seqid));
        this.socket.write(probeCall(seqid));
        nudgeAt = now + NUDGE_AFTER_MS;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, Math.min(deadline, nudgeAt) - now));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

test(`${INPUTS.toLocaleString("en-US")} malformed inputs: each answered or closed, memory bounded, clients served between bursts`, async () => {
  const rng = seededRandom(seed);
  const entries = corpus();
  const port = h.server.port;
  const outcomes: Record<Outcome, number> = { answered: 0, closed: 0, hung: 0 };
  const byKind = Object.fromEntries(MUTATIONS.map((m) => [m, { answered: 0, closed: 0 }])) as Record<Mutation, { answered: number; closed: number }>;
  const failures: string[] = [];
  const memory: { rss: number; heapUsed: number }[] = [];
  let probeSeqid = 1_000_000;
  let sent = 0;
  const started = Date.now();
  const context = () => `seed ${seed} (reproduce: STREAMHOUSE_FUZZ_SEED=${seed}); failures: ${failures.slice(0, 5).join("; ")}`;

  for (let burst = 0; burst < BURSTS; burst++) {
    const perBurst = INPUTS / BURSTS;
    let next = 0;
    const worker = async (): Promise<void> => {
      let conn: FuzzConnection | undefined;
      while (next < perBurst) {
        next++;
        const input = mutate(rng, entries);
        if (conn === undefined || conn.closed) conn = new FuzzConnection(port);
        const outcome = await conn.exchange(input.bytes, () => probeSeqid++);
        sent++;
        outcomes[outcome]++;
        if (outcome === "answered" || outcome === "closed") byKind[input.kind][outcome]++;
        else {
          if (failures.length < 20) failures.push(`${outcome}: ${input.kind} of ${input.method}: ${input.bytes.subarray(0, 96).toString("hex")}`);
          conn.destroy();
          conn = undefined;
        }
      }
      conn?.destroy();
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    // A client that was connected before the fuzzing started, and a fresh one.
    expect(await steady.get_all_databases(), context()).toEqual(["default", "fuzz"]);
    expect((await steady.get_table("default", "ok")).tableName, context()).toBe("ok");
    const fresh = h.client();
    expect((await fresh.get_partitions_by_names("fuzz", "t", ["p=a"])).map((p) => p.values), context()).toEqual([["a"]]);
    const m = process.memoryUsage();
    memory.push({ rss: m.rss, heapUsed: m.heapUsed });
  }

  const seconds = (Date.now() - started) / 1000;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  const baseline = memory[0]!;
  const peak = { rss: Math.max(...memory.map((x) => x.rss)), heapUsed: Math.max(...memory.map((x) => x.heapUsed)) };
  console.log(
    `fuzz: seed ${seed}, ${sent} inputs in ${seconds.toFixed(1)} s: ${outcomes.answered} answered, ${outcomes.closed} closed; ` +
      `rss ${mib(baseline.rss)} → peak ${mib(peak.rss)}, heap ${mib(baseline.heapUsed)} → peak ${mib(peak.heapUsed)}; by kind ${JSON.stringify(byKind)}`,
  );
  expect(sent).toBeGreaterThanOrEqual(INPUTS);
  expect(failures, context()).toEqual([]);
  expect(outcomes.answered + outcomes.closed, context()).toBe(sent);
  // Both outcomes must be common, or the mutations are not exercising the parser.
  expect(outcomes.answered, context()).toBeGreaterThan(INPUTS / 20);
  expect(outcomes.closed, context()).toBeGreaterThan(INPUTS / 20);
  expect(peak.rss - baseline.rss, context()).toBeLessThan(MEMORY_GROWTH_MAX_BYTES);
  expect(peak.heapUsed - baseline.heapUsed, context()).toBeLessThan(MEMORY_GROWTH_MAX_BYTES);
}, 120_000);
