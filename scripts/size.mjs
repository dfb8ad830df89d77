// Bundle sizes (minified + gzipped) of small programs against the built packages (run `pnpm build` first).
// Uses the esbuild that tsx brings into the workspace; tree shaking works when "getPayment only" is far
// below "the whole client".
//
//   node scripts/size.mjs
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as zlib from "node:zlib"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const fromTsx = createRequire(createRequire(path.join(root, "package.json")).resolve("tsx/package.json"))
const esbuild = fromTsx("esbuild")

const dist = (pkg) => path.join(root, "packages", pkg, "dist/esm")
if (!fs.existsSync(path.join(dist("client"), "index.js"))) {
  console.error("size: packages/client/dist/esm is missing; run `pnpm build` first")
  process.exit(1)
}

// @effect-iamport/client[/X] -> packages/client/dist/esm/{index,X}.js (so its package.json, with
// "sideEffects": false, applies as it will for users)
const workspacePackages = {
  name: "workspace-packages",
  setup(build) {
    build.onResolve({ filter: /^@effect-iamport\/(client|testing)(\/[A-Za-z]+)?$/ }, (args) => {
      const [, pkg, sub] = /^@effect-iamport\/(client|testing)(?:\/([A-Za-z]+))?$/.exec(args.path)
      return { path: path.join(dist(pkg), `${sub ?? "index"}.js`) }
    })
  }
}

const programs = {
  "Payments.getPayment only": `
    import { Payments } from "@effect-iamport/client"
    export const program = Payments.getPayment("imp_123456789012")`,
  "getPayment + IamportClient.layer + FetchHttpClient, run": `
    import { FetchHttpClient } from "@effect/platform"
    import { IamportClient, Payments } from "@effect-iamport/client"
    import { Effect, Layer, Redacted } from "effect"
    const Iamport = IamportClient.layer({ apiKey: "key", apiSecret: Redacted.make("secret") }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    Payments.getPayment("imp_123456789012").pipe(Effect.provide(Iamport), Effect.runPromise).then(console.log)`,
  "the whole client (import * and keep everything)": `
    import * as Client from "@effect-iamport/client"
    export { Client }`,
  "for scale: effect only, Effect.runPromise(Effect.succeed(1))": `
    import { Effect } from "effect"
    Effect.runPromise(Effect.succeed(1)).then(console.log)`
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
const rows = []
for (const [name, contents] of Object.entries(programs)) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, sourcefile: "entry.ts", loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "error",
    plugins: [workspacePackages]
  })
  const code = result.outputFiles[0].contents
  const gzip = zlib.gzipSync(code, { level: 9 }).length
  // minified bytes that come from this repository's packages (the rest is effect and @effect/platform)
  const inputs = Object.values(result.metafile.outputs)[0].inputs
  const ours = Object.entries(inputs)
    .filter(([file]) => file.includes("packages/client/dist/"))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0)
  rows.push({ name, minified: code.length, gzip, ours })
}

const width = Math.max(...rows.map((r) => r.name.length))
const cols = ["minified", "min+gzip", "of which @effect-iamport/client (minified)"]
console.log(`${"program".padEnd(width)}  ${cols[0].padStart(10)}  ${cols[1].padStart(10)}  ${cols[2]}`)
for (const r of rows)
  console.log(`${r.name.padEnd(width)}  ${kb(r.minified).padStart(10)}  ${kb(r.gzip).padStart(10)}  ${kb(r.ours)}`)
console.log(`(esbuild ${esbuild.version}, --bundle --minify --format=esm --platform=browser, gzip -9)`)
