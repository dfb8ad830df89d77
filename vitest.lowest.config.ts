/**
 * The fast decoder's tests against the lowest versions the peer ranges allow (`scripts/test-lowest.mjs`
 * installs them and sets LOWEST_PEERS_DIR): `effect`, `@effect/platform` and `@effect/platform-node`
 * resolve to that install for the sources, the tests and `@effect/vitest` alike, so one copy of each runs.
 * The fast path mirrors `ParseResult`'s internals, which may change between versions of the range.
 */
import * as Path from "node:path"
import { defineConfig } from "vitest/config"

const dir = process.env.LOWEST_PEERS_DIR
if (dir === undefined) throw new Error("LOWEST_PEERS_DIR is not set: run `node scripts/test-lowest.mjs`")
const modules = Path.join(Path.resolve(dir), "node_modules")

/** `name` and `name/Module` to the ES modules of that package in the install (as Node's "import" condition). */
const esm = (name: string) => {
  const escaped = name.replace(/[/]/g, "\\/")
  return [
    { find: new RegExp(`^${escaped}$`), replacement: Path.join(modules, name, "dist/esm/index.js") },
    { find: new RegExp(`^${escaped}/([A-Za-z]+)$`), replacement: Path.join(modules, name, "dist/esm/$1.js") }
  ]
}

export default defineConfig({
  resolve: { alias: [...esm("effect"), ...esm("@effect/platform"), ...esm("@effect/platform-node")] },
  test: {
    include: ["packages/client/test/FastDecode.test.ts"],
    setupFiles: ["scripts/test-lowest.setup.ts"],
    // through Vite, so that its `effect` is the aliased one
    server: { deps: { inline: ["@effect/vitest"] } },
    testTimeout: 30_000
  }
})
