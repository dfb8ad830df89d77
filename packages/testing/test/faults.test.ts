import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"
import { BASE, credentials, getToken, send } from "./helpers.js"

const { Fault } = IamportEmulator

const provide = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.provide(self, IamportEmulator.layerWithHttpClient())

const raw = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    Effect.flatMap(client.execute(request), (r) =>
      Effect.map(r.text, (text) => ({ status: r.status, contentType: r.headers["content-type"], text }))
    )
  )

const tokenRequest = HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
  HttpClientRequest.bodyUnsafeJson(credentials)
)

describe("faults", () => {
  it.effect("Status: answers the status with an error envelope, for `count` requests", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Status({ status: 503 }), { count: 2 })
        const a = yield* getToken()
        assert.strictEqual(a.status, 503)
        assert.deepStrictEqual<unknown>(a.body, { code: -1, message: "Service Unavailable", response: null })
        assert.strictEqual((yield* getToken()).status, 503)
        assert.strictEqual((yield* getToken()).status, 200)
        const counters = yield* emulator.counters
        assert.strictEqual(counters.faultsApplied, 2)
        assert.strictEqual(counters.getTokenCalls, 3)
        assert.strictEqual(counters.tokensIssued, 1)
      })
    )
  )

  it.effect("route prefix restricts which requests are hit; admin routes never are", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Status({ status: 500 }), { route: "/payments" })
        assert.strictEqual((yield* getToken()).status, 200)
        const admin = yield* raw(HttpClientRequest.get(`${BASE}/__emulator/counters`))
        assert.strictEqual(admin.status, 200)
        const hit = yield* send(HttpClientRequest.get(`${BASE}/payments/x`))
        assert.strictEqual(hit.status, 500)
        assert.strictEqual((yield* send(HttpClientRequest.get(`${BASE}/payments/x`))).status, 401)
      })
    )
  )

  it.effect("Status with retryAfter: a Retry-After header, also from the admin route's JSON (checked)", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Status({ status: 429, retryAfter: 7 }))
        const client = yield* HttpClient.HttpClient
        const first = yield* client.execute(tokenRequest)
        assert.strictEqual(first.status, 429)
        assert.strictEqual(first.headers["retry-after"], "7")
        const inject = (fault: unknown) =>
          send(HttpClientRequest.post(`${BASE}/__emulator/faults`).pipe(HttpClientRequest.bodyUnsafeJson({ fault })))
        const date = "Thu, 01 Jan 2026 00:00:04 GMT"
        assert.strictEqual((yield* inject({ _tag: "Status", status: 503, retryAfter: date })).status, 200)
        for (const retryAfter of [-1, 1.5, "two\nlines", "", {}]) {
          assert.strictEqual(
            (yield* inject({ _tag: "Status", status: 503, retryAfter })).status,
            400,
            String(retryAfter)
          )
        }
        const second = yield* client.execute(tokenRequest)
        assert.strictEqual(second.status, 503)
        assert.strictEqual(second.headers["retry-after"], date)
        assert.isUndefined((yield* client.execute(tokenRequest)).headers["retry-after"])
      })
    )
  )

  it.effect("Html502: an HTML 502 page", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Html502())
        const a = yield* raw(tokenRequest)
        assert.strictEqual(a.status, 502)
        assert.match(a.contentType ?? "", /^text\/html/)
        assert.include(a.text, "<h1>502 Bad Gateway</h1>")
      })
    )
  )

  it.effect("MalformedJson: HTTP 200 with a truncated JSON body", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.MalformedJson())
        const a = yield* raw(tokenRequest)
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.contentType, "application/json; charset=utf-8")
        assert.throws(() => JSON.parse(a.text))
        yield* emulator.injectFaults(Fault.MalformedJson())
        const parsed = yield* Effect.either(getToken())
        assert.isTrue(parsed._tag === "Left" && parsed.left._tag === "ResponseError")
      })
    )
  )

  it.effect("CutBody: the request is processed; reading the answer fails (in process, no socket to cut)", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.CutBody(), { route: "/users/getToken" })
        const client = yield* HttpClient.HttpClient
        const response = yield* client.execute(tokenRequest)
        assert.strictEqual(response.status, 200)
        assert.isAbove(Number(response.headers["content-length"]), 0)
        const body = yield* Effect.either(response.text)
        assert.isTrue(body._tag === "Left" && body.left._tag === "ResponseError")
        const counters = yield* emulator.counters
        assert.strictEqual(counters.tokensIssued, 1, "the token was issued")
        assert.strictEqual(counters.faultsApplied, 1)
      })
    )
  )

  it.effect("WrongContentType: the real answer labelled text/html (or the given type)", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.WrongContentType({}))
        const a = yield* raw(tokenRequest)
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.contentType, "text/html; charset=utf-8")
        assert.strictEqual(JSON.parse(a.text).code, 0)
        const admin = yield* send(
          HttpClientRequest.post(`${BASE}/__emulator/faults`).pipe(
            HttpClientRequest.bodyUnsafeJson({ fault: { _tag: "WrongContentType", contentType: "text/plain" } })
          )
        )
        assert.strictEqual(admin.status, 200)
        assert.strictEqual((yield* raw(tokenRequest)).contentType, "text/plain")
        assert.strictEqual((yield* raw(tokenRequest)).contentType, "application/json; charset=utf-8")
      })
    )
  )

  it.effect("Unauthorized: a 401 envelope even with a valid token", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const t = (yield* getToken()).body.response.access_token as string
        yield* emulator.injectFaults(Fault.Unauthorized(), { route: "/payments" })
        const a = yield* send(HttpClientRequest.get(`${BASE}/payments/x`).pipe(HttpClientRequest.bearerToken(t)))
        assert.strictEqual(a.status, 401)
        assert.strictEqual(a.body.code, -1)
        const b = yield* send(HttpClientRequest.get(`${BASE}/payments/x`).pipe(HttpClientRequest.bearerToken(t)))
        assert.strictEqual(b.status, 404)
        assert.strictEqual((yield* emulator.counters).unauthorized, 1)
      })
    )
  )

  it.effect("Drop: the in-process client fails with RequestError reason Transport", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Drop())
        const result = yield* Effect.either(getToken())
        assert.isTrue(result._tag === "Left")
        if (result._tag === "Left") {
          assert.strictEqual(result.left._tag, "RequestError")
          assert.strictEqual((result.left as { reason?: string }).reason, "Transport")
        }
        assert.strictEqual((yield* getToken()).status, 200)
        const recent = (yield* emulator.counters).recent
        assert.deepStrictEqual(
          recent.map((r) => r.status),
          [0, 200]
        )
      })
    )
  )

  it.effect("Delay: processes the request, then holds the answer back on the Effect clock (TestClock drives it)", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Delay({ duration: "10 seconds" }))
        const fiber = yield* Effect.fork(getToken())
        yield* TestClock.adjust("9 seconds")
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("1 second")
        const a = yield* Fiber.join(fiber)
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.body.response.now, 0, "answered as of when the request arrived")
        // a client timeout shorter than the delay interrupts the request
        yield* emulator.injectFaults(Fault.Delay({ duration: "1 minute" }))
        const timed = yield* Effect.fork(Effect.either(Effect.timeout(getToken(), "5 seconds")))
        yield* TestClock.adjust("5 seconds")
        const outcome = yield* Fiber.join(timed)
        assert.isTrue(outcome._tag === "Left" && outcome.left._tag === "TimeoutException")
      })
    )
  )

  it.effect("clearFaults drops pending faults", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.injectFaults(Fault.Status({ status: 500 }), { count: 5 })
        yield* emulator.clearFaults
        assert.strictEqual((yield* getToken()).status, 200)
      })
    )
  )
})

describe("protocol edges", () => {
  it.effect("unknown route 404, wrong method 405, invalid JSON 400, oversized body 413 (all envelopes)", () =>
    provide(
      Effect.gen(function* () {
        const unknown = yield* send(HttpClientRequest.get(`${BASE}/nope/nothing`))
        assert.strictEqual(unknown.status, 404)
        assert.strictEqual(unknown.body.code, -1)
        const wrong = yield* Effect.flatMap(HttpClient.HttpClient, (c) =>
          c.execute(HttpClientRequest.get(`${BASE}/users/getToken`))
        )
        assert.strictEqual(wrong.status, 405)
        assert.strictEqual(wrong.headers["allow"], "POST")
        assert.strictEqual(((yield* wrong.json) as any).code, -1)
        const badJson = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
            HttpClientRequest.bodyText('{"imp_key":', "application/json")
          )
        )
        assert.strictEqual(badJson.status, 400)
        assert.strictEqual(badJson.body.code, -1)
        const big = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
            HttpClientRequest.bodyText(JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }), "application/json")
          )
        )
        assert.strictEqual(big.status, 413)
        assert.strictEqual(big.body.code, -1)
        assert.strictEqual((yield* getToken()).status, 200)
      })
    )
  )

  it.effect("form bodies with PHP brackets and nested keys are understood (cancel extra[requester])", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const p = yield* emulator.seedPayment({ amount: 100 })
        const t = (yield* getToken()).body.response.access_token as string
        const a = yield* send(
          HttpClientRequest.post(`${BASE}/payments/cancel/`).pipe(
            HttpClientRequest.bearerToken(t),
            HttpClientRequest.bodyText(
              `imp_uid=${p.imp_uid}&amount=40&extra%5Brequester%5D=customer&reason=%ED%99%98%EB%B6%88`,
              "application/x-www-form-urlencoded"
            )
          )
        )
        assert.strictEqual(a.body.code, 0)
        assert.strictEqual(a.body.response.cancel_amount, 40)
        assert.strictEqual(a.body.response.cancel_history[0].reason, "환불")
      })
    )
  )
})
