import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const tsx = Path.join(root, "node_modules/.bin/tsx")

/** Starts the CLI and resolves with the first stdout line. */
const start = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<{ child: ChildProcess.ChildProcess; line: string }, Error>((resume) => {
      const child = ChildProcess.spawn(tsx, ["packages/testing/bin/emulator.ts", ...args], {
        cwd: root,
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

describe("bin/emulator.ts", () => {
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
