/**
 * Payment data models of the i'mport (PortOne V1) REST API, as `effect/Schema` classes.
 *
 * Field names are the wire names (snake_case), so they match the i'mport documentation one to one.
 * Decoding is lenient where the API is known to be loose:
 * - optional fields may be absent or `null`; both decode to an absent key (`field?: T | undefined`);
 * - every `*_at` / UNIX-time field decodes to `Option<DateTime.Utc>`, with `0`, `null` and absent all
 *   meaning `Option.none()` ("not (yet)");
 * - enum-like strings (`status`, `pay_method`, …) are open: unknown values decode as plain strings;
 * - unknown extra fields are accepted and dropped;
 * - numbers may arrive as numeric strings.
 *
 * Naming: models mirror the API, so they keep the wire's field names; only the values this library derives
 * (`cancellableAmount`, ...) are camelCase.
 *
 * @example
 * ```ts
 * import * as Schema from "effect/Schema"
 * import { Payment } from "@effect-iamport/client"
 *
 * const decode = Schema.decodeUnknown(Payment.Payment)
 * ```
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as BankCode from "./BankCode.js"
import * as CardCode from "./CardCode.js"
import {
  Amount,
  arrayOrEmpty,
  ignoreExcessProperties,
  LenientInt,
  openLiteral,
  OptionPageNumber,
  optionalNullable,
  unixTimestampField
} from "./internal/schema.js"

// ---------------------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------------------

/**
 * Payment status (`status`): `ready` (not paid yet), `paid`, `cancelled` (fully cancelled), `failed`.
 * Open: a status unknown to this client decodes as a plain string. A partially cancelled payment stays
 * `paid` with `cancel_amount > 0`.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const done = (status: Payment.PaymentStatus) => status === "paid" || status === "cancelled"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const PaymentStatus = openLiteral("ready", "paid", "cancelled", "failed").annotations({
  identifier: "PaymentStatus"
})
/** @since 0.1.0 */
export type PaymentStatus = typeof PaymentStatus.Type

/**
 * Payment method code (`pay_method`). Open: new methods decode as plain strings.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const isCard = (m: Payment.PayMethod) => m === "card"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const PayMethod = openLiteral(
  "samsung",
  "card",
  "trans",
  "vbank",
  "phone",
  "cultureland",
  "culturegift",
  "smartculture",
  "booknlife",
  "point",
  "ssgpay",
  "lpay",
  "payco",
  "kakaopay",
  "tosspay",
  "naverpay",
  "applepay",
  "paypal"
).annotations({ identifier: "PayMethod" })
/** @since 0.1.0 */
export type PayMethod = typeof PayMethod.Type

/**
 * Payment environment (`channel`): `pc` / `mobile` (authenticated payment from a browser) or `api`
 * (billing-key or other non-authenticated payment). Open.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const fromBrowser = (c: Payment.PaymentChannel) => c !== "api"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const PaymentChannel = openLiteral("pc", "mobile", "api").annotations({ identifier: "PaymentChannel" })
/** @since 0.1.0 */
export type PaymentChannel = typeof PaymentChannel.Type

/**
 * What the payment used its `customer_uid` (billing key) for (`customer_uid_usage`): `issue` (key issued),
 * `payment`, `payment.scheduled`. Absent (wire `null`) for an ordinary payment. Open.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const scheduled = (u: Payment.CustomerUidUsage | undefined) => u === "payment.scheduled"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const CustomerUidUsage = openLiteral("issue", "payment", "payment.scheduled").annotations({
  identifier: "CustomerUidUsage"
})
/** @since 0.1.0 */
export type CustomerUidUsage = typeof CustomerUidUsage.Type

/**
 * Currency code (`currency`), e.g. `KRW` (the API default), `USD`. Open.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const isWon = (c: Payment.Currency) => c === "KRW"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const Currency = openLiteral("KRW", "USD", "EUR", "JPY", "CNY", "VND").annotations({ identifier: "Currency" })
/** @since 0.1.0 */
export type Currency = typeof Currency.Type

/**
 * Sort order for payment lookups (`sorting` query parameter): by start, payment or update time, `-` for
 * newest first. Closed, since it is sent, not received. The API default is `-started`.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const newestPaidFirst: Payment.PaymentSorting = "-paid"
 * ```
 *
 * @category api
 * @since 0.1.0
 */
export const PaymentSorting = Schema.Literal("-started", "started", "-paid", "paid", "-updated", "updated").annotations(
  { identifier: "PaymentSorting" }
)
/** @since 0.1.0 */
export type PaymentSorting = typeof PaymentSorting.Type

// ---------------------------------------------------------------------------------------------------------
// Nested types
// ---------------------------------------------------------------------------------------------------------

/**
 * One (partial) cancellation of a payment (`PaymentCancelAnnotation`, an element of `cancel_history`).
 * The spec marks `pg_tid`, `reason` and `cancellation_id` required, but older records and some PGs leave
 * them out or `null`, so they are optional here; `cancelled_at` is `Option.none()` when missing or `0`.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const total = (history: ReadonlyArray<Payment.PaymentCancel>) => history.reduce((sum, c) => sum + c.amount, 0)
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentCancel extends Schema.Class<PaymentCancel>("PaymentCancel")(
  {
    /** PG cancellation (approval-cancel) number. */
    pg_tid: optionalNullable(Schema.String),
    /** Cancelled amount. */
    amount: Amount,
    /** When it was cancelled. */
    cancelled_at: unixTimestampField(),
    /** Cancellation reason. */
    reason: optionalNullable(Schema.String),
    /** PortOne cancellation id. */
    cancellation_id: optionalNullable(Schema.String),
    /** Cancellation receipt URL; not every PG / method provides one. */
    receipt_url: optionalNullable(Schema.String)
  },
  [{ description: "one (partial) cancellation of a payment" }, undefined, ignoreExcessProperties]
) {}

/**
 * One deposit into a fixed (unlimited) virtual account (`VbankDepositAnnotation`, an element of
 * `deposit_history`). The spec's `required` also lists a `reason` it never defines; it is ignored.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const depositors = (history: ReadonlyArray<Payment.VbankDeposit>) => history.map((d) => d.depositor_name)
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class VbankDeposit extends Schema.Class<VbankDeposit>("VbankDeposit")(
  {
    /** PG approval number of the deposit. */
    pg_tid: optionalNullable(Schema.String),
    /** Deposited amount. */
    amount: Amount,
    /** Name of the person who actually deposited. */
    depositor_name: optionalNullable(Schema.String),
    /** When the deposit arrived. */
    deposited_at: unixTimestampField()
  },
  [{ description: "one deposit into a fixed virtual account" }, undefined, ignoreExcessProperties]
) {}

/**
 * Promotion applied to a payment (`promotion`): the promotion id (`promotion-id-…`) and the discount
 * subtracted from the order amount.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const discount = (p: Payment.Promotion | undefined) => p?.discount ?? 0
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class Promotion extends Schema.Class<Promotion>("Promotion")(
  {
    /** Promotion id, starts with `promotion-id-`. */
    id: optionalNullable(Schema.String),
    /** Amount discounted from the order amount. */
    discount: optionalNullable(Amount)
  },
  [{ description: "promotion applied to a payment" }, undefined, ignoreExcessProperties]
) {}

// ---------------------------------------------------------------------------------------------------------
// Payment
// ---------------------------------------------------------------------------------------------------------

/** Number of decimal digits of a plain-notation number (0 for exponent notation). */
const fractionDigits = (n: number): number => {
  const s = String(n)
  const dot = s.indexOf(".")
  return dot === -1 || s.includes("e") ? 0 : s.length - dot - 1
}

/** `a - b` without binary floating-point noise for decimal amounts (`10.1 - 0.1 === 10`). */
const subtractAmounts = (a: number, b: number): number => {
  const digits = Math.max(fractionDigits(a), fractionDigits(b))
  if (digits === 0) {
    return a - b
  }
  const scale = 10 ** digits
  return (Math.round(a * scale) - Math.round(b * scale)) / scale
}

/**
 * A payment (`PaymentAnnotation`), as returned by `GET /payments/{imp_uid}`, the find/list endpoints,
 * `POST /payments/cancel` and the subscription payment endpoints.
 *
 * Required (as in the spec): `imp_uid`, `merchant_uid`, `amount`, `cancel_amount`, `currency`, `status`.
 * `sandbox` is required by the spec since 2026 but missing from older answers: it defaults to `false`.
 * Every other field is optional and may be absent or `null` on the wire (decoded as absent), except:
 * - `started_at`, `paid_at`, `failed_at`, `cancelled_at`, `vbank_date`, `vbank_issued_at` are
 *   `Option<DateTime.Utc>`; the API's `0` ("not yet") decodes to `Option.none()`;
 * - `cancel_history`, `deposit_history`, `cancel_receipt_urls` default to `[]`.
 *
 * `custom_data` is the JSON **string** the merchant sent; it is kept as a string.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Schema from "effect/Schema"
 * ```
 *
 * const remaining = (json: unknown) =>
 *   Schema.decodeUnknown(Payment)(json).pipe(Effect.map((payment) => payment.cancellableAmount))
 *
 * @category models
 * @since 0.1.0
 */
export class Payment extends Schema.Class<Payment>("Payment")(
  {
    /** PortOne transaction id (`imp_…`). */
    imp_uid: Schema.String,
    /** The merchant's order id. */
    merchant_uid: Schema.String,
    /** Payment method code. */
    pay_method: optionalNullable(PayMethod),
    /** Payment environment: `pc`, `mobile` or `api`. */
    channel: optionalNullable(PaymentChannel),
    /** PG code, e.g. `html5_inicis`, `kcp`, `tosspayments`. */
    pg_provider: optionalNullable(Schema.String),
    /** PG code of the hub (embedded) payment, when the payment went through a hub PG. */
    emb_pg_provider: optionalNullable(Schema.String),
    /** PG transaction id. */
    pg_tid: optionalNullable(Schema.String),
    /** PG merchant id (MID). */
    pg_id: optionalNullable(Schema.String),
    /** Whether the payment was made through a PortOne test channel. `false` when the answer lacks it. */
    sandbox: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
    /** Whether this is an escrow payment. */
    escrow: optionalNullable(Schema.Boolean),
    /** Card approval number. */
    apply_num: optionalNullable(Schema.String),
    /** Bank standard code (KFTC), for account transfers; `BankCode.lookup` names it. */
    bank_code: optionalNullable(BankCode.Open),
    /** Bank name, for account transfers. */
    bank_name: optionalNullable(Schema.String),
    /** Card company standard code (KFTC); `CardCode.lookup` names it. */
    card_code: optionalNullable(CardCode.Open),
    /** Card company name. */
    card_name: optionalNullable(Schema.String),
    /** Card issuer code (KFTC); only some PGs report it. */
    card_issuer_code: optionalNullable(CardCode.Open),
    /** Card issuer name; only some PGs report it. */
    card_issuer_name: optionalNullable(Schema.String),
    /** Card publisher code (KFTC); only some PGs report it. */
    card_publisher_code: optionalNullable(CardCode.Open),
    /** Card publisher name; only some PGs report it. */
    card_publisher_name: optionalNullable(Schema.String),
    /** Instalment months; `0` means paid in full at once. */
    card_quota: optionalNullable(LenientInt),
    /** Masked card number (usually digits 7–12 masked; varies by PG). */
    card_number: optionalNullable(Schema.String),
    /** Card kind: `0` credit, `1` check (debit); absent when the PG does not tell (e.g. Inicis billing). */
    card_type: optionalNullable(LenientInt),
    /** Virtual account bank standard code (KFTC); `BankCode.lookup` names it. */
    vbank_code: optionalNullable(BankCode.Open),
    /** Virtual account bank name. */
    vbank_name: optionalNullable(Schema.String),
    /** Virtual account number. */
    vbank_num: optionalNullable(Schema.String),
    /** Virtual account holder (Toss Payments leaves it `null`). */
    vbank_holder: optionalNullable(Schema.String),
    /** Virtual account deposit deadline. */
    vbank_date: unixTimestampField(),
    /** When the virtual account was issued. */
    vbank_issued_at: unixTimestampField(),
    /** Order (product) name. */
    name: optionalNullable(Schema.String),
    /** Order amount. */
    amount: Amount,
    /** Total cancelled so far. */
    cancel_amount: Amount,
    /** Currency code, e.g. `KRW`, `USD`. */
    currency: Currency,
    /** Buyer name. */
    buyer_name: optionalNullable(Schema.String),
    /** Buyer e-mail. */
    buyer_email: optionalNullable(Schema.String),
    /** Buyer phone number. */
    buyer_tel: optionalNullable(Schema.String),
    /** Buyer address. */
    buyer_addr: optionalNullable(Schema.String),
    /** Buyer postcode. */
    buyer_postcode: optionalNullable(Schema.String),
    /** Custom data the merchant attached, as the JSON string the API returns (not parsed). */
    custom_data: optionalNullable(Schema.String),
    /** User agent of the buyer's device. */
    user_agent: optionalNullable(Schema.String),
    /** Payment status. */
    status: PaymentStatus,
    /** When the payment was requested. */
    started_at: unixTimestampField(),
    /** When the payment was completed; `Option.none()` unless paid. */
    paid_at: unixTimestampField(),
    /** When the payment failed; `Option.none()` unless failed. */
    failed_at: unixTimestampField(),
    /** When the payment was cancelled; `Option.none()` unless cancelled. */
    cancelled_at: unixTimestampField(),
    /** Failure reason; absent unless `failed`. */
    fail_reason: optionalNullable(Schema.String),
    /** Cancellation reason; absent unless cancelled. */
    cancel_reason: optionalNullable(Schema.String),
    /** Sales slip URL; not every PG / method provides one. */
    receipt_url: optionalNullable(Schema.String),
    /** Cancellations and partial cancellations, oldest first. `[]` when none. */
    cancel_history: arrayOrEmpty(PaymentCancel),
    /** Deposits into a fixed (unlimited) virtual account. `[]` when none. */
    deposit_history: arrayOrEmpty(VbankDeposit),
    /** @deprecated use `cancel_history[].receipt_url`. Cancellation sales slip URLs. */
    cancel_receipt_urls: arrayOrEmpty(Schema.String),
    /** Whether a cash receipt was issued automatically. */
    cash_receipt_issued: optionalNullable(Schema.Boolean),
    /** The merchant's billing-key id (`customer_uid`) used for this payment. */
    customer_uid: optionalNullable(Schema.String),
    /** What the `customer_uid` was used for; absent for an ordinary payment. */
    customer_uid_usage: optionalNullable(CustomerUidUsage),
    /** Promotion applied to the payment. */
    promotion: optionalNullable(Promotion)
  },
  [{ description: "a payment (PaymentAnnotation)" }, undefined, ignoreExcessProperties]
) {
  /**
   * What can still be cancelled: `amount - cancel_amount`, computed without floating-point noise for
   * decimal currencies. Pass it as `checksum` to `POST /payments/cancel`.
   */
  get cancellableAmount(): number {
    return subtractAmounts(this.amount, this.cancel_amount)
  }

  /** Some, but not all, of the amount has been cancelled (the status usually stays `paid`). */
  get isPartiallyCancelled(): boolean {
    return this.cancel_amount > 0 && this.cancellableAmount > 0
  }
}

// ---------------------------------------------------------------------------------------------------------
// Paging, prepare, balance
// ---------------------------------------------------------------------------------------------------------

/**
 * One page of payments (`PagedPaymentAnnotation`). `previous` / `next` are page numbers, `Option.none()`
 * where the API sends `0` (no such page). `list` is `[]` when absent.
 *
 * @example
 * ```ts
 * import * as Option from "effect/Option"
 * ```
 *
 * const hasMore = (page: PaymentPage) => Option.isSome(page.next)
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentPage extends Schema.Class<PaymentPage>("PaymentPage")(
  {
    /** Total number of matching payments, over all pages. */
    total: LenientInt,
    /** Previous page number; `Option.none()` on the first page. */
    previous: OptionPageNumber,
    /** Next page number; `Option.none()` on the last page. */
    next: OptionPageNumber,
    /** The payments on this page. */
    list: arrayOrEmpty(Payment)
  },
  [{ description: "one page of payments (PagedPaymentAnnotation)" }, undefined, ignoreExcessProperties]
) {}

/**
 * An amount registered in advance for an order (`PaymentPrepareAnnotation`), from `POST`/`PUT`/`GET
 * /payments/prepare`. The spec marks no property required (its `required` list names paging fields by
 * mistake); `merchant_uid` and `amount` are what the endpoint is about, so they are required here.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const matches = (prepared: Payment.PaymentPrepare, payment: Payment.Payment) => prepared.amount === payment.amount
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentPrepare extends Schema.Class<PaymentPrepare>("PaymentPrepare")(
  {
    /** The merchant's order id. */
    merchant_uid: Schema.String,
    /** The expected amount. */
    amount: Amount,
    /** The expected currency. */
    currency: optionalNullable(Currency)
  },
  [{ description: "an amount registered in advance (PaymentPrepareAnnotation)" }, undefined, ignoreExcessProperties]
) {}

/**
 * Breakdown of an amount (`PaymentBalanceAnnotation`): tax-free supply, taxable supply, VAT and service
 * charge. After refunds these are the final, reduced amounts.
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const sum = (b: Payment.PaymentBalanceAmounts) => b.tax_free + b.supply + b.vat + b.service
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentBalanceAmounts extends Schema.Class<PaymentBalanceAmounts>("PaymentBalanceAmounts")(
  {
    /** Tax-free supply amount. */
    tax_free: Amount,
    /** Taxable supply amount. */
    supply: Amount,
    /** VAT. */
    vat: Amount,
    /** Service charge. */
    service: Amount
  },
  [{ description: "breakdown of an amount (PaymentBalanceAnnotation)" }, undefined, ignoreExcessProperties]
) {}

/**
 * One entry of a payment's balance history (`PaymentBalanceHistoriesAnnotation`).
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const primaryVat = (h: Payment.PaymentBalanceHistory) => h.primary.vat
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentBalanceHistory extends Schema.Class<PaymentBalanceHistory>("PaymentBalanceHistory")(
  {
    /** Amounts covered by a cash receipt; absent when none was issued. */
    cash_receipt: optionalNullable(PaymentBalanceAmounts),
    /** Primary method (card, transfer, virtual account, phone). */
    primary: PaymentBalanceAmounts,
    /** Secondary method (PG points, card points). */
    secondary: PaymentBalanceAmounts,
    /** PG / card company discounts. */
    discount: PaymentBalanceAmounts,
    /** When this entry was recorded. */
    created: unixTimestampField()
  },
  [{ description: "one balance history entry" }, undefined, ignoreExcessProperties]
) {}

/**
 * Amount breakdown of a payment (`PaymentBalanceResponseAnnotation`), from `GET
 * /payments/{imp_uid}/balance` (PAYCO only).
 *
 * @example
 * ```ts
 * import type { Payment } from "@effect-iamport/client"
 *
 * const cashReceiptVat = (b: Payment.PaymentBalance) => b.cash_receipt?.vat ?? 0
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export class PaymentBalance extends Schema.Class<PaymentBalance>("PaymentBalance")(
  {
    /** Original total amount. */
    amount: Amount,
    /** Amounts covered by a cash receipt; absent when none was issued. */
    cash_receipt: optionalNullable(PaymentBalanceAmounts),
    /** Primary method (card, transfer, virtual account, phone). */
    primary: PaymentBalanceAmounts,
    /** Secondary method (PG points, card points). */
    secondary: PaymentBalanceAmounts,
    /** PG / card company discounts. */
    discount: PaymentBalanceAmounts,
    /** Balance history. `[]` when absent. */
    histories: arrayOrEmpty(PaymentBalanceHistory)
  },
  [
    { description: "amount breakdown of a payment (PaymentBalanceResponseAnnotation)" },
    undefined,
    ignoreExcessProperties
  ]
) {}
