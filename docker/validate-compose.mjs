#!/usr/bin/env node
// Validates docker/compose.yaml without a Docker daemon or the `docker compose` plugin:
// Debian's `docker-compose` package (Compose 1.29, installed with apt-get when missing,
// as integration/postgres/ensure-postgres.mjs installs PostgreSQL) checks the file
// against its Compose JSON schema with `docker-compose config -q`. Then every local
// file the file names — the build's Dockerfile and context, bind-mounted sources — must
// exist, which the schema cannot know.
//   node docker/validate-compose.mjs
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../integration/support/run-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const composeFile = join(here, "compose.yaml");
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const APT_LOCK_TIMEOUT_SECONDS = 600;

function hasCompose() {
  return spawnSync("docker-compose", ["version", "--short"], { stdio: "ignore" }).status === 0;
}

async function installCompose() {
  if (process.platform !== "linux" || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error("docker-compose is not installed and apt-get is not available: install Docker Compose (docker-compose) to validate docker/compose.yaml");
  }
  if (process.getuid?.() !== 0) throw new Error("docker-compose is not installed and installing it with apt-get needs root: run `apt-get install -y docker-compose` as root");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const lock = ["-o", `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_SECONDS}`];
  console.error("streamhouse: installing docker-compose with apt-get to validate docker/compose.yaml (first run only)…");
  await runTool("apt-get", [...lock, "update"], INSTALL_TIMEOUT_MS, { env });
  await runTool("apt-get", [...lock, "install", "-y", "--no-install-recommends", "docker-compose"], INSTALL_TIMEOUT_MS, { env });
}

/** The local paths the resolved file refers to (build context and Dockerfile, bind-mount sources). */
function localPaths(config) {
  const out = [];
  for (const [name, service] of Object.entries(config.services ?? {})) {
    if (service.build !== undefined) {
      const context = resolve(here, service.build.context ?? ".");
      out.push([`${name}: build context`, context], [`${name}: Dockerfile`, resolve(context, service.build.dockerfile ?? "Dockerfile")]);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : volume.type === "bind" ? volume.source : undefined;
      if (source !== undefined && (source.startsWith("/") || source.startsWith("."))) out.push([`${name}: volume`, resolve(here, source)]);
    }
  }
  return out;
}

if (!hasCompose()) await installCompose();
const checked = spawnSync("docker-compose", ["-f", composeFile, "config", "-q"], { encoding: "utf8" });
if (checked.status !== 0) {
  console.error(`docker/compose.yaml is invalid:\n${checked.stderr.trim()}`);
  process.exit(1);
}
// The resolved configuration, as JSON through PyYAML (a dependency of docker-compose).
const resolved = spawnSync("docker-compose", ["-f", composeFile, "config"], { encoding: "utf8" });
const asJson = spawnSync("python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], { input: resolved.stdout, encoding: "utf8" });
if (resolved.status !== 0 || asJson.status !== 0) {
  console.error(`cannot read the resolved docker/compose.yaml: ${(resolved.stderr + asJson.stderr).trim()}`);
  process.exit(1);
}
const config = JSON.parse(asJson.stdout);
const missing = localPaths(config).filter(([, path]) => !existsSync(path));
if (missing.length > 0) {
  for (const [what, path] of missing) console.error(`docker/compose.yaml: ${what} ${path} does not exist`);
  process.exit(1);
}
console.error(`docker/compose.yaml is valid (${Object.keys(config.services).length} services)`);

