import { Payments, Verification } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Option, TestClock } from "effect"

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

      const tag = (
        impUid: string,
        expectedAmount = 5000,
        more: Partial<Payments.VerifyCommon & { merchantUid: string }> = {}
      ) => Effect.map(Payments.verify({ impUid, expectedAmount, ...more }), (v) => v._tag)

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
      // no prepared amount and none given: its own case, never the payment's "not found"
      const unprepared = yield* emulator.seedPayment({ merchant_uid: "o-none", amount: 1 })
      assert.strictEqual((yield* Payments.verify({ impUid: unprepared.imp_uid }))._tag, "NotPrepared")
      // ...but when the amount does not matter (failed, unpaid, cancelled), nothing is looked up
      const failed = yield* emulator.seedPayment({ merchant_uid: "o-none-2", amount: 1, status: "failed" })
      assert.strictEqual((yield* Payments.verify({ impUid: failed.imp_uid }))._tag, "Failed")
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("cancelIfForged cancels a forged payment once, with the balance as checksum", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const forged = yield* emulator.seedPayment({ merchant_uid: "o-forged", amount: 100 })
      const options = {
        impUid: forged.imp_uid,
        merchantUid: "o-forged",
        expectedAmount: 50_000,
        cancelIfForged: { reason: "forged" }
      }
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
        Payments.verify({
          impUid: forged.imp_uid,
          merchantUid: "o-forged",
          expectedAmount: 50_000,
          cancelIfForged: { reason: "forged" }
        })
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
      const fiber = yield* Effect.fork(
        Effect.flip(Payments.cancel({ imp_uid: payment.imp_uid, reason: "late" }, { confirm: false }))
      )
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

/** The cancels the emulator received, as `[imp_uid, checksum]`. */
const cancelsSent = Effect.map(
  Effect.flatMap(Emulator, (emulator) => emulator.counters),
  (counters) =>
    counters.recent
      .filter((r) => r.route === "POST /payments/cancel")
      .map((r) => [r.body?.imp_uid, r.body?.checksum] as const)
)

/** Verifies with `cancelIfForged`, for the order the payment was seeded for. */
const verifyOrCancel = (
  impUid: string,
  merchantUid: string,
  expectedAmount: Verification.AmountInput,
  currency?: string
) =>
  Payments.verify({
    impUid,
    merchantUid,
    expectedAmount,
    ...(currency !== undefined ? { currency } : {}),
    cancelIfForged: { reason: "forged" }
  })

describe("Payments.verify never cancels a genuine payment", () => {
  it.effect('an expected amount as pg returns it ("1000", "1000.00", 1000n) is the same amount', () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const paid = yield* emulator.seedPayment({ merchant_uid: "o-pg", amount: 1000 })
      for (const amount of ["1000", "1000.00", " 1000 ", 1000n, 1000]) {
        assert.strictEqual((yield* verifyOrCancel(paid.imp_uid, "o-pg", amount))._tag, "Paid", String(amount))
      }
      assert.deepStrictEqual(yield* cancelsSent, [])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("an expected amount that is not a finite, positive amount is a typed error, and nothing is cancelled", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const paid = yield* emulator.seedPayment({ merchant_uid: "o-bad", amount: 1000 })
      const bad: ReadonlyArray<unknown> = [NaN, -1000, 0, Infinity, -1n, "abc", "-1000", "1e3", "", null, {}, 1000.5]
      for (const amount of bad) {
        const error = yield* Effect.flip(verifyOrCancel(paid.imp_uid, "o-bad", amount as Verification.AmountInput))
        assert.strictEqual(error._tag, "IamportInvalidArgumentError", String(amount))
        assert.include(error.message, "expectedAmount")
      }
      assert.deepStrictEqual(yield* cancelsSent, [])
      assert.strictEqual((yield* emulator.payment(paid.imp_uid)).pipe(Option.getOrThrow).status, "paid")
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("amounts compare exactly in minor units: USD 10.3 against 10.1 + 0.2 is Paid", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const usd = yield* emulator.seedPayment({ merchant_uid: "o-usd", amount: 10.3, currency: "USD" })
      assert.notStrictEqual(10.1 + 0.2, 10.3)
      assert.strictEqual((yield* verifyOrCancel(usd.imp_uid, "o-usd", 10.1 + 0.2, "USD"))._tag, "Paid")
      assert.strictEqual((yield* verifyOrCancel(usd.imp_uid, "o-usd", "10.30", "USD"))._tag, "Paid")
      // and where the float noise survives scaling to cents: (0.1 + 0.2) * 100 is 30.000000000000004
      const cents = yield* emulator.seedPayment({ merchant_uid: "o-cents", amount: 0.3, currency: "USD" })
      assert.strictEqual((yield* verifyOrCancel(cents.imp_uid, "o-cents", 0.1 + 0.2, "USD"))._tag, "Paid")
      // a cent is a cent: finer than the currency's unit is refused, not rounded into a match
      assert.strictEqual(
        (yield* Effect.flip(verifyOrCancel(usd.imp_uid, "o-usd", 10.305, "USD")))._tag,
        "IamportInvalidArgumentError"
      )
      assert.deepStrictEqual(yield* cancelsSent, [])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("currency codes compare without regard to case: krw is KRW", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const paid = yield* emulator.seedPayment({ merchant_uid: "o-krw", amount: 1000 })
      assert.strictEqual((yield* verifyOrCancel(paid.imp_uid, "o-krw", 1000, "krw"))._tag, "Paid")
      assert.deepStrictEqual(yield* cancelsSent, [])
      // another currency is still a mismatch
      assert.strictEqual(
        (yield* Payments.verify({ impUid: paid.imp_uid, expectedAmount: 1000, currency: "usd" }))._tag,
        "AmountMismatch"
      )
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect(
    "cancelIfForged requires merchantUid, in the types and at run time; another order's payment is never cancelled",
    () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const theirs = yield* emulator.seedPayment({ merchant_uid: "o-theirs", amount: 90_000 })
        const untyped = { impUid: theirs.imp_uid, expectedAmount: 1000, cancelIfForged: { reason: "forged" } }
        // @ts-expect-error cancelIfForged without merchantUid does not type-check
        const error = yield* Effect.flip(Payments.verify(untyped))
        assert.isTrue(error._tag === "IamportInvalidArgumentError" && error.argument === "merchantUid")
        // with our order's id, their genuine payment is another order's: reported, never refunded
        assert.strictEqual((yield* verifyOrCancel(theirs.imp_uid, "o-ours", 1000))._tag, "OrderMismatch")
        assert.deepStrictEqual(yield* cancelsSent, [])
      }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("after the merchant's own partial refund, the next verification cancels nothing", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment({ merchant_uid: "o-part", amount: 1000 })
      yield* Payments.cancel({ imp_uid: payment.imp_uid, amount: 300, checksum: 1000, reason: "one item returned" })
      // the order, recorded as 700 now, or as its original 1000: partly cancelled, the rest still paid
      for (const amount of [700, 1000]) {
        const outcome = yield* verifyOrCancel(payment.imp_uid, "o-part", amount)
        assert.isTrue(outcome._tag === "Cancelled" && !outcome.full, `${amount}: ${outcome._tag}`)
      }
      // any other amount: its own case, for the merchant to decide; never cancelled automatically
      const other = yield* verifyOrCancel(payment.imp_uid, "o-part", 500)
      assert.isTrue(other._tag === "AmountMismatchAfterCancel" && other.expectedAmount === 500)
      assert.deepStrictEqual(yield* cancelsSent, [[payment.imp_uid, 1000]], "only the merchant's own refund")
      const stored = (yield* emulator.payment(payment.imp_uid)).pipe(Option.getOrThrow)
      assert.strictEqual(stored.cancel_amount, 300)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("20 concurrent verifications of one forged payment send one cancel, with the balance as checksum", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const forged = yield* emulator.seedPayment({ merchant_uid: "o-race", amount: 100 })
      yield* Payments.getPayment(forged.imp_uid) // warm the token
      const outcomes = yield* Effect.all(
        Array.from({ length: 20 }, () => verifyOrCancel(forged.imp_uid, "o-race", 50_000)),
        { concurrency: "unbounded" }
      )
      // the first caught and cancelled it; the others found it cancelled
      assert.deepStrictEqual(outcomes.map((o) => o._tag).sort(), [
        "AmountMismatch",
        ...Array<string>(19).fill("Cancelled")
      ])
      assert.deepStrictEqual(yield* cancelsSent, [[forged.imp_uid, 100]])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a real forgery is caught and cancelled exactly once, with the balance as checksum", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const forged = yield* emulator.seedPayment({ merchant_uid: "o-forged", amount: 100 })
      const first = yield* verifyOrCancel(forged.imp_uid, "o-forged", 50_000)
      assert.isTrue(first._tag === "AmountMismatch" && first.cancelled?.status === "cancelled")
      assert.strictEqual((yield* verifyOrCancel(forged.imp_uid, "o-forged", 50_000))._tag, "Cancelled")
      assert.deepStrictEqual(yield* cancelsSent, [[forged.imp_uid, 100]])
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect(
    "a paid order that was never prepared, with no expected amount, is NotPrepared (not a missing payment)",
    () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const paid = yield* emulator.seedPayment({ merchant_uid: "o-unprepared", amount: 1000 })
        const outcome = yield* Payments.verify({ impUid: paid.imp_uid, merchantUid: "o-unprepared" })
        assert.isTrue(outcome._tag === "NotPrepared" && outcome.payment.imp_uid === paid.imp_uid)
      }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("includeSandbox finds a test-channel payment the API hides by default", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const staging = yield* emulator.seedPayment({ merchant_uid: "o-sandbox", amount: 1000, sandbox: true })
      const hidden = yield* Payments.verify({ impUid: staging.imp_uid, expectedAmount: 1000 })
      assert.strictEqual(hidden._tag, "NotFound")
      const shown = yield* Payments.verify({ impUid: staging.imp_uid, expectedAmount: 1000, includeSandbox: true })
      assert.strictEqual(shown._tag, "Paid")
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("Payments.verify's per-payment lock", () => {
  it.effect("belongs to one client: a client built per request (Cloudflare Workers) never waits on another's", () =>
    Effect.gen(function* () {
      // two clients, each on its own emulator, verifying a forged payment with the same imp_uid
      const impUid = "imp_424242424242"
      const clientOf = (name: string) =>
        Effect.gen(function* () {
          const context = yield* Layer.build(IamportTest.layer())
          const emulator = Context.get(context, Emulator)
          yield* emulator.seedPayment({ imp_uid: impUid, merchant_uid: `o-${name}`, amount: 100 })
          yield* Payments.getPayment(impUid).pipe(Effect.provide(context)) // warm the token
          return {
            context,
            emulator,
            verify: verifyOrCancel(impUid, `o-${name}`, 50_000).pipe(Effect.provide(context))
          }
        })
      const held = yield* clientOf("held")
      const free = yield* clientOf("free")
      // the first client's look-up is held back: it holds its lock until the clock moves
      yield* held.emulator.injectFaults(IamportEmulator.Fault.Delay({ duration: "10 seconds" }), {
        route: `/payments/${impUid}`
      })
      const waiting = yield* Effect.fork(held.verify)
      yield* Effect.yieldNow()
      // the second client verifies and cancels without the clock moving: it never waited on the first's lock
      const outcome = yield* free.verify
      assert.isTrue(outcome._tag === "AmountMismatch" && outcome.cancelled?.status === "cancelled")
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual((yield* Fiber.join(waiting))._tag, "AmountMismatch")
    }).pipe(Effect.scoped)
  )
})
