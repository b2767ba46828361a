// Shared by the integration/*/ensure-*.mjs installers: where downloads are cached,
// and running a command-line tool with a time limit, keeping the tail of its output
// for the error message when it fails.
import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

/** `~/.cache/streamhouse`, or STREAMHOUSE_CACHE. */
export function cacheRoot() {
  return process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse");
}

/** Runs `cmd args`; resolves with its (tail of) output, rejects with it on failure or timeout. */
export function runTool(cmd, args, timeoutMs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    const keep = (d) => {
      output = (output + String(d)).slice(-16_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}
