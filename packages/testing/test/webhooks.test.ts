/**
 * The emulator's webhooks, received by a plain Node server on loopback.
 */
import { BillingKeys, Subscribe } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schedule } from "effect"
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

const until = (done: () => boolean) =>
  Effect.suspend(() => (done() ? Effect.void : Effect.fail("not yet"))).pipe(
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo(Duration.seconds(5))))
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
      yield* until(() => notice.received.length === 1)
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
          ).then((r) => r.json() as Promise<{ code: number }>)
        )
      assert.strictEqual((yield* cancel({ amount: 100 })).code, 0)
      yield* Effect.sleep("200 millis")
      assert.strictEqual(notice.received.length, 1)
      assert.strictEqual((yield* cancel({ amount: 100, enable_webhook: true })).code, 0)
      yield* until(() => notice.received.length === 2)
      assert.strictEqual(bodies(notice.received)[1].status, "paid") // partially cancelled: still paid
      assert.strictEqual(configured.received.length, 0)
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

  it.scopedLive("with resending on: 5 resends after a 5xx, at the configured interval; none after a 4xx", () =>
    Effect.gen(function* () {
      const failing = yield* receiver(() => 503)
      const emulator = yield* IamportEmulator.make({
        webhookUrl: failing.url,
        webhookResend: true,
        webhookResendInterval: "50 millis"
      })
      yield* emulator.seedPayment()
      yield* until(() => failing.received.length === 6)
      yield* Effect.sleep("200 millis")
      assert.strictEqual(failing.received.length, 6)
      const deliveries = yield* emulator.webhookDeliveries
      assert.deepStrictEqual(
        deliveries.map((d) => d.attempt),
        [1, 2, 3, 4, 5, 6]
      )
      const rejecting = yield* receiver(() => 400)
      yield* emulator.sendWebhook({ imp_uid: "imp_1", merchant_uid: "m", status: "paid", url: rejecting.url })
      yield* until(() => rejecting.received.length === 1)
      yield* Effect.sleep("200 millis")
      assert.strictEqual(rejecting.received.length, 1)
    })
  )

  it.scopedLive("without resending, a failed delivery is not repeated; a network error is recorded", () =>
    Effect.gen(function* () {
      const failing = yield* receiver(() => 500)
      const emulator = yield* IamportEmulator.make({ webhookUrl: failing.url })
      yield* emulator.seedPayment()
      yield* until(() => failing.received.length === 1)
      yield* emulator.sendWebhook({
        imp_uid: "imp_1",
        merchant_uid: "m",
        status: "paid",
        url: "http://127.0.0.1:9/none"
      })
      yield* Effect.flatMap(emulator.webhookDeliveries, (d) =>
        d.length === 2 ? Effect.void : Effect.fail("not yet")
      ).pipe(Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo(Duration.seconds(5)))))
      const deliveries = yield* emulator.webhookDeliveries
      assert.deepStrictEqual(
        deliveries.map((d) => d.status),
        [500, 0]
      )
      assert.isString(deliveries[1]!.error)
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
      yield* BillingKeys.issueBillingKey({
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
