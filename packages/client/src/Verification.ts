/**
 * The outcome of verifying a payment: what a merchant's server needs to know
 * before it ships an order. Built by `Payments.verify`; match on `_tag`.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { Payment } from "./Payment.js"

/**
 * What a looked-up payment turned out to be, measured against the order.
 *
 * - `Paid`: paid, for the expected amount (and currency, when given).
 * - `AwaitingDeposit`: a virtual account was issued for the expected amount; the buyer has not paid yet.
 * - `NotPaid`: the payment window was opened but nothing was paid (status `ready` without a virtual
 *   account, or a status this client does not know yet).
 * - `Failed`: the payment failed; `reason` is the PG's text.
 * - `Cancelled`: cancelled in full, or in part (`full: false`, the rest is still paid).
 * - `AmountMismatch`: paid (or a virtual account issued) for another amount or currency than the
 *   order's: a forged or tampered payment. `cancelled` is the payment after an automatic cancel, when
 *   `cancelIfForged` asked for one.
 * - `OrderMismatch`: the payment belongs to another order (`merchant_uid`).
 * - `NotFound`: no payment with this `imp_uid`.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Verification } from "@effect-iamport/client"
 *
 * const shouldShip = Verification.Verification.$match({
 *   Paid: () => true,
 *   AwaitingDeposit: () => false,
 *   NotPaid: () => false,
 *   Failed: () => false,
 *   Cancelled: () => false,
 *   AmountMismatch: () => false,
 *   OrderMismatch: () => false,
 *   NotFound: () => false
 * })
 * ```
 */
export type Verification = Data.TaggedEnum<{
  Paid: { readonly payment: Payment }
  AwaitingDeposit: { readonly payment: Payment }
  NotPaid: { readonly payment: Payment }
  Failed: { readonly payment: Payment; readonly reason: string | undefined }
  Cancelled: { readonly payment: Payment; readonly full: boolean }
  AmountMismatch: {
    readonly payment: Payment
    readonly expectedAmount: number
    readonly expectedCurrency: string | undefined
    readonly cancelled: Payment | undefined
  }
  OrderMismatch: { readonly payment: Payment; readonly expectedMerchantUid: string }
  NotFound: { readonly impUid: string }
}>

/**
 * Constructors, `$is` and `$match` for `Verification`.
 *
 * @since 0.1.0
 */
export const Verification = Data.taggedEnum<Verification>()

/**
 * What the order expects of its payment.
 *
 * @since 0.1.0
 */
export interface Expectation {
  readonly amount: number
  readonly merchantUid?: string | undefined
  readonly currency?: string | undefined
}

/**
 * Classifies a payment against what its order expects (no I/O). The amount
 * compared is the payment's original `amount`, before any cancellation.
 *
 * @since 0.1.0
 */
export const classify = (payment: Payment, expected: Expectation): Verification => {
  if (expected.merchantUid !== undefined && payment.merchant_uid !== expected.merchantUid) {
    return Verification.OrderMismatch({ payment, expectedMerchantUid: expected.merchantUid })
  }
  if (payment.status === "failed") return Verification.Failed({ payment, reason: payment.fail_reason })
  if (payment.status === "cancelled") return Verification.Cancelled({ payment, full: true })
  const awaitingDeposit = payment.status === "ready" && payment.pay_method === "vbank" && !!payment.vbank_num
  if (payment.status !== "paid" && !awaitingDeposit) return Verification.NotPaid({ payment })
  const currencyMatches = expected.currency === undefined || payment.currency === expected.currency
  if (payment.amount !== expected.amount || !currencyMatches) {
    return Verification.AmountMismatch({
      payment,
      expectedAmount: expected.amount,
      expectedCurrency: expected.currency,
      cancelled: undefined
    })
  }
  if (awaitingDeposit) return Verification.AwaitingDeposit({ payment })
  if (payment.cancel_amount > 0) return Verification.Cancelled({ payment, full: false })
  return Verification.Paid({ payment })
}
