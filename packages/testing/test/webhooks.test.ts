/**
 * The emulator's webhooks, received by a plain Node server on loopback.
 */
import { BillingKeys, Subscribe } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Clock, Duration, Effect, Schedule, TestClock, TestServices } from "effect"
import * as Http from "node:http"

interface Received {
  readonly contentType: string | undefined
  readonly body: string
}

/** A receiver answering `status(n)` to the n-th post (from 1); records every body. */
const receiver = (status: (n: number) => number = () => 200) =>
  Effect.acquireRelease(
    Effect.async<{ url: string; received: Array<Received>; server: Http.Server }>((resume) => {
      const received: Array<Received> = []
      const server = Http.createServer((req, res) => {
        let body = ""
        req.on("data", (chunk) => (body += chunk))
        req.on("end", () => {
          received.push({ contentType: req.headers["content-type"], body })
          res.writeHead(status(received.length)).end("ok")
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as { port: number }
        resume(Effect.succeed({ url: `http://127.0.0.1:${address.port}/hook`, received, server }))
      })
    }),
    ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

/** Repeats `self` until `done`, for up to 5 seconds of the live clock (also under a `TestClock`). */
const eventually = <A>(self: Effect.Effect<A>, done: (a: A) => boolean) =>
  Effect.filterOrFail(self, done, () => "not yet").pipe(
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo(Duration.seconds(5)))),
    TestServices.provideLive
  )

const until = (done: () => boolean) => eventually(Effect.sync(done), (ok) => ok)

/** Waits until the emulator has recorded `n` delivery attempts (an attempt is recorded once answered). */
const delivered = (emulator: IamportEmulator.Service, n: number) =>
  eventually(emulator.webhookDeliveries, (d) => d.length >= n)

/** The resends the emulator has scheduled, as delays from now on its clock (the test's `TestClock`). */
const pendingResends = Effect.zipWith(TestClock.sleeps(), Clock.currentTimeMillis, (sleeps, now) =>
  Chunk.toArray(sleeps).map((at) => at - now)
)

const bodies = (received: ReadonlyArray<Received>) => received.map((r) => JSON.parse(r.body))

describe("emulator webhooks", () => {
  it.scopedLive(
    "sent on paid, virtual account issued, deposit, console cancel and API cancel with enable_webhook",
    () =>
      Effect.gen(function* () {
        const hook = yield* receiver()
        const emulator = yield* IamportEmulator.make({ webhookUrl: hook.url })
        const paid = yield* emulator.seedPayment({ merchant_uid: "m-paid" })
        const vbank = yield* emulator.seedPayment({ merchant_uid: "m-vbank", pay_method: "vbank", status: "ready" })
        yield* until(() => hook.received.length === 2)
        yield* emulator.depositVbank(vbank.imp_uid)
        yield* until(() => hook.received.length === 3)
        yield* emulator.cancelFromConsole(vbank.imp_uid)
        yield* until(() => hook.received.length === 4)
        const all = bodies(hook.received)
        assert.deepStrictEqual(
          all.map((b) => [b.imp_uid, b.status]).sort(),
          [
            [paid.imp_uid, "paid"],
            [vbank.imp_uid, "ready"],
            [vbank.imp_uid, "paid"],
            [vbank.imp_uid, "cancelled"]
          ].sort()
        )
        const cancelled = all.find((b) => b.status === "cancelled")
        const stored = yield* emulator.payment(vbank.imp_uid)
        assert.strictEqual(
          stored._tag === "Some" && stored.value.cancel_history[0]?.cancellation_id,
          cancelled.cancellation_id
        )
        assert.strictEqual(hook.received[0]!.contentType, "application/json")
      })
  )

  it.scopedLive("never on failure, nor on an API cancel without enable_webhook; notice_url wins", () =>
    Effect.gen(function* () {
      const configured = yield* receiver()
      const notice = yield* receiver()
      const emulator = yield* IamportEmulator.make({ webhookUrl: configured.url })
      yield* emulator.seedPayment({ status: "failed" })
      const payment = yield* emulator.seedPayment({ merchant_uid: "m-notice", notice_url: notice.url })
      const last = yield* emulator.seedPayment({ merchant_uid: "m-configured" })
      // the emulator sends in order: a webhook for either payment above would have been sent before this one's
      yield* until(() => configured.received.length > 0 && notice.received.length > 0)
      assert.deepStrictEqual(bodies(configured.received), [
        { imp_uid: last.imp_uid, merchant_uid: "m-configured", status: "paid" }
      ])
      // an API cancel, without and with enable_webhook, through the HTTP app
      const app = IamportEmulator.toWebHandler(emulator)
      const { response } = yield* Effect.promise(() =>
        app(
          new Request("http://x/users/getToken", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ imp_key: emulator.apiKey, imp_secret: emulator.apiSecret })
          })
        ).then((r) => r.json() as Promise<{ response: { access_token: string } }>)
      )
      const cancel = (body: object) =>
        Effect.promise(() =>
          app(
            new Request("http://x/payments/cancel", {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${response.access_token}` },
              body: JSON.stringify({ imp_uid: payment.imp_uid, ...body })
            })
          ).then((r) => r.json() as Promise<{ code: number; response: IamportEmulator.Payment }>)
        )
      assert.strictEqual((yield* cancel({ amount: 100 })).code, 0)
      const second = yield* cancel({ amount: 100, enable_webhook: true })
      const cancellationId = second.response.cancel_history[1]!.cancellation_id
      // likewise, a webhook for the first cancel would have been sent before the second's
      yield* until(() => bodies(notice.received).some((b) => b.cancellation_id === cancellationId))
      const { imp_uid, merchant_uid } = payment
      assert.deepStrictEqual(bodies(notice.received), [
        { imp_uid, merchant_uid, status: "paid" },
        { imp_uid, merchant_uid, status: "paid", cancellation_id: cancellationId } // partially cancelled: still paid
      ])
      assert.strictEqual(configured.received.length, 1)
    })
  )

  it.scopedLive("form-encoded when configured so", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const emulator = yield* IamportEmulator.make({ webhookUrl: hook.url, webhookFormat: "form" })
      const payment = yield* emulator.seedPayment()
      yield* until(() => hook.received.length === 1)
      assert.strictEqual(hook.received[0]!.contentType, "application/x-www-form-urlencoded")
      const form = new URLSearchParams(hook.received[0]!.body)
      assert.strictEqual(form.get("imp_uid"), payment.imp_uid)
      assert.strictEqual(form.get("status"), "paid")
    })
  )

  // Under the test's clock: a scheduled resend is a pending sleep, so "no resend" needs no waiting.
  it.scoped("with resending on: 5 resends after a 5xx, at the configured interval; none after a 4xx", () =>
    Effect.gen(function* () {
      const failing = yield* receiver(() => 503)
      const emulator = yield* IamportEmulator.make({
        webhookUrl: failing.url,
        webhookResend: true,
        webhookResendInterval: "2 minutes"
      })
      yield* emulator.seedPayment()
      for (let attempt = 1; attempt <= 6; attempt++) {
        yield* delivered(emulator, attempt)
        assert.deepStrictEqual(yield* pendingResends, attempt < 6 ? [120_000] : [], `after attempt ${attempt}`)
        yield* TestClock.adjust("2 minutes")
      }
      assert.strictEqual(failing.received.length, 6)
      assert.deepStrictEqual(
        (yield* emulator.webhookDeliveries).map((d) => [d.attempt, d.status]),
        [1, 2, 3, 4, 5, 6].map((attempt) => [attempt, 503])
      )
      const rejecting = yield* receiver(() => 400)
      yield* emulator.sendWebhook({ imp_uid: "imp_1", merchant_uid: "m", status: "paid", url: rejecting.url })
      assert.strictEqual((yield* delivered(emulator, 7))[6]!.status, 400)
      assert.deepStrictEqual(yield* pendingResends, [])
      assert.strictEqual(rejecting.received.length, 1)
    })
  )

  it.scoped("without resending, a failed delivery is not repeated; a network error is recorded", () =>
    Effect.gen(function* () {
      const failing = yield* receiver(() => 500)
      const emulator = yield* IamportEmulator.make({ webhookUrl: failing.url })
      yield* emulator.seedPayment()
      yield* delivered(emulator, 1)
      yield* emulator.sendWebhook({
        imp_uid: "imp_1",
        merchant_uid: "m",
        status: "paid",
        url: "http://127.0.0.1:9/none"
      })
      const deliveries = yield* delivered(emulator, 2)
      assert.deepStrictEqual(
        deliveries.map((d) => d.status),
        [500, 0]
      )
      assert.isString(deliveries[1]!.error)
      assert.deepStrictEqual(yield* pendingResends, [])
      assert.strictEqual(failing.received.length, 1)
    })
  )

  it.scopedLive("an admin route sends a forged webhook", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const emulator = yield* IamportEmulator.make()
      const app = IamportEmulator.toWebHandler(emulator)
      const status = yield* Effect.promise(() =>
        app(
          new Request("http://x/__emulator/webhooks", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ imp_uid: "imp_forged", merchant_uid: "m-1", status: "paid", url: hook.url })
          })
        ).then((r) => r.status)
      )
      assert.strictEqual(status, 200)
      yield* until(() => hook.received.length === 1)
      assert.deepStrictEqual(bodies(hook.received)[0], { imp_uid: "imp_forged", merchant_uid: "m-1", status: "paid" })
    })
  )

  it.scopedLive("a billing-key charge sends its paid webhook to the request's notice_url", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const emulator = yield* IamportEmulator.IamportEmulator
      yield* BillingKeys.issue({
        channel_key: "channel-key-test",
        customer_uid: "customer-1",
        card_number: "4242-4242-4242-4242",
        expiry: "2030-12"
      })
      const payment = yield* Subscribe.again({
        customer_uid: "customer-1",
        merchant_uid: "sub-1",
        amount: 9900,
        name: "monthly",
        notice_url: hook.url
      })
      yield* until(() => hook.received.length === 1)
      assert.deepStrictEqual(bodies(hook.received)[0], {
        imp_uid: payment.imp_uid,
        merchant_uid: "sub-1",
        status: "paid"
      })
      assert.strictEqual((yield* emulator.webhookDeliveries).length, 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
