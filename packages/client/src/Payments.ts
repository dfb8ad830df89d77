/**
 * Payments: look up, list, pre-register (`prepare`) and cancel payments, and `verify` a payment reported by
 * the browser or a webhook.
 *
 * Every operation is an `Effect` that requires `IamportClient` and fails with an `IamportError`. Models are
 * in `Payment`.
 *
 * Naming: an operation that mirrors an endpoint takes the wire's field names in its request object
 * (`cancel({ imp_uid, amount })`, `getPayments({ imp_uid: [...] })`), as the i'mport documentation spells
 * them; a look-up by one id takes the id itself (`getPayment(impUid)`). Library options (`includeSandbox`,
 * `page`, `from`, ...) and `verify` take camelCase.
 *
 * @since 0.1.0
 */
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as BankCode from "./BankCode.js"
import { IamportClient } from "./IamportClient.js"
import { type IamportError, IamportInvalidArgumentError } from "./IamportError.js"
import type { MultiStatus } from "./Operation.js"
import { Payment, PaymentBalance, PaymentPage, PaymentPrepare, PaymentSorting } from "./Payment.js"
import * as Confirm from "./internal/confirm.js"
import * as KeyedLock from "./internal/keyedLock.js"
import { multiStatus, operation, paginate } from "./internal/operation.js"
import { UnixSeconds } from "./internal/schema.js"
import * as Verification from "./Verification.js"
import type * as WriteJournal from "./WriteJournal.js"

const ImpUid = { imp_uid: Schema.String }
const MerchantUid = { merchant_uid: Schema.String }
const Paging = {
  page: Schema.optional(Schema.Int),
  limit: Schema.optional(Schema.Int),
  sorting: Schema.optional(PaymentSorting)
}
const pagingQuery = { page: "page", limit: "limit", sorting: "sorting" }

const getPaymentOperation = operation({
  method: "GET",
  path: "/payments/{imp_uid}",
  operationId: "getPaymentByImpUid",
  request: Schema.Struct({ ...ImpUid, include_sandbox: Schema.optional(Schema.Literal(true)) }),
  response: Payment,
  pathParams: ["imp_uid"],
  query: { include_sandbox: "include_sandbox" }
})

/**
 * A payment by its i'mport id. Payments made through test channels are hidden
 * by the API unless `includeSandbox` is set (since 2026-01-26).
 *
 * @category api
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
  getPaymentOperation({ imp_uid: impUid, ...(options?.includeSandbox ? { include_sandbox: true } : {}) })

/**
 * The ids to look up with `getPayments`: up to 100 in all, by `imp_uid` and/or `merchant_uid`.
 *
 * @category models
 * @since 0.2.0
 */
export interface GetPaymentsRequest {
  readonly imp_uid?: ReadonlyArray<string>
  readonly merchant_uid?: ReadonlyArray<string>
}

const getPaymentsOperation = multiStatus(
  operation({
    method: "GET",
    path: "/payments",
    operationId: "getPaymentListByImpUid",
    request: Schema.Struct({
      imp_uid: Schema.optional(Schema.Array(Schema.String)),
      merchant_uid: Schema.optional(Schema.Array(Schema.String))
    }),
    response: Schema.Array(Payment),
    query: { imp_uid: "imp_uid[]", merchant_uid: "merchant_uid[]" }
  }),
  { imp_uid: "imp_uid", merchant_uid: "merchant_uid" },
  { notFoundIsEmpty: true }
)

/**
 * Up to 100 payments by `imp_uid` and/or `merchant_uid` in one call (sent as `imp_uid[]`, `merchant_uid[]`).
 * i'mport answers 207 Multi-Status when some ids fail: the ids that match nothing are reported in
 * `missing.imp_uid` / `missing.merchant_uid`, not as a failure.
 *
 * @category api
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * const unknown = Payments.getPayments({ imp_uid: ["imp_1", "imp_2"] }).pipe(
 *   Effect.map((result) => result.missing.imp_uid)
 * )
 * ```
 */
export const getPayments = (
  ids: GetPaymentsRequest
): Effect.Effect<MultiStatus<Payment, "imp_uid" | "merchant_uid">, IamportError, IamportClient> => {
  const count = (ids.imp_uid?.length ?? 0) + (ids.merchant_uid?.length ?? 0)
  if (count === 0 || count > 100) {
    return Effect.fail(
      new IamportInvalidArgumentError({
        endpoint: "GET /payments",
        argument: "ids",
        issue: "give between 1 and 100 ids"
      })
    )
  }
  return getPaymentsOperation(ids)
}

/**
 * Options of the lookups by `merchant_uid`.
 *
 * @category models
 * @since 0.1.0
 */
export interface FindOptions {
  /** Only payments in this status. */
  readonly status?: "ready" | "paid" | "cancelled" | "failed"
  /** Which payment comes first. Default `-started` (newest first). */
  readonly sorting?: PaymentSorting
}

const PaymentStatusFilter = Schema.Literal("ready", "paid", "cancelled", "failed")

/**
 * A look-up by `merchant_uid`, with and without its optional `{status}` path segment (spec quirk 4), and the
 * paging query (the single look-up sends only `sorting`).
 */
const byMerchantUid = <A, I>(path: string, operationId: string, response: Schema.Schema<A, I>) => ({
  any: operation({
    method: "GET",
    path,
    operationId,
    request: Schema.Struct({ ...MerchantUid, ...Paging }),
    response,
    pathParams: ["merchant_uid"],
    query: pagingQuery
  }),
  inStatus: operation({
    method: "GET",
    path: `${path}/{status}`,
    operationId,
    request: Schema.Struct({ ...MerchantUid, ...Paging, status: PaymentStatusFilter }),
    response,
    pathParams: ["merchant_uid", "status"],
    query: pagingQuery
  })
})

const findByMerchantUidOperations = byMerchantUid("/payments/find/{merchant_uid}", "getPaymentByMerchantUid", Payment)

/**
 * The payment (the first by `sorting`, newest by default) with this
 * `merchant_uid`: how to find out what happened to a charge whose answer was
 * lost. Fails with `IamportNotFoundError` when there is none.
 *
 * @category api
 * @since 0.1.0
 */
export const findByMerchantUid = (
  merchantUid: string,
  options: FindOptions = {}
): Effect.Effect<Payment, IamportError, IamportClient> => {
  const request = { merchant_uid: merchantUid, ...(options.sorting ? { sorting: options.sorting } : {}) }
  return options.status === undefined
    ? findByMerchantUidOperations.any(request)
    : findByMerchantUidOperations.inStatus({ ...request, status: options.status })
}

/**
 * Paging of list operations: `page` from 1, `limit` up to 1000 (the API's default is 20; the streams ask for
 * 1000 unless `limit` is given).
 *
 * @category models
 * @since 0.1.0
 */
export interface PageOptions {
  readonly page?: number
  readonly limit?: number
  readonly sorting?: PaymentSorting
}

const findAllByMerchantUidOperations = byMerchantUid(
  "/payments/findAll/{merchant_uid}",
  "getAllPaymentsByMerchantUid",
  PaymentPage
)

/**
 * One page of every payment with this `merchant_uid`.
 *
 * @category api
 * @since 0.1.0
 */
export const findAllByMerchantUid = (
  merchantUid: string,
  options: PageOptions & Pick<FindOptions, "status"> = {}
): Effect.Effect<PaymentPage, IamportError, IamportClient> => {
  const request = { merchant_uid: merchantUid, ...paging(options) }
  return options.status === undefined
    ? findAllByMerchantUidOperations.any(request)
    : findAllByMerchantUidOperations.inStatus({ ...request, status: options.status })
}

/**
 * Every payment with this `merchant_uid` (optionally in one `status`), walking all pages from `options.page`
 * (default 1), 1000 a page unless `options.limit` says otherwise.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { Stream } from "effect"
 *
 * const attempts = Payments.streamAllByMerchantUid("order-1").pipe(Stream.runCollect)
 * ```
 */
export const streamAllByMerchantUid = (
  merchantUid: string,
  options: PageOptions & Pick<FindOptions, "status"> = {}
): Stream.Stream<Payment, IamportError, IamportClient> => {
  const request = { merchant_uid: merchantUid, ...paging(options) }
  return options.status === undefined
    ? paginate(findAllByMerchantUidOperations.any)(request)
    : paginate(findAllByMerchantUidOperations.inStatus)({ ...request, status: options.status })
}

/**
 * Options of `listByStatus`: a time window of at most 90 days (default: the 90
 * days up to now), measured on the field that matches the status.
 *
 * @category models
 * @since 0.1.0
 */
export interface ListOptions extends PageOptions {
  readonly from?: DateTime.DateTime | Date
  readonly to?: DateTime.DateTime | Date
}

/**
 * The status filter of `listByStatus`.
 *
 * @category models
 * @since 0.1.0
 */
export type StatusFilter = "all" | "ready" | "paid" | "cancelled" | "failed"

const listByStatusOperation = operation({
  method: "GET",
  path: "/payments/status/{payment_status}",
  operationId: "getPaymentsByStatus",
  request: Schema.Struct({
    payment_status: Schema.Literal("all", "ready", "paid", "cancelled", "failed"),
    ...Paging,
    from: Schema.optional(UnixSeconds),
    to: Schema.optional(UnixSeconds)
  }),
  response: PaymentPage,
  pathParams: ["payment_status"],
  query: { ...pagingQuery, from: "from", to: "to" }
})

const listByStatusRequest = (status: StatusFilter, options: ListOptions) => ({
  payment_status: status,
  ...paging(options),
  ...(options.from ? { from: options.from } : {}),
  ...(options.to ? { to: options.to } : {})
})

/**
 * One page of payments in a status.
 *
 * @category api
 * @since 0.1.0
 */
export const listByStatus = (
  status: StatusFilter,
  options: ListOptions = {}
): Effect.Effect<PaymentPage, IamportError, IamportClient> =>
  listByStatusOperation(listByStatusRequest(status, options))

/**
 * Every payment in a status, walking all pages (from `options.page`, default 1), 1000 a page unless
 * `options.limit` says otherwise. With `from` and `to` (at most 90 days apart), the payments of a time
 * window, measured on the field of the status (`paid_at` for `"paid"`): what a reconciliation job walks.
 *
 * @category api
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { DateTime, Stream } from "effect"
 *
 * const paidYesterday = (today: DateTime.Utc) =>
 *   Payments.streamByStatus("paid", { from: DateTime.subtract(today, { days: 1 }), to: today }).pipe(
 *     Stream.runFold(0, (sum, payment) => sum + payment.amount)
 *   )
 * ```
 */
export const streamByStatus = (
  status: StatusFilter,
  options: ListOptions = {}
): Stream.Stream<Payment, IamportError, IamportClient> =>
  paginate(listByStatusOperation)(listByStatusRequest(status, options))

/**
 * What to cancel: the payment by `imp_uid` or by `merchant_uid` (when both are
 * given, i'mport uses `imp_uid`).
 *
 * @category models
 * @since 0.1.0
 */
export type CancelTarget =
  | { readonly imp_uid: string; readonly merchant_uid?: string }
  | { readonly merchant_uid: string; readonly imp_uid?: undefined }

/**
 * A cancel (refund) request. Every field but the target is optional.
 *
 * @category models
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
  /** The refund account's bank (`BankCode`), for virtual-account payments. */
  readonly refund_bank?: BankCode.BankCode | (string & {})
  readonly refund_account?: string
  readonly refund_tel?: string
  readonly retain_promotion?: boolean
  /** Send the cancellation webhook (off by default for API cancels). */
  readonly enable_webhook?: boolean
  readonly extra?: { readonly requester?: "customer" | "admin" }
}

const CancelFields = {
  imp_uid: Schema.optional(Schema.String),
  merchant_uid: Schema.optional(Schema.String),
  amount: Schema.optional(Schema.Number),
  tax_free: Schema.optional(Schema.Number),
  vat_amount: Schema.optional(Schema.Number),
  checksum: Schema.optional(Schema.Number),
  reason: Schema.optional(Schema.String),
  refund_holder: Schema.optional(Schema.String),
  refund_bank: Schema.optional(BankCode.Open),
  refund_account: Schema.optional(Schema.String),
  refund_tel: Schema.optional(Schema.String),
  retain_promotion: Schema.optional(Schema.Boolean),
  enable_webhook: Schema.optional(Schema.Boolean),
  extra: Schema.optional(Schema.Struct({ requester: Schema.optional(Schema.Literal("customer", "admin")) }))
}

const cancelOperation = operation({
  method: "POST",
  path: "/payments/cancel",
  operationId: "cancelPayment",
  request: Schema.Struct(CancelFields),
  response: Payment,
  body: Object.keys(CancelFields)
})

/**
 * Options of the writes that confirm themselves (`cancel`, `Subscribe.again`, `Subscribe.onetime`).
 *
 * @category models
 * @since 0.2.0
 */
export interface WriteOptions {
  /**
   * Resolve a lost answer (a timeout, a dropped connection, a 5xx) by looking the payment up. Default
   * `true`; `false` sends the request once, as given, and fails with `IamportTransportError`
   * (`mayHaveBeenProcessed: true`) when its answer is lost, without a journal entry.
   */
  readonly confirm?: boolean
}

/** The look-ups and the raw cancel that confirmation runs on. */
const confirmPorts: Confirm.Ports = {
  getPayment: (impUid) => getPayment(impUid, { includeSandbox: true }),
  findByMerchantUid: (merchantUid, status) => findByMerchantUid(merchantUid, status ? { status } : {}),
  cancel: (cancelRequest) => cancelOperation(cancelRequest)
}

/**
 * Cancels a payment in full or in part and returns it updated (with
 * `cancel_history`). "Nothing to cancel" is an `IamportApiError` (HTTP 200,
 * `code` 1).
 *
 * The cancel confirms itself. Without a `checksum`, the payment is looked up
 * first (one extra read per cancel) and its balance is sent as `checksum`
 * (with its `imp_uid`); i'mport refuses the cancel if the balance has moved
 * since. When the answer is lost (a timeout, a dropped connection, a 5xx), the
 * payment is looked up again: if the cancel happened, it is returned; if it
 * did not, it is resent once with the same checksum, so a late first request
 * and the resend cannot both take effect. Otherwise (the look-up fails, the
 * balance was moved by something else) it fails with `IamportTransportError`
 * and `mayHaveBeenProcessed: true`, as without confirmation. Identical
 * concurrent cancels share one call, and cancels of one payment run one at a
 * time in the process. With a `WriteJournal` in context, the cancel is
 * recorded before it is sent and settled after (see `reconcilePending`).
 * `{ confirm: false }` sends the request once, as given.
 *
 * @category api
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 *
 * const refund = Payments.cancel({ merchant_uid: "order-1", amount: 1000, reason: "out of stock" })
 * ```
 */
export const cancel = (
  cancelRequest: CancelRequest,
  options?: WriteOptions
): Effect.Effect<Payment, IamportError, IamportClient> =>
  options?.confirm === false ? cancelOperation(cancelRequest) : Confirm.cancel(confirmPorts, cancelRequest)

/**
 * Resolves the writes a `WriteJournal` still holds open (a process that crashed between sending a cancel or
 * a charge and reading its answer, or an outcome that could not be confirmed), with the rules of `cancel`:
 * a cancel is looked up, and resent once with its checksum when it did not happen; a charge is looked up by
 * `merchant_uid`, never resent. Each entry is settled (`confirmed`, `failed`, or still `unknown`); run it at
 * start-up, or on a schedule.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { Payments, WriteJournal } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * const atStartUp = Payments.reconcilePending().pipe(
 *   Effect.tap((settled) => Effect.log(`${settled.length} open writes resolved`)),
 *   Effect.provide(WriteJournal.layerMemory)
 * )
 * ```
 */
export const reconcilePending = (): Effect.Effect<
  ReadonlyArray<WriteJournal.Reconciled>,
  WriteJournal.WriteJournalError,
  IamportClient | WriteJournal.WriteJournal
> => Confirm.reconcilePending(confirmPorts)

/**
 * The amount to pre-register for an order, before the browser opens the payment window.
 *
 * @category models
 * @since 0.1.0
 */
export interface PrepareRequest {
  readonly merchant_uid: string
  readonly amount: number
  readonly currency?: string
}

const prepareOperation = (method: "POST" | "PUT", operationId: string) =>
  operation({
    method,
    path: "/payments/prepare",
    operationId,
    request: Schema.Struct({ ...MerchantUid, amount: Schema.Number, currency: Schema.optional(Schema.String) }),
    response: PaymentPrepare,
    body: ["merchant_uid", "amount", "currency"]
  })

/**
 * Pre-registers the amount of an order; i'mport then refuses a payment for
 * that `merchant_uid` with any other amount (anti-tampering).
 *
 * @category api
 * @since 0.1.0
 */
export const prepare: (prepareRequest: PrepareRequest) => Effect.Effect<PaymentPrepare, IamportError, IamportClient> =
  prepareOperation("POST", "preparePayment")

/**
 * Changes a pre-registered amount (`IamportNotFoundError` if none).
 *
 * @category api
 * @since 0.1.0
 */
export const updatePrepared: (
  prepareRequest: PrepareRequest
) => Effect.Effect<PaymentPrepare, IamportError, IamportClient> = prepareOperation("PUT", "editPreparePayment")

const getPreparedOperation = operation({
  method: "GET",
  path: "/payments/prepare/{merchant_uid}",
  operationId: "getPaymentPrepareByMerchantUid",
  request: Schema.Struct(MerchantUid),
  response: PaymentPrepare,
  pathParams: ["merchant_uid"]
})

/**
 * The pre-registered amount of an order (`IamportNotFoundError` if none).
 *
 * @category api
 * @since 0.1.0
 */
export const getPrepared = (merchantUid: string): Effect.Effect<PaymentPrepare, IamportError, IamportClient> =>
  getPreparedOperation({ merchant_uid: merchantUid })

const getBalanceOperation = operation({
  method: "GET",
  path: "/payments/{imp_uid}/balance",
  operationId: "balanceByImpUid",
  request: Schema.Struct(ImpUid),
  response: PaymentBalance,
  pathParams: ["imp_uid"]
})

/**
 * The amount breakdown of a payment over time (PAYCO payments only).
 *
 * @category api
 * @since 0.1.0
 */
export const getBalance = (impUid: string): Effect.Effect<PaymentBalance, IamportError, IamportClient> =>
  getBalanceOperation({ imp_uid: impUid })

/** The paging options that are set, as request fields. */
const paging = (options: PageOptions) => ({
  ...(options.page !== undefined ? { page: options.page } : {}),
  ...(options.limit !== undefined ? { limit: options.limit } : {}),
  ...(options.sorting !== undefined ? { sorting: options.sorting } : {})
})

/**
 * What `verify` checks a payment against. `cancelIfForged` needs the order's
 * `merchantUid`: without it, another order's genuine payment would be measured
 * against this order's amount, and refunded.
 *
 * @category models
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
 * @category models
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
 * @category api
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
  // one verify-and-cancel at a time per payment and client, so that concurrent verifications send one cancel
  return options.cancelIfForged === undefined
    ? verification
    : Effect.flatMap(IamportClient, (client) => forgedCancels(client).withLock(options.impUid)(verification))
}

const forgedCancels = KeyedLock.perOwner()

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
    cancelOperation({
      imp_uid: payment.imp_uid,
      merchant_uid: payment.merchant_uid,
      checksum: payment.cancellableAmount,
      reason: options.cancelIfForged.reason
    }),
    (cancelled): Verification.Verification => Verification.Verification.AmountMismatch({ ...outcome, cancelled })
  )
}
