// Type-checks every ```ts block of the doc comments in packages/{client,testing,sql}/src/*.ts: each block is
// written to scripts/.examples/<package>.<Module>.<n>.mts (gitignored) and checked with the strict
// workspace settings (unused names allowed), the packages resolved to their sources. The directory is
// removed when everything passes and kept for inspection when something fails.
//
//   node scripts/check-examples.mjs
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const tscBin = createRequire(path.join(root, "package.json")).resolve("typescript/bin/tsc")
const outDir = path.join(root, "scripts/.examples")
fs.rmSync(outDir, { recursive: true, force: true })
fs.mkdirSync(outDir, { recursive: true })
fs.writeFileSync(path.join(outDir, ".gitignore"), "*\n")

const files = []
for (const pkg of ["client", "testing", "sql"]) {
  const srcDir = path.join(root, "packages", pkg, "src")
  for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(srcDir, file), "utf8")
    let n = 0
    for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
      const lines = comment.split("\n").map((l) => l.replace(/^\s*\*? ?/, ""))
      for (const block of lines.join("\n").matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)) {
        const name = `${pkg}.${file.replace(/\.ts$/, "")}.${++n}.mts`
        fs.writeFileSync(path.join(outDir, name), `// from packages/${pkg}/src/${file}\n${block[1]}`)
        files.push(name)
      }
    }
  }
}

fs.writeFileSync(
  path.join(outDir, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        noUnusedLocals: false,
        noUnusedParameters: false,
        paths: {
          "@effect-iamport/client": ["../../packages/client/src/index.ts"],
          "@effect-iamport/client/*": ["../../packages/client/src/*.ts"],
          "@effect-iamport/testing": ["../../packages/testing/src/index.ts"],
          "@effect-iamport/testing/*": ["../../packages/testing/src/*.ts"],
          "@effect-iamport/sql": ["../../packages/sql/src/index.ts"],
          "@effect-iamport/sql/*": ["../../packages/sql/src/*.ts"]
        }
      },
      files
    },
    null,
    2
  )
)
console.log(`check-examples: ${files.length} examples in scripts/.examples`)
const r = spawnSync(process.execPath, [tscBin, "-p", path.join(outDir, "tsconfig.json")], { stdio: "inherit" })
if (r.status !== 0) process.exit(r.status ?? 1)
fs.rmSync(outDir, { recursive: true, force: true })
console.log("check-examples: all type-check")
