// Type-checked against the published declarations (import condition: dist/dts). Not run.
import { IamportClient, IamportError, Payment, Payments } from "@effect-iamport/client"
import * as IamportTransport from "@effect-iamport/client/IamportTransport"
import * as PaymentsModule from "@effect-iamport/client/Payments"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as HttpClient from "@effect/platform/HttpClient"
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

// the client over a transport of one's own, built on the same core as the layers
export const overTransport = Layer.scopedContext(
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    IamportClient.makeWith(IamportTransport.fromHttpClient(http, { baseUrl: "http://iamport.emulator" }), {
      apiKey: IamportEmulator.DEFAULT_API_KEY,
      apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET)
    })
  )
).pipe(Layer.provide(IamportEmulator.layerWithHttpClient()))

// the guards take any error union; FastDecode is a boolean reference
export const retried = Payments.getPayment("imp_000000000001").pipe(
  Effect.catchIf(IamportError.isTransient, () => Effect.succeed(undefined)),
  Effect.provideService(IamportClient.FastDecode, false)
)

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
// @ts-expect-error FastDecode holds a boolean
export const wrongSwitch = Effect.provideService(Effect.void, IamportClient.FastDecode, "off")
