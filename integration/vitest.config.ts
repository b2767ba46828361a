import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The integration suite: real engines and services, installed into ~/.cache/streamhouse
// on first use (a first run downloads for minutes; later runs start from the cache).
// Run from the repository root: `npx vitest run --config integration/vitest.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  resolve: { conditions: ["@streamhouse/source"] },
  ssr: { resolve: { conditions: ["@streamhouse/source"] } },
  test: {
    include: ["integration/**/*.test.ts", "connectors/*/integration/**/*.test.ts"],
    testTimeout: 10 * 60_000,
    // beforeAll hooks install engines on a cold cache.
    hookTimeout: 20 * 60_000,
    pool: "forks",
  },
});
