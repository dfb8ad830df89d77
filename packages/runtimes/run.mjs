// Runtime smoke test: the packed client on Node, Bun, Deno and workerd (Cloudflare Workers), against the
// packed CLI emulator on loopback. Run by .ci/run after the pack test.
//
//   node packages/runtimes/run.mjs [--no-build] [--keep] [node|bun|deno|workerd ...]
//
// 1. builds packages/client and packages/testing (scripts/build.mjs; --no-build uses the dist already there),
//    packs both with pnpm and unpacks them into a scratch app's node_modules, next to links to this package's
//    effect, @effect/platform and @effect/platform-node: what a user's `npm install` would leave;
// 2. starts the emulator's CLI (`iamport-emulator --port 0`) from the packed @effect-iamport/testing;
// 3. per runtime, seeds a payment and runs src/smoke.ts (transpiled, each module as it is, imports resolved in
//    the scratch app; for workerd, src/workers.ts and the Workers example bundled into one file): a cold burst
//    of concurrent look-ups through one shared client, the same again warm, with the getToken calls the
//    emulator counted for each, then getToken, a look-up, a typed 404 and a verification.
//
// Prints one line per runtime and exits non-zero if any runtime failed or could not start (none is skipped).
// Every child has a timeout.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "../..")
const args = process.argv.slice(2)
const RUNTIMES = ["node", "bun", "deno", "workerd"]
const selected = args.filter((a) => !a.startsWith("--"))
const runtimes = selected.length === 0 ? RUNTIMES : RUNTIMES.filter((r) => selected.includes(r))
const PNPM = process.env.PNPM ?? "npx -y pnpm@10.34.8"
const KEY = "imp_runtimes"
const SECRET = "runtimes-secret"
/** Concurrent look-ups per burst: one process's shared layer; one Worker's concurrent requests. */
const BURST = { node: 50, bun: 50, deno: 50, workerd: 20 }
/** Most getToken calls a cold burst may make: one layer asks once; concurrent Workers requests share a store's lock. */
const MAX_COLD_GET_TOKEN = { node: 1, bun: 1, deno: 1, workerd: 3 }
const CHILD_TIMEOUT_MS = 90_000
const START = Date.now()

const log = (message) => console.log(`runtimes: [${((Date.now() - START) / 1000).toFixed(1)} s] ${message}`)
/** The runtimes' own binaries (not pnpm's shell shims, which would leave them running when killed). */
const bin = (name) => {
  const file = path.join(
    here,
    "node_modules",
    { bun: "bun/bin/bun.exe", deno: "deno/deno", workerd: "workerd/bin/workerd" }[name]
  )
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: did pnpm run ${name}'s postinstall (onlyBuiltDependencies)?`)
  return file
}
/** Ends a child and whatever it started (children run in their own process group). */
const kill = (child, signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // gone already
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-iamport-runtimes-"))
const app = path.join(tmp, "app")
const children = new Set()
const cleanup = () => {
  for (const child of children) kill(child, "SIGKILL")
  if (args.includes("--keep")) console.log(`runtimes: kept ${tmp}`)
  else fs.rmSync(tmp, { recursive: true, force: true })
}
process.on("exit", cleanup)
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130))

const run = (command, argv, options = {}) => {
  const result = spawnSync(command, argv, { stdio: "inherit", timeout: 300_000, ...options })
  if (result.status !== 0) {
    throw new Error(
      `${command} ${argv.join(" ")} failed (${result.error ?? `exit ${result.status} ${result.signal ?? ""}`})`
    )
  }
  return result
}

/** The scratch app: the packed packages unpacked, the peers linked, the smoke program transpiled. */
const prepare = async () => {
  if (!args.includes("--no-build")) {
    log("build")
    run(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root })
  }
  log("pack")
  const tarballs = path.join(tmp, "tarballs")
  fs.mkdirSync(tarballs, { recursive: true })
  for (const pkg of ["client", "testing"]) {
    run(`${PNPM} pack --pack-destination ${JSON.stringify(tarballs)}`, [], {
      cwd: path.join(root, "packages", pkg),
      shell: true,
      stdio: ["ignore", "ignore", "inherit"]
    })
  }
  const modules = path.join(app, "node_modules")
  for (const pkg of ["client", "testing"]) {
    const tgz = fs.readdirSync(tarballs).find((f) => f.startsWith(`effect-iamport-${pkg}-`))
    const dest = path.join(modules, "@effect-iamport", pkg)
    fs.mkdirSync(dest, { recursive: true })
    run("tar", ["xzf", path.join(tarballs, tgz), "-C", dest, "--strip-components=1"])
  }
  const peers = ["effect", "@effect/platform", "@effect/platform-node"]
  for (const name of peers) {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(here, "node_modules", name)), path.join(modules, name), "dir")
  }
  const dependencies = Object.fromEntries(
    ["@effect-iamport/client", "@effect-iamport/testing", ...peers].map((n) => [n, "*"])
  )
  fs.writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "runtimes-smoke", private: true, type: "module", dependencies }, null, 2)
  )

  log("transpile the smoke program; bundle the Worker")
  const esbuild = await import("esbuild")
  const src = (f) => path.join(here, "src", f)
  await esbuild.build({
    entryPoints: ["smoke.ts", "node.ts", "bun.ts", "deno.ts"].map(src),
    outdir: app,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "warning"
  })
  // Bare imports of this package's and the example's sources resolve in the scratch app (the packed client).
  const fromApp = {
    name: "from-app",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (a) =>
        a.pluginData === "from-app" || a.importer.includes(`${path.sep}node_modules${path.sep}`)
          ? undefined
          : build.resolve(a.path, { kind: a.kind, resolveDir: app, pluginData: "from-app" })
      )
    }
  }
  await esbuild.build({
    entryPoints: [src("workers.ts")],
    outfile: path.join(app, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker"],
    target: "es2022",
    plugins: [fromApp],
    logLevel: "warning"
  })
  const bundled = fs.readFileSync(path.join(app, "worker.js"), "utf8")
  if (!bundled.includes("memoryTokenStore")) throw new Error("the Worker bundle lacks the packed client")
}

/** Spawns a child with a timeout; resolves with its output once it exits. */
const spawnChild = (command, argv, options = {}) => {
  const child = spawn(command, argv, { cwd: app, stdio: ["ignore", "pipe", "pipe"], detached: true, ...options })
  children.add(child)
  const output = { stdout: "", stderr: "" }
  child.stdout.on("data", (d) => (output.stdout += d))
  child.stderr.on("data", (d) => (output.stderr += d))
  const timer = setTimeout(() => kill(child, "SIGKILL"), options.timeoutMs ?? CHILD_TIMEOUT_MS)
  const exited = new Promise((resolve) => {
    child.on("error", (error) => {
      output.stderr += `\n${error}`
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      resolve({ code, signal, ...output })
    })
  })
  return { child, output, exited }
}

/** Polls `read` until it returns something, or fails after `ms`. */
const waitFor = async (what, ms, read) => {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const startEmulator = async () => {
  const cli = path.join(app, "node_modules/@effect-iamport/testing/dist/bin/emulator.js")
  const emulator = spawnChild(process.execPath, [cli, "--port", "0", "--key", KEY, "--secret", SECRET], {
    timeoutMs: 30 * 60_000
  })
  const url = await waitFor("the emulator", 20_000, async () => {
    const match = /listening on (http:\/\/\S+)/.exec(emulator.output.stdout)
    if (match) return match[1]
    if (emulator.child.exitCode !== null) throw new Error(`the emulator exited: ${emulator.output.stderr}`)
  }).catch((error) => {
    throw new Error(`${error.message}\n${emulator.output.stdout}${emulator.output.stderr}`)
  })
  log(`emulator: ${url}`)
  return url
}

const json = async (response) => {
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)
  return response.json()
}

/** A paid payment for `runtime`'s run. */
const seed = async (emulatorUrl, runtime) => {
  const merchantUid = `order-${runtime}-${Date.now()}`
  const body = await json(
    await fetch(`${emulatorUrl}/__emulator/payments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ merchant_uid: merchantUid, amount: 5000, status: "paid" })
    })
  )
  return { emulatorUrl, impUid: body.response.imp_uid, merchantUid, amount: 5000, burst: BURST[runtime] }
}

const configEnv = (emulatorUrl) => ({ IMP_KEY: KEY, IMP_SECRET: SECRET, IAMPORT_BASE_URL: emulatorUrl })

/** Node, Bun and Deno: the smoke program in one process; its report is the line starting `SMOKE `. */
const runProcess = async (runtime, target) => {
  const port = new URL(target.emulatorUrl).port
  const [command, argv, env] = {
    node: [process.execPath, ["node.js"], {}],
    bun: [bin("bun"), ["bun.js"], {}],
    deno: [
      bin("deno"),
      ["run", "--no-prompt", `--allow-net=127.0.0.1:${port}`, "--allow-env", "deno.js"],
      { DENO_DIR: path.join(tmp, "deno-cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }
    ]
  }[runtime]
  const { exited } = spawnChild(command, [...argv, JSON.stringify(target)], {
    env: { ...process.env, ...configEnv(target.emulatorUrl), ...env }
  })
  const result = await exited
  const line = result.stdout.split("\n").find((l) => l.startsWith("SMOKE "))
  if (line === undefined) {
    throw new Error(
      `no report (exit ${result.code}${result.signal ? `, ${result.signal}` : ""})\n${result.stdout}${result.stderr}`
    )
  }
  return { report: JSON.parse(line.slice("SMOKE ".length)), log: result.stderr }
}

/** workerd: the Workers example served on loopback; the bursts are concurrent requests to one Worker. */
const runWorkerd = async (target) => {
  const port = await freePort()
  const bindings = Object.entries(configEnv(target.emulatorUrl))
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(", ")
  fs.writeFileSync(
    path.join(app, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # the emulator is on loopback, which the default outbound ("public" addresses) refuses
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [${bindings}],
  globalOutbound = "loopback",
);
`
  )
  const workerd = spawnChild(bin("workerd"), ["serve", "config.capnp", "--verbose"])
  const base = `http://127.0.0.1:${port}`
  try {
    await waitFor("workerd", 20_000, async () => {
      if (workerd.child.exitCode !== null) throw new Error("exited")
      await fetch(`${base}/`, { signal: AbortSignal.timeout(2_000) })
      return true
    }).catch((error) => {
      throw new Error(`workerd did not start: ${error.message}\n${workerd.output.stdout}${workerd.output.stderr}`)
    })
    const counters = async () => (await json(await fetch(`${target.emulatorUrl}/__emulator/counters`))).response
    const burst = async () => {
      const before = (await counters()).getTokenCalls
      const results = await Promise.all(
        Array.from({ length: target.burst }, () =>
          fetch(`${base}/payments/${target.impUid}`, { signal: AbortSignal.timeout(30_000) }).then(
            async (r) => (r.ok && (await r.json()).amount === target.amount ? undefined : `HTTP ${r.status}`),
            (error) => String(error)
          )
        )
      )
      const errors = results.filter((r) => r !== undefined)
      const after = (await counters()).getTokenCalls
      return { size: target.burst, failures: errors.length, getTokenCalls: after - before, errors }
    }
    const cold = await burst()
    const warm = await burst()
    const checks = await json(
      await fetch(`${base}/__smoke?target=${encodeURIComponent(JSON.stringify(target))}`, {
        signal: AbortSignal.timeout(30_000)
      })
    )
    // the example's own routes for a missing payment and a verification
    const missing = await fetch(`${base}/payments/imp_000000000000`, { signal: AbortSignal.timeout(30_000) })
    const verified = await json(
      await fetch(`${base}/verify`, {
        method: "POST",
        body: JSON.stringify({ imp_uid: target.impUid, merchant_uid: target.merchantUid, amount: target.amount }),
        signal: AbortSignal.timeout(30_000)
      })
    )
    const example = { notFound: missing.status === 404, verification: verified.result }
    await missing.body?.cancel()
    return { report: { runtime: "workerd", checks, cold, warm, example }, log: workerd.output.stderr }
  } finally {
    kill(workerd.child, "SIGTERM")
    await workerd.exited
  }
}

/** What is wrong with a report, if anything. */
const problems = (runtime, { report, log: stderr }) => {
  const found = []
  const { checks, cold, warm } = report
  if (!checks.getToken) found.push("getToken failed")
  if (!checks.payment) found.push("the payment look-up failed")
  if (!checks.notFound) found.push("no IamportNotFoundError for a missing payment")
  if (checks.verification !== "Paid") found.push(`verification: ${checks.verification}`)
  for (const [name, burst] of [
    ["cold", cold],
    ["warm", warm]
  ]) {
    if (burst.failures > 0)
      found.push(`${name} burst: ${burst.failures} failed (${[...new Set(burst.errors)].join(", ")})`)
  }
  if (cold.getTokenCalls < 1 || cold.getTokenCalls > MAX_COLD_GET_TOKEN[runtime]) {
    found.push(`cold burst: ${cold.getTokenCalls} getToken calls (1 to ${MAX_COLD_GET_TOKEN[runtime]} expected)`)
  }
  if (warm.getTokenCalls !== 0) found.push(`warm burst: ${warm.getTokenCalls} getToken calls (0 expected)`)
  if (report.example !== undefined) {
    if (!report.example.notFound) found.push("the example answered no 404 for a missing payment")
    if (report.example.verification !== "Paid") found.push(`the example's verification: ${report.example.verification}`)
  }
  // the Workers runtime's own complaints about cross-request promises and hung requests
  for (const warning of ["different request context", "code had hung", "Uncaught"]) {
    if (stderr.includes(warning)) found.push(`the runtime logged "${warning}"`)
  }
  return found
}

const main = async () => {
  await prepare()
  const emulatorUrl = await startEmulator()
  const lines = []
  let failed = 0
  for (const runtime of runtimes) {
    const started = Date.now()
    let line
    try {
      const target = await seed(emulatorUrl, runtime)
      const result = runtime === "workerd" ? await runWorkerd(target) : await runProcess(runtime, target)
      const found = problems(runtime, result)
      const { cold, warm } = result.report
      line =
        `${runtime}: ${found.length === 0 ? "ok" : "FAILED"}; cold burst ${cold.size}: ${cold.failures} failed, ` +
        `${cold.getTokenCalls} getToken; warm burst ${warm.size}: ${warm.failures} failed, ${warm.getTokenCalls} getToken; ` +
        `getToken, look-up, 404, verification: ${found.filter((p) => !p.includes("burst")).length === 0 ? "ok" : "see above"}` +
        ` (${((Date.now() - started) / 1000).toFixed(1)} s)`
      if (found.length > 0) {
        failed++
        console.error(`runtimes: ${runtime}:\n  ${found.join("\n  ")}\n${result.log}`)
      }
    } catch (error) {
      failed++
      line = `${runtime}: FAILED: ${String(error?.message ?? error).split("\n")[0]}`
      console.error(`runtimes: ${runtime}: ${error?.stack ?? error}`)
    }
    lines.push(line)
    log(line)
  }
  console.log(`\nruntimes (${((Date.now() - START) / 1000).toFixed(1)} s):\n  ${lines.join("\n  ")}`)
  // (not vitest's "N passed, N failed" closing line: that one counts the test suite's tests)
  console.log(failed === 0 ? `runtimes: all ${runtimes.length} ok` : `runtimes: ${failed} of ${runtimes.length} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

main().catch((error) => {
  console.error(`runtimes: ${error?.stack ?? error}`)
  process.exit(1)
})
