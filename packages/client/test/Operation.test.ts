import { Subscribe } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

describe("operation requests", () => {
  it.effect("a request value that does not fit its schema is refused before sending, without quoting it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Subscribe.onetime({
          merchant_uid: "order-1",
          amount: 1000,
          card_number: 4242424242424242 as unknown as string, // wrong type: card data must not be echoed
          expiry: "2030-12"
        } as Parameters<typeof Subscribe.onetime>[0])
      )
      assert.strictEqual(error._tag, "IamportInvalidArgumentError")
      for (const text of [error.message, String(error), JSON.stringify(error)]) {
        assert.notInclude(text, "4242424242424242")
      }
      assert.include(error.message, "card_number")
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
