/**
 * The merchant's order book: in memory (one process, the tests), or on a
 * database through `@effect/sql` (several instances behind a load balancer).
 * Either way an order only ever moves forward: a late webhook of an older state
 * never moves it back.
 */
import type { Verification } from "@effect-iamport/client"
import * as SqlClient from "@effect/sql/SqlClient"
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

const rank = (state: OrderState): number => (state === "forged" ? progress.indexOf("failed") : progress.indexOf(state))

/** Whether `to` is ahead of `from` (a failed and a forged attempt are alike). */
export const movesForward = (from: OrderState, to: OrderState): boolean => rank(to) > rank(from)

/** What a verified webhook means for its order; `undefined`: nothing to record. */
export const stateOf = (verification: Verification.Verification): OrderState | undefined => {
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
      return undefined // another order's, not paid, not prepared, or for a person to look at
  }
}

export interface OrderBook {
  readonly place: (merchantUid: string, amount: number) => Effect.Effect<void, Error>
  readonly get: (merchantUid: string) => Effect.Effect<Order | undefined, Error>
  readonly amountOf: (merchantUid: string) => Effect.Effect<number | undefined, Error>
  /** Records a verified webhook, if it moves the order forward. */
  readonly apply: (merchantUid: string, verification: Verification.Verification) => Effect.Effect<void, Error>
}

/** The order book in memory, with `failNext` to make its writes fail (to show i'mport's resend). */
export const makeOrderBook = Effect.gen(function* () {
  const orders = yield* Ref.make(new Map<string, Order>())
  const failures = yield* Ref.make(new Map<string, number>())

  const place = (merchantUid: string, amount: number) =>
    Ref.update(orders, (m) =>
      new Map(m).set(merchantUid, { merchantUid, amount, state: "pending", applied: 0, refused: 0 })
    )

  const get = (merchantUid: string) => Effect.map(Ref.get(orders), (m) => m.get(merchantUid))

  const failNext = (merchantUid: string, times: number) =>
    Ref.update(failures, (m) => new Map(m).set(merchantUid, times))

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
        return new Map(m).set(
          merchantUid,
          movesForward(order.state, state)
            ? { ...order, state, applied: order.applied + 1 }
            : { ...order, refused: order.refused + 1 }
        )
      })
    })

  const book: OrderBook = {
    place,
    get,
    amountOf: (merchantUid) => Effect.map(get(merchantUid), (order) => order?.amount),
    apply
  }
  return { ...book, failNext } as const
})

/** The one statement that creates the SQL order book's table. */
export const ordersDdl = `CREATE TABLE IF NOT EXISTS example_orders (
  merchant_uid VARCHAR(200) PRIMARY KEY,
  amount BIGINT NOT NULL,
  state VARCHAR(32) NOT NULL,
  applied INTEGER NOT NULL,
  refused INTEGER NOT NULL
)`

/**
 * The order book on the `SqlClient` in context (its table made). Moving an order forward is one
 * conditional `UPDATE`, so two instances applying webhooks at once cannot move it back.
 */
export const makeSqlOrderBook: Effect.Effect<OrderBook, Error, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(ordersDdl)
  const rankOfState = sql.literal(`CASE state ${progress.map((s) => `WHEN '${s}' THEN ${rank(s)}`).join(" ")} END`)
  const get = (merchantUid: string) =>
    Effect.map(
      sql<{ merchant_uid: string; amount: unknown; state: OrderState; applied: unknown; refused: unknown }>`
        SELECT merchant_uid, amount, state, applied, refused FROM example_orders WHERE merchant_uid = ${merchantUid}`,
      ([row]): Order | undefined =>
        row && {
          merchantUid: row.merchant_uid,
          amount: Number(row.amount),
          state: row.state,
          applied: Number(row.applied),
          refused: Number(row.refused)
        }
    )
  const apply = (merchantUid: string, verification: Verification.Verification) =>
    Effect.gen(function* () {
      const state = stateOf(verification)
      if (state === undefined) return
      const moved = yield* sql`
        UPDATE example_orders SET state = ${state}, applied = applied + 1
        WHERE merchant_uid = ${merchantUid} AND ${rankOfState} < ${rank(state)}
        RETURNING merchant_uid`
      if (moved.length === 0) {
        yield* sql`UPDATE example_orders SET refused = refused + 1 WHERE merchant_uid = ${merchantUid}`
      }
    })
  const book: OrderBook = {
    place: (merchantUid, amount) =>
      sql`INSERT INTO example_orders (merchant_uid, amount, state, applied, refused)
          VALUES (${merchantUid}, ${amount}, 'pending', 0, 0)`.pipe(Effect.asVoid),
    get,
    amountOf: (merchantUid) => Effect.map(get(merchantUid), (order) => order?.amount),
    apply
  }
  return book
}).pipe(Effect.mapError((error) => new Error(error.message)))
