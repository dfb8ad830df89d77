/**
 * Refund: a partial refund of a card payment with a cash receipt re-issued for what remains, and a full refund.
 */
import { Payments, Receipts } from "@effect-iamport/client"
import { Effect } from "effect"

/**
 * Refunds `amount` of the payment, guarded by `checksum` (the refundable balance as we know it, so two refunds
 * racing cannot both pass), then re-issues the cash receipt for the rest.
 */
export const partialRefund = (impUid: string, amount: number, reason: string) =>
  Effect.gen(function* () {
    const before = yield* Payments.getPayment(impUid)
    yield* Receipts.revoke({ imp_uid: impUid }).pipe(Effect.catchAll(() => Effect.void))
    const after = yield* Payments.cancel({ imp_uid: impUid, amount, checksum: before.cancellableAmount, reason })
    const receipt =
      after.cancellableAmount > 0
        ? yield* Receipts.issue({ imp_uid: impUid, identifier: "01012345678", type: "person" })
        : undefined
    return { refunded: after.cancel_amount, remaining: after.cancellableAmount, receipt }
  })

/** Refunds everything left (an omitted `amount` is a full cancel). */
export const fullRefund = (impUid: string, reason: string) => Payments.cancel({ imp_uid: impUid, reason })
