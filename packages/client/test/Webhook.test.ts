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
      // the right-most entry is the one our proxy added; a spoofed left-most entry must not count
      const from = (address: string) => ({
        "content-type": "application/json",
        "x-forwarded-for": `52.78.100.19, ${address}`
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

  it.effect("a real payment claimed for another order is OrderMismatch, never that order's payment", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const paidForA = yield* emulator.seedPayment({ merchant_uid: "order-A", amount: 10_000 })
      const seen: Array<Verification.Verification> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(10_000),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification))
      })
      const forged = JSON.stringify({ imp_uid: paidForA.imp_uid, merchant_uid: "order-B", status: "paid" })
      assert.strictEqual(yield* deliver(app, forged), 200)
      assert.deepStrictEqual(
        seen.map((v) => v._tag),
        ["OrderMismatch"]
      )
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a forged early 'paid' does not make the genuine one a duplicate", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({
        merchant_uid: "order-C",
        amount: 500,
        pay_method: "vbank",
        status: "ready",
        notify: false
      })
      const seen: Array<Verification.Verification["_tag"]> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(500),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
      })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-C", status: "paid" })
      assert.strictEqual(yield* deliver(app, body), 200) // forged while the account awaits its deposit
      yield* emulator.depositVbank(payment.imp_uid)
      assert.strictEqual(yield* deliver(app, body), 200) // the genuine one
      assert.strictEqual(yield* deliver(app, body), 200) // and a resend of it
      assert.deepStrictEqual(seen, ["AwaitingDeposit", "Paid"])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("an interrupted handler releases its claim, so the resend is handled", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-D", amount: 1 })
      let calls = 0
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(1),
        onVerified: () => (++calls === 1 ? Effect.never : Effect.void)
      })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-D", status: "paid" })
      const first = yield* Effect.fork(deliver(app, body))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(first) // PortOne gave up and closed the connection
      assert.strictEqual(yield* deliver(app, body), 200)
      assert.strictEqual(calls, 2)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a body over the limit is 413", () =>
    Effect.gen(function* () {
      const app = Webhook.handler({ onVerified: () => Effect.void, maxBodyBytes: 100 })
      assert.strictEqual(
        yield* deliver(app, "x".repeat(200), { "content-type": "application/json", "content-length": "200" }),
        413
      )
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
