// Type-checked against the published declarations (import condition: dist/dts). Not run.
import { IamportClient, IamportError, Payment, Payments } from "@effect-iamport/client"
import * as PaymentsModule from "@effect-iamport/client/Payments"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { Effect, Layer, Redacted } from "effect"

export const amount: Effect.Effect<number, IamportError.IamportError, IamportClient.IamportClient> =
  Payments.getPayment("imp_000000000001").pipe(Effect.map((payment: Payment.Payment) => payment.amount))

export const sameFunction: typeof Payments.getPayment = PaymentsModule.getPayment

export const handled = Payments.getPayment("imp_000000000001").pipe(
  Effect.catchTag("IamportNotFoundError", () => Effect.succeed(undefined)),
  Effect.provide(IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", amount: 50_000 }] }))
)

export const layer = IamportClient.layer({
  apiKey: IamportEmulator.DEFAULT_API_KEY,
  apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET),
  baseUrl: "http://iamport.emulator"
}).pipe(Layer.provide(IamportEmulator.layerWithHttpClient()))

// Each line below MUST fail to compile; if the published types were `any`, it would not, and
// the unused @ts-expect-error would fail the check instead.
export const wrong = Payments.getPayment("imp_000000000001").pipe(
  Effect.map((payment) => {
    // @ts-expect-error payment.amount is a number
    const amount: string = payment.amount
    return amount
  })
)
// @ts-expect-error getPayment takes an imp_uid string
export const wrongArgument = Payments.getPayment(42)
// @ts-expect-error there is no such error tag
export const wrongTag = Payments.getPayment("imp_1").pipe(Effect.catchTag("NoSuchError", () => Effect.void))
// @ts-expect-error a string is not a Redacted secret
export const plainSecret = IamportClient.layer({ apiKey: "k", apiSecret: "s" })
// @ts-expect-error internal modules are not exported
export type Internal = typeof import("@effect-iamport/client/internal/path")
