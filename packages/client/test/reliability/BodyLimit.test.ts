/**
 * The cap on an answer's body (`maxResponseBytes`), over real sockets against a
 * bare `node:http` server, on both transports: a body that never ends, or one
 * declared larger than the cap, is refused with `IamportDecodeError`, is not
 * retried, and its connection is closed long before the timeout; a chunked
 * body within the cap is read whole.
 */
import { type IamportClient, type IamportError, Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect } from "effect"
import {
  assertHygiene,
  call,
  clientLayer,
  failureOf,
  makeRecorder,
  type Recorder,
  recording,
  type Transport,
  transports,
  valueOf
} from "./harness.js"
import * as RawServer from "./RawServer.js"

const cap = 1024 * 1024
/** Far longer than any test here takes: a refusal must not wait for it. */
const timeout = 10_000

/** Runs `program` with the client over `transport` against a bare server answering `answers`. */
const against = (
  transport: Transport,
  answers: ReadonlyArray<RawServer.RawAnswer>,
  maxResponseBytes: number,
  program: (
    recorded: Recorder,
    server: RawServer.RawServer
  ) => Effect.Effect<void, unknown, IamportClient.IamportClient>
) => {
  const recorded = makeRecorder()
  return Effect.flatMap(RawServer.make(answers), (server) =>
    program(recorded, server).pipe(
      Effect.provide(
        clientLayer(transport, recorded, {
          apiKey: "imp_apikey",
          baseUrl: server.url,
          retryBase: "20 millis",
          timeout,
          maxResponseBytes
        })
      )
    )
  ).pipe(
    recording(recorded),
    Effect.tap(() => Effect.sync(() => assertHygiene(recorded)))
  )
}

/** Waits (up to 2 s) until `condition` holds. */
const eventually = (condition: () => boolean, what: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < 200 && !condition(); i++) yield* Effect.sleep("10 millis")
    assert.isTrue(condition(), what)
  })

/** A read that must be refused as over the cap, at once, sent once, its connection closed by the client. */
const refused = (recorded: Recorder, server: RawServer.RawServer) =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    const error: IamportError.IamportError = failureOf(yield* call(recorded, Payments.getPayment("imp_raw")))
    const elapsed = (yield* Clock.currentTimeMillis) - start
    assert.strictEqual(error._tag, "IamportDecodeError")
    if (error._tag !== "IamportDecodeError") return
    assert.strictEqual(error.status, 200)
    assert.strictEqual(error.endpoint, "GET /payments/{imp_uid}")
    assert.include(error.issue, `larger than maxResponseBytes (${cap} bytes)`)
    assert.isBelow(elapsed, 3_000, "refused long before the timeout")
    assert.strictEqual(server.apiRequests(), 1, "not retried")
    yield* eventually(() => server.abandoned() === 1, "the client closed the connection")
  })

const payment = {
  imp_uid: "imp_raw",
  merchant_uid: "m_raw",
  amount: 900,
  cancel_amount: 0,
  currency: "KRW",
  status: "paid",
  name: "정기결제 플랜"
}
const chunkedBody = JSON.stringify({ code: 0, message: null, response: payment })
/** Inside the 3 bytes of `결`: the first write ends in the middle of a character. */
const splitAt = Buffer.from(chunkedBody).indexOf(Buffer.from("결")) + 1

describe("body limit: maxResponseBytes", () => {
  for (const transport of transports) {
    it.scopedLive(`an endless answer body stops at maxResponseBytes [${transport}]`, () =>
      against(transport, [{ _tag: "Endless" }], cap, (recorded, server) =>
        Effect.gen(function* () {
          yield* refused(recorded, server)
          // the server stops when the client goes away: a few socket buffers past the cap, not the 64 MiB
          assert.isBelow(server.bodyBytes(), 16 * 1024 * 1024)
        })
      )
    )

    it.scopedLive(`a body declared larger than maxResponseBytes is refused without being read [${transport}]`, () =>
      // 1 KiB of a declared 64 MiB, then nothing: a client waiting for the body would reach its timeout
      against(
        transport,
        [
          {
            _tag: "HoldMidBody",
            declaredLength: RawServer.endlessLimit,
            sent: `{"code":0,"response":"${"x".repeat(1000)}`
          }
        ],
        cap,
        refused
      )
    )

    it.scopedLive(
      `a chunked answer of exactly maxResponseBytes is read whole, a character split across chunks included [${transport}]`,
      () =>
        against(
          transport,
          [{ _tag: "Chunked", body: chunkedBody, splitAt }],
          Buffer.byteLength(chunkedBody),
          (recorded, server) =>
            Effect.gen(function* () {
              const read = valueOf(yield* call(recorded, Payments.getPayment("imp_raw")))
              assert.strictEqual(read.name, "정기결제 플랜")
              assert.strictEqual(read.amount, 900)
              assert.strictEqual(server.apiRequests(), 1)
            })
        )
    )
  }

  it.effect("in process (IamportTest.layer), an answer over maxResponseBytes is refused too", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const seeded = yield* emulator.seedPayment({ amount: 1000 })
      const error = failureOf(yield* Effect.exit(Payments.getPayment(seeded.imp_uid)))
      assert.strictEqual(error._tag, "IamportDecodeError")
      assert.strictEqual(error._tag === "IamportDecodeError" && error.endpoint, "GET /payments/{imp_uid}")
      assert.include(error.message, "larger than maxResponseBytes (400 bytes)")
      assert.strictEqual((yield* emulator.counters).requests["GET /payments/{imp_uid}"], 1, "not retried")
    }).pipe(Effect.provide(IamportTest.layer({ client: { maxResponseBytes: 400 } })))
  )
})
