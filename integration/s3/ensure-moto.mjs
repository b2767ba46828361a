#!/usr/bin/env node
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const requirementsFile = join(here, "requirements.txt");
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const COMPLETE_MARKER = ".streamhouse-complete";

/** The moto version pinned in requirements.txt. */
export const MOTO_VERSION = /^moto(?:\[[^\]]*\])?==(\S+)/m.exec(readFileSync(requirementsFile, "utf8"))?.[1] ?? "unpinned";

const run = runTool;

/**
 * Returns the venv's python (run moto as `python -m …`, which survives the
 * rename; console scripts would not) after installing it if missing.
 */
export async function ensureMoto({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const python = process.env.STREAMHOUSE_PYTHON ?? "python3";
  let pythonVersion;
  try {
    pythonVersion = (await run(python, ["-c", "import sys, venv; print(sys.version)"], 30_000)).trim();
  } catch (e) {
    throw new Error(`moto needs Python 3 with the venv module (set STREAMHOUSE_PYTHON to choose one): ${e.message}`);
  }
  const hash = createHash("sha256").update(readFileSync(requirementsFile)).update(pythonVersion).digest("hex").slice(0, 16);
  const cacheRoot = process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse");
  const venv = join(cacheRoot, "moto-venv", hash);
  const venvPython = join(venv, "bin", "python");
  if (existsSync(join(venv, COMPLETE_MARKER))) return { python: venvPython, venv, version: MOTO_VERSION };

  mkdirSync(dirname(venv), { recursive: true });
  const tmp = `${venv}.tmp-${process.pid}-${Date.now()}`;
  const started = Date.now();
  log(`streamhouse: installing moto ${MOTO_VERSION} into ${venv} (first run only)…`);
  try {
    await run(python, ["-m", "venv", tmp], 120_000);
    const tmpPython = join(tmp, "bin", "python");
    await run(tmpPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirementsFile], INSTALL_TIMEOUT_MS);
    const installed = (await run(tmpPython, ["-c", "import moto, moto.server; print(moto.__version__)"], 60_000)).trim();
    if (installed !== MOTO_VERSION) throw new Error(`installed moto ${installed}, expected ${MOTO_VERSION}`);
    writeFileSync(join(tmp, COMPLETE_MARKER), `moto ${installed}\npython ${pythonVersion}\n`);
    try {
      renameSync(tmp, venv);
    } catch (e) {
      // Another process finished first; theirs is as good as ours.
      if (!existsSync(join(venv, COMPLETE_MARKER))) throw e;
    }
  } catch (e) {
    throw new Error(`cannot install moto ${MOTO_VERSION} from PyPI: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`streamhouse: moto ${MOTO_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { python: venvPython, venv, version: MOTO_VERSION };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { venv, version } = await ensureMoto();
    console.log(`moto ${version}: ${venv}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
