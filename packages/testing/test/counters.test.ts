import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"
import { authed, BASE, send } from "./helpers.js"

const provide = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.provide(self, IamportEmulator.layerWithHttpClient())

const counters = Effect.flatMap(IamportEmulator.IamportEmulator, (e) => e.counters)

describe("counters", () => {
  it.effect("key a request no route matched as `METHOD (unmatched)`, faulted or not", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        assert.strictEqual((yield* send(HttpClientRequest.get(`${BASE}/nope`))).status, 404)
        assert.strictEqual((yield* send(HttpClientRequest.get(`${BASE}/nope/either`))).status, 404)
        assert.strictEqual((yield* send(HttpClientRequest.del(`${BASE}/payments/prepare`))).status, 405)
        assert.strictEqual((yield* send(HttpClientRequest.get(`${BASE}/payments/%E0%A4%A`))).status, 400)
        yield* emulator.injectFaults(IamportEmulator.Fault.Status({ status: 503 }), { route: "/nope" })
        assert.strictEqual((yield* send(HttpClientRequest.post(`${BASE}/nope`))).status, 503)
        assert.strictEqual((yield* authed(HttpClientRequest.get(`${BASE}/payments/imp_1`))).status, 404)
        const c = yield* counters
        assert.deepStrictEqual(c.requests, {
          "GET (unmatched)": 3,
          "DELETE (unmatched)": 1,
          "POST (unmatched)": 1,
          "POST /users/getToken": 1,
          "GET /payments/{imp_uid}": 1
        })
        assert.strictEqual(c.totalRequests, 7)
        assert.isNull(c.recent[0]!.route)
      })
    )
  )
})

describe("admin routes", () => {
  it.effect("POST /__emulator/payments/cancel cancels from the console (not read as payments/{imp_uid})", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const payment = yield* emulator.seedPayment({ amount: 5000 })
        const cancelled = yield* send(
          HttpClientRequest.post(`${BASE}/__emulator/payments/cancel`).pipe(
            HttpClientRequest.bodyUnsafeJson({ imp_uid: payment.imp_uid, amount: 2000 })
          )
        )
        assert.strictEqual(cancelled.status, 200)
        assert.strictEqual(cancelled.body.response.cancel_amount, 2000)
        const read = yield* send(HttpClientRequest.get(`${BASE}/__emulator/payments/${payment.imp_uid}`))
        assert.strictEqual(read.body.response.cancel_amount, 2000)
        const unknown = yield* send(HttpClientRequest.get(`${BASE}/__emulator/toString`))
        assert.strictEqual(unknown.status, 404)
        assert.strictEqual((yield* send(HttpClientRequest.put(`${BASE}/__emulator/payments/cancel`))).status, 405)
      })
    )
  )
})

describe("recent requests", () => {
  it.effect("keep the last `recentLimit`, oldest first, past many times the limit; reset empties them", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      for (let i = 1; i <= 11; i++) yield* send(HttpClientRequest.get(`${BASE}/nope/${i}`))
      assert.deepStrictEqual(
        (yield* counters).recent.map((r) => r.rawPath),
        ["/nope/9", "/nope/10", "/nope/11"]
      )
      assert.strictEqual((yield* counters).totalRequests, 11)
      yield* emulator.reset
      assert.deepStrictEqual((yield* counters).recent, [])
      yield* send(HttpClientRequest.get(`${BASE}/nope/12`))
      assert.deepStrictEqual(
        (yield* counters).recent.map((r) => r.rawPath),
        ["/nope/12"]
      )
    }).pipe(Effect.provide(IamportEmulator.layerWithHttpClient({ recentLimit: 3 })))
  )

  it.effect("recentLimit 0 keeps none", () =>
    Effect.gen(function* () {
      yield* send(HttpClientRequest.get(`${BASE}/nope`))
      assert.deepStrictEqual((yield* counters).recent, [])
      assert.strictEqual((yield* counters).totalRequests, 1)
    }).pipe(Effect.provide(IamportEmulator.layerWithHttpClient({ recentLimit: 0 })))
  )
})
