import { Receipts } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { fullRefund, partialRefund } from "./refund.js"

describe("refund example", () => {
  it.effect("refunds part, re-issues the cash receipt for the rest, then refunds everything", () =>
    Effect.gen(function* () {
      yield* Receipts.issue({ imp_uid: "imp_000000000001", identifier: "01012345678" })
      const partial = yield* partialRefund("imp_000000000001", 3_000, "일부 품절")
      assert.strictEqual(partial.refunded, 3_000)
      assert.strictEqual(partial.remaining, 7_000)
      assert.strictEqual(partial.receipt?.amount, 7_000)
      const full = yield* fullRefund("imp_000000000001", "전체 취소")
      assert.strictEqual(full.status, "cancelled")
      assert.strictEqual(full.cancel_history.length, 2)
      // the partial refund was guarded by the balance it read; the full one by the balance the library looked up
      const emulator = yield* IamportEmulator.IamportEmulator
      const cancels = (yield* emulator.counters).recent.filter((r) => r.route === "POST /payments/cancel")
      assert.deepStrictEqual(
        cancels.map((r) => r.body?.checksum),
        [10_000, 7_000]
      )
    }).pipe(
      Effect.provide(
        IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", merchant_uid: "o-1", amount: 10_000 }] })
      )
    )
  )
})
