import { type Verification, Webhook } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer, TestClock, TestServices } from "effect"
import * as Http from "node:http"
import * as Net from "node:net"

type App = ReturnType<typeof Webhook.handler<never, never>>

/** Runs the handler on one request from `peer`, in process. */
const deliverFrom = (
  app: App,
  body: string,
  request: { readonly peer?: string; readonly headers?: Record<string, string> } = {}
) =>
  app.pipe(
    Effect.provideService(
      HttpServerRequest.HttpServerRequest,
      HttpServerRequest.fromWeb(
        new Request("http://merchant.test/hook", {
          method: "POST",
          body,
          headers: request.headers ?? { "content-type": "application/json" }
        })
      ).modify(request.peer === undefined ? {} : { remoteAddress: request.peer })
    ),
    Effect.map((response) => response.status)
  )

/** Runs the handler on one request, in process. */
const deliver = (app: App, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  deliverFrom(app, body, { headers })

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

  it.effect("the allow-list believes X-Forwarded-For only from a configured proxy", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-4", amount: 10 })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-4", status: "paid" })
      const onVerified = () => Effect.void
      const behindProxy = Webhook.handler({
        onVerified,
        expectedAmount: () => Effect.succeed(10),
        allowList: { trustedProxies: ["10.0.0.2"] }
      })
      const strict = Webhook.handler({ onVerified, expectedAmount: () => Effect.succeed(10), allowList: {} })
      const from = (peer: string, forwardedFor: string) => ({
        peer,
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor }
      })
      // our proxy added the right-most entry; a spoofed left-most entry must not count
      assert.strictEqual(yield* deliverFrom(behindProxy, body, from("10.0.0.2", "52.78.100.19, 1.2.3.4")), 403)
      assert.strictEqual(yield* deliverFrom(behindProxy, body, from("10.0.0.2", "1.2.3.4, 52.78.100.19")), 200)
      // the same header from a peer that is not our proxy is the sender's own word
      assert.strictEqual(yield* deliverFrom(behindProxy, body, from("1.2.3.4", "52.78.100.19")), 403)
      assert.strictEqual(yield* deliverFrom(strict, body, from("1.2.3.4", "52.78.100.19")), 403)
      assert.strictEqual(yield* deliverFrom(strict, body, from("::ffff:52.78.100.19", "1.2.3.4")), 200)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the memory store: claims with a lease, done only when completed, bounded in completed keys", () =>
    Effect.gen(function* () {
      const store = Webhook.memoryStore(2)
      const lease = Duration.seconds(30)
      const a = yield* store.claim("a", lease)
      assert.strictEqual(a._tag, "Claimed")
      assert.strictEqual((yield* store.claim("a", lease))._tag, "InFlight")
      // a claim that was not completed in its lease (a crashed handler) is taken over
      yield* TestClock.adjust("31 seconds")
      const b = yield* store.claim("a", lease)
      assert.strictEqual(b._tag, "Claimed")
      // the crashed owner's late release does not free the new owner's claim
      yield* store.release("a", a._tag === "Claimed" ? a.token : "")
      assert.strictEqual((yield* store.claim("a", lease))._tag, "InFlight")
      yield* store.complete("a", b._tag === "Claimed" ? b.token : "")
      assert.strictEqual((yield* store.claim("a", lease))._tag, "Done")
      // only completed keys count against the capacity; the oldest is forgotten
      for (const key of ["b", "c"]) {
        const claim = yield* store.claim(key, lease)
        yield* store.complete(key, claim._tag === "Claimed" ? claim.token : "")
      }
      assert.strictEqual((yield* store.claim("a", lease))._tag, "Claimed")
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
      const entered = yield* Deferred.make<void>()
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(1),
        onVerified: () =>
          ++calls === 1 ? Effect.zipRight(Deferred.succeed(entered, undefined), Effect.never) : Effect.void
      })
      const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-D", status: "paid" })
      const first = yield* Effect.fork(deliver(app, body))
      yield* Deferred.await(entered)
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

/** Lets other fibers run until `ready` holds: a bounded wait that needs no clock (TestClock stands still). */
const until = (ready: Effect.Effect<boolean>) =>
  Effect.gen(function* () {
    for (let i = 0; i < 10_000; i++) {
      if (yield* ready) return
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage("the awaited condition never held")
  })

const paidBody = (impUid: string, merchantUid: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ imp_uid: impUid, merchant_uid: merchantUid, status: "paid", ...extra })

describe("Webhook.handler: each verified state handed over once, in order", () => {
  it.effect("10,000 forged webhooks for unknown payments never reach onVerified nor push out a genuine delivery", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-flood", amount: 3000 })
      const seen: Array<string> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(3000),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
      })
      assert.strictEqual(yield* deliver(app, paidBody(payment.imp_uid, "order-flood")), 200)
      const forged = yield* Effect.forEach(
        Array.from({ length: 10_000 }, (_, i) => `imp_${String(i).padStart(12, "0")}`),
        (impUid) => deliver(app, paidBody(impUid, "order-flood")),
        { concurrency: 16 }
      )
      assert.isTrue(forged.every((status) => status === 200))
      // the genuine delivery's resend is still a duplicate: the goods are not shipped twice
      assert.strictEqual(yield* deliver(app, paidBody(payment.imp_uid, "order-flood")), 200)
      assert.deepStrictEqual(seen, ["Paid"])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("at most maxConcurrent deliveries look payments up at once; the rest get 503 at once", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const app = Webhook.handler({ maxConcurrent: 4, onVerified: () => Effect.void })
      yield* deliver(app, paidBody("imp_000000000000", "warm-the-token"))
      yield* emulator.injectFaults(IamportEmulator.Fault.Delay({ duration: "5 seconds" }), {
        route: "/payments",
        count: 100
      })
      const before = (yield* emulator.counters).requests["GET /payments/{imp_uid}"] ?? 0
      const fibers = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => `imp_1000000000${String(i).padStart(2, "0")}`),
        (impUid) => Effect.fork(deliver(app, paidBody(impUid, "order-x"))),
        { concurrency: "unbounded" }
      )
      yield* TestClock.adjust("10 seconds")
      const statuses = yield* Effect.forEach(fibers, Fiber.join)
      assert.strictEqual(statuses.filter((s) => s === 503).length, 16)
      assert.strictEqual(statuses.filter((s) => s === 200).length, 4)
      assert.strictEqual((yield* emulator.counters).requests["GET /payments/{imp_uid}"]! - before, 4)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a slow look-up for 'paid' that ends after the cancel never hands over the stale state", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-stale", amount: 800 })
      const seen: Array<string> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(800),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
      })
      yield* deliver(app, paidBody("imp_000000000000", "warm-the-token"))
      // the 'paid' delivery's look-up reads 'paid', then its answer is held back
      yield* emulator.injectFaults(IamportEmulator.Fault.Delay({ duration: "5 seconds" }), {
        route: `/payments/${payment.imp_uid}`
      })
      const looked = (yield* emulator.counters).requests["GET /payments/{imp_uid}"] ?? 0
      const paid = yield* Effect.fork(deliver(app, paidBody(payment.imp_uid, "order-stale")))
      // the emulator answered the look-up ('paid'); the answer is on its way
      yield* until(Effect.map(emulator.counters, (c) => c.requests["GET /payments/{imp_uid}"] === looked + 1))
      yield* emulator.cancelFromConsole(payment.imp_uid)
      const cancelled = yield* Effect.fork(
        deliver(app, JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-stale", status: "cancelled" }))
      )
      yield* TestClock.adjust("10 seconds")
      // the stale 'paid' is refused with a 5xx (its resend will verify the current state); 'cancelled' is handed over
      assert.strictEqual(yield* Fiber.join(paid), 503)
      assert.strictEqual(yield* Fiber.join(cancelled), 200)
      assert.deepStrictEqual(seen, ["Cancelled"])
      // i'mport's resend of the 'paid' webhook now verifies as the cancel: a duplicate
      assert.strictEqual(yield* deliver(app, paidBody(payment.imp_uid, "order-stale")), 200)
      assert.deepStrictEqual(seen, ["Cancelled"])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("hand-overs of one payment run one at a time: a newer state waits for the older one's handler", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-order", amount: 800 })
      const entered = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const finished: Array<string> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(800),
        onVerified: (verification) =>
          verification._tag === "Paid"
            ? Deferred.succeed(entered, undefined).pipe(
                Effect.zipRight(Deferred.await(release)),
                Effect.zipRight(Effect.sync(() => void finished.push("Paid")))
              )
            : Effect.sync(() => void finished.push(verification._tag))
      })
      const paid = yield* Effect.fork(deliver(app, paidBody(payment.imp_uid, "order-order")))
      yield* Deferred.await(entered)
      yield* emulator.cancelFromConsole(payment.imp_uid)
      const cancelled = yield* Effect.fork(
        deliver(app, JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "order-order", status: "cancelled" }))
      )
      // room for the 'cancelled' delivery to overtake, were it not held back (real time: TestClock stands still)
      yield* TestServices.provideLive(Effect.sleep("200 millis"))
      yield* Deferred.succeed(release, undefined)
      assert.deepStrictEqual([yield* Fiber.join(paid), yield* Fiber.join(cancelled)], [200, 200])
      assert.deepStrictEqual(finished, ["Paid", "Cancelled"], "the order book ends in the newest state")
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect(
    "a delivery of a state another instance is handling gets 503, and its resend after success is a duplicate",
    () =>
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const payment = yield* emulator.seedPayment({ merchant_uid: "order-twice", amount: 100 })
        const store = Webhook.memoryStore() // shared by two instances, as a database would be
        const release = yield* Deferred.make<void>()
        const entered = yield* Deferred.make<void>()
        let calls = 0
        const slow = Webhook.handler({
          store,
          expectedAmount: () => Effect.succeed(100),
          onVerified: () =>
            Effect.sync(() => void calls++).pipe(
              Effect.zipRight(Deferred.succeed(entered, undefined)),
              Effect.zipRight(Deferred.await(release))
            )
        })
        const other = Webhook.handler({
          store,
          expectedAmount: () => Effect.succeed(100),
          onVerified: () => Effect.sync(() => void calls++)
        })
        const body = paidBody(payment.imp_uid, "order-twice")
        const first = yield* Effect.fork(deliver(slow, body))
        yield* Deferred.await(entered)
        assert.strictEqual(calls, 1)
        assert.strictEqual(yield* deliver(other, body), 503, "in flight elsewhere: not a 200 duplicate")
        yield* Deferred.succeed(release, undefined)
        assert.strictEqual(yield* Fiber.join(first), 200)
        assert.strictEqual(yield* deliver(other, body), 200)
        assert.strictEqual(calls, 1)
      }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect(
    "a handler killed mid-way leaves a claim that expires after the lease; the resend completes the order",
    () =>
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const payment = yield* emulator.seedPayment({ merchant_uid: "order-killed", amount: 100 })
        const store = Webhook.memoryStore()
        const entered = yield* Deferred.make<void>()
        // the killed instance: its process died, so its release never reached the shared store
        const dying = Webhook.handler({
          store: { ...store, release: () => Effect.void },
          lease: "1 minute",
          expectedAmount: () => Effect.succeed(100),
          onVerified: () => Effect.zipRight(Deferred.succeed(entered, undefined), Effect.never)
        })
        const seen: Array<string> = []
        const survivor = Webhook.handler({
          store,
          lease: "1 minute",
          expectedAmount: () => Effect.succeed(100),
          onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
        })
        const body = paidBody(payment.imp_uid, "order-killed")
        const killed = yield* Effect.fork(deliver(dying, body))
        yield* Deferred.await(entered)
        yield* Fiber.interrupt(killed)
        assert.strictEqual(yield* deliver(survivor, body), 503, "the claim is still held")
        yield* TestClock.adjust("1 minute")
        assert.strictEqual(yield* deliver(survivor, body), 200)
        assert.deepStrictEqual(seen, ["Paid"])
        assert.strictEqual(yield* deliver(survivor, body), 200)
        assert.deepStrictEqual(seen, ["Paid"], "done once completed")
      }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect(
    "a paid order never prepared, with no amount from the merchant, is handed over as NotPrepared (no 500 loop)",
    () =>
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const payment = yield* emulator.seedPayment({ merchant_uid: "order-unprepared", amount: 100 })
        const seen: Array<string> = []
        const app = Webhook.handler({
          onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
        })
        assert.strictEqual(yield* deliver(app, paidBody(payment.imp_uid, "order-unprepared")), 200)
        assert.deepStrictEqual(seen, ["NotPrepared"])
      }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("includeSandbox verifies staging webhooks of test-channel payments", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-staging", amount: 100, sandbox: true })
      const seen: Array<string> = []
      const options = {
        expectedAmount: () => Effect.succeed(100),
        onVerified: (verification: Verification.Verification) => Effect.sync(() => void seen.push(verification._tag))
      }
      yield* deliver(Webhook.handler(options), paidBody(payment.imp_uid, "order-staging"))
      assert.deepStrictEqual(seen, [], "hidden without includeSandbox")
      yield* deliver(Webhook.handler({ ...options, includeSandbox: true }), paidBody(payment.imp_uid, "order-staging"))
      assert.deepStrictEqual(seen, ["Paid"])
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("Webhook.handler: bad input", () => {
  it.effect("Content-Type is matched without regard to case", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-form", amount: 100 })
      const seen: Array<string> = []
      const app = Webhook.handler({
        expectedAmount: () => Effect.succeed(100),
        onVerified: (verification) => Effect.sync(() => void seen.push(verification._tag))
      })
      const form = `imp_uid=${payment.imp_uid}&merchant_uid=order-form&status=paid`
      assert.strictEqual(
        yield* deliver(app, form, { "content-type": "Application/X-WWW-Form-Urlencoded; Charset=UTF-8" }),
        200
      )
      assert.deepStrictEqual(seen, ["Paid"])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect('"cancellation_id": null is accepted', () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "order-null", amount: 100 })
      const app = Webhook.handler({ expectedAmount: () => Effect.succeed(100), onVerified: () => Effect.void })
      assert.strictEqual(yield* deliver(app, paidBody(payment.imp_uid, "order-null", { cancellation_id: null })), 200)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("an imp_uid that cannot name a payment ('..', '.', a lone surrogate, a control character) is 400", () =>
    Effect.gen(function* () {
      let calls = 0
      const app = Webhook.handler({ onVerified: () => Effect.sync(() => void calls++) })
      for (const impUid of ["..", ".", "\ud800", "imp_1\u0000", "imp_\udc00x"]) {
        assert.strictEqual(yield* deliver(app, paidBody(impUid, "order-x")), 400, JSON.stringify(impUid))
      }
      // the same as a raw JSON escape
      assert.strictEqual(yield* deliver(app, '{"imp_uid":"\\ud800","merchant_uid":"m","status":"paid"}'), 400)
      assert.strictEqual(calls, 0)
      assert.strictEqual((yield* (yield* IamportEmulator.IamportEmulator).counters).totalRequests, 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("Webhook.handler over real sockets", () => {
  it.live("100 connections sending a body at 1 byte per 200 ms are cut at bodyTimeout", () =>
    Effect.gen(function* () {
      const server = yield* Layer.build(
        NodeHttpServer.layerServer(() => Http.createServer(), { port: 0, host: "127.0.0.1" })
      )
      const app = Webhook.handler({ bodyTimeout: "500 millis", onVerified: () => Effect.void })
      yield* HttpServer.serveEffect(app).pipe(Effect.provide(server), Effect.provide(IamportTest.layer()))
      const address = yield* HttpServer.addressWith(Effect.succeed).pipe(Effect.provide(server))
      const port = address._tag === "TcpAddress" ? address.port : 0
      const started = Date.now()
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 100 }, () => slowPost(port, 30)),
        (outcome) => Effect.promise(() => outcome),
        { concurrency: "unbounded" }
      )
      const seconds = (Date.now() - started) / 1000
      // answered 408, or (on Node, whose read is cut) reset without an answer: never left open
      const late = outcomes.filter((o) => o.closedAfterMs >= 3000 || (o.status !== 408 && o.status !== 0))
      assert.deepStrictEqual(late, [])
      // 30 bytes at 1 per 200 ms would take 6 s: the connections were cut well before
      assert.isBelow(seconds, 4)
    }).pipe(Effect.scoped)
  )
})

/**
 * A POST whose body trickles in, one byte per 200 ms, `bytes` in all (bounded);
 * resolves with the status line's code and when the server closed the connection.
 */
const slowPost = (port: number, bytes: number) =>
  new Promise<{ status: number; closedAfterMs: number }>((resolve) => {
    const started = Date.now()
    const socket = Net.connect(port, "127.0.0.1")
    let answer = ""
    let sent = 0
    const timer = setInterval(() => {
      if (sent++ < bytes && !socket.destroyed) socket.write("x")
      else clearInterval(timer)
    }, 200)
    socket.on("connect", () =>
      socket.write(
        `POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n`
      )
    )
    socket.on("data", (chunk) => void (answer += chunk.toString("latin1")))
    socket.on("error", () => {}) // a reset is an outcome, read on "close"
    socket.on("close", () => {
      clearInterval(timer)
      resolve({ status: Number(answer.slice(9, 12)) || 0, closedAfterMs: Date.now() - started })
    })
  })
