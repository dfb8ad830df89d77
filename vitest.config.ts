import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // test files run in child processes with `gc()`: the soak test measures the heap after a collection
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
    // the JSON report lets .ci/run print a plain "N passed, N failed" line
    reporters: ["default", "json"],
    outputFile: { json: "node_modules/.cache/vitest-results.json" }
  }
})
