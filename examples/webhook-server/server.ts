/**
 * A merchant's webhook server: receives i'mport's webhooks on
 * `POST /portone-webhook`, verifies each payment against its own order book,
 * cancels forged payments once, and marks orders paid, awaiting deposit or
 * cancelled, only ever forwards: a late webhook of an older state never moves
 * an order back. Run it with `pnpm tsx examples/webhook-server/main.ts`; tested
 * end to end against the emulator in `server.test.ts`.
 */
import { type Verification, Webhook } from "@effect-iamport/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import { Effect, Ref } from "effect"

/** What the merchant knows of an order, and what the webhooks told it. */
export interface Order {
  readonly merchantUid: string
  readonly amount: number
  readonly state: OrderState
  /** How many verified webhooks moved this order. */
  readonly applied: number
  /** How many verified webhooks were refused because they would have moved it back. */
  readonly refused: number
}

/**
 * An order's states, in the only order it may move through. A failed or forged attempt can be
 * followed by a genuine payment; nothing moves a paid order back to awaiting a deposit, nor a
 * cancelled one back to paid.
 */
const progress = ["pending", "failed", "forged", "awaiting-deposit", "paid", "cancelled"] as const

export type OrderState = (typeof progress)[number]

/** Whether `to` is ahead of `from` (a failed and a forged attempt are alike). */
export const movesForward = (from: OrderState, to: OrderState): boolean => rank(to) > rank(from)

const rank = (state: OrderState): number => (state === "forged" ? progress.indexOf("failed") : progress.indexOf(state))

/** The merchant's order book (in memory here; a database in real life). */
export const makeOrderBook = Effect.gen(function* () {
  const orders = yield* Ref.make(new Map<string, Order>())
  /** Fail the handler this many times for an order (to show PortOne's resend). */
  const failures = yield* Ref.make(new Map<string, number>())

  const place = (merchantUid: string, amount: number) =>
    Ref.update(orders, (m) =>
      new Map(m).set(merchantUid, { merchantUid, amount, state: "pending", applied: 0, refused: 0 })
    )

  const get = (merchantUid: string) => Effect.map(Ref.get(orders), (m) => m.get(merchantUid))

  const amountOf = (merchantUid: string) => Effect.map(get(merchantUid), (order) => order?.amount)

  const failNext = (merchantUid: string, times: number) =>
    Ref.update(failures, (m) => new Map(m).set(merchantUid, times))

  const stateOf = (verification: Verification.Verification): OrderState | undefined => {
    switch (verification._tag) {
      case "Paid":
        return "paid"
      case "AwaitingDeposit":
        return "awaiting-deposit"
      case "Cancelled":
        return verification.full ? "cancelled" : "paid"
      case "AmountMismatch":
        return "forged"
      case "Failed":
        return "failed"
      default:
        return undefined // another order's, not paid, not prepared, or for a person to look at: nothing to record
    }
  }

  const apply = (merchantUid: string, verification: Verification.Verification) =>
    Effect.gen(function* () {
      const remaining = (yield* Ref.get(failures)).get(merchantUid) ?? 0
      if (remaining > 0) {
        yield* Ref.update(failures, (m) => new Map(m).set(merchantUid, remaining - 1))
        return yield* Effect.fail(new Error(`database unavailable for ${merchantUid}`))
      }
      const state = stateOf(verification)
      yield* Ref.update(orders, (m) => {
        const order = m.get(merchantUid)
        if (order === undefined || state === undefined) return m
        const moved = movesForward(order.state, state)
        return new Map(m).set(
          merchantUid,
          moved ? { ...order, state, applied: order.applied + 1 } : { ...order, refused: order.refused + 1 }
        )
      })
    })

  return { place, get, amountOf, failNext, apply } as const
})

export type OrderBook = Effect.Effect.Success<typeof makeOrderBook>

/** The merchant's routes: the webhook receiver, verifying against the order book. */
export const routes = (orders: OrderBook) =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/portone-webhook",
      Webhook.handler({
        expectedAmount: (notification) => orders.amountOf(notification.merchant_uid),
        cancelIfForged: { reason: "amount does not match the order (forged payment)" },
        onVerified: (verification, notification) => orders.apply(notification.merchant_uid, verification)
      })
    )
  )
