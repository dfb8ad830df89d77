import { IamportTest, IamportEmulator } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { Orders, OrdersLive } from "./order-service.js"

// The user's service on top of the real client, backed by the in-process emulator.
const TestLayer = OrdersLive.pipe(
  Layer.provideMerge(
    IamportTest.layer({
      payments: [
        { imp_uid: "imp_000000000001", merchant_uid: "order-1", amount: 50_000 },
        { imp_uid: "imp_000000000002", merchant_uid: "order-2", amount: 100, status: "ready" }
      ]
    })
  )
)

describe("Orders.confirm (a user's service tested with IamportTest)", () => {
  it.effect("tells paid, forged, unpaid and unknown payments apart", () =>
    Effect.gen(function* () {
      const orders = yield* Orders
      assert.deepStrictEqual(yield* orders.confirm("imp_000000000001", 50_000), {
        _tag: "Paid",
        impUid: "imp_000000000001"
      })
      assert.deepStrictEqual(yield* orders.confirm("imp_000000000001", 70_000), {
        _tag: "Forged",
        expected: 70_000,
        paid: 50_000
      })
      assert.deepStrictEqual(yield* orders.confirm("imp_000000000002", 100), { _tag: "NotPaid", status: "ready" })
      assert.deepStrictEqual(yield* orders.confirm("imp_999999999999", 100), { _tag: "Unknown" })
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("keeps working across a token expiry, with one getToken per token", () =>
    Effect.gen(function* () {
      const orders = yield* Orders
      const emulator = yield* IamportEmulator.IamportEmulator
      assert.strictEqual((yield* orders.confirm("imp_000000000001", 50_000))._tag, "Paid")
      yield* TestClock.adjust("45 minutes") // past the 30-minute token
      assert.strictEqual((yield* orders.confirm("imp_000000000001", 50_000))._tag, "Paid")
      const counters = yield* emulator.counters
      assert.strictEqual(counters.getTokenCalls, 2)
      assert.strictEqual(counters.expiredTokensPresented, 0)
    }).pipe(Effect.provide(TestLayer))
  )
})
