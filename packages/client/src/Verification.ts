/**
 * The outcome of verifying a payment: what a merchant's server needs to know
 * before it ships an order. Built by `Payments.verify`; match on `_tag`.
 *
 * Amounts are compared exactly, in the currency's minor unit (won, cents):
 * the expected amount may be a number, a `bigint` or a decimal string (as `pg`
 * returns NUMERIC and BIGINT columns), and must be finite and positive.
 * Currency codes are compared without regard to case.
 *
 * **A partially cancelled payment** (status `paid`, part of it refunded) is
 * `Cancelled` with `full: false` when the expected amount is either the
 * payment's original amount or what is left of it after the cancellations
 * (the order's amount as a merchant records it after its own partial refund).
 * Any other expected amount is `AmountMismatchAfterCancel`: never cancelled
 * automatically, since somebody already refunded part of it: the merchant decides.
 *
 * Naming: a library helper, so its own fields and options are camelCase (`impUid`,
 * `expectedAmount`); the payment it carries keeps the wire's field names.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import { IamportInvalidArgumentError } from "./IamportError.js"
import { fromMinorUnits, minorUnitDigits, sameCurrency, toMinorUnits } from "./internal/amount.js"
import type { Payment } from "./Payment.js"

/**
 * An amount as a merchant's records hold it: a JS number, a `bigint`, or a
 * decimal string such as `"1000"` or `"10.30"`.
 *
 * @category models
 * @since 0.1.0
 */
export type AmountInput = number | bigint | string

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
 * - `AmountMismatchAfterCancel`: partly cancelled already, and the expected amount is neither its
 *   original amount nor what is left. Never cancelled automatically: look at it yourself.
 * - `NotPrepared`: paid, but there is nothing to check its amount against: no expected amount was
 *   given and none was pre-registered with `Payments.prepare` for its order.
 * - `OrderMismatch`: the payment belongs to another order (`merchant_uid`).
 * - `NotFound`: no payment with this `imp_uid`.
 *
 * @category models
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
 *   AmountMismatchAfterCancel: () => false,
 *   NotPrepared: () => false,
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
  AmountMismatchAfterCancel: {
    readonly payment: Payment
    readonly expectedAmount: number
    readonly expectedCurrency: string | undefined
  }
  NotPrepared: { readonly payment: Payment }
  OrderMismatch: { readonly payment: Payment; readonly expectedMerchantUid: string }
  NotFound: { readonly impUid: string }
}>

/**
 * Constructors, `$is` and `$match` for `Verification`.
 *
 * @category api
 * @since 0.1.0
 */
export const Verification = Data.taggedEnum<Verification>()

/**
 * What the order expects of its payment. `amount` is the order's amount: a
 * number, a `bigint` or a decimal string, finite and positive. Without it, a
 * payment whose amount matters (paid, or awaiting a deposit) is `NotPrepared`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Expectation {
  readonly amount?: AmountInput | undefined
  readonly merchantUid?: string | undefined
  readonly currency?: string | undefined
}

/**
 * Whether the amount matters for this payment: paid, awaiting a deposit, or
 * partly cancelled. For another order's, failed, unpaid or fully cancelled
 * payments the outcome is the same whatever the order's amount.
 *
 * @category api
 * @since 0.1.0
 */
export const amountMatters = (payment: Payment, merchantUid: string | undefined): boolean =>
  (merchantUid === undefined || payment.merchant_uid === merchantUid) &&
  (payment.status === "paid" || awaitingDeposit(payment))

/**
 * Classifies a payment against what its order expects (no I/O). Fails with
 * `IamportInvalidArgumentError` when the expected amount is not a finite,
 * positive amount of the currency (`NaN`, `-1000`, `"abc"`, `10.305` dollars).
 *
 * @category api
 * @since 0.1.0
 */
export const classify = (
  payment: Payment,
  expected: Expectation
): Either.Either<Verification, IamportInvalidArgumentError> => {
  const digits = minorUnitDigits(expected.currency ?? payment.currency)
  if (expected.amount === undefined) return Either.right(classifyChecked(payment, expected, undefined, digits))
  const expectedMinor = toMinorUnits(expected.amount, digits)
  if (Either.isLeft(expectedMinor) || expectedMinor.right <= 0n) {
    return Either.left(
      new IamportInvalidArgumentError({
        endpoint: "Payments.verify",
        argument: "expectedAmount",
        issue: Either.isLeft(expectedMinor) ? expectedMinor.left : "must be positive"
      })
    )
  }
  if (expected.currency !== undefined && expected.currency.trim() === "") {
    return Either.left(
      new IamportInvalidArgumentError({ endpoint: "Payments.verify", argument: "currency", issue: "must not be empty" })
    )
  }
  return Either.right(classifyChecked(payment, expected, expectedMinor.right, digits))
}

const classifyChecked = (
  payment: Payment,
  expected: Expectation,
  expectedMinor: bigint | undefined,
  digits: number
): Verification => {
  if (expected.merchantUid !== undefined && payment.merchant_uid !== expected.merchantUid) {
    return Verification.OrderMismatch({ payment, expectedMerchantUid: expected.merchantUid })
  }
  if (payment.status === "failed") return Verification.Failed({ payment, reason: payment.fail_reason })
  if (payment.status === "cancelled") return Verification.Cancelled({ payment, full: true })
  const isAwaitingDeposit = awaitingDeposit(payment)
  if (payment.status !== "paid" && !isAwaitingDeposit) return Verification.NotPaid({ payment })
  if (expectedMinor === undefined) return Verification.NotPrepared({ payment })

  const currencyMatches = expected.currency === undefined || sameCurrency(payment.currency, expected.currency)
  const is = (amount: number) =>
    currencyMatches && Either.getOrUndefined(toMinorUnits(amount, digits)) === expectedMinor
  const mismatch = {
    payment,
    expectedAmount: fromMinorUnits(expectedMinor, digits),
    expectedCurrency: expected.currency
  }
  if (hasCancellations(payment)) {
    // the original amount, or what the merchant's own partial refunds left of it
    return is(payment.amount) || is(payment.cancellableAmount)
      ? Verification.Cancelled({ payment, full: false })
      : Verification.AmountMismatchAfterCancel(mismatch)
  }
  if (!is(payment.amount)) return Verification.AmountMismatch({ ...mismatch, cancelled: undefined })
  if (isAwaitingDeposit) return Verification.AwaitingDeposit({ payment })
  return Verification.Paid({ payment })
}

const awaitingDeposit = (payment: Payment): boolean =>
  payment.status === "ready" && payment.pay_method === "vbank" && !!payment.vbank_num

/**
 * Whether any part of the payment was ever cancelled. Such a payment is never
 * cancelled automatically.
 *
 * @category api
 * @since 0.1.0
 */
export const hasCancellations = (payment: Payment): boolean =>
  payment.cancel_amount > 0 || payment.cancel_history.length > 0
