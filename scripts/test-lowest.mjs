// Runs packages/client/test/FastDecode.test.ts against the lowest versions of `effect`, `@effect/platform`
// and `@effect/platform-node` that the packages' peer ranges allow (the workspace's tests run against the
// installed ones). The fast decoder mirrors `ParseResult`'s interpreter, so it is checked at both ends of
// the range. The peers are installed with npm into node_modules/.cache/lowest-peers/<versions> (kept
// between runs), then vitest runs with vitest.lowest.config.ts.
//
//   node scripts/test-lowest.mjs        (pnpm test:lowest)
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const run = (cmd, args, options = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options })
  if (r.status !== 0) {
    console.error(`test-lowest: ${[cmd, ...args].join(" ")} failed`)
    process.exit(r.status ?? 1)
  }
  return r
}

const started = Date.now()
const versions = spawnSync(
  process.execPath,
  ["scripts/pack-test/versions.mjs", "lowest", "packages/client/package.json", "packages/testing/package.json"],
  { cwd: root, encoding: "utf8" }
)
if (versions.status !== 0) {
  console.error(versions.stderr)
  process.exit(1)
}
const specs = versions.stdout.trim().split(/\s+/)
const effect = specs.find((s) => s.startsWith("effect@"))
if (effect === undefined) throw new Error(`test-lowest: no effect peer in ${specs.join(" ")}`)

const dir = path.join(root, "node_modules/.cache/lowest-peers", specs.join("+").replace(/[/@]/g, "_"))
const installed = (spec) => {
  const at = spec.lastIndexOf("@")
  const manifest = path.join(dir, "node_modules", spec.slice(0, at), "package.json")
  return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).version === spec.slice(at + 1)
}
if (!specs.every(installed)) {
  console.log(`test-lowest: installing ${specs.join(" ")}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "lowest-peers", "private": true }\n')
  // without peer auto-install, as the pack test: @effect/platform-node's own peers would come at their newest
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--legacy-peer-deps", ...specs], { cwd: dir })
  const missing = specs.filter((s) => !installed(s))
  if (missing.length > 0) throw new Error(`test-lowest: not installed as asked: ${missing.join(" ")}`)
}
console.log(`test-lowest: FastDecode.test.ts with ${specs.join(" ")}`)
run(
  process.execPath,
  [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.lowest.config.ts"],
  {
    env: { ...process.env, LOWEST_PEERS_DIR: dir, LOWEST_EFFECT_VERSION: effect.slice("effect@".length) }
  }
)
console.log(`test-lowest: done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
