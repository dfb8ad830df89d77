/**
 * Secret hygiene and observability: everything the client logs, traces or
 * fails with is recorded, and neither the API secret nor any token may appear.
 */
import { IamportAuth, IamportClient, type IamportError, Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Metric, Redacted, TestClock } from "effect"
import { makeRecording, recording, recordingTracer } from "./fixtures/Recording.js"

const secret = IamportEmulator.DEFAULT_API_SECRET

describe("secret hygiene", () => {
  it.effect("no secret or token appears in any log, span attribute or error", () => {
    const recorded = makeRecording()
    const tokens = new Set<string>()
    const errors: Array<IamportError.IamportError> = []
    const record = <A, R>(effect: Effect.Effect<A, IamportError.IamportError, R>) =>
      effect.pipe(
        Effect.tapError((e) => Effect.sync(() => errors.push(e))),
        Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
        Effect.option
      )
    return Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const auth = yield* IamportAuth.IamportAuth
      const keepToken = Effect.flatMap(auth.token, (t) => Effect.sync(() => tokens.add(Redacted.value(t.value))))
      const payment = yield* emulator.seedPayment({ amount: 1000 })
      yield* Effect.logDebug("starting")
      yield* record(Payments.getPayment(payment.imp_uid))
      yield* keepToken
      yield* emulator.revokeTokens
      yield* record(Payments.getPayment(payment.imp_uid)) // 401, refresh, replay
      yield* keepToken
      for (const fault of [
        IamportEmulator.Fault.Drop(),
        IamportEmulator.Fault.MalformedJson(),
        IamportEmulator.Fault.Html502(),
        IamportEmulator.Fault.Unauthorized()
      ]) {
        yield* emulator.injectFaults(fault, { count: 5 })
        yield* record(Payments.cancel({ imp_uid: payment.imp_uid, amount: 1 }, { confirm: false }))
        yield* emulator.clearFaults
      }
      yield* record(Payments.getPayment("imp_unknown"))
      yield* TestClock.adjust("31 minutes")
      yield* record(Payments.getPayment(payment.imp_uid))
      yield* keepToken
      // a client with a wrong secret
      yield* record(
        Payments.getPayment(payment.imp_uid).pipe(
          Effect.provide(
            IamportTest.clientLayer({ client: { apiSecret: Redacted.make(`${secret}-wrong`) } }).pipe(
              Layer.provide(IamportEmulator.layerHttpClient),
              Layer.provide(Layer.succeed(IamportEmulator.IamportEmulator, emulator))
            )
          )
        )
      )

      assert.isAtLeast(tokens.size, 3)
      assert.isAtLeast(errors.length, 5)
      for (const error of errors) {
        recorded.texts.push(String(error), JSON.stringify(error), error.message, String(error.stack))
      }
      for (const span of recorded.spans) {
        recorded.texts.push(span.name, JSON.stringify([...span.attributes].map(([k, v]) => [k, String(v)])))
      }
      const everything = recorded.texts.join("\n")
      assert.isAbove(everything.length, 1000)
      assert.include(everything, "IamportAuth.refresh", "the tracer saw the refresh spans")
      assert.notInclude(everything, secret)
      assert.notInclude(everything, secret.slice(0, 20))
      for (const token of tokens) assert.notInclude(everything, token)
    }).pipe(Effect.provide(IamportTest.layer()), recording(recorded))
  })

  it.effect("Redacted tokens print as <redacted>", () =>
    Effect.gen(function* () {
      const auth = yield* IamportAuth.IamportAuth
      const token = yield* auth.token
      assert.notInclude(String(token.value), Redacted.value(token.value))
      assert.notInclude(JSON.stringify(token), Redacted.value(token.value))
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("observability", () => {
  it.effect("spans for refresh with their reason, and metrics for hits and refreshes", () => {
    const recorded = makeRecording()
    const refreshes = (reason: string) =>
      Metric.value(Metric.tagged(IamportAuth.metrics.refreshes, "reason", reason)).pipe(Effect.map((s) => s.count))
    return Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment()
      const hitsBefore = (yield* Metric.value(IamportAuth.metrics.hits)).count
      const coldBefore = yield* refreshes("cold")
      const expiredBefore = yield* refreshes("expired")
      const rejectedBefore = yield* refreshes("rejected")
      for (let i = 0; i < 10; i++) yield* Payments.getPayment(payment.imp_uid)
      yield* TestClock.adjust("31 minutes")
      yield* Payments.getPayment(payment.imp_uid)
      yield* emulator.revokeTokens
      yield* Payments.getPayment(payment.imp_uid)
      assert.strictEqual((yield* refreshes("cold")) - coldBefore, 1)
      assert.strictEqual((yield* refreshes("expired")) - expiredBefore, 1)
      assert.strictEqual((yield* refreshes("rejected")) - rejectedBefore, 1)
      assert.isAtLeast((yield* Metric.value(IamportAuth.metrics.hits)).count - hitsBefore, 9)
      const reasons = recorded.spans
        .filter((s) => s.name === "IamportAuth.refresh")
        .map((s) => s.attributes.get("reason"))
      assert.deepStrictEqual(reasons, ["cold", "expired", "rejected"])
      assert.isTrue(recorded.spans.some((s) => s.name === "Iamport GET /payments/{imp_uid}"))
    }).pipe(Effect.provide(IamportTest.layer()), Effect.withTracer(recordingTracer(recorded)))
  })
})

describe("call metrics", () => {
  const endpoint = "GET /payments/{imp_uid}"
  const calls = Metric.value(IamportClient.metrics.duration.pipe(Metric.tagged("endpoint", endpoint))).pipe(
    Effect.map((state) => state.count)
  )
  const errors = (tag: string) =>
    Metric.value(
      IamportClient.metrics.errors.pipe(Metric.tagged("endpoint", endpoint), Metric.tagged("error", tag))
    ).pipe(Effect.map((state) => state.count))

  it.effect("with metrics: true, each call's time by endpoint, and failures by endpoint and error tag", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment()
      const callsBefore = yield* calls
      const notFoundBefore = yield* errors("IamportNotFoundError")
      yield* Payments.getPayment(payment.imp_uid)
      yield* Payments.getPayment(payment.imp_uid)
      yield* Effect.flip(Payments.getPayment("imp_unknown"))
      assert.strictEqual((yield* calls) - callsBefore, 3)
      assert.strictEqual((yield* errors("IamportNotFoundError")) - notFoundBefore, 1)
    }).pipe(Effect.provide(IamportTest.layer({ client: { metrics: true } })))
  )

  it.effect("off by default: nothing is recorded", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment()
      const callsBefore = yield* calls
      const notFoundBefore = yield* errors("IamportNotFoundError")
      yield* Payments.getPayment(payment.imp_uid)
      yield* Effect.flip(Payments.getPayment("imp_unknown"))
      assert.strictEqual(yield* calls, callsBefore)
      assert.strictEqual(yield* errors("IamportNotFoundError"), notFoundBefore)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
