// A minimal client of the Java Paimon peer (integration/paimon-java) for benchmarks:
// benchmarks are plain .mjs on Node 20, so they cannot import the TypeScript harness.
// Starts one `serve` JVM and sends it JSON-line requests one at a time; `peakRssMiB()`
// reads the JVM's peak resident set (VmHWM) from /proc.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { ensurePaimonJavaInstall } from "../integration/paimon-java/ensure-paimon-java.mjs";

/** USER_HZ of /proc/<pid>/stat times: 100 on Linux (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;
const BASE_JVM_ARGS = ["-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.logFile=System.err"];

/** Starts a peer JVM with `jvmArgs` (heap, GC, JIT flags); call `close()` when done. */
export async function startPeer(jvmArgs = []) {
  const install = await ensurePaimonJavaInstall({ log: (l) => process.stderr.write(`${l}\n`) });
  const child = spawn(install.java, [...BASE_JVM_ARGS, ...jvmArgs, "-cp", install.classpath, install.mainClass, "serve"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-8000);
  });
  const lines = [];
  const waiters = [];
  let closed = false;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const w = waiters.shift();
    if (w !== undefined) w(line);
    else lines.push(line);
  });
  child.once("close", () => {
    closed = true;
    process.removeListener("exit", killOnExit);
    for (const w of waiters.splice(0)) w(null);
  });
  const nextLine = () => {
    const l = lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (closed) return Promise.resolve(null);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const ready = await nextLine();
  if (ready !== '{"ready":true}') throw new Error(`the Java Paimon peer did not start:\n${stderr}`);

  let nextId = 1;
  const call = async (request) => {
    const id = nextId++;
    child.stdin.write(`${JSON.stringify({ ...request, id })}\n`);
    const line = await nextLine();
    if (line === null) throw new Error(`the Java Paimon peer exited during ${request.cmd}:\n${stderr}`);
    const reply = JSON.parse(line);
    if (!reply.ok) throw new Error(`Java Paimon ${request.cmd} failed: ${reply.error}\n${reply.trace ?? ""}`);
    return reply;
  };
  return {
    install,
    run: async (script) => (await call({ cmd: "run", script })).log,
    count: async (table, options = {}) => (await call({ cmd: "count", table, ...options })).count,
    /** CPU time (user + system, all threads) the JVM has used so far, in ms. */
    cpuMs() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
      // After the command name: state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
    peakRssMiB() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      return m === null ? null : Math.round(Number(m[1]) / 1024);
    },
    close: () =>
      new Promise((resolve) => {
        if (closed) return resolve();
        child.once("close", () => resolve());
        child.stdin.end();
      }),
  };
}
