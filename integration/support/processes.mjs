// Stopping the engine processes the harnesses start. Each engine runs in its own
// process group (spawned with `detached: true`), so a signal reaches the JVMs and
// Python workers it forks, not just the launcher.

/** Sends `signal` to the child's whole process group; a group already gone is fine. */
export function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves true once the child has exited, false if it is still running after `timeoutMs`. */
export function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
