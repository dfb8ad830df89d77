import { type Verification, Webhook } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"

/** Runs the handler on one request, in process. */
const deliver = (
  app: ReturnType<typeof Webhook.handler<never, never>>,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" }
) =>
  app.pipe(
    Effect.provideService(
      HttpServerRequest.HttpServerRequest,
      HttpServerRequest.fromWeb(new Request("http://merchant.test/hook", { method: "POST", body, headers }))
    ),
    Effect.map((response) => response.status)
  )

describe("Webhook.handler", () => {
  it.effect("verifies, hands the outcome over once, and answers 200 / duplicate", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-1", amount: 3000 })
      const seen: Array<Verification.Verification["_tag"]> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(3000),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
      })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-1", status: "paid" })
      assert.strictEqual(yield* deliver(app, body), 200)
      assert.strictEqual(yield* deliver(app, body), 200)
      assert.deepStrictEqual(seen, ["Paid"])
      assert.strictEqual(yield* deliver(app, "not json"), 400)
      assert.strictEqual(yield* deliver(app, JSON.stringify({ imp_uid: 12, merchant_uid: "x", status: "paid" })), 400)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a handler failure answers 500 and lets the resend through", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-2", amount: 10 })
      let calls = 0
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(10),
        onVerified: () => (++calls === 1 ? Effect.fail("db down") : Effect.void)
      })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-2", status: "paid" })
      assert.strictEqual(yield* deliver(app, body), 500)
      assert.strictEqual(yield* deliver(app, body), 200)
      assert.strictEqual(calls, 2)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("i'mport unreachable while verifying answers 503, so that PortOne resends", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-3", amount: 10 })
      yield* emulator.injectFaults(IamportEmulator.Fault.Status({ status: 503 }), { count: 10, route: "/payments" })
      const app = Webhook.handler({ expectedAmount: () => Effect.succeed(10), onVerified: () => Effect.void })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-3", status: "paid" })
      const fiber = yield* Effect.fork(deliver(app, body))
      yield* TestClock.adjust("1 minute") // the read's retries back off on the clock
      assert.strictEqual(yield* Fiber.join(fiber), 503)
      yield* emulator.clearFaults
      assert.strictEqual(yield* deliver(app, body), 200)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the allow-list honours X-Forwarded-For only when told to", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-4", amount: 10 })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-4", status: "paid" })
      const from = (address: string) => ({
        "content-type": "application/json",
        "x-forwarded-for": `${address}, 10.0.0.1`
      })
      const onVerified = () => Effect.void
      const trusting = Webhook.handler({
        onVerified,
        expectedAmount: () => Effect.succeed(10),
        allowList: { trustForwardedFor: true }
      })
      const strict = Webhook.handler({ onVerified, expectedAmount: () => Effect.succeed(10), allowList: {} })
      assert.strictEqual(yield* deliver(trusting, body, from("1.2.3.4")), 403)
      assert.strictEqual(yield* deliver(trusting, body, from("52.78.100.19")), 200)
      assert.strictEqual(yield* deliver(strict, body, from("52.78.100.19")), 403)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the default store is bounded", () =>
    Effect.gen(function* () {
      const store = Webhook.memoryStore(2)
      assert.isTrue(yield* store.claim("a"))
      assert.isFalse(yield* store.claim("a"))
      assert.isTrue(yield* store.claim("b"))
      assert.isTrue(yield* store.claim("c"))
      assert.isTrue(yield* store.claim("a"), "the oldest key was forgotten")
    })
  )
})
