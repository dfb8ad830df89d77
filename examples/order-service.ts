/**
 * A merchant's own service built on the client: confirms that the payment the
 * browser reported is real and for the order's amount. Tested offline in
 * `order-service.test.ts` with `IamportTest.layer`.
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import { Context, Effect, Layer } from "effect"

export type Confirmation =
  | { readonly _tag: "Paid"; readonly impUid: string }
  | { readonly _tag: "Forged"; readonly expected: number; readonly paid: number }
  | { readonly _tag: "NotPaid"; readonly status: string }
  | { readonly _tag: "Unknown" }

export class Orders extends Context.Tag("examples/Orders")<
  Orders,
  { readonly confirm: (impUid: string, orderAmount: number) => Effect.Effect<Confirmation> }
>() {}

export const OrdersLive = Layer.effect(
  Orders,
  Effect.gen(function* () {
    const client = yield* IamportClient.IamportClient
    const confirm = (impUid: string, orderAmount: number) =>
      Payments.getPayment(impUid).pipe(
        Effect.map((payment): Confirmation => {
          if (payment.status !== "paid") return { _tag: "NotPaid", status: payment.status }
          if (payment.amount !== orderAmount) return { _tag: "Forged", expected: orderAmount, paid: payment.amount }
          return { _tag: "Paid", impUid }
        }),
        Effect.catchTag("IamportNotFoundError", () => Effect.succeed<Confirmation>({ _tag: "Unknown" })),
        Effect.orDie,
        Effect.provideService(IamportClient.IamportClient, client)
      )
    return Orders.of({ confirm })
  })
)
