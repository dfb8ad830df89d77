// Builds the publishable output of packages/client, packages/testing and packages/sql (in that order):
//
//   dist/esm   ES modules       `tsc -p tsconfig.build.esm.json` (type-checked; also writes dist/dts)
//   dist/dts   declarations     for the `import` condition (the package is "type": "module")
//   dist/cjs   CommonJS         each file transpiled with the options of tsconfig.build.cjs.json
//                               (`isolatedModules` guarantees per-file transpiling is sound), plus a
//                               {"type":"commonjs"} marker and a copy of the declarations, so that
//                               `require` gets CommonJS-flavoured types
//   dist/bin   the CLI          (testing only) bin/emulator.ts, importing ../esm/index.js
//
// It also checks that `publishConfig.exports` lists exactly the public modules (src/*.ts), that
// no declaration points into another package's sources or dist, and that the declarations of the
// public modules do not name internal ones (`import("./internal/operation.js").Operation`): a public
// type is declared in a public module, and internal modules import it from there.
//
//   node scripts/build.mjs [client|testing|sql ...]   build (default: all three)
//   node scripts/build.mjs --write-exports        rewrite publishConfig.exports from src/*.ts, then build
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const require = createRequire(path.join(root, "package.json"))
const ts = require("typescript")
const tscBin = require.resolve("typescript/bin/tsc")

const ORDER = ["client", "testing", "sql"]
const args = process.argv.slice(2)
const writeExports = args.includes("--write-exports")
const selected = args.filter((a) => !a.startsWith("--"))
const packages = selected.length === 0 ? ORDER : ORDER.filter((p) => selected.includes(p))

const fail = (message) => {
  console.error(`build: ${message}`)
  process.exit(1)
}

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? walk(p) : [p]
  })

/** The public modules of a package: src/*.ts except index.ts (src/internal is private). */
const publicModules = (dir) =>
  fs
    .readdirSync(path.join(dir, "src"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "index.ts")
    .map((f) => f.slice(0, -3))
    .sort()

const entry = (name) => ({
  import: { types: `./dist/dts/${name}.d.ts`, default: `./dist/esm/${name}.js` },
  require: { types: `./dist/cjs/${name}.d.ts`, default: `./dist/cjs/${name}.js` }
})

const expectedExports = (dir) => {
  const exports = { "./package.json": "./package.json", ".": entry("index") }
  for (const m of publicModules(dir)) exports[`./${m}`] = entry(m)
  exports["./internal/*"] = null
  // generated code is what the public area modules re-export, never an entry point of its own
  if (fs.existsSync(path.join(dir, "src/generated"))) exports["./generated/*"] = null
  return exports
}

const checkManifest = (name, dir) => {
  const manifestPath = path.join(dir, "package.json")
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"))
  const expected = expectedExports(dir)
  if (writeExports) {
    manifest.publishConfig = { ...manifest.publishConfig, exports: expected }
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n")
    console.log(`build: ${name}: wrote publishConfig.exports (${Object.keys(expected).length} entries)`)
    return
  }
  const actual = manifest.publishConfig?.exports
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(
      `${name}: publishConfig.exports does not list exactly the public modules ` +
        `(${publicModules(dir).join(", ")}); run \`node scripts/build.mjs --write-exports\``
    )
  }
}

const run = (cmd, argv, cwd) => {
  const r = spawnSync(cmd, argv, { cwd, stdio: "inherit" })
  if (r.status !== 0) fail(`${[cmd, ...argv].join(" ")} failed in ${path.relative(root, cwd)}`)
}

const readConfig = (dir, file) => {
  const configPath = path.join(dir, file)
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile)
  if (error) fail(ts.flattenDiagnosticMessageText(error.messageText, "\n"))
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir, undefined, configPath)
  if (parsed.errors.length > 0)
    fail(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"))
  return parsed
}

/** CommonJS: transpile each source file (no type check: the ESM build already did it). */
const buildCjs = (dir) => {
  const { options, fileNames } = readConfig(dir, "tsconfig.build.cjs.json")
  const srcDir = path.join(dir, "src")
  const outDir = path.join(dir, "dist/cjs")
  for (const file of fileNames) {
    const rel = path.relative(srcDir, file).replace(/\.ts$/, ".js")
    const out = path.join(outDir, rel)
    const { outputText, sourceMapText, diagnostics } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: options,
      fileName: file,
      reportDiagnostics: true
    })
    if (diagnostics?.length)
      fail(`${file}: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))}`)
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(out, outputText)
    if (sourceMapText) {
      const map = JSON.parse(sourceMapText)
      map.file = path.basename(out)
      map.sources = [path.relative(path.dirname(out), file).split(path.sep).join("/")]
      fs.writeFileSync(out + ".map", JSON.stringify(map))
    }
  }
  // the same declarations, read as CommonJS because of the marker below
  const dtsDir = path.join(dir, "dist/dts")
  for (const file of walk(dtsDir)) {
    const out = path.join(outDir, path.relative(dtsDir, file))
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.copyFileSync(file, out)
  }
  fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n")
}

/** The CLI: bin/emulator.ts imports ../src/*.js, which in the package is ../esm/*.js. */
const buildBin = (dir) => {
  const binDir = path.join(dir, "bin")
  if (!fs.existsSync(binDir)) return
  const outDir = path.join(dir, "dist/bin")
  fs.mkdirSync(outDir, { recursive: true })
  for (const f of fs.readdirSync(binDir).filter((f) => f.endsWith(".ts"))) {
    const source = fs.readFileSync(path.join(binDir, f), "utf8")
    let { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
      fileName: f
    })
    outputText = outputText.replace(/(from\s+|import\s*\(\s*)(["'])\.\.\/src\//g, "$1$2../esm/")
    const relative = [...outputText.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']*)["']/g)].map((m) => m[1])
    const bad = relative.filter((s) => !s.startsWith("../esm/"))
    if (bad.length > 0) fail(`bin/${f}: relative imports the package does not ship: ${bad.join(", ")}`)
    if (!outputText.startsWith("#!")) outputText = "#!/usr/bin/env node\n" + outputText
    const out = path.join(outDir, f.replace(/\.ts$/, ".js"))
    fs.writeFileSync(out, outputText)
    fs.chmodSync(out, 0o755)
  }
}

/**
 * Public declarations that still name internal modules, listed here to be reported rather than fail the
 * build while their types move to public modules. Empty a package's list to make the check strict for it.
 */
const NAMING_INTERNAL_ALLOWED = {
  client: [],
  testing: [],
  sql: []
}

/**
 * Declarations must only name packages by their public entry points, and a public module's
 * declarations must not name the package's internal modules.
 */
const checkDeclarations = (name, dir) => {
  const dtsDir = path.join(dir, "dist/dts")
  const internalDir = path.join(dtsDir, "internal")
  const allowed = new Set(NAMING_INTERNAL_ALLOWED[name] ?? [])
  const namingInternal = []
  for (const file of walk(dtsDir).filter((f) => f.endsWith(".d.ts"))) {
    const text = fs.readFileSync(file, "utf8")
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1])
    const bad = specifiers.filter((s) =>
      s.startsWith(".")
        ? path.relative(dtsDir, path.resolve(path.dirname(file), s)).startsWith("..")
        : /(^|\/)(src|dist)\//.test(s) || /^@effect-iamport\/[^/]+\/internal\//.test(s)
    )
    if (bad.length > 0) fail(`${name}: ${path.relative(root, file)} imports ${bad.join(", ")}`)
    if (file.startsWith(internalDir + path.sep)) continue
    const internal = specifiers.filter(
      (s) => s.startsWith(".") && path.resolve(path.dirname(file), s).startsWith(internalDir + path.sep)
    )
    if (internal.length > 0) namingInternal.push({ module: path.relative(dtsDir, file).slice(0, -5), internal })
  }
  const refused = namingInternal.filter((n) => !allowed.has(n.module))
  if (refused.length > 0) {
    fail(
      `${name}: public declarations name internal modules (declare the types in a public module):\n` +
        refused.map((n) => `  dist/dts/${n.module}.d.ts: ${[...new Set(n.internal)].join(", ")}`).join("\n")
    )
  }
  const listed = namingInternal.filter((n) => allowed.has(n.module)).map((n) => n.module)
  if (listed.length > 0) {
    console.warn(
      `build: ${name}: public declarations still naming internal modules (allowed for now): ${listed.join(", ")}`
    )
  }
  const clean = [...allowed].filter((m) => !listed.includes(m))
  if (clean.length > 0) {
    console.warn(
      `build: ${name}: no longer naming internal modules, remove from NAMING_INTERNAL_ALLOWED: ${clean.join(", ")}`
    )
  }
}

const started = Date.now()
for (const name of packages) {
  const dir = path.join(root, "packages", name)
  const t0 = Date.now()
  checkManifest(name, dir)
  fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true })
  run(process.execPath, [tscBin, "-p", "tsconfig.build.esm.json"], dir)
  buildCjs(dir)
  buildBin(dir)
  checkDeclarations(name, dir)
  console.log(
    `build: ${name}: dist/esm, dist/cjs, dist/dts${fs.existsSync(path.join(dir, "dist/bin")) ? ", dist/bin" : ""} (${((Date.now() - t0) / 1000).toFixed(1)} s)`
  )
}
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
