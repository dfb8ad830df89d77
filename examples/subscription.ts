/**
 * Billing-key subscription: store a card once, charge it every month by schedule, and charge it now.
 */
import { BillingKeys, Subscribe } from "@effect-iamport/client"
import { DateTime, Effect } from "effect"

/** Registers the card as billing key `customerUid` and schedules the next `months` monthly charges. */
export const subscribe = (
  customerUid: string,
  card: { readonly number: string; readonly expiry: string },
  months: number
) =>
  Effect.gen(function* () {
    yield* BillingKeys.issue({
      customer_uid: customerUid,
      channel_key: "channel-key-billing",
      card_number: card.number,
      expiry: card.expiry
    })
    const now = yield* DateTime.now
    return yield* Subscribe.schedule({
      customer_uid: customerUid,
      schedules: Array.from({ length: months }, (_, i) => ({
        merchant_uid: `${customerUid}-${i + 1}`,
        schedule_at: DateTime.add(now, { months: i + 1 }),
        amount: 9_900,
        currency: "KRW",
        name: `월간 구독 ${i + 1}회차`
      }))
    })
  })

/** Charges the billing key now (e.g. the first month), returning the paid payment. */
export const chargeNow = (customerUid: string, orderId: string) =>
  Subscribe.again({ customer_uid: customerUid, merchant_uid: orderId, amount: 9_900, name: "월간 구독 첫 달" })

/** Cancels a subscription: revokes every pending schedule, then deletes the key. */
export const unsubscribe = (customerUid: string) =>
  Subscribe.unschedule({ customer_uid: customerUid }).pipe(
    Effect.catchTag("IamportApiError", () => Effect.succeed([])),
    Effect.zipRight(BillingKeys.remove({ customer_uid: customerUid }))
  )
