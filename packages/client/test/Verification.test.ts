import { Payments, Verification } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"

const Emulator = IamportEmulator.IamportEmulator

describe("Payments.verify", () => {
  it.effect("tells every outcome apart", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const paid = yield* emulator.seedPayment({ merchant_uid: "o-paid", amount: 5000 })
      const vbank = yield* emulator.seedPayment({
        merchant_uid: "o-vbank",
        amount: 5000,
        pay_method: "vbank",
        status: "ready"
      })
      const opened = yield* emulator.seedPayment({ merchant_uid: "o-ready", amount: 5000, status: "ready" })
      const failed = yield* emulator.seedPayment({
        merchant_uid: "o-failed",
        amount: 5000,
        status: "failed",
        fail_reason: "한도초과"
      })
      const cancelled = yield* emulator.seedPayment({ merchant_uid: "o-cancelled", amount: 5000, status: "cancelled" })
      const partial = yield* emulator.seedPayment({ merchant_uid: "o-partial", amount: 5000 })
      yield* Payments.cancel({ imp_uid: partial.imp_uid, amount: 1000 })

      const tag = (impUid: string, expectedAmount = 5000, more: Partial<Payments.VerifyOptions> = {}) =>
        Effect.map(Payments.verify({ impUid, expectedAmount, ...more }), (v) => v._tag)

      assert.strictEqual(yield* tag(paid.imp_uid), "Paid")
      assert.strictEqual(yield* tag(vbank.imp_uid), "AwaitingDeposit")
      assert.strictEqual(yield* tag(opened.imp_uid), "NotPaid")
      assert.strictEqual(yield* tag(failed.imp_uid), "Failed")
      assert.strictEqual(yield* tag(cancelled.imp_uid), "Cancelled")
      assert.strictEqual(yield* tag(partial.imp_uid), "Cancelled")
      assert.strictEqual(yield* tag(paid.imp_uid, 6000), "AmountMismatch")
      assert.strictEqual(yield* tag(vbank.imp_uid, 6000), "AmountMismatch")
      assert.strictEqual(yield* tag(paid.imp_uid, 5000, { currency: "USD" }), "AmountMismatch")
      assert.strictEqual(yield* tag(paid.imp_uid, 5000, { merchantUid: "o-other" }), "OrderMismatch")
      assert.strictEqual(yield* tag("imp_999999999999"), "NotFound")

      const full = yield* Payments.verify({ impUid: partial.imp_uid, expectedAmount: 5000 })
      assert.isTrue(Verification.Verification.$is("Cancelled")(full) && full.full === false)
      const failure = yield* Payments.verify({ impUid: failed.imp_uid, expectedAmount: 5000 })
      assert.isTrue(Verification.Verification.$is("Failed")(failure) && failure.reason === "한도초과")
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("without an expected amount, compares with the prepared amount", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* Payments.prepare({ merchant_uid: "o-prep", amount: 12_000 })
      const good = yield* emulator.seedPayment({ merchant_uid: "o-prep", amount: 12_000 })
      const bad = yield* emulator.seedPayment({ merchant_uid: "o-prep", amount: 1_200 })
      assert.strictEqual((yield* Payments.verify({ impUid: good.imp_uid }))._tag, "Paid")
      const forged = yield* Payments.verify({ impUid: bad.imp_uid })
      assert.isTrue(
        Verification.Verification.$is("AmountMismatch")(forged) &&
          forged.expectedAmount === 12_000 &&
          forged.payment.amount === 1_200
      )
      // no prepared amount and none given: the lookup's typed error
      const unprepared = yield* emulator.seedPayment({ merchant_uid: "o-none", amount: 1 })
      const error = yield* Effect.flip(Payments.verify({ impUid: unprepared.imp_uid }))
      assert.strictEqual(error._tag, "IamportNotFoundError")
      // ...but when the amount does not matter (failed, unpaid, cancelled), nothing is looked up
      const failed = yield* emulator.seedPayment({ merchant_uid: "o-none-2", amount: 1, status: "failed" })
      assert.strictEqual((yield* Payments.verify({ impUid: failed.imp_uid }))._tag, "Failed")
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("cancelIfForged cancels a forged payment once, with the balance as checksum", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const forged = yield* emulator.seedPayment({ merchant_uid: "o-forged", amount: 100 })
      const options = { impUid: forged.imp_uid, expectedAmount: 50_000, cancelIfForged: { reason: "forged" } }
      const first = yield* Payments.verify(options)
      assert.isTrue(Verification.Verification.$is("AmountMismatch")(first) && first.cancelled?.status === "cancelled")
      const second = yield* Payments.verify(options)
      assert.strictEqual(second._tag, "Cancelled")
      assert.strictEqual((yield* emulator.counters).requests["POST /payments/cancel"], 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a cancel of a forged payment that loses its connection is not retried and says so", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const forged = yield* emulator.seedPayment({ merchant_uid: "o-forged", amount: 100 })
      yield* emulator.injectFaults(IamportEmulator.Fault.Drop(), { route: "/payments/cancel" })
      const error = yield* Effect.flip(
        Payments.verify({ impUid: forged.imp_uid, expectedAmount: 50_000, cancelIfForged: { reason: "forged" } })
      )
      assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
      assert.strictEqual((yield* emulator.counters).requests["POST /payments/cancel"], 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a cancel whose answer is late: processed once, reported as maybe processed, found by a lookup", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "o-late", amount: 700 })
      yield* Payments.getPayment(payment.imp_uid) // warm the token
      yield* emulator.injectFaults(IamportEmulator.Fault.Delay({ duration: "2 minutes" }), {
        route: "/payments/cancel"
      })
      const fiber = yield* Effect.fork(Effect.flip(Payments.cancel({ imp_uid: payment.imp_uid, reason: "late" })))
      yield* TestClock.adjust("31 seconds")
      const error = yield* Fiber.join(fiber)
      assert.isTrue(error._tag === "IamportTransportError" && error.reason === "Timeout" && error.mayHaveBeenProcessed)
      assert.include(error.message, "look the payment up")
      // what the message says to do: the lookup shows the cancel went through, once
      const found = yield* Payments.findByMerchantUid("o-late")
      assert.strictEqual(found.status, "cancelled")
      assert.strictEqual(found.cancel_history.length, 1)
      assert.strictEqual((yield* emulator.counters).requests["POST /payments/cancel"], 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
