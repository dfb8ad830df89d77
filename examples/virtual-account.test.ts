import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { isDeposited, openAccount } from "./virtual-account.js"

describe("virtual account example", () => {
  it.effect("issues an account (ready) and sees the deposit (paid)", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_000)
      const account = yield* openAccount("order-vb-1", 45_000)
      assert.strictEqual(account.bank, "KB국민은행")
      assert.isTrue(Option.isSome(account.due))
      assert.isFalse(yield* isDeposited(account.impUid, 45_000))

      const emulator = yield* IamportEmulator.IamportEmulator
      yield* emulator.depositVbank(account.impUid)
      assert.isTrue(yield* isDeposited(account.impUid, 45_000))
      assert.isFalse(yield* isDeposited(account.impUid, 50_000))
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
