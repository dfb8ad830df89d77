import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"

// `it.effect` starts TestClock at 0: nothing here moves it
describe("at TestClock zero", () => {
  it.effect("seeded payments are stamped 1 (0 means 'not yet') and status lists include them", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const seeded = yield* emulator.seedPayment({ imp_uid: "imp_000000000002" })
      assert.strictEqual(seeded.paid_at, 1)
      const page = yield* Payments.listByStatus("paid")
      assert.deepStrictEqual(
        page.list.map((p) => p.imp_uid),
        ["imp_000000000002", "imp_000000000001"] // -started, then the later seeded first
      )
      const all = yield* Stream.runCollect(Payments.streamByStatus("all"))
      assert.strictEqual(Chunk.size(all), 2)
    }).pipe(Effect.provide(IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001" }] })))
  )
})
