import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, TestClock } from "effect"
import { reconcileDay } from "./reconciliation.js"

describe("reconciliation example", () => {
  it.effect("one day's paid payments, in pages of 1000, against our orders", () =>
    Effect.gen(function* () {
      const day = DateTime.unsafeMake("2026-03-01T00:00:00Z")
      const at = (hours: number) => DateTime.toEpochMillis(DateTime.add(day, { hours })) / 1000
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.add(day, { days: 3 })))
      const emulator = yield* IamportEmulator.IamportEmulator
      const orders = new Map<string, number>()
      for (let i = 0; i < 1200; i++) {
        yield* emulator.seedPayment({ merchant_uid: `order-${i}`, status: "paid", amount: 1000, paid_at: at(i % 24) })
        orders.set(`order-${i}`, i === 7 ? 900 : 1000)
      }
      yield* emulator.seedPayment({ merchant_uid: "stranger", status: "paid", amount: 50, paid_at: at(12) })
      yield* emulator.seedPayment({ merchant_uid: "next-day", status: "paid", amount: 50, paid_at: at(30) })
      const report = yield* reconcileDay(day, orders)
      assert.strictEqual(report.count, 1201)
      assert.strictEqual(report.total, 1_200_050)
      assert.deepStrictEqual(report.unknown, ["stranger"])
      assert.deepStrictEqual(report.mismatched, [{ merchantUid: "order-7", ours: 900, theirs: 1000 }])
      const counters = yield* emulator.counters
      assert.strictEqual(counters.requests["GET /payments/status/{payment_status}"], 2)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
