/**
 * Money safety, over real sockets: a cancel, a billing-key charge and a key-in
 * charge that time out, lose their connection or are answered 5xx (whatever
 * the body) reach the server exactly once and fail with an
 * `IamportTransportError` that says the outcome is unknown and how to find out.
 * These are the writes without confirmation (`{ confirm: false }`); the writes that confirm themselves are
 * tested in `packages/client/test/Confirm.test.ts`.
 */
import { type IamportClient, type IamportError, Payments, Subscribe } from "@effect-iamport/client"
import { IamportEmulator } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import {
  assertHygiene,
  call,
  clientLayer,
  failureOf,
  makeRecorder,
  type Recorder,
  recording,
  socketLayer,
  transports,
  valueOf
} from "./harness.js"
import * as RawServer from "./RawServer.js"

const Emulator = IamportEmulator.IamportEmulator
/** The raw write, sent once: no look-up afterwards. */
const unconfirmed = { confirm: false } as const
const Fault = IamportEmulator.Fault

interface Operation {
  readonly name: string
  readonly path: string
  readonly run: (impUid: string) => Effect.Effect<unknown, IamportError.IamportError, IamportClient.IamportClient>
}

const operations: ReadonlyArray<Operation> = [
  {
    name: "cancel (Payments.cancel)",
    path: "/payments/cancel",
    run: (impUid) => Payments.cancel({ imp_uid: impUid, amount: 1000, reason: "test" }, unconfirmed)
  },
  {
    name: "billing-key charge (Subscribe.again)",
    path: "/subscribe/payments/again",
    run: () =>
      Subscribe.again(
        { customer_uid: "cust_1", merchant_uid: "order_again_1", amount: 1000, name: "plan" },
        unconfirmed
      )
  },
  {
    name: "key-in charge (Subscribe.onetime)",
    path: "/subscribe/payments/onetime",
    run: () =>
      Subscribe.onetime(
        {
          merchant_uid: "order_onetime_1",
          amount: 1000,
          card_number: "4242-4242-4242-4242",
          expiry: "2030-12",
          birth: "800101"
        },
        unconfirmed
      )
  }
]

const faults = [
  { name: "times out", fault: Fault.Delay({ duration: "500 millis" }), reason: "Timeout" },
  { name: "loses its connection", fault: Fault.Drop(), reason: "Connection" },
  // an error envelope (`code: -1`): on a read, an `IamportApiError`; on a write, the outcome is unknown
  { name: "is answered 500 with an error envelope", fault: Fault.Status({ status: 500 }), reason: "ServerError" }
] as const

const scenario = (recorded: Recorder, operation: Operation, fault: (typeof faults)[number]) =>
  Effect.gen(function* () {
    const emulator = yield* Emulator
    const payment = yield* emulator.seedPayment({ amount: 1000 })
    // warm the cache so the only request the fault can hit is the write
    valueOf(yield* call(recorded, Payments.getPayment(payment.imp_uid)))
    yield* emulator.reset
    yield* emulator.injectFaults(fault.fault, { count: 10, route: operation.path })

    const error = failureOf(yield* call(recorded, operation.run(payment.imp_uid)))
    assert.strictEqual(error._tag, "IamportTransportError")
    if (error._tag !== "IamportTransportError") return
    assert.strictEqual(error.reason, fault.reason)
    assert.isTrue(error.mayHaveBeenProcessed)
    assert.include(error.message, "the outcome is unknown")
    assert.include(error.message, "look the payment up")

    // a delayed request is recorded when the emulator answers it
    if (fault.reason === "Timeout") yield* Effect.sleep("700 millis")
    const counters = yield* emulator.counters
    const seen = counters.recent.filter((r) => r.rawPath === operation.path)
    assert.strictEqual(seen.length, 1, "the write reached the server exactly once")
    assert.strictEqual(counters.totalRequests, 1, "and nothing else was sent (no retry, no getToken)")
    assert.strictEqual(counters.faultsApplied, 1)
    if (fault.reason === "ServerError") {
      assert.strictEqual(error.status, 500)
      assert.strictEqual(seen[0]!.status, 500)
    }
    if (operation.path === "/payments/cancel") {
      assert.strictEqual(counters.requests["POST /payments/cancel"], 1)
      if (fault.reason === "Connection") {
        // dropped before the emulator read the request: nothing was cancelled, yet the client cannot know
        assert.strictEqual(seen[0]!.status, 0)
        assert.strictEqual(Option.getOrThrow(yield* emulator.payment(payment.imp_uid)).status, "paid")
      }
      // (after a timeout the emulator answers late but, reading the body only after the delay, never sees
      // it once the client has hung up: it cannot simulate "processed, answer lost"; see RELIABILITY.md)
    } else if (fault.reason === "Connection") {
      // the fault is applied before routing: the drop is what the request got
      assert.strictEqual(seen[0]!.status, 0)
    }
  })

describe("money safety: writes whose outcome is unknown", () => {
  for (const transport of transports) {
    for (const operation of operations) {
      for (const fault of faults) {
        it.scopedLive(
          `${operation.name} that ${fault.name} [${transport}]: sent once, IamportTransportError with mayHaveBeenProcessed`,
          () => {
            const recorded = makeRecorder()
            return scenario(recorded, operation, fault).pipe(
              Effect.provide(socketLayer(recorded, { timeout: "150 millis", retryBase: "20 millis" }, {}, transport)),
              recording(recorded),
              Effect.tap(() => Effect.sync(() => assertHygiene(recorded)))
            )
          }
        )
      }
    }
  }
})

/** What a server may send with a 500 after acting on a write: the API's error envelope, a success envelope, a page. */
const serverErrors: ReadonlyArray<{ readonly name: string; readonly body: string; readonly contentType: string }> = [
  {
    name: "an error envelope",
    body: JSON.stringify({ code: -1, message: "일시적인 오류", response: null }),
    contentType: "application/json"
  },
  {
    name: "an envelope with code 0",
    body: JSON.stringify({ code: 0, message: null, response: null }),
    contentType: "application/json"
  },
  { name: "no envelope", body: "<html><body>Internal Server Error</body></html>", contentType: "text/html" }
]

describe("money safety: a write answered 5xx, whatever the body", () => {
  for (const transport of transports) {
    for (const answer of serverErrors) {
      it.scopedLive(
        `a cancel answered 500 with ${answer.name} [${transport}]: sent once, IamportTransportError ServerError with mayHaveBeenProcessed`,
        () => {
          const recorded = makeRecorder()
          return Effect.gen(function* () {
            const server = yield* RawServer.make([
              { _tag: "Body", status: 500, body: answer.body, contentType: answer.contentType }
            ])
            const error = failureOf(
              yield* call(
                recorded,
                Payments.cancel({ imp_uid: "imp_raw", amount: 1000, reason: "test" }, unconfirmed)
              ).pipe(
                Effect.provide(
                  clientLayer(transport, recorded, {
                    apiKey: "imp_apikey",
                    baseUrl: server.url,
                    retryBase: "20 millis"
                  })
                )
              )
            )
            assert.strictEqual(error._tag, "IamportTransportError")
            if (error._tag !== "IamportTransportError") return
            assert.strictEqual(error.reason, "ServerError")
            assert.strictEqual(error.status, 500)
            assert.isTrue(error.mayHaveBeenProcessed)
            assert.include(error.message, "the outcome is unknown")
            assert.strictEqual(server.apiRequests(), 1, "the write reached the server exactly once")
            assert.strictEqual(server.tokenRequests(), 1)
          }).pipe(
            recording(recorded),
            Effect.tap(() => Effect.sync(() => assertHygiene(recorded)))
          )
        }
      )
    }
  }
})
