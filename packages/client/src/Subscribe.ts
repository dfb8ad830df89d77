/**
 * Non-authenticated payments: key-in charges (`onetime`), billing-key charges (`again`) and scheduled payments
 * (`schedule`, `unschedule`, and their lookups).
 *
 * Operations mirror endpoints, so their request fields are the wire names (snake_case, as the i'mport
 * documentation spells them); UNIX-second fields accept seconds, a `Date` or a `DateTime`. Each is an
 * `Operation.Operation`: reads are retried on transient failures, writes never.
 *
 * The declarations are generated from the spec (`pnpm generate`) into `generated/subscribe.ts`;
 * `again` and `onetime` are wrapped here so that a charge whose answer is lost confirms itself.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type { IamportClient } from "./IamportClient.js"
import type { IamportError } from "./IamportError.js"
import * as Confirm from "./internal/confirm.js"
import * as Generated from "./generated/subscribe.js"
import type { Operation } from "./Operation.js"
import type { Payment } from "./Payment.js"
import * as Payments from "./Payments.js"

export * from "./generated/subscribe.js"

/**
 * A charge (`again`, `onetime`): an `Operation` that also takes `Payments.WriteOptions`.
 *
 * @category models
 * @since 0.2.0
 */
export type Charge<R> = Operation<R, Payment> &
  ((request: R, options?: Payments.WriteOptions) => Effect.Effect<Payment, IamportError, IamportClient>)

/** The charge, confirming itself by `merchant_uid` unless `{ confirm: false }`. */
const confirming = <R extends { readonly merchant_uid: string; readonly amount: number }>(
  operation: "again" | "onetime",
  raw: Operation<R, Payment>
): Charge<R> => {
  const send = raw as unknown as (request: R) => Effect.Effect<Payment, IamportError, IamportClient>
  const confirmed = Confirm.charge((merchantUid) => Payments.findByMerchantUid(merchantUid), operation, send)
  return Object.assign(
    (request: R, options?: Payments.WriteOptions) => (options?.confirm === false ? send(request) : confirmed(request)),
    { declaration: raw.declaration }
  ) as Charge<R>
}

/**
 * Charges a stored billing key (`customer_uid`) now, e.g. a subscription's monthly charge, and returns the
 * payment; an unknown key is an `IamportApiError`. Check `status`: a declined charge may come back as
 * `failed`.
 *
 * Never sent twice. When the answer is lost (a timeout, a dropped connection, a 5xx), the charge is looked up
 * by `merchant_uid` and the payment found (paid, or failed) is returned; when none is found yet, it fails
 * with `IamportTransportError` (`mayHaveBeenProcessed: true`), whose message says it was looked up: i'mport
 * is not documented to refuse a second payment for a paid `merchant_uid`, so the charge is never resent.
 * With a `WriteJournal` in context it is recorded (without card data) and settled. `{ confirm: false }`
 * skips the look-up.
 *
 * `POST /subscribe/payments/again` (`again`).
 *
 * @category api
 * @since 0.2.0
 */
export const again: Charge<Generated.AgainRequest> = confirming("again", Generated.again)

/**
 * Key-in payment: charges a card once from its number and expiry, without a payment window; with
 * `customer_uid` the card is also stored as a billing key. A decline is an `IamportApiError` (HTTP 200,
 * `code` != 0) or a payment with `status: "failed"`: check `status`.
 *
 * Never sent twice; a lost answer is resolved by `merchant_uid` as for `again`. The journal never records
 * the card data.
 *
 * `POST /subscribe/payments/onetime` (`onetime`).
 *
 * @category api
 * @since 0.2.0
 */
export const onetime: Charge<Generated.OnetimeRequest> = confirming("onetime", Generated.onetime)
