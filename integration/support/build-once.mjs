// Builds a cache directory at most once, shared by the engine installers: the work
// happens in a temporary sibling, a marker file records that it finished, and a rename
// makes it visible, so an interrupted install is never mistaken for a complete one and
// two processes installing at once both end with one complete copy.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The file inside a cache directory that says its build finished. */
export const COMPLETE_MARKER = ".streamhouse-complete";

/**
 * Runs `build(tmp)` unless `target` already holds a complete build; `build` returns the
 * marker's text. `createDir: false` leaves creating `tmp` to `build` (tools that refuse
 * an existing directory). Returns whether it built.
 */
export async function buildOnce(target, build, { createDir = true } = {}) {
  if (existsSync(join(target, COMPLETE_MARKER))) return false;
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    if (createDir) mkdirSync(tmp, { recursive: true });
    const note = await build(tmp);
    writeFileSync(join(tmp, COMPLETE_MARKER), note);
    try {
      renameSync(tmp, target);
    } catch (e) {
      // Another process finished first; theirs is as good as ours.
      if (!existsSync(join(target, COMPLETE_MARKER))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return true;
}
