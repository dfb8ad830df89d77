/**
 * Writes that confirm themselves, against the emulator in process under `TestClock`: a cancel or a charge
 * whose answer is lost is looked up, returned when it happened, resent once (a cancel with its checksum) when
 * it did not, and never sent a third time; a write journal records and settles each one.
 */
import { type IamportError, Payments, Subscribe, BillingKeys, WriteJournal } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, Metric, Option, TestClock } from "effect"
import { makeRecording, recording } from "./fixtures/Recording.js"

const Emulator = IamportEmulator.IamportEmulator
const Fault = IamportEmulator.Fault

/** Runs `effect` in a fiber while the test clock passes the 30-second timeout and the read retries' backoff. */
const run = <A, R>(effect: Effect.Effect<A, IamportError.IamportError, R>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(Effect.either(effect))
    yield* TestClock.adjust("5 minutes")
    return yield* Fiber.join(fiber)
  })

const failure = <A>(result: Either.Either<A, IamportError.IamportError>) => {
  assert.isTrue(Either.isLeft(result), "expected a failure")
  return (result as Either.Left<IamportError.IamportError, A>).left
}

/** The cancels the emulator received (whether processed or not), with the checksum each carried. */
const cancelsSent = Effect.map(
  Effect.flatMap(Emulator, (emulator) => emulator.counters),
  (counters) =>
    counters.recent.filter((r) => r.rawPath === "/payments/cancel").map((r) => ({ checksum: r.body?.checksum }))
)

const cancellations = (impUid: string) =>
  Effect.flatMap(Emulator, (emulator) =>
    Effect.map(emulator.payment(impUid), (payment) => Option.getOrThrow(payment).cancel_history.length)
  )

/** The requests of a route the emulator received, e.g. `POST /subscribe/payments/again`. */
const sent = (rawPath: string) =>
  Effect.map(
    Effect.flatMap(Emulator, (emulator) => emulator.counters),
    (counters) => counters.recent.filter((r) => r.rawPath === rawPath).length
  )

/** The payments with this `merchant_uid`, read by the test through the emulator's own API. */
const paymentsOf = (merchantUid: string) =>
  Payments.findAllByMerchantUid(merchantUid).pipe(
    Effect.map((page) => page.list),
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed([]))
  )

/** A paid payment of 1000, the token warmed and the counters reset, so that only the write's requests count. */
const paidPayment = Effect.gen(function* () {
  const emulator = yield* Emulator
  const payment = yield* emulator.seedPayment({ merchant_uid: "order-1", amount: 1000 })
  yield* Payments.getPayment(payment.imp_uid)
  yield* emulator.reset
  return payment
})

/** Waits (without moving the clock) until the emulator has received `count` cancels. */
const cancelReceived = (count: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < 10_000; i++) {
      if ((yield* cancelsSent).length >= count) return
      yield* Effect.yieldNow()
    }
    assert.fail("the cancel never reached the emulator")
  })

/** The count of `iamport_write_reconciliations` for an operation and outcome. */
const reconciliations = (operation: string, outcome: string) =>
  Effect.map(Metric.snapshot, (pairs) => {
    const pair = pairs.find(
      (p) =>
        p.metricKey.name === "iamport_write_reconciliations" &&
        p.metricKey.tags.some((t) => t.key === "operation" && t.value === operation) &&
        p.metricKey.tags.some((t) => t.key === "outcome" && t.value === outcome)
    )
    return pair === undefined ? 0 : (pair.metricState as unknown as { count: number }).count
  })

describe("a cancel whose answer is lost", () => {
  it.effect("after it was processed: confirmed by a look-up; one cancel sent, one cancellation", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      const before = yield* reconciliations("cancel", "confirmed")
      const result = yield* run(Payments.cancel({ imp_uid: payment.imp_uid, reason: "late" }))
      assert.isTrue(Either.isRight(result), "the cancel is confirmed")
      if (Either.isRight(result)) assert.strictEqual(result.right.status, "cancelled")
      assert.deepStrictEqual(yield* cancelsSent, [{ checksum: 1000 }], "sent once, with the balance as checksum")
      assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
      assert.strictEqual((yield* reconciliations("cancel", "confirmed")) - before, 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  for (const [name, fault] of [
    ["dropped before it was processed", Fault.Drop()],
    ["answered 500 before it was processed", Fault.Status({ status: 500 })]
  ] as const) {
    it.effect(`${name}: resent once with the same checksum; one cancellation`, () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        const payment = yield* paidPayment
        yield* emulator.injectFaults(fault, { route: "/payments/cancel" })
        const before = yield* reconciliations("cancel", "resent")
        const result = yield* run(Payments.cancel({ imp_uid: payment.imp_uid, amount: 400 }))
        assert.isTrue(Either.isRight(result))
        if (Either.isRight(result)) assert.strictEqual(result.right.cancellableAmount, 600)
        assert.deepStrictEqual(yield* cancelsSent, [{ checksum: 1000 }, { checksum: 1000 }])
        assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
        assert.strictEqual((yield* reconciliations("cancel", "resent")) - before, 1)
      }).pipe(Effect.provide(IamportTest.layer()))
    )
  }

  it.effect("a partial cancel with the caller's checksum, processed: confirmed without a first look-up", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      const result = yield* run(Payments.cancel({ imp_uid: payment.imp_uid, amount: 300, checksum: 1000 }))
      assert.isTrue(Either.isRight(result) && result.right.cancellableAmount === 700)
      assert.strictEqual(yield* sent(`/payments/${payment.imp_uid}`), 1, "one look-up: after the lost answer")
      assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the look-up failing too: a typed unknown outcome; the one processed cancel is never resent", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      yield* emulator.injectFaults(Fault.Status({ status: 503 }), { route: `/payments/${payment.imp_uid}`, count: 50 })
      const before = yield* reconciliations("cancel", "unknown")
      const error = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid, checksum: 1000 })))
      assert.strictEqual(error._tag, "IamportTransportError")
      if (error._tag !== "IamportTransportError") return
      assert.isTrue(error.mayHaveBeenProcessed)
      assert.strictEqual(error.reason, "Timeout")
      assert.include(error.message, "the look-up failed too")
      assert.include(error.message, "the outcome is unknown")
      assert.isAbove(yield* sent(`/payments/${payment.imp_uid}`), 1, "the look-up was retried as a read")
      assert.strictEqual((yield* cancelsSent).length, 1)
      assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
      assert.strictEqual((yield* reconciliations("cancel", "unknown")) - before, 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("dropped, and the look-up failing: not resent blind; nothing cancelled", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Drop(), { route: "/payments/cancel" })
      yield* emulator.injectFaults(Fault.Status({ status: 503 }), { route: `/payments/${payment.imp_uid}`, count: 50 })
      const error = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid, checksum: 1000 })))
      assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
      assert.strictEqual((yield* cancelsSent).length, 1)
      assert.strictEqual(yield* cancellations(payment.imp_uid), 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the resend lost too: two cancels sent at most, then a typed unknown outcome", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Drop(), { route: "/payments/cancel", count: 5 })
      const error = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid })))
      assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
      assert.include(error.message, "resent once")
      assert.strictEqual((yield* cancelsSent).length, 2)
      assert.strictEqual(yield* cancellations(payment.imp_uid), 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the balance moved by another cancel meanwhile: a typed unknown outcome, nothing resent", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      const fiber = yield* Effect.fork(
        Effect.either(Payments.cancel({ imp_uid: payment.imp_uid, amount: 300, checksum: 1000 }))
      )
      yield* cancelReceived(1)
      // someone else's cancel, between ours and its look-up
      yield* Payments.cancel({ imp_uid: payment.imp_uid, amount: 100 }, { confirm: false })
      yield* TestClock.adjust("5 minutes")
      const error = failure(yield* Fiber.join(fiber))
      assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
      assert.include(error.message, "changed by another cancel")
      assert.strictEqual((yield* cancelsSent).length, 2)
      assert.strictEqual(yield* cancellations(payment.imp_uid), 2)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("{ confirm: false } restores the raw write: sent once as given, no look-up, IamportTransportError", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      const error = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid }, { confirm: false })))
      assert.isTrue(error._tag === "IamportTransportError" && error.reason === "Timeout")
      assert.deepStrictEqual(yield* cancelsSent, [{ checksum: undefined }])
      assert.strictEqual(yield* sent(`/payments/${payment.imp_uid}`), 0)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a reconciliation adds an event to the current span", () => {
    const recorded = makeRecording()
    return Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Drop(), { route: "/payments/cancel" })
      const result = yield* run(Payments.cancel({ imp_uid: payment.imp_uid }).pipe(Effect.withSpan("refund")))
      assert.isTrue(Either.isRight(result))
      const at = recorded.texts.indexOf("iamport.write.reconciled")
      assert.isAbove(at, -1)
      assert.deepStrictEqual(JSON.parse(recorded.texts[at + 1]!), {
        "iamport.write.operation": "cancel",
        "iamport.write.outcome": "resent",
        "iamport.write.sent": 2
      })
    }).pipe(Effect.provide(IamportTest.layer()), recording(recorded))
  })
})

describe("cancels of one payment in one process", () => {
  it.effect("20 identical concurrent cancels: one cancel reaches i'mport, all get its payment", () =>
    Effect.gen(function* () {
      const payment = yield* paidPayment
      const results = yield* Effect.all(
        Array.from({ length: 20 }, () => Payments.cancel({ imp_uid: payment.imp_uid, amount: 100, reason: "dup" })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual((yield* cancelsSent).length, 1)
      assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
      assert.isTrue(results.every((p) => p.cancellableAmount === 900))
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("different concurrent partial cancels run one after another, each with its own checksum", () =>
    Effect.gen(function* () {
      const payment = yield* paidPayment
      yield* Effect.all(
        [300, 200, 100].map((amount) => Payments.cancel({ imp_uid: payment.imp_uid, amount })),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(
        (yield* cancelsSent).map((c) => c.checksum),
        [1000, 700, 500]
      )
      assert.strictEqual(yield* cancellations(payment.imp_uid), 3)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("a cancel by merchant_uid is pinned to the payment looked up, with its balance as checksum", () =>
    Effect.gen(function* () {
      const payment = yield* paidPayment
      const cancelled = yield* Payments.cancel({ merchant_uid: "order-1" })
      assert.strictEqual(cancelled.imp_uid, payment.imp_uid)
      const [request] = (yield* Effect.flatMap(Emulator, (e) => e.counters)).recent.filter(
        (r) => r.rawPath === "/payments/cancel"
      )
      assert.deepStrictEqual(request?.body, { imp_uid: payment.imp_uid, merchant_uid: "order-1", checksum: 1000 })
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

/** A billing key to charge, the counters reset. */
const billingKey = Effect.gen(function* () {
  yield* BillingKeys.issue({
    channel_key: "channel-key-test",
    customer_uid: "customer-1",
    card_number: "4242-4242-4242-4242",
    expiry: "2030-12"
  })
  yield* Effect.flatMap(Emulator, (emulator) => emulator.reset)
})

const charges = [
  {
    name: "billing-key charge (Subscribe.again)",
    path: "/subscribe/payments/again",
    run: () => Subscribe.again({ customer_uid: "customer-1", merchant_uid: "sub-1", amount: 9900, name: "monthly" })
  },
  {
    name: "key-in charge (Subscribe.onetime)",
    path: "/subscribe/payments/onetime",
    run: () =>
      Subscribe.onetime({ merchant_uid: "sub-1", amount: 9900, card_number: "4242-4242-4242-4242", expiry: "2030-12" })
  }
] as const

describe("a charge whose answer is lost", () => {
  for (const charge of charges) {
    it.effect(`${charge.name}, after it was processed: found by merchant_uid; one paid payment`, () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        yield* billingKey
        yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: charge.path })
        const result = yield* run(charge.run())
        assert.isTrue(Either.isRight(result) && result.right.status === "paid" && result.right.merchant_uid === "sub-1")
        assert.strictEqual(yield* sent(charge.path), 1)
        const paid = (yield* paymentsOf("sub-1")).filter((p) => p.status === "paid")
        assert.strictEqual(paid.length, 1)
      }).pipe(Effect.provide(IamportTest.layer()))
    )

    it.effect(`${charge.name}, dropped before it was processed: never resent; a typed error, nothing paid`, () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator
        yield* billingKey
        yield* emulator.injectFaults(Fault.Drop(), { route: charge.path })
        const before = yield* reconciliations(charge.path.endsWith("again") ? "again" : "onetime", "not_found")
        const error = failure(yield* run(charge.run()))
        assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
        assert.include(error.message, "not found yet")
        assert.strictEqual(yield* sent(charge.path), 1)
        assert.strictEqual((yield* paymentsOf("sub-1")).length, 0)
        const after = yield* reconciliations(charge.path.endsWith("again") ? "again" : "onetime", "not_found")
        assert.strictEqual(after - before, 1)
      }).pipe(Effect.provide(IamportTest.layer()))
    )
  }

  it.effect("a declined billing-key charge, processed: the failed payment, as `again` answers a decline", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* billingKey
      yield* emulator.declineCard("4242-4242-4242-4242")
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/subscribe/payments/again" })
      const result = yield* run(charges[0].run())
      assert.isTrue(Either.isRight(result) && result.right.status === "failed")
      assert.strictEqual(yield* sent("/subscribe/payments/again"), 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("the look-up failing too: a typed unknown outcome, one charge", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* billingKey
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/subscribe/payments/again" })
      yield* emulator.injectFaults(Fault.Status({ status: 503 }), { route: "/payments/find", count: 50 })
      const error = failure(yield* run(charges[0].run()))
      assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
      assert.include(error.message, "the look-up failed too")
      yield* emulator.clearFaults
      assert.strictEqual(yield* sent("/subscribe/payments/again"), 1)
      assert.strictEqual((yield* paymentsOf("sub-1")).length, 1)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("{ confirm: false }: no look-up", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      yield* billingKey
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/subscribe/payments/again" })
      const error = failure(
        yield* run(
          Subscribe.again(
            { customer_uid: "customer-1", merchant_uid: "sub-1", amount: 9900, name: "monthly" },
            { confirm: false }
          )
        )
      )
      assert.isTrue(error._tag === "IamportTransportError" && error.reason === "Timeout")
      assert.notInclude(error.message, "looked up")
      assert.strictEqual(yield* sent("/payments/find/sub-1"), 0)
      assert.strictEqual(Subscribe.again.declaration.path, "/subscribe/payments/again")
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})

describe("the write journal", () => {
  const withJournal = (journal: WriteJournal.Service) =>
    Effect.provide(Layer.merge(IamportTest.layer(), Layer.succeed(WriteJournal.WriteJournal, journal)))

  it.effect("a cancel is recorded before it is sent and settled once confirmed", () => {
    const journal = WriteJournal.makeMemory()
    return Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      yield* emulator.injectFaults(Fault.Delay({ duration: "2 minutes" }), { route: "/payments/cancel" })
      const fiber = yield* Effect.fork(Effect.either(Payments.cancel({ imp_uid: payment.imp_uid, amount: 250 })))
      yield* cancelReceived(1)
      assert.deepStrictEqual(
        journal.entries().map((e) => [e.operation, e.target, e.state, e.checksum, e.cancellations, e.request.amount]),
        [["cancel", payment.imp_uid, "pending", 1000, 0, 250]]
      )
      yield* TestClock.adjust("5 minutes")
      assert.isTrue(Either.isRight(yield* Fiber.join(fiber)))
      assert.deepStrictEqual(
        journal.entries().map((e) => [e.state, e.impUid]),
        [["confirmed", payment.imp_uid]]
      )
      assert.deepStrictEqual(yield* journal.pending, [])
    }).pipe(withJournal(journal))
  })

  it.effect("a refused cancel is settled failed; an unknown one stays open until reconcilePending", () => {
    const journal = WriteJournal.makeMemory()
    return Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* paidPayment
      // refused: the checksum does not match
      const refused = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid, checksum: 5 })))
      assert.strictEqual(refused._tag, "IamportApiError")
      // unknown: dropped, and i'mport unreachable for the look-up
      yield* emulator.injectFaults(Fault.Drop(), { route: "/payments/cancel" })
      yield* emulator.injectFaults(Fault.Status({ status: 503 }), { route: `/payments/${payment.imp_uid}`, count: 50 })
      const unknown = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid, checksum: 1000 })))
      assert.isTrue(unknown._tag === "IamportTransportError" && unknown.mayHaveBeenProcessed)
      assert.deepStrictEqual(
        journal.entries().map((e) => e.state),
        ["failed", "unknown"]
      )
      // i'mport reachable again: the open cancel did not happen, so it is resent once with its checksum
      yield* emulator.clearFaults
      const settled = yield* Payments.reconcilePending()
      assert.deepStrictEqual(
        settled.map((s) => [s.operation, s.state, s.impUid]),
        [["cancel", "confirmed", payment.imp_uid]]
      )
      assert.deepStrictEqual(
        (yield* cancelsSent).map((c) => c.checksum),
        [5, 1000, 1000]
      )
      assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
      assert.deepStrictEqual(yield* journal.pending, [])
    }).pipe(withJournal(journal))
  })

  it.effect(
    "reconcilePending: a cancel that happened is confirmed without a resend; charges are only looked up",
    () => {
      const journal = WriteJournal.makeMemory()
      return Effect.gen(function* () {
        const payment = yield* paidPayment
        yield* billingKey
        // what a crashed process leaves: entries recorded, then the cancel and one charge processed, never settled
        yield* journal.record({
          id: "cancel-1",
          operation: "cancel",
          target: payment.imp_uid,
          request: { imp_uid: payment.imp_uid, amount: 200, checksum: 1000 },
          checksum: 1000,
          cancellations: 0
        })
        yield* Payments.cancel({ imp_uid: payment.imp_uid, amount: 200, checksum: 1000 }, { confirm: false })
        yield* journal.record({
          id: "charge-1",
          operation: "again",
          target: "sub-1",
          request: { merchant_uid: "sub-1", amount: 9900 }
        })
        yield* charges[0].run()
        yield* journal.record({
          id: "charge-2",
          operation: "onetime",
          target: "sub-2",
          request: { merchant_uid: "sub-2", amount: 500 }
        })
        yield* Effect.flatMap(Emulator, (emulator) => emulator.reset)

        const settled = yield* Payments.reconcilePending()
        assert.deepStrictEqual(
          settled.map((s) => [s.id, s.state]),
          [
            ["cancel-1", "confirmed"],
            ["charge-1", "confirmed"],
            ["charge-2", "unknown"]
          ]
        )
        assert.strictEqual((yield* cancelsSent).length, 0)
        assert.strictEqual(yield* sent("/subscribe/payments/onetime"), 0)
        assert.strictEqual(yield* cancellations(payment.imp_uid), 1)
        assert.deepStrictEqual(
          (yield* journal.pending).map((e) => e.id),
          ["charge-2"]
        )
      }).pipe(withJournal(journal))
    }
  )

  it.effect("a charge is recorded without its card data", () => {
    const journal = WriteJournal.makeMemory()
    return Effect.gen(function* () {
      yield* charges[1].run()
      assert.deepStrictEqual(
        journal.entries().map((e) => [e.operation, e.target, e.request, e.state]),
        [["onetime", "sub-1", { merchant_uid: "sub-1", amount: 9900 }, "confirmed"]]
      )
    }).pipe(withJournal(journal))
  })

  it.effect("a journal that cannot record keeps the write from being sent", () => {
    const journal: WriteJournal.Service = {
      ...WriteJournal.makeMemory(),
      record: () => Effect.fail(new WriteJournal.WriteJournalError({ cause: new Error("database down") }))
    }
    return Effect.gen(function* () {
      const payment = yield* paidPayment
      const error = failure(yield* run(Payments.cancel({ imp_uid: payment.imp_uid })))
      assert.isTrue(error._tag === "IamportTransportError" && !error.mayHaveBeenProcessed)
      assert.include(error.message, "not sent")
      assert.strictEqual((yield* cancelsSent).length, 0)
    }).pipe(withJournal(journal))
  })
})
