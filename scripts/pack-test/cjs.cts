// Type-checked against the published declarations (require condition: dist/cjs). Not run.
import { IamportClient, IamportError, Payments } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import { Effect } from "effect"

export const amount: Effect.Effect<number, IamportError.IamportError, IamportClient.IamportClient> =
  Payments.getPayment("imp_000000000001").pipe(Effect.map((payment) => payment.amount))

export const provided: Effect.Effect<number, IamportError.IamportError> = amount.pipe(
  Effect.provide(IamportTest.layer())
)

export const wrong = Payments.getPayment("imp_000000000001").pipe(
  Effect.map((payment) => {
    // @ts-expect-error payment.amount is a number
    const amount: string = payment.amount
    return amount
  })
)
