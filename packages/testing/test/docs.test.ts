import { assert, describe, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const read = (file: string) => Fs.readFileSync(Path.join(root, file), "utf8")

/** Every source and document file of the repository (no dependencies, builds or generated pages). */
const files = (dir = root): Array<string> =>
  Fs.readdirSync(Path.join(root, dir === root ? "" : dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === root ? entry.name : `${dir}/${entry.name}`
    if (entry.isDirectory()) {
      return ["node_modules", "dist", ".git", "api"].includes(entry.name) ? [] : files(path)
    }
    return /\.(ts|mts|mjs|js|md|json|sh|ya?ml)$|^run$/.test(entry.name) ? [path] : []
  })

describe("references", () => {
  it("no file points at a document outside the repository (the API facts are in docs/API-NOTES.md)", () => {
    const outside = ["API-" + "FACTS", "../" + "shared/"]
    const found = files().filter((file) => outside.some((needle) => read(file).includes(needle)))
    assert.deepStrictEqual(found, [])
  })
})

describe("API reference build", () => {
  it("is `pnpm docs:api`: a script named `docs` is shadowed by pnpm's own `docs` command", () => {
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>
    assert.notProperty(scripts, "docs")
    assert.strictEqual(scripts["docs:api"], "pnpm --filter @effect-iamport/docs build")
    assert.match(read(".ci/run"), /^\$PNPM run docs:api$/m)
  })

  it("names each TypeDoc module after the package (and subpath) it documents", () => {
    const config = JSON.parse(read("docs/typedoc.json")) as { entryPoints: Array<string> }
    const names = config.entryPoints.map((entry) => {
      const text = read(Path.join("docs", entry))
      const module = /@module (\S+)/.exec(text)?.[1]
      const target = /export \* from "\.\.\/\.\.\/packages\/(\w+)\/src\/(\w+)\.js"/.exec(text)
      assert.isDefined(module, entry)
      assert.isNotNull(target, entry)
      const pkg = JSON.parse(read(`packages/${target![1]}/package.json`)).name as string
      assert.strictEqual(module, target![2] === "index" ? pkg : `${pkg}/${target![2]}`, entry)
      return module
    })
    assert.deepStrictEqual(names, [
      "@effect-iamport/client",
      "@effect-iamport/client/NodeIamportClient",
      "@effect-iamport/testing"
    ])
  })
})
