// Checks what `pnpm pack` wrote: publishConfig applied, workspace: rewritten, the files a consumer needs.
//   node check-manifests.mjs client/package.json testing/package.json client.tgz testing.tgz
import * as assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"

const [clientPath, testingPath, clientTgz, testingTgz] = process.argv.slice(2)
const client = JSON.parse(fs.readFileSync(clientPath, "utf8"))
const testing = JSON.parse(fs.readFileSync(testingPath, "utf8"))
const filesOf = (tgz) => new Set(execFileSync("tar", ["tzf", tgz], { encoding: "utf8" }).trim().split("\n"))

for (const [manifest, tgz] of [
  [client, clientTgz],
  [testing, testingTgz]
]) {
  const name = manifest.name
  const files = filesOf(tgz)
  // pnpm moves publishConfig's exports/main/module/types/bin to the top level and keeps the rest
  assert.deepEqual(manifest.publishConfig, { access: "public" }, `${name}: publishConfig was not applied`)
  assert.equal(manifest.type, "module", name)
  assert.equal(manifest.sideEffects, false, name)
  assert.equal(manifest.main, "./dist/cjs/index.js", name)
  assert.equal(manifest.module, "./dist/esm/index.js", name)
  assert.equal(manifest.types, "./dist/cjs/index.d.ts", name)
  assert.equal(manifest.exports["./internal/*"], null, name)
  assert.ok(!JSON.stringify(manifest).includes("workspace:"), `${name}: a workspace: range was not rewritten`)
  assert.ok(!JSON.stringify(manifest.exports).includes("/src/"), `${name}: exports point at sources`)
  assert.equal(manifest.peerDependencies.effect, "^3.22.0", name)
  assert.equal(manifest.peerDependencies["@effect/platform"], "^0.97.0", name)
  for (const file of ["LICENSE", "README.md", "CHANGELOG.md", "package.json", "dist/cjs/package.json"]) {
    assert.ok(files.has(`package/${file}`), `${name}: ${file} is not packed`)
  }
  // every target of the exports map is in the tarball
  const targets = []
  const collect = (value) => {
    if (typeof value === "string") targets.push(value)
    else if (value && typeof value === "object") Object.values(value).forEach(collect)
  }
  collect(manifest.exports)
  collect(manifest.bin)
  for (const target of [...targets, manifest.main, manifest.module, manifest.types]) {
    assert.ok(files.has(`package/${target.replace(/^\.\//, "")}`), `${name}: ${target} is not packed`)
  }
  for (const file of files) {
    assert.ok(!/\/(test|node_modules)\/|tsconfig|\.tsbuildinfo$/.test(file), `${name}: ${file} should not be packed`)
  }
  console.log(`    ${name}@${manifest.version}: ${Object.keys(manifest.exports).length} exports entries, all present`)
}

assert.equal(testing.dependencies["@effect-iamport/client"], client.version, "workspace:* -> the client's version")
assert.equal(testing.peerDependencies["@effect/platform-node"], "^0.108.0")
assert.deepEqual(testing.bin, { "iamport-emulator": "./dist/bin/emulator.js" })
console.log(
  `    @effect-iamport/testing depends on @effect-iamport/client ${testing.dependencies["@effect-iamport/client"]}`
)
