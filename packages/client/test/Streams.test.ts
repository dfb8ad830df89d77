/**
 * Every paged list as a `Stream`, with the largest page the API serves: 2,500 payments are 3 requests, not 125.
 */
import { Payments, Subscribe } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, DateTime, Effect, Stream, TestClock } from "effect"
import * as ScriptedServer from "./fixtures/ScriptedServer.js"

const requests = (route: string) =>
  Effect.map(
    Effect.flatMap(IamportEmulator.IamportEmulator, (emulator) => emulator.counters),
    (counters) => counters.requests[route] ?? 0
  )

describe("paged lists as streams", () => {
  it.effect("streamAllByMerchantUid: 2,500 payments in 3 pages of 1000", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      for (let i = 0; i < 2500; i++) {
        yield* emulator.seedPayment({ merchant_uid: "order-bulk", amount: 100 + i })
      }
      yield* emulator.seedPayment({ merchant_uid: "order-other" })
      const all = yield* Stream.runCollect(Payments.streamAllByMerchantUid("order-bulk"))
      assert.strictEqual(Chunk.size(all), 2500)
      assert.strictEqual(new Set(Chunk.toReadonlyArray(all).map((p) => p.imp_uid)).size, 2500)
      assert.strictEqual(yield* requests("GET /payments/findAll/{merchant_uid}"), 3)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("an explicit limit is kept; a status filter goes into the path", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      for (let i = 0; i < 30; i++) {
        yield* emulator.seedPayment({ merchant_uid: "order-1", status: i % 3 === 0 ? "failed" : "paid" })
      }
      const paid = yield* Stream.runCollect(Payments.streamAllByMerchantUid("order-1", { status: "paid", limit: 7 }))
      assert.strictEqual(Chunk.size(paid), 20)
      assert.isTrue(Chunk.every(paid, (p) => p.status === "paid"))
      assert.strictEqual(yield* requests("GET /payments/findAll/{merchant_uid}/{payment_status}"), 3)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("streamByStatus over a time window: reconciliation of one day's paid payments", () =>
    Effect.gen(function* () {
      const day = DateTime.unsafeMake("2026-03-01T00:00:00Z")
      const at = (hours: number) => DateTime.toEpochMillis(DateTime.add(day, { hours })) / 1000
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.add(day, { days: 2 })))
      const emulator = yield* IamportEmulator.IamportEmulator
      for (let i = 0; i < 1500; i++)
        yield* emulator.seedPayment({ status: "paid", amount: 1000, paid_at: at(1 + (i % 20)) })
      yield* emulator.seedPayment({ status: "paid", amount: 5, paid_at: at(-1) }) // the day before
      yield* emulator.seedPayment({ status: "paid", amount: 7, paid_at: at(25) }) // the day after
      const total = yield* Payments.streamByStatus("paid", { from: day, to: DateTime.add(day, { days: 1 }) }).pipe(
        Stream.runFold(0, (sum, payment) => sum + payment.amount)
      )
      assert.strictEqual(total, 1_500_000)
      assert.strictEqual(yield* requests("GET /payments/status/{payment_status}"), 2)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("generated list streams ask for 1000 a page too (Subscribe.streamSchedules)", () =>
    Effect.gen(function* () {
      const server = yield* ScriptedServer.make([
        { status: 200, body: ScriptedServer.envelope({ total: 0, previous: 0, next: 0, list: [] }) }
      ])
      yield* Subscribe.streamSchedules({ schedule_from: 1_700_000_000, schedule_to: 1_700_086_400 }).pipe(
        Stream.runDrain,
        Effect.provide(ScriptedServer.layer(server))
      )
      const [call] = yield* server.apiCalls
      assert.strictEqual(new URL(call!.url).searchParams.get("limit"), "1000")
    })
  )
})
