import { Payments, Subscribe } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { chargeNow, subscribe, unsubscribe } from "./subscription.js"

describe("billing-key subscription example", () => {
  it.effect("charges now, runs the first scheduled month, and unsubscribes", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_000)
      const schedules = yield* subscribe("user-1", { number: "9100-2000-0000-1236", expiry: "2030-12" }, 3)
      assert.strictEqual(schedules.length, 3)
      const first = yield* chargeNow("user-1", "user-1-0")
      assert.strictEqual(first.status, "paid")

      yield* TestClock.adjust("32 days")
      const month1 = yield* Subscribe.getSchedule({ merchant_uid: "user-1-1" })
      assert.strictEqual(month1.schedule_status, "executed")
      assert.strictEqual((yield* Payments.getPayment(month1.imp_uid!)).amount, 9_900)

      yield* unsubscribe("user-1")
      assert.strictEqual((yield* Subscribe.getSchedule({ merchant_uid: "user-1-3" })).schedule_status, "revoked")
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
