/**
 * Payments: look up, list, pre-register (`prepare`) and cancel payments.
 *
 * Every operation is an `Effect` that requires `IamportClient` and fails with
 * an `IamportError`. Models are in `Payment`.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { request, type IamportClient } from "./IamportClient.js"
import { type IamportError, IamportInvalidArgumentError } from "./IamportError.js"
import { Payment, PaymentBalance, PaymentPage, PaymentPrepare, type PaymentSorting } from "./Payment.js"
import * as KeyedLock from "./internal/keyedLock.js"
import * as Verification from "./Verification.js"

/**
 * A payment by its i'mport id. Payments made through test channels are hidden
 * by the API unless `includeSandbox` is set (since 2026-01-26).
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * const amount = Payments.getPayment("imp_123456789012").pipe(Effect.map((payment) => payment.amount))
 * ```
 */
export const getPayment = (
  impUid: string,
  options?: { readonly includeSandbox?: boolean }
): Effect.Effect<Payment, IamportError, IamportClient> =>
  request({
    method: "GET",
    path: "/payments/{imp_uid}",
    pathParams: { imp_uid: impUid },
    ...(options?.includeSandbox ? { urlParams: { include_sandbox: "true" } } : {}),
    response: Payment
  })

/**
 * What `getPayments` found, and the ids it did not find (i'mport answers
 * 207 Multi-Status when some ids fail).
 *
 * @since 0.1.0
 */
export interface PaymentsFound {
  readonly payments: ReadonlyArray<Payment>
  readonly missingImpUids: ReadonlyArray<string>
  readonly missingMerchantUids: ReadonlyArray<string>
}

/**
 * Up to 100 payments by `imp_uid` and/or `merchant_uid` in one call. Ids that
 * match nothing are reported in `missing...`, not as a failure.
 *
 * @since 0.1.0
 */
export const getPayments = (ids: {
  readonly impUids?: ReadonlyArray<string>
  readonly merchantUids?: ReadonlyArray<string>
}): Effect.Effect<PaymentsFound, IamportError, IamportClient> => {
  const impUids = ids.impUids ?? []
  const merchantUids = ids.merchantUids ?? []
  const endpoint = "GET /payments"
  if (impUids.length + merchantUids.length === 0 || impUids.length + merchantUids.length > 100) {
    return Effect.fail(
      new IamportInvalidArgumentError({ endpoint, argument: "ids", issue: "give between 1 and 100 ids" })
    )
  }
  return request({
    method: "GET",
    path: "/payments",
    urlParams: [
      ...impUids.map((id) => ["imp_uid[]", id] as const),
      ...merchantUids.map((id) => ["merchant_uid[]", id] as const)
    ],
    response: Schema.Array(Payment)
  }).pipe(
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed([] as ReadonlyArray<Payment>)),
    Effect.map((payments) => {
      const foundImp = new Set(payments.map((p) => p.imp_uid))
      const foundMerchant = new Set(payments.map((p) => p.merchant_uid))
      return {
        payments,
        missingImpUids: impUids.filter((id) => !foundImp.has(id)),
        missingMerchantUids: merchantUids.filter((id) => !foundMerchant.has(id))
      }
    })
  )
}

/**
 * Options of the lookups by `merchant_uid`.
 *
 * @since 0.1.0
 */
export interface FindOptions {
  /** Only payments in this status. */
  readonly status?: "ready" | "paid" | "cancelled" | "failed"
  /** Which payment comes first. Default `-started` (newest first). */
  readonly sorting?: PaymentSorting
}

/**
 * The payment (the first by `sorting`, newest by default) with this
 * `merchant_uid`: how to find out what happened to a charge whose answer was
 * lost. Fails with `IamportNotFoundError` when there is none.
 *
 * @since 0.1.0
 */
export const findByMerchantUid = (
  merchantUid: string,
  options: FindOptions = {}
): Effect.Effect<Payment, IamportError, IamportClient> =>
  request({
    method: "GET",
    path: options.status === undefined ? "/payments/find/{merchant_uid}" : "/payments/find/{merchant_uid}/{status}",
    pathParams: { merchant_uid: merchantUid, ...(options.status ? { status: options.status } : {}) },
    ...(options.sorting ? { urlParams: { sorting: options.sorting } } : {}),
    response: Payment
  })

/**
 * Paging of list operations: `page` from 1, `limit` up to 1000 (default 20).
 *
 * @since 0.1.0
 */
export interface PageOptions {
  readonly page?: number
  readonly limit?: number
  readonly sorting?: PaymentSorting
}

/**
 * One page of every payment with this `merchant_uid`.
 *
 * @since 0.1.0
 */
export const findAllByMerchantUid = (
  merchantUid: string,
  options: PageOptions & Pick<FindOptions, "status"> = {}
): Effect.Effect<PaymentPage, IamportError, IamportClient> =>
  request({
    method: "GET",
    path:
      options.status === undefined ? "/payments/findAll/{merchant_uid}" : "/payments/findAll/{merchant_uid}/{status}",
    pathParams: { merchant_uid: merchantUid, ...(options.status ? { status: options.status } : {}) },
    urlParams: pageParams(options),
    response: PaymentPage
  })

/**
 * Options of `listByStatus`: a time window of at most 90 days (default: the 90
 * days up to now), measured on the field that matches the status.
 *
 * @since 0.1.0
 */
export interface ListOptions extends PageOptions {
  readonly from?: DateTime.DateTime | Date
  readonly to?: DateTime.DateTime | Date
}

/**
 * The status filter of `listByStatus`.
 *
 * @since 0.1.0
 */
export type StatusFilter = "all" | "ready" | "paid" | "cancelled" | "failed"

/**
 * One page of payments in a status.
 *
 * @since 0.1.0
 */
export const listByStatus = (
  status: StatusFilter,
  options: ListOptions = {}
): Effect.Effect<PaymentPage, IamportError, IamportClient> =>
  request({
    method: "GET",
    path: "/payments/status/{payment_status}",
    pathParams: { payment_status: status },
    urlParams: {
      ...pageParams(options),
      ...(options.from ? { from: String(unixSeconds(options.from)) } : {}),
      ...(options.to ? { to: String(unixSeconds(options.to)) } : {})
    },
    response: PaymentPage
  })

/**
 * Every payment in a status, walking all pages (from `options.page`, default 1).
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { Stream } from "effect"
 *
 * const paidTotal = Payments.streamByStatus("paid", { limit: 100 }).pipe(
 *   Stream.runFold(0, (sum, payment) => sum + payment.amount)
 * )
 * ```
 */
export const streamByStatus = (
  status: StatusFilter,
  options: ListOptions = {}
): Stream.Stream<Payment, IamportError, IamportClient> =>
  Stream.paginateChunkEffect(options.page ?? 1, (page) =>
    Effect.map(listByStatus(status, { ...options, page }), (result) => [Chunk.fromIterable(result.list), result.next])
  )

/**
 * What to cancel: the payment by `imp_uid` or by `merchant_uid` (when both are
 * given, i'mport uses `imp_uid`).
 *
 * @since 0.1.0
 */
export type CancelTarget =
  | { readonly imp_uid: string; readonly merchant_uid?: string }
  | { readonly merchant_uid: string; readonly imp_uid?: undefined }

/**
 * A cancel (refund) request. Every field but the target is optional.
 *
 * @since 0.1.0
 */
export type CancelRequest = CancelTarget & {
  /** Amount to cancel; omitted or 0 cancels everything left (a full cancel). */
  readonly amount?: number
  readonly tax_free?: number
  readonly vat_amount?: number
  /** The cancellable balance as you know it; the API refuses the cancel when it differs. */
  readonly checksum?: number
  readonly reason?: string
  /** Refund account for virtual-account payments. */
  readonly refund_holder?: string
  readonly refund_bank?: string
  readonly refund_account?: string
  readonly refund_tel?: string
  readonly retain_promotion?: boolean
  /** Send the cancellation webhook (off by default for API cancels). */
  readonly enable_webhook?: boolean
  readonly extra?: { readonly requester?: "customer" | "admin" }
}

/**
 * Cancels a payment in full or in part and returns it updated (with
 * `cancel_history`). "Nothing to cancel" is an `IamportApiError` (HTTP 200,
 * `code` 1).
 *
 * Never retried on a timeout or a lost connection: the error then has
 * `mayHaveBeenProcessed: true`; look the payment up before cancelling again.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 *
 * const refund = Payments.cancel({ merchant_uid: "order-1", amount: 1000, reason: "out of stock" })
 * ```
 */
export const cancel = (cancelRequest: CancelRequest): Effect.Effect<Payment, IamportError, IamportClient> =>
  request({ method: "POST", path: "/payments/cancel", body: cancelRequest, response: Payment })

/**
 * The amount to pre-register for an order, before the browser opens the payment window.
 *
 * @since 0.1.0
 */
export interface PrepareRequest {
  readonly merchant_uid: string
  readonly amount: number
  readonly currency?: string
}

/**
 * Pre-registers the amount of an order; i'mport then refuses a payment for
 * that `merchant_uid` with any other amount (anti-tampering).
 *
 * @since 0.1.0
 */
export const prepare = (prepareRequest: PrepareRequest): Effect.Effect<PaymentPrepare, IamportError, IamportClient> =>
  request({ method: "POST", path: "/payments/prepare", body: prepareRequest, response: PaymentPrepare })

/**
 * Changes a pre-registered amount (`IamportNotFoundError` if none).
 *
 * @since 0.1.0
 */
export const updatePrepared = (
  prepareRequest: PrepareRequest
): Effect.Effect<PaymentPrepare, IamportError, IamportClient> =>
  request({ method: "PUT", path: "/payments/prepare", body: prepareRequest, response: PaymentPrepare })

/**
 * The pre-registered amount of an order (`IamportNotFoundError` if none).
 *
 * @since 0.1.0
 */
export const getPrepared = (merchantUid: string): Effect.Effect<PaymentPrepare, IamportError, IamportClient> =>
  request({
    method: "GET",
    path: "/payments/prepare/{merchant_uid}",
    pathParams: { merchant_uid: merchantUid },
    response: PaymentPrepare
  })

/**
 * The amount breakdown of a payment over time (PAYCO payments only).
 *
 * @since 0.1.0
 */
export const getBalance = (impUid: string): Effect.Effect<PaymentBalance, IamportError, IamportClient> =>
  request({
    method: "GET",
    path: "/payments/{imp_uid}/balance",
    pathParams: { imp_uid: impUid },
    response: PaymentBalance
  })

const pageParams = (options: PageOptions): Record<string, string> => ({
  ...(options.page !== undefined ? { page: String(options.page) } : {}),
  ...(options.limit !== undefined ? { limit: String(options.limit) } : {}),
  ...(options.sorting !== undefined ? { sorting: options.sorting } : {})
})

const unixSeconds = (time: DateTime.DateTime | Date): number =>
  Math.floor((time instanceof Date ? time.getTime() : DateTime.toEpochMillis(time)) / 1000)

/**
 * What `verify` checks a payment against. `cancelIfForged` needs the order's
 * `merchantUid`: without it, another order's genuine payment would be measured
 * against this order's amount, and refunded.
 *
 * @since 0.1.0
 */
export type VerifyOptions = VerifyCommon &
  (
    | {
        /** The order the payment must belong to. */
        readonly merchantUid?: string
        readonly cancelIfForged?: undefined
      }
    | {
        /** The order the payment must belong to. */
        readonly merchantUid: string
        /**
         * Cancel a paid payment at once when its amount or currency does not match (a forged payment),
         * with this reason. The cancel carries the balance as `checksum` and is never retried; in one
         * process, concurrent verifications of the same payment send at most one cancel. A payment
         * that already has cancellations is never cancelled (`AmountMismatchAfterCancel`). When the
         * cancel's outcome is unknown, `verify` fails with that `IamportTransportError`.
         */
        readonly cancelIfForged: { readonly reason: string }
      }
  )

/**
 * The options of `verify` that do not depend on `cancelIfForged`.
 *
 * @since 0.1.0
 */
export interface VerifyCommon {
  readonly impUid: string
  /**
   * The order's amount, from your own records: a number, a `bigint` or a decimal string (as `pg`
   * returns NUMERIC and BIGINT columns), finite and positive, compared exactly in the currency's minor
   * unit. Without it, the amount pre-registered with `prepare` for the payment's order is used, and a
   * paid payment whose order was never prepared is `NotPrepared`.
   */
  readonly expectedAmount?: Verification.AmountInput
  /** The currency the payment must be in, e.g. `"KRW"` (case ignored). */
  readonly currency?: string
  /** Also find payments made through a test (sandbox) channel, which the API hides by default. */
  readonly includeSandbox?: boolean
}

/**
 * Confirms that a payment reported by the browser (or a webhook) is real and
 * for the right order and amount, and says what it is: paid, a virtual account
 * awaiting deposit, failed, cancelled, forged (amount mismatch), another order's,
 * not prepared, or unknown. Match on the result's `_tag`.
 *
 * An expected amount that is not a finite, positive amount (`NaN`, `-1000`,
 * `"abc"`), or `cancelIfForged` without `merchantUid`, fails with
 * `IamportInvalidArgumentError` before anything is looked up or cancelled.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments, Verification } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * // `amount` is the order's amount from your own database
 * const confirm = (impUid: string, orderId: string, amount: number) =>
 *   Payments.verify({
 *     impUid,
 *     merchantUid: orderId,
 *     expectedAmount: amount,
 *     cancelIfForged: { reason: "amount mismatch" }
 *   }).pipe(Effect.map(Verification.Verification.$is("Paid")))
 * ```
 */
export const verify = (
  options: VerifyOptions
): Effect.Effect<Verification.Verification, IamportError, IamportClient> => {
  const invalid = invalidVerifyOptions(options)
  if (invalid !== undefined) return Effect.fail(invalid)
  const verification = getPayment(options.impUid, options.includeSandbox ? { includeSandbox: true } : undefined).pipe(
    Effect.map(Option.some),
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed(Option.none<Payment>())),
    Effect.flatMap(
      Option.match({
        onNone: () => Effect.succeed(Verification.Verification.NotFound({ impUid: options.impUid })),
        onSome: (payment) =>
          classifyAgainstOrder(payment, options).pipe(Effect.flatMap((outcome) => cancelIfForged(outcome, options)))
      })
    )
  )
  // one verify-and-cancel at a time per payment, so that concurrent verifications send one cancel
  return options.cancelIfForged === undefined ? verification : forgedCancels.withLock(options.impUid)(verification)
}

const forgedCancels = KeyedLock.make()

const invalidVerifyOptions = (options: VerifyOptions): IamportInvalidArgumentError | undefined => {
  const invalid = (argument: string, issue: string) =>
    new IamportInvalidArgumentError({ endpoint: "Payments.verify", argument, issue })
  if (typeof options.impUid !== "string" || options.impUid.length === 0) return invalid("impUid", "must not be empty")
  if (options.cancelIfForged !== undefined && (typeof options.merchantUid !== "string" || options.merchantUid === "")) {
    return invalid("merchantUid", "cancelIfForged needs the order's merchantUid")
  }
  if (options.merchantUid !== undefined && typeof options.merchantUid !== "string") {
    return invalid("merchantUid", "must be a string")
  }
  return undefined
}

/** The payment against its order: the expected amount given, or the prepared one when it matters. */
const classifyAgainstOrder = (payment: Payment, options: VerifyOptions) => {
  const expect = (amount: Verification.AmountInput | undefined) =>
    Verification.classify(payment, { amount, merchantUid: options.merchantUid, currency: options.currency })
  if (options.expectedAmount !== undefined) return expect(options.expectedAmount)
  // Another order's, failed, unpaid or fully cancelled: the amount does not matter, so the prepared
  // amount is not looked up (an order that was never prepared is no error then).
  if (!Verification.amountMatters(payment, options.merchantUid)) return expect(undefined)
  return getPrepared(payment.merchant_uid).pipe(
    Effect.map((prepared): Verification.AmountInput | undefined => prepared.amount),
    // never prepared: `NotPrepared`, which is not the payment's "not found"
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed(undefined)),
    Effect.flatMap(expect)
  )
}

const cancelIfForged = (outcome: Verification.Verification, options: VerifyOptions) => {
  if (outcome._tag !== "AmountMismatch" || options.cancelIfForged === undefined) return Effect.succeed(outcome)
  const payment = outcome.payment
  // belt and braces: only this order's own, untouched, paid payment is ever cancelled automatically
  if (
    payment.status !== "paid" ||
    payment.merchant_uid !== options.merchantUid ||
    Verification.hasCancellations(payment) ||
    payment.cancellableAmount <= 0
  ) {
    return Effect.succeed(outcome)
  }
  return Effect.map(
    cancel({
      imp_uid: payment.imp_uid,
      merchant_uid: payment.merchant_uid,
      checksum: payment.cancellableAmount,
      reason: options.cancelIfForged.reason
    }),
    (cancelled): Verification.Verification => Verification.Verification.AmountMismatch({ ...outcome, cancelled })
  )
}
