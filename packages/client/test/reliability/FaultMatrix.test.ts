/**
 * The fault matrix (issue 5): one test per row of `rows.ts`, each asserting the
 * row's expected outcome and request counts, and each run under a recording
 * logger, tracer and error capture whose output must hold neither the API
 * secret nor any token the client sent (secret hygiene over the whole matrix).
 */
import { IamportClient, IamportError, Payments } from "@effect-iamport/client"
import { IamportEmulator } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Option, type Scope, TestClock } from "effect"
import {
  assertHygiene,
  call,
  clientLayer,
  failureOf,
  inProcessLayer,
  makeRecorder,
  type Recorder,
  recording,
  type Services,
  socketLayer,
  type Transport,
  transports,
  valueOf
} from "./harness.js"
import * as RawServer from "./RawServer.js"
import { type Row, type RowId, rows } from "./rows.js"

const Emulator = IamportEmulator.IamportEmulator
const Fault = IamportEmulator.Fault

type Case =
  | {
      readonly client?: Partial<IamportClient.Options>
      readonly emulator?: IamportEmulator.Options
      readonly program: (recorded: Recorder) => Effect.Effect<void, unknown, Services>
    }
  | {
      readonly raw: ReadonlyArray<RawServer.RawAnswer>
      readonly program: (
        recorded: Recorder,
        server: RawServer.RawServer
      ) => Effect.Effect<void, unknown, IamportClient.IamportClient>
    }

/** Fast retries on real sockets, so the suite stays quick. */
const fast: Partial<IamportClient.Options> = { retryBase: "20 millis" }

const apiPayment = {
  imp_uid: "imp_raw",
  merchant_uid: "m_raw",
  amount: 900,
  cancel_amount: 0,
  currency: "KRW",
  status: "paid"
}

const counters = Effect.flatMap(Emulator, (e) => e.counters)
const reads = Effect.map(counters, (c) => c.requests["GET /payments/{imp_uid}"] ?? 0)

/** Seeds one payment and returns its `imp_uid`. */
const seeded = Effect.flatMap(Emulator, (e) => e.seedPayment({ amount: 1234 })).pipe(Effect.map((p) => p.imp_uid))

/** A read that must succeed, to warm the cache. */
const warm = (recorded: Recorder, impUid: string) =>
  Effect.map(call(recorded, Payments.getPayment(impUid)), (exit) => assert.strictEqual(valueOf(exit).amount, 1234))

const readBurst = (status: number): Case => ({
  client: fast,
  program: (recorded: Recorder) =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const impUid = yield* seeded
      yield* emulator.injectFaults(Fault.Status({ status }), { count: 2, route: "/payments" })
      const payment = valueOf(yield* call(recorded, Payments.getPayment(impUid)))
      assert.strictEqual(payment.amount, 1234)
      assert.strictEqual(yield* reads, 3)
      assert.strictEqual((yield* counters).faultsApplied, 2)
    })
})

const cases: Record<RowId, Case> = {
  "read-500-burst": readBurst(500),
  "read-502-burst": readBurst(502),
  "read-503-outage": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.Status({ status: 503 }), { count: 100, route: "/payments" })
        const error = failureOf(yield* call(recorded, Payments.getPayment(impUid)))
        assert.strictEqual(error._tag, "IamportApiError")
        assert.strictEqual(error._tag === "IamportApiError" && error.status, 503)
        assert.isTrue(IamportError.isTransient(error))
        assert.strictEqual(yield* reads, 3)
      })
  },
  "read-html-502": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.Html502(), { count: 100, route: "/payments" })
        const error = failureOf(yield* call(recorded, Payments.getPayment(impUid)))
        assert.strictEqual(error._tag, "IamportTransportError")
        if (error._tag !== "IamportTransportError") return
        assert.strictEqual(error.reason, "ServerError")
        assert.strictEqual(error.status, 502)
        assert.strictEqual(error.description, "an HTML page")
        assert.strictEqual(yield* reads, 3)
      })
  },
  "read-drop-before-answer": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.Drop(), { count: 1, route: "/payments" })
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        assert.strictEqual(yield* reads, 2)
        assert.deepStrictEqual(
          (yield* counters).recent.filter((r) => r.route === "GET /payments/{imp_uid}").map((r) => r.status),
          [0, 200]
        )
      })
  },
  "read-drop-mid-body": {
    raw: [{ _tag: "CutMidBody", declaredLength: 4000, sent: '{"code":0,"message":null,"re' }],
    program: (recorded: Recorder, server: RawServer.RawServer) =>
      Effect.gen(function* () {
        const error = failureOf(yield* call(recorded, Payments.getPayment("imp_raw")))
        assert.strictEqual(error._tag, "IamportTransportError")
        if (error._tag !== "IamportTransportError") return
        assert.strictEqual(error.reason, "Connection")
        assert.isTrue(error.mayHaveBeenProcessed)
        assert.strictEqual(server.apiRequests(), 3)
      })
  },
  "read-timeout": {
    client: { ...fast, timeout: "150 millis" },
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.injectFaults(Fault.Delay({ duration: "600 millis" }), { count: 1, route: "/payments" })
        const start = yield* Clock.currentTimeMillis
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        const elapsed = (yield* Clock.currentTimeMillis) - start
        assert.isBelow(elapsed, 550, "the client did not wait for the slow answer")
        yield* Effect.sleep("700 millis") // the slow request is counted when the emulator answers it
        assert.strictEqual(yield* reads, 3)
      })
  },
  "read-timeout-persistent": {
    client: { ...fast, timeout: "150 millis" },
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.injectFaults(Fault.Delay({ duration: "600 millis" }), { count: 3, route: "/payments" })
        const start = yield* Clock.currentTimeMillis
        const error = failureOf(yield* call(recorded, Payments.getPayment(impUid)))
        const elapsed = (yield* Clock.currentTimeMillis) - start
        assert.strictEqual(error._tag, "IamportTransportError")
        assert.strictEqual(error._tag === "IamportTransportError" && error.reason, "Timeout")
        assert.isAtLeast(elapsed, 440)
        assert.isBelow(elapsed, 900)
        yield* Effect.sleep("700 millis")
        assert.strictEqual(yield* reads, 4)
      })
  },
  "read-truncated-json": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.MalformedJson(), { count: 1, route: "/payments" })
        const error = failureOf(yield* call(recorded, Payments.getPayment(impUid)))
        assert.strictEqual(error._tag, "IamportDecodeError")
        assert.strictEqual(error._tag === "IamportDecodeError" && error.status, 200)
        assert.strictEqual(yield* reads, 1)
      })
  },
  "read-wrong-content-type": {
    raw: [
      {
        _tag: "Body",
        status: 200,
        contentType: "text/html",
        body: JSON.stringify({ code: 0, message: null, response: apiPayment })
      },
      { _tag: "Body", status: 200, contentType: "text/plain", body: "OK" }
    ],
    program: (recorded: Recorder, server: RawServer.RawServer) =>
      Effect.gen(function* () {
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment("imp_raw"))).amount, 900)
        const error = failureOf(yield* call(recorded, Payments.getPayment("imp_raw")))
        assert.strictEqual(error._tag, "IamportDecodeError")
        assert.include(error.message, "a non-JSON body")
        assert.strictEqual(server.apiRequests(), 2)
      })
  },
  "code-nonzero-on-200": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const error = failureOf(yield* call(recorded, Payments.cancel({ imp_uid: "imp_000000000404" })))
        assert.strictEqual(error._tag, "IamportApiError")
        if (error._tag !== "IamportApiError") return
        assert.strictEqual(error.status, 200)
        assert.strictEqual(error.code, 1)
        assert.strictEqual(error.apiMessage, "취소할 결제건이 존재하지 않습니다.")
        assert.strictEqual((yield* counters).requests["POST /payments/cancel"], 1)
      })
  },
  "unauthorized-every-call": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.Unauthorized(), { count: 1000, route: "/payments" })
        for (let i = 1; i <= 2; i++) {
          const error = failureOf(yield* call(recorded, Payments.getPayment(impUid)))
          assert.strictEqual(error._tag, "IamportUnauthorizedError")
          const c = yield* counters
          assert.strictEqual(c.requests["GET /payments/{imp_uid}"], 2 * i)
          assert.strictEqual(c.getTokenCalls, 1 + i)
          assert.strictEqual(c.tokensIssued, 1)
        }
      })
  },
  "gettoken-down-token-valid": {
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* TestClock.adjust("1 minute")
        yield* emulator.injectFaults(Fault.Drop(), { count: 2, route: "/users/getToken" })
        yield* emulator.injectFaults(Fault.Status({ status: 503 }), { count: 10_000, route: "/users/getToken" })
        let failures = 0
        let calls = 0
        let getTokenBeforeLastMinute = -1
        // every 10 s until 29:50 (the token expires at 30:00; the cache stops sending it 5 s before)
        for (let t = 60; t <= 29 * 60 + 50; t += 10) {
          if (t === 29 * 60) getTokenBeforeLastMinute = (yield* counters).getTokenCalls
          const exit = yield* call(recorded, Payments.getPayment(impUid))
          calls++
          if (Exit.isFailure(exit)) failures++
          yield* TestClock.adjust("10 seconds")
        }
        const c = yield* counters
        assert.strictEqual(calls, 174)
        assert.strictEqual(failures, 0)
        assert.strictEqual(getTokenBeforeLastMinute, 1, "no getToken before the token's last minute")
        assert.isAbove(c.getTokenCalls, 1, "refreshes were tried in the background")
        assert.strictEqual(c.tokensIssued, 1)
        assert.strictEqual(c.unauthorized, 0)
      })
  },
  "gettoken-down-after-expiry": {
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.injectFaults(Fault.Status({ status: 503 }), { count: 10_000, route: "/users/getToken" })
        yield* TestClock.adjust("31 minutes")
        const fiber = yield* Effect.fork(call(recorded, Payments.getPayment(impUid)))
        yield* TestClock.adjust("1 minute")
        const error = failureOf(yield* Fiber.join(fiber))
        assert.strictEqual(error._tag, "IamportTransportError")
        if (error._tag !== "IamportTransportError") return
        assert.strictEqual(error.reason, "ServerError")
        assert.strictEqual(error.status, 503)
        assert.notInclude(error.message, "outcome is unknown")
        // the cache's 3 refresh attempts; the read is not retried again on a token failure
        assert.strictEqual((yield* counters).getTokenCalls, 1 + 3)
        // getToken is back: the very next call recovers, without waiting for a backoff
        yield* emulator.clearFaults
        const recovered = yield* Effect.fork(call(recorded, Payments.getPayment(impUid)))
        yield* TestClock.adjust("1 millis")
        const exit = Option.getOrThrow(yield* Fiber.poll(recovered))
        assert.strictEqual(valueOf(valueOf(exit)).amount, 1234)
        const c = yield* counters
        assert.strictEqual(c.getTokenCalls, 5)
        assert.strictEqual(c.tokensIssued, 2)
      })
  },
  "emulator-restart": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.revokeTokens
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        const c = yield* counters
        assert.strictEqual(c.requests["GET /payments/{imp_uid}"], 4)
        assert.strictEqual(c.unauthorized, 1)
        assert.strictEqual(c.getTokenCalls, 2)
        assert.strictEqual(c.tokensIssued, 2)
        assert.strictEqual(recorded.tokens.size, 2)
      })
  },
  "clock-jump-forward": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.advance("40 minutes")
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        const c = yield* counters
        assert.strictEqual(c.expiredTokensPresented, 1)
        assert.strictEqual(c.unauthorized, 1)
        assert.strictEqual(c.getTokenCalls, 2)
        assert.strictEqual(c.tokensIssued, 2)
      })
  },
  "clock-jump-back": {
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* warm(recorded, impUid)
        yield* emulator.advance(-40 * 60 * 1000)
        let failures = 0
        for (let t = 0; t <= 31 * 60; t += 10) {
          if (Exit.isFailure(yield* call(recorded, Payments.getPayment(impUid)))) failures++
          yield* TestClock.adjust("10 seconds")
        }
        const c = yield* counters
        assert.strictEqual(failures, 0)
        assert.strictEqual(c.unauthorized, 0)
        assert.strictEqual(c.tokensIssued, 1)
        assert.strictEqual(c.getTokenCalls, 2, "one refresh near local expiry, answered with the same token")
      })
  },
  "interrupted-mid-refresh": {
    client: fast,
    program: (recorded: Recorder) =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const impUid = yield* seeded
        yield* emulator.injectFaults(Fault.Delay({ duration: "300 millis" }), { count: 1, route: "/users/getToken" })
        const fibers = yield* Effect.forEach(Array.from({ length: 5 }), () =>
          Effect.fork(call(recorded, Payments.getPayment(impUid)))
        )
        yield* Effect.sleep("100 millis")
        for (const fiber of fibers.slice(0, 4)) {
          const exit = yield* Fiber.interrupt(fiber)
          assert.isTrue(Exit.isInterrupted(exit))
        }
        assert.strictEqual(valueOf(yield* Fiber.join(fibers[4]!)).amount, 1234)
        assert.strictEqual(valueOf(yield* call(recorded, Payments.getPayment(impUid))).amount, 1234)
        const c = yield* counters
        assert.strictEqual(c.getTokenCalls, 1)
        assert.strictEqual(c.tokensIssued, 1)
        assert.strictEqual(c.requests["GET /payments/{imp_uid}"], 2)
      })
  }
}

const runRow = (row: Row, transport: Transport): Effect.Effect<void, unknown, Scope.Scope> => {
  const recorded = makeRecorder()
  const c = cases[row.id as RowId]
  const program: Effect.Effect<void, unknown, Scope.Scope> =
    "raw" in c
      ? Effect.flatMap(RawServer.make(c.raw), (server) =>
          c
            .program(recorded, server)
            .pipe(
              Effect.provide(clientLayer(transport, recorded, { ...fast, apiKey: "imp_apikey", baseUrl: server.url }))
            )
        )
      : c
          .program(recorded)
          .pipe(
            Effect.provide(
              row.runs === "sockets"
                ? socketLayer(recorded, c.client, c.emulator, transport)
                : inProcessLayer(recorded, c.client, c.emulator)
            )
          )
  return program.pipe(
    recording(recorded),
    Effect.tap(() => Effect.sync(() => assertHygiene(recorded)))
  )
}

describe("fault matrix", () => {
  for (const row of rows) {
    if (row.runs === "in-process") {
      it.scoped(`${row.id}: ${row.expected}`, () => runRow(row, "platform"))
    } else {
      for (const transport of transports) {
        it.scopedLive(`${row.id} [${transport}]: ${row.expected}`, () => runRow(row, transport))
      }
    }
  }
})
