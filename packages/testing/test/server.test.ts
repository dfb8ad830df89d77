import { FetchHttpClient, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Http from "node:http"
import * as Net from "node:net"
import { Option } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"
import { authed, credentials, getToken, send, token } from "./helpers.js"

const withUndici = Layer.merge(IamportEmulator.layerWithServer(), NodeHttpClient.layerUndici)
const withFetch = Layer.merge(IamportEmulator.layerWithServer(), FetchHttpClient.layer)

/** Sends a request with an exact, unnormalized request target. */
const rawRequest = (
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string }
) =>
  Effect.async<{ status: number; headers: Http.IncomingHttpHeaders; body: string }, Error>((resume) => {
    const target = new URL(url)
    const req = Http.request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method,
        path: options.path,
        headers: options.headers ?? {}
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () =>
          resume(
            Effect.succeed({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8")
            })
          )
        )
      }
    )
    req.on("error", (e) => resume(Effect.fail(e)))
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })

const admin = (url: string, method: string, path: string, body?: unknown) =>
  Effect.map(
    rawRequest(url, {
      method,
      path: `/__emulator/${path}`,
      ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {})
    }),
    (r) => ({ status: r.status, body: JSON.parse(r.body) })
  )

describe("layerServer (real sockets)", () => {
  it.scoped("serves tokens and payments over undici", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
      const emulator = yield* IamportEmulator.IamportEmulator
      const p = yield* emulator.seedPayment({ amount: 4321 })
      const t = yield* getToken(url)
      assert.strictEqual(t.status, 200)
      assert.strictEqual(t.contentType, "application/json; charset=utf-8")
      const a = yield* authed(HttpClientRequest.get(`${url}/payments/${p.imp_uid}`), url)
      assert.strictEqual(a.body.response.amount, 4321)
      const missing = yield* authed(HttpClientRequest.get(`${url}/payments/imp_000000000000`), url)
      assert.strictEqual(missing.status, 404)
      assert.strictEqual(missing.body.message, "존재하지 않는 결제정보입니다.")
    }).pipe(Effect.provide(withUndici))
  )

  it.scoped("works with FetchHttpClient; prepare round trip and cancel over the wire", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const prepared = yield* authed(
        HttpClientRequest.post(`${url}/payments/prepare`).pipe(
          HttpClientRequest.bodyUrlParams({ merchant_uid: "w-1", amount: "990" })
        ),
        url
      )
      assert.deepStrictEqual(prepared.body.response, { merchant_uid: "w-1", amount: 990 })
      const read = yield* authed(HttpClientRequest.get(`${url}/payments/prepare/w-1`), url)
      assert.strictEqual(read.body.response.amount, 990)
      const nothing = yield* authed(
        HttpClientRequest.post(`${url}/payments/cancel`).pipe(HttpClientRequest.bodyUnsafeJson({ imp_uid: "x" })),
        url
      )
      assert.strictEqual(nothing.status, 200)
      assert.strictEqual(nothing.body.code, 1)
    }).pipe(Effect.provide(withFetch))
  )

  it.scoped("Drop destroys the socket: the client sees a Transport RequestError", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      yield* emulator.injectFaults(IamportEmulator.Fault.Drop())
      const result = yield* Effect.either(getToken(url))
      assert.isTrue(result._tag === "Left" && result.left._tag === "RequestError")
      if (result._tag === "Left" && result.left._tag === "RequestError") {
        assert.strictEqual(result.left.reason, "Transport")
      }
      assert.strictEqual((yield* getToken(url)).status, 200)
    }).pipe(Effect.provide(withUndici))
  )

  it.scoped("raw request targets: double slashes, encoded slashes and dot segments stay in one segment", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      const form = yield* rawRequest(url, {
        method: "POST",
        path: "//users//getToken/",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(credentials).toString()
      })
      assert.strictEqual(form.status, 200)
      const t = JSON.parse(form.body).response.access_token as string
      for (const path of [
        "/payments/..%2Fusers%2FgetToken",
        "/payments/a%2Fb",
        "/payments/%3Fx%3D1",
        "/payments/%23"
      ]) {
        const r = yield* rawRequest(url, { method: "GET", path, headers: { authorization: t } })
        assert.strictEqual(r.status, 404, path)
        assert.strictEqual(JSON.parse(r.body).message, "존재하지 않는 결제정보입니다.")
      }
      const counters = yield* emulator.counters
      assert.deepStrictEqual(
        counters.recent.filter((r) => r.route === "GET /payments/{imp_uid}").map((r) => r.params.imp_uid),
        ["../users/getToken", "a/b", "?x=1", "#"]
      )
      assert.strictEqual(counters.getTokenCalls, 1)
      const bad = yield* rawRequest(url, { method: "GET", path: "/payments/%E0%A4%A", headers: { authorization: t } })
      assert.strictEqual(bad.status, 400)
    }).pipe(Effect.provide(withUndici))
  )

  it.scoped("oversized chunked body gets a 413 envelope", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const r = yield* rawRequest(url, {
        method: "POST",
        path: "/users/getToken",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
        body: JSON.stringify({ pad: "y".repeat(2 * 1024 * 1024) })
      })
      assert.strictEqual(r.status, 413)
      assert.strictEqual(JSON.parse(r.body).code, -1)
    }).pipe(Effect.provide(withUndici))
  )
})

/** Writes `head` and part of a body on a raw socket, then cuts the connection: the body never completes. */
const truncatedUpload = (url: string, head: string, partial: string) =>
  Effect.async<void, Error>((resume) => {
    const target = new URL(url)
    const socket = Net.connect(Number(target.port), target.hostname, () => {
      socket.write(head + partial, () => socket.destroy())
    })
    socket.on("error", () => {})
    socket.on("close", () => resume(Effect.void))
  })

describe("connections cut mid-body", () => {
  it.scopedLive("a request body cut short is not a request: 400, nothing done (before: the prefix was used)", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      const t = yield* token(url)
      const body = "merchant_uid=cut-1&amount=1000"
      const head = [
        "POST /payments/prepare HTTP/1.1",
        `host: ${new URL(url).host}`,
        `authorization: Bearer ${t}`,
        "content-type: application/x-www-form-urlencoded",
        `content-length: ${body.length + 20}`,
        "",
        ""
      ].join("\r\n")
      yield* truncatedUpload(url, head, body)
      // the server answers (or tries to) once it has read what came: wait for the record
      const recordOf = Effect.map(emulator.counters, (c) => c.recent.find((r) => r.route === "POST /payments/prepare"))
      let record = yield* recordOf
      for (let i = 0; record === undefined && i < 500; i++) record = yield* Effect.zipRight(Effect.sleep(10), recordOf)
      assert.strictEqual(record?.status, 400)
      assert.isUndefined(record?.body)
      assert.isTrue(Option.isNone(yield* emulator.prepared("cut-1")))
    }).pipe(Effect.provide(withUndici))
  )

  it.scoped("CutBody over HTTP: the headers announce the whole answer, half arrives; the write happened", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      const t = yield* token(url)
      yield* emulator.injectFaults(IamportEmulator.Fault.CutBody(), { route: "/payments/prepare" })
      const outcome = yield* Effect.promise(async () => {
        const res = await fetch(`${url}/payments/prepare`, {
          method: "POST",
          headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
          body: JSON.stringify({ merchant_uid: "cut-2", amount: 1000 })
        })
        const length = Number(res.headers.get("content-length"))
        const read = await res.text().then(
          (text) => ({ ok: true as const, text }),
          (error: unknown) => ({ ok: false as const, error })
        )
        return { status: res.status, length, read }
      })
      assert.strictEqual(outcome.status, 200)
      assert.isAbove(outcome.length, 0)
      assert.isFalse(outcome.read.ok, "reading the body fails")
      assert.isTrue(Option.isSome(yield* emulator.prepared("cut-2")))
      assert.strictEqual((yield* authed(HttpClientRequest.get(`${url}/payments/prepare/cut-2`), url)).status, 200)
    }).pipe(Effect.provide(withUndici))
  )
})

describe("admin routes", () => {
  it.scoped("clock, seed, faults, revoke, counters, reset over HTTP", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator

      const set = yield* admin(url, "POST", "clock", { set: 1_700_000_000 })
      assert.deepStrictEqual(set.body.response, { now: 1_700_000_000 })
      const adv = yield* admin(url, "POST", "clock", { advance: 60 })
      assert.strictEqual(adv.body.response.now, 1_700_000_060)
      assert.strictEqual(yield* emulator.now, 1_700_000_060)
      const off = yield* admin(url, "POST", "clock", { offset: -2400 })
      assert.strictEqual(off.body.response.now, -2400) // TestClock is at 0
      yield* admin(url, "POST", "clock", { set: 1_700_000_000 })

      const seeded = yield* admin(url, "POST", "payments", { imp_uid: "imp_admin0000001", amount: "2500" })
      assert.strictEqual(seeded.status, 200)
      assert.strictEqual(seeded.body.response.amount, 2500)
      assert.strictEqual(seeded.body.response.paid_at, 1_700_000_000)
      const viaApi = yield* authed(HttpClientRequest.get(`${url}/payments/imp_admin0000001`), url)
      assert.deepStrictEqual(viaApi.body.response, seeded.body.response)
      const state = yield* admin(url, "GET", "payments/imp_admin0000001")
      assert.strictEqual(state.body.response.imp_uid, "imp_admin0000001")

      const fault = yield* admin(url, "POST", "faults", {
        fault: { _tag: "Status", status: 503 },
        count: 1,
        route: "/users"
      })
      assert.deepStrictEqual(fault.body.response, { pending: 1 })
      assert.strictEqual((yield* getToken(url)).status, 503)
      const invalid = yield* admin(url, "POST", "faults", { fault: { _tag: "Nope" } })
      assert.strictEqual(invalid.status, 400)

      const t = yield* token(url)
      const revoke = yield* admin(url, "POST", "tokens/revoke")
      assert.strictEqual(revoke.status, 200)
      const after = yield* send(
        HttpClientRequest.get(`${url}/payments/imp_admin0000001`).pipe(HttpClientRequest.bearerToken(t))
      )
      assert.strictEqual(after.status, 401)

      const counters = yield* admin(url, "GET", "counters")
      assert.strictEqual(counters.body.response.getTokenCalls, 3)
      assert.strictEqual(counters.body.response.tokensIssued, 1)
      assert.strictEqual(counters.body.response.faultsApplied, 1)
      assert.strictEqual(counters.body.response.unauthorized, 1)
      assert.strictEqual(counters.body.response.requests["GET /payments/{imp_uid}"], 2)

      const reset = yield* admin(url, "POST", "reset")
      assert.strictEqual(reset.status, 200)
      const zero = yield* admin(url, "GET", "counters")
      assert.strictEqual(zero.body.response.getTokenCalls, 0)
      assert.deepStrictEqual(zero.body.response.recent, [])
      assert.strictEqual((yield* admin(url, "GET", "nope")).status, 404)
    }).pipe(Effect.provide(withUndici))
  )
})
