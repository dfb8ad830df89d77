/**
 * The webhook server end to end over real sockets: the emulator sends
 * webhooks to the merchant's server, which verifies them through the real
 * client against the same emulator.
 */
import { IamportClient, Payments, Verification } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Schedule } from "effect"
import * as Http from "node:http"
import { makeOrderBook, movesForward, type Order } from "./orders.js"
import { routes } from "./server.js"

/** Emulator on one port, the merchant's server on another, both on loopback. */
const setup = Effect.gen(function* () {
  const emulator = yield* IamportEmulator.IamportEmulator
  const { url } = yield* IamportEmulator.IamportEmulatorServer
  const orders = yield* makeOrderBook
  const client = IamportClient.layer({
    apiKey: emulator.apiKey,
    apiSecret: Redacted.make(emulator.apiSecret),
    baseUrl: url
  })
  const server = yield* Layer.build(
    NodeHttpServer.layerServer(() => Http.createServer(), { port: 0, host: "127.0.0.1" })
  )
  const iamport = yield* Layer.build(client.pipe(Layer.provide(NodeHttpClient.layerUndici)))
  yield* HttpServer.serveEffect(routes(orders)).pipe(Effect.provide(server), Effect.provide(iamport))
  const merchant = yield* HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provide(server))
  return { emulator, orders, webhookUrl: `${merchant}/portone-webhook` }
})

/** Waits (real time, bounded) until the order satisfies `done`. */
const eventually = (
  orders: Effect.Effect.Success<typeof makeOrderBook>,
  merchantUid: string,
  done: (o: Order) => boolean
) =>
  orders.get(merchantUid).pipe(
    Effect.flatMap((order) => (order && done(order) ? Effect.succeed(order) : Effect.fail("not yet" as const))),
    Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo(Duration.seconds(10))))
  )

/** Waits (real time, bounded) until the merchant's server has answered `count` webhook deliveries. */
const answered = (emulator: IamportEmulator.Service, count: number) =>
  emulator.webhookDeliveries.pipe(
    Effect.filterOrFail((deliveries) => deliveries.length >= count),
    Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo(Duration.seconds(10))))
  )

const Emulator = IamportEmulator.layerWithServer({ webhookResend: true, webhookResendInterval: "200 millis" })

describe("examples/webhook-server", () => {
  it.scopedLive("a paid payment's webhook marks the order paid", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-paid", 50_000)
      yield* emulator.seedPayment({ merchant_uid: "order-paid", amount: 50_000, notice_url: webhookUrl })
      const order = yield* eventually(orders, "order-paid", (o) => o.state === "paid")
      assert.strictEqual(order.applied, 1)
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a virtual account issued, then deposited", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-vbank", 30_000)
      const payment = yield* emulator.seedPayment({
        merchant_uid: "order-vbank",
        amount: 30_000,
        pay_method: "vbank",
        status: "ready",
        notice_url: webhookUrl
      })
      yield* eventually(orders, "order-vbank", (o) => o.state === "awaiting-deposit")
      yield* emulator.depositVbank(payment.imp_uid)
      const order = yield* eventually(orders, "order-vbank", (o) => o.state === "paid")
      assert.strictEqual(order.applied, 2)
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a forged payment (amount mismatch) is cancelled exactly once", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-forged", 50_000)
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-forged", amount: 100, notice_url: webhookUrl })
      yield* eventually(orders, "order-forged", (o) => o.state === "forged")
      const before = (yield* answered(emulator, 1)).length
      // the same webhook again, a resend by hand: answered, and no second cancel
      yield* emulator.sendWebhook({
        imp_uid: payment.imp_uid,
        merchant_uid: "order-forged",
        status: "paid",
        url: webhookUrl
      })
      const deliveries = yield* answered(emulator, before + 1)
      assert.strictEqual(deliveries.at(-1)?.status, 200)
      const stored = yield* emulator.payment(payment.imp_uid)
      assert.strictEqual(stored._tag === "Some" && stored.value.status, "cancelled")
      assert.strictEqual(stored._tag === "Some" && stored.value.cancel_history.length, 1)
      assert.strictEqual((yield* emulator.counters).requests["POST /payments/cancel"], 1)
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a real payment of one order claimed for another changes neither", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-a", 10_000)
      yield* orders.place("order-b", 10_000)
      const paidForA = yield* emulator.seedPayment({ merchant_uid: "order-a", amount: 10_000, notify: false })
      yield* emulator.sendWebhook({
        imp_uid: paidForA.imp_uid,
        merchant_uid: "order-b",
        status: "paid",
        url: webhookUrl
      })
      // verified and handed over (as another order's payment) before anything is asserted
      assert.strictEqual((yield* answered(emulator, 1))[0]?.status, 200)
      assert.strictEqual((yield* orders.get("order-b"))?.state, "pending")
      assert.strictEqual((yield* orders.get("order-a"))?.state, "pending")
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a webhook for a payment that does not exist changes nothing", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-x", 1_000)
      yield* emulator.sendWebhook({
        imp_uid: "imp_999999999999",
        merchant_uid: "order-x",
        status: "paid",
        url: webhookUrl
      })
      const deliveries = yield* answered(emulator, 1)
      assert.strictEqual(deliveries.at(-1)?.status, 200)
      const order = yield* orders.get("order-x")
      assert.strictEqual(order?.state, "pending")
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a duplicate delivery is handled once", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-dup", 7_000)
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-dup", amount: 7_000, notify: false })
      const event = { imp_uid: payment.imp_uid, merchant_uid: "order-dup", status: "paid", url: webhookUrl }
      yield* emulator.sendWebhook(event)
      yield* emulator.sendWebhook(event)
      // both answered (the second waited for the first, then was a duplicate) before the count is read
      const statuses = (yield* answered(emulator, 2)).map((d) => d.status)
      assert.deepStrictEqual(statuses.sort(), [200, 200])
      assert.strictEqual((yield* orders.get("order-dup"))?.state, "paid")
      assert.strictEqual((yield* orders.get("order-dup"))?.applied, 1)
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("after a 500 from the merchant's handler, PortOne's resend is handled", () =>
    Effect.gen(function* () {
      const { emulator, orders, webhookUrl } = yield* setup
      yield* orders.place("order-retry", 9_000)
      yield* orders.failNext("order-retry", 1)
      yield* emulator.seedPayment({ merchant_uid: "order-retry", amount: 9_000, notice_url: webhookUrl })
      const order = yield* eventually(orders, "order-retry", (o) => o.state === "paid")
      assert.strictEqual(order.applied, 1)
      // the emulator records the second attempt once the 200 has come back
      const deliveries = yield* emulator.webhookDeliveries.pipe(
        Effect.filterOrFail((d) => d.length === 2),
        Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo(Duration.seconds(5))))
      )
      assert.deepStrictEqual(
        deliveries.map((d) => [d.attempt, d.status]),
        [
          [1, 500],
          [2, 200]
        ]
      )
    }).pipe(Effect.provide(Emulator))
  )

  it.scopedLive("a body that is not a webhook gets 400; a form-encoded webhook is accepted", () =>
    Effect.gen(function* () {
      const { webhookUrl } = yield* setup
      const post = (body: string, contentType: string) =>
        Effect.promise(() =>
          fetch(webhookUrl, { method: "POST", body, headers: { "content-type": contentType } }).then(
            (r) => r.status,
            () => "connection reset" as const
          )
        )
      assert.strictEqual(yield* post("{not json", "application/json"), 400)
      assert.strictEqual(yield* post(JSON.stringify({ hello: "world" }), "application/json"), 400)
      // over the body limit: refused (the server may answer 400 before reading it all, or reset)
      assert.include([400, 413, "connection reset"], yield* post("x".repeat(100_000), "application/json"))
      assert.strictEqual(
        yield* post("imp_uid=imp_999999999998&merchant_uid=m&status=paid", "application/x-www-form-urlencoded"),
        200
      )
    }).pipe(Effect.provide(Emulator))
  )

  it.effect("the order book never moves an order back: a late 'paid' after the cancel is refused", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const orders = yield* makeOrderBook
      yield* orders.place("order-late", 5_000)
      const seeded = yield* emulator.seedPayment({ merchant_uid: "order-late", amount: 5_000 })
      const paid = yield* Payments.getPayment(seeded.imp_uid)
      yield* emulator.cancelFromConsole(seeded.imp_uid)
      const cancelled = yield* Payments.getPayment(seeded.imp_uid)
      yield* orders.apply("order-late", Verification.Verification.Paid({ payment: paid }))
      yield* orders.apply("order-late", Verification.Verification.Cancelled({ payment: cancelled, full: true }))
      // the stale one, handed over late (another instance's slow handler, say)
      yield* orders.apply("order-late", Verification.Verification.Paid({ payment: paid }))
      const order = yield* orders.get("order-late")
      assert.deepStrictEqual([order?.state, order?.applied, order?.refused], ["cancelled", 2, 1])
      // a failed or forged attempt may be followed by a genuine payment, never the other way round
      assert.isTrue(movesForward("failed", "paid") && movesForward("forged", "awaiting-deposit"))
      assert.isFalse(movesForward("paid", "failed") || movesForward("paid", "awaiting-deposit"))
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
