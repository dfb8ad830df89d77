import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { IamportEmulator } from "@effect-iamport/testing"

const readme = Fs.readFileSync(Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../README.md"), "utf8")

/** The `curl` lines of the README's "Admin routes" section, in order. */
const adminCurls = (() => {
  const section = readme.slice(readme.indexOf("## Admin routes"))
  return section.split("\n").filter((line) => line.startsWith("curl "))
})()

/** Splits a command line on spaces outside single quotes (all the README's examples need). */
const words = (line: string): Array<string> => Array.from(line.matchAll(/'([^']*)'|(\S+)/g), (m) => m[1] ?? m[2]!)

interface Curl {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

const parse = (line: string): Curl => {
  const args = words(line).slice(1)
  let method: string | undefined
  let url = ""
  const headers: Record<string, string> = {}
  let body: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "-s") continue
    else if (arg === "-X") method = args[++i]
    else if (arg === "-H") {
      const [name, ...value] = args[++i]!.split(":")
      headers[name!.trim()] = value.join(":").trim()
    } else if (arg === "-d") body = args[++i]
    else if (arg.startsWith("http")) url = arg
    else throw new Error(`unexpected curl argument ${arg} in: ${line}`)
  }
  return { method: method ?? (body === undefined ? "GET" : "POST"), url, headers, body }
}

/** `METHOD /__emulator/path` of a request, with the id of `payments/{imp_uid}` as its template. */
const routeOf = ({ method, url }: Curl) =>
  `${method} ${new URL(url).pathname.replace(/^\/__emulator\/payments\/imp_\w+$/, "/__emulator/payments/{imp_uid}")}`

describe("README", () => {
  it.scopedLive("every admin route has a curl example, and each example works as written", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const curls = adminCurls.map(parse)
      for (const curl of curls) {
        const answer = yield* Effect.promise(() =>
          fetch(curl.url.replace("http://127.0.0.1:4010", url), {
            method: curl.method,
            headers: curl.headers,
            ...(curl.body !== undefined ? { body: curl.body } : {})
          }).then(async (res) => ({ status: res.status, body: (await res.json()) as { code: number } }))
        )
        assert.strictEqual(answer.status, 200, `${curl.method} ${curl.url}: ${JSON.stringify(answer.body)}`)
        assert.strictEqual(answer.body.code, 0, `${curl.method} ${curl.url}: ${JSON.stringify(answer.body)}`)
      }
      const routes = yield* Effect.promise(() =>
        fetch(`${url}/__emulator/routes`).then((res) => res.json() as Promise<{ response: Array<string> }>)
      )
      assert.deepStrictEqual(new Set(curls.map(routeOf)), new Set(routes.response))
    }).pipe(Effect.provide(IamportEmulator.layerWithServer()))
  )

  it("documents the installed CLI, not only the repository script", () => {
    assert.include(readme, "npx iamport-emulator --port 4010")
    assert.include(readme, "IAMPORT_EMULATOR_SECRET")
  })

  it("lists the reserved declined card as the emulator defines it", () => {
    assert.include(readme, `\`${IamportEmulator.DECLINED_CARD_NUMBER}\``)
  })
})
