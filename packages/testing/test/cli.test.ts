import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Http from "node:http"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const tsx = Path.join(root, "node_modules/.bin/tsx")

/** Starts the CLI and resolves with the first stdout line. */
const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.async<{ child: ChildProcess.ChildProcess; line: string }, Error>((resume) => {
      const child = ChildProcess.spawn(tsx, ["packages/testing/bin/emulator.ts", ...args], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let out = ""
      let err = ""
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const nl = out.indexOf("\n")
        if (nl !== -1) resume(Effect.succeed({ child, line: out.slice(0, nl) }))
      })
      child.stderr!.on("data", (chunk: Buffer) => {
        err += chunk.toString()
      })
      child.on("exit", (code) => resume(Effect.fail(new Error(`exited ${code}: ${err}`))))
    }),
    ({ child }) => Effect.sync(() => child.kill("SIGTERM"))
  )

/** The URL of a started CLI. */
const urlOf = (line: string) => {
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)
  assert.isNotNull(match, line)
  return match![1]!
}

const getToken = (url: string, key: string, secret: string) =>
  Effect.promise(() =>
    fetch(`${url}/users/getToken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ imp_key: key, imp_secret: secret })
    }).then((res) => res.status)
  )

/** A webhook receiver on a free loopback port: its URL and the requests it got. */
const receiver = Effect.acquireRelease(
  Effect.async<{ server: Http.Server; url: string; received: Array<{ contentType: string; body: string }> }>(
    (resume) => {
      const received: Array<{ contentType: string; body: string }> = []
      const server = Http.createServer((req, res) => {
        let body = ""
        req.on("data", (c: Buffer) => (body += c.toString()))
        req.on("end", () => {
          received.push({ contentType: req.headers["content-type"] ?? "", body })
          res.end("ok")
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as { port: number }).port
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}/hook`, received }))
      })
    }
  ),
  ({ server }) => Effect.sync(() => server.close())
)

const output = (args: ReadonlyArray<string>) =>
  Effect.async<{ code: number | null; stdout: string }>((resume) => {
    const child = ChildProcess.spawn(tsx, ["packages/testing/bin/emulator.ts", ...args], { cwd: root })
    let stdout = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.on("exit", (code) => resume(Effect.succeed({ code, stdout })))
  })

describe("bin/emulator.ts", () => {
  it.live(
    "--help names the installed command, the environment variables and the admin routes",
    () =>
      Effect.gen(function* () {
        const { code, stdout } = yield* output(["--help"])
        assert.strictEqual(code, 0)
        assert.match(stdout, /^usage: iamport-emulator /)
        assert.notInclude(stdout, "pnpm emulator")
        assert.include(stdout, "IAMPORT_EMULATOR_SECRET")
        assert.include(stdout, "--webhook-url URL")
        assert.include(stdout, "/__emulator/")
      }),
    30_000
  )

  it.scopedLive(
    "the secret (and key) can come from the environment; a flag wins",
    () =>
      Effect.gen(function* () {
        const env = { IAMPORT_EMULATOR_KEY: "env-key", IAMPORT_EMULATOR_SECRET: "env-secret" }
        const fromEnv = urlOf((yield* start(["--port", "0"], env)).line)
        assert.strictEqual(yield* getToken(fromEnv, "env-key", "env-secret"), 200)
        assert.strictEqual(yield* getToken(fromEnv, "imp_apikey", "env-secret"), 401)
        const flagWins = urlOf((yield* start(["--port", "0", "--secret", "flag-secret"], env)).line)
        assert.strictEqual(yield* getToken(flagWins, "env-key", "flag-secret"), 200)
        assert.strictEqual(yield* getToken(flagWins, "env-key", "env-secret"), 401)
      }),
    30_000
  )

  it.scopedLive(
    "--webhook-url and --webhook-format: a seeded payment's webhook reaches the receiver",
    () =>
      Effect.gen(function* () {
        const hook = yield* receiver
        const url = urlOf((yield* start(["--port", "0", "--webhook-url", hook.url, "--webhook-format", "form"])).line)
        yield* Effect.promise(() =>
          fetch(`${url}/__emulator/payments`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ imp_uid: "imp_000000000009", merchant_uid: "cli-order" })
          })
        )
        for (let i = 0; i < 200 && hook.received.length === 0; i++) yield* Effect.sleep(25)
        assert.deepStrictEqual(hook.received, [
          {
            contentType: "application/x-www-form-urlencoded",
            body: "imp_uid=imp_000000000009&merchant_uid=cli-order&status=paid"
          }
        ])
      }),
    30_000
  )

  it.scopedLive(
    "prints `listening on <url>` and serves the API with the given key, secret and ttl",
    () =>
      Effect.gen(function* () {
        const { line } = yield* start([
          "--port",
          "0",
          "--key",
          "cli-key",
          "--secret",
          "cli-secret",
          "--token-ttl",
          "90"
        ])
        const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
        assert.isNotNull(match, line)
        const url = match![1]!
        assert.notStrictEqual(match![2], "0")
        const res = yield* Effect.promise(() =>
          fetch(`${url}/users/getToken`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "imp_key=cli-key&imp_secret=cli-secret"
          })
        )
        const body = (yield* Effect.promise(() => res.json())) as any
        assert.strictEqual(res.status, 200)
        assert.strictEqual(body.response.expired_at - body.response.now, 90)
      }),
    30_000
  )

  it.live(
    "rejects unknown arguments with exit code 2",
    () =>
      Effect.gen(function* () {
        const code = yield* Effect.async<number | null>((resume) => {
          const child = ChildProcess.spawn(tsx, ["packages/testing/bin/emulator.ts", "--bogus"], { cwd: root })
          child.on("exit", (c) => resume(Effect.succeed(c)))
        })
        assert.strictEqual(code, 2)
      }),
    30_000
  )
})
