// Exact versions for the pack test's installs (no lockfile there), printed as `name@version` specs:
//   node versions.mjs workspace <package>...   each package as installed in the workspace (run from its root)
//   node versions.mjs lowest <package.json>... each peer at the lowest version that every manifest's range allows
import * as fs from "node:fs"
import { createRequire } from "node:module"

const [mode, ...args] = process.argv.slice(2)

/** `1.2.3` as numbers, for comparison. */
const parts = (version) => version.split(".").map(Number)
const higher = (a, b) => {
  const [x, y] = [parts(a), parts(b)]
  const i = x.findIndex((n, k) => n !== y[k])
  return i !== -1 && x[i] > y[i] ? a : b
}

/** The lowest version a `^x.y.z`, `~x.y.z` or `x.y.z` range allows; anything else is refused. */
const lowest = (name, range) => {
  const match = /^[\^~]?(\d+\.\d+\.\d+)$/.exec(range)
  if (match === null) throw new Error(`${name}: cannot take the lowest version of the range "${range}"`)
  return match[1]
}

const specs = []
if (mode === "workspace") {
  const require = createRequire(`${process.cwd()}/`)
  for (const name of args) specs.push(`${name}@${require(`${name}/package.json`).version}`)
} else if (mode === "lowest") {
  const floors = new Map()
  for (const path of args) {
    const peers = JSON.parse(fs.readFileSync(path, "utf8")).peerDependencies ?? {}
    for (const [name, range] of Object.entries(peers)) {
      const floor = lowest(name, range)
      floors.set(name, floors.has(name) ? higher(floors.get(name), floor) : floor)
    }
  }
  for (const [name, version] of floors) specs.push(`${name}@${version}`)
} else {
  throw new Error(`usage: versions.mjs workspace <package>... | lowest <package.json>...`)
}
console.log(specs.join(" "))
