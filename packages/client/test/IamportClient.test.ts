/**
 * The real client (token cache + pipeline) against the emulator, which follows
 * i'mport's documented token rules. In process, `TestClock` drives both.
 */
import { IamportAuth, IamportClient, Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, type Duration, Effect, Layer, Redacted, Stream, TestClock } from "effect"

const Emulator = IamportEmulator.IamportEmulator

/** `n` sequential lookups, `every` apart on the test clock. */
const steadyCalls = (n: number, every: Duration.DurationInput, impUid: string) =>
  Effect.gen(function* () {
    let failures = 0
    for (let i = 0; i < n; i++) {
      const ok = yield* Payments.getPayment(impUid).pipe(
        Effect.as(true),
        Effect.catchAll(() => Effect.succeed(false))
      )
      if (!ok) failures++
      yield* TestClock.adjust(every)
    }
    return failures
  })

describe("IamportClient against the emulator", () => {
  it.effect("1,000 concurrent calls on a cold cache send one getToken", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment({ amount: 5000 })
      const results = yield* Effect.all(
        Array.from({ length: 1000 }, () => Payments.getPayment(payment.imp_uid)),
        { concurrency: "unbounded" }
      )
      assert.isTrue(results.every((p) => p.amount === 5000))
      const counters = yield* emulator.counters
      assert.strictEqual(counters.getTokenCalls, 1)
      assert.strictEqual(counters.unauthorized, 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("server clock 40 minutes behind: one getToken for hundreds of calls within a token's life", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* emulator.setClockOffset("-40 minutes")
      const payment = yield* emulator.seedPayment()
      const failures = yield* steadyCalls(300, "5 seconds", payment.imp_uid) // 25 minutes
      const counters = yield* emulator.counters
      assert.strictEqual(failures, 0)
      assert.strictEqual(counters.getTokenCalls, 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("server clock 10 minutes ahead: no expired token is ever sent across expiries", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* emulator.setClockOffset("10 minutes")
      const payment = yield* emulator.seedPayment()
      // 100 minutes of calls spaced 7 minutes apart: every token outlives a call gap only sometimes
      const failures = yield* steadyCalls(15, "7 minutes", payment.imp_uid)
      const counters = yield* emulator.counters
      assert.strictEqual(failures, 0)
      assert.strictEqual(counters.expiredTokensPresented, 0)
      assert.strictEqual(counters.unauthorized, 0)
      assert.isAtLeast(counters.tokensIssued, 3)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a 90-second token served for 45 seconds of steady calls: a few getToken, none per request", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment()
      const failures = yield* steadyCalls(450, "100 millis", payment.imp_uid)
      const counters = yield* emulator.counters
      assert.strictEqual(failures, 0)
      assert.isAtMost(counters.getTokenCalls, 3)
      assert.strictEqual(counters.tokensIssued, 1)
    }).pipe(Effect.provide(IamportTest.layer({ tokenTtl: "90 seconds" })))
  )

  it.effect("steady traffic for 2 hours: one token, extended in its last minute, never expired", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment()
      const failures = yield* steadyCalls(720, "10 seconds", payment.imp_uid)
      const counters = yield* emulator.counters
      assert.strictEqual(failures, 0)
      assert.strictEqual(counters.tokensIssued, 1)
      assert.strictEqual(counters.expiredTokensPresented, 0)
      // one cold getToken, then one extension (+5 minutes) per 5 minutes after the first 29
      assert.isAtMost(counters.getTokenCalls, 1 + Math.ceil((120 - 29) / 4.5))
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a token revoked under 200 concurrent calls: one getToken, every call succeeds", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment()
      yield* Payments.getPayment(payment.imp_uid)
      yield* emulator.revokeTokens
      const results = yield* Effect.all(
        Array.from({ length: 200 }, () => Payments.getPayment(payment.imp_uid)),
        { concurrency: "unbounded" }
      )
      const counters = yield* emulator.counters
      assert.strictEqual(results.length, 200)
      assert.strictEqual(counters.getTokenCalls, 2)
      assert.strictEqual(counters.unauthorized, 200)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("after expiry, the next calls share one new token", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment()
      const auth = yield* IamportAuth.IamportAuth
      const first = yield* auth.token
      yield* TestClock.adjust("31 minutes")
      yield* Effect.all(
        Array.from({ length: 100 }, () => Payments.getPayment(payment.imp_uid)),
        { concurrency: "unbounded" }
      )
      const second = yield* auth.token
      const counters = yield* emulator.counters
      assert.notStrictEqual(Redacted.value(first.value), Redacted.value(second.value))
      assert.strictEqual(counters.getTokenCalls, 2)
      assert.strictEqual(counters.expiredTokensPresented, 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a wrong Tier is IamportUnauthorizedError after one replay", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment()
      const error = yield* Effect.flip(Payments.getPayment(payment.imp_uid))
      assert.strictEqual(error._tag, "IamportUnauthorizedError")
      const counters = yield* emulator.counters
      assert.strictEqual(counters.requests["GET /payments/{imp_uid}"], 2)
    }).pipe(Effect.provide(IamportTest.layer({ tiers: ["ABC"], client: { tier: "XYZ" } })))
  )

  it.effect("a wrong secret is IamportInvalidCredentialsError, and the secret appears nowhere in it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.getPayment("imp_1"))
      assert.strictEqual(error._tag, "IamportInvalidCredentialsError")
      for (const text of [error.message, String(error), JSON.stringify(error), String(error.stack)]) {
        assert.notInclude(text, "not-the-secret-123")
      }
    }).pipe(Effect.provide(IamportTest.layer({ client: { apiSecret: Redacted.make("not-the-secret-123") } })))
  )

  it.effect("prepare, read back, partial and full cancel", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const prepared = yield* Payments.prepare({ merchant_uid: "order-1", amount: 12000 })
      assert.strictEqual(prepared.amount, 12000)
      assert.strictEqual((yield* Payments.getPrepared("order-1")).amount, 12000)
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-1", amount: 12000 })
      const partial = yield* Payments.cancel({ imp_uid: payment.imp_uid, amount: 2000, checksum: 12000 })
      assert.strictEqual(partial.cancel_amount, 2000)
      assert.strictEqual(partial.status, "paid")
      assert.strictEqual(partial.cancellableAmount, 10000)
      const full = yield* Payments.cancel({ merchant_uid: "order-1", reason: "customer asked" })
      assert.strictEqual(full.status, "cancelled")
      assert.strictEqual(full.cancel_history.length, 2)
      const nothing = yield* Effect.flip(Payments.cancel({ merchant_uid: "order-1" }))
      assert.strictEqual(nothing._tag, "IamportApiError")
      const found = yield* Payments.findByMerchantUid("order-1")
      assert.strictEqual(found.imp_uid, payment.imp_uid)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("streamByStatus walks every page", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-11-25T00:00:00Z"))
      const emulator = yield* Emulator
      for (let i = 0; i < 45; i++) yield* emulator.seedPayment({ merchant_uid: `order-${i}`, amount: 100 + i })
      const payments = yield* Stream.runCollect(Payments.streamByStatus("paid", { limit: 10 }))
      assert.strictEqual(Chunk.size(payments), 45)
      assert.strictEqual(new Set(Chunk.toReadonlyArray(payments).map((p) => p.imp_uid)).size, 45)
      assert.strictEqual((yield* emulator.counters).requests["GET /payments/status/{payment_status}"], 5)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("IamportClient over real sockets", () => {
  const serverAndClient = Layer.unwrapScoped(
    Effect.gen(function* () {
      const server = yield* IamportEmulator.IamportEmulatorServer
      return IamportClient.layer({
        apiKey: IamportEmulator.DEFAULT_API_KEY,
        apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET),
        baseUrl: server.url
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    })
  ).pipe(Layer.provideMerge(IamportEmulator.layerWithServer()))

  it.live("1,000 concurrent cold calls over HTTP send one getToken", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment({ amount: 777 })
      const results = yield* Effect.all(
        Array.from({ length: 1000 }, () => Payments.getPayment(payment.imp_uid)),
        { concurrency: "unbounded" }
      )
      assert.isTrue(results.every((p) => p.amount === 777))
      assert.strictEqual((yield* emulator.counters).getTokenCalls, 1)
    }).pipe(Effect.provide(serverAndClient))
  )

  it.live("hostile ids reach the server as one path segment", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const ids = ["../users/getToken", "a/b", "?x=1", "#frag", "a%2Fb", "..%2F..%2Fusers"]
      for (const id of ids) {
        const error = yield* Effect.flip(Payments.getPayment(id))
        assert.strictEqual(error._tag, "IamportNotFoundError")
      }
      const recent = (yield* emulator.counters).recent.filter((r) => r.route === "GET /payments/{imp_uid}")
      assert.deepStrictEqual(
        recent.map((r) => r.params["imp_uid"]),
        ids
      )
    }).pipe(Effect.provide(serverAndClient))
  )

  it.live("the emulator answers 404 for an unknown payment and code 1 for cancelling nothing", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(Payments.getPayment("imp_000000000000"))
      assert.strictEqual(missing._tag, "IamportNotFoundError")
      const nothing = yield* Effect.flip(Payments.cancel({ imp_uid: "imp_000000000000" }))
      assert.strictEqual(nothing._tag === "IamportApiError" && nothing.code, 1)
    }).pipe(Effect.provide(serverAndClient))
  )
})
