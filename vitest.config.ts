import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources of every workspace package: the
// "@streamhouse/source" export condition points each package at src/index.ts.
export default defineConfig({
  resolve: { conditions: ["@streamhouse/source"] },
  ssr: { resolve: { conditions: ["@streamhouse/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "connectors/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
