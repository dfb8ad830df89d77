/**
 * A receiver for i'mport's V1 webhooks, as an `@effect/platform` HTTP handler.
 *
 * The webhook URL is public, so the body is never trusted: the receiver looks
 * the payment up with `Payments.verify` (the claimed order is checked too, so a
 * real payment of another order comes back as `OrderMismatch`) and calls your
 * handler with the verified outcome.
 *
 * What it guarantees, in one process and, with a shared `DeliveryStore`, in many:
 * - **Once per verified state.** A state (outcome, status, cancelled amount) is
 *   marked done only after `onVerified` succeeded. A delivery of a state that
 *   another delivery is handling right now gets 503, so i'mport sends it again
 *   later; a claim whose handler crashed expires after `lease` and is taken over.
 * - **In order.** Verification and hand-over run one at a time per `imp_uid`,
 *   and the payment is read again just before the hand-over: a state that
 *   changed in between gets 503 (a resend verifies the new one).
 * - **Forged traffic stays cheap.** Unknown payments are answered 200 without
 *   calling your handler and are never stored, so they cannot push a genuine
 *   delivery out of the store; at most `maxConcurrent` deliveries look payments
 *   up at once, the rest get 503.
 *
 * Answers: 200 when handled, a duplicate, or a payment i'mport does not know;
 * 400 for a body that is not a webhook; 408 for a body that is too slow; 413
 * for one too large; 403 for a sender outside the optional allow-list; 500
 * when your handler failed (or the payment could not be verified for a reason
 * a resend will not fix); 503 when i'mport could not be reached, the state is
 * being handled, or the receiver is busy: 5xx so that i'mport's resend can help.
 *
 * Naming: a library helper, so its options are camelCase (`onVerified`,
 * `maxConcurrent`); the `Notification` it decodes keeps the wire's field names
 * (`imp_uid`, `merchant_uid`), as i'mport sends them.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import type * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { IamportClient } from "./IamportClient.js"
import { type IamportError, isTransient } from "./IamportError.js"
import * as KeyedLock from "./internal/keyedLock.js"
import type { Payment } from "./Payment.js"
import * as Payments from "./Payments.js"
import type { AmountInput, Verification } from "./Verification.js"

/** An `imp_uid` that can name a payment: no control characters, no lone surrogates, not a dot segment. */
const ImpUid = Schema.NonEmptyTrimmedString.pipe(
  Schema.maxLength(200),
  Schema.filter((s) => s !== "." && s !== ".." && !/[\p{Cc}\p{Cs}]/u.test(s), {
    message: () => "not a payment id"
  })
)

/**
 * The body i'mport posts (JSON or form-encoded): which payment changed and its
 * claimed status. A claim only: `handler` verifies it.
 *
 * @category models
 * @since 0.1.0
 */
export class Notification extends Schema.Class<Notification>("Notification")({
  imp_uid: ImpUid,
  merchant_uid: Schema.String.pipe(Schema.maxLength(200)),
  status: Schema.String.pipe(Schema.maxLength(50)),
  cancellation_id: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(200))))
}) {}

/**
 * What a `DeliveryStore` says of a claim: this delivery now owns the key
 * (`token` proves it on `complete` and `release`), another delivery holds an
 * unexpired claim on it, or it was handed over already.
 *
 * @category models
 * @since 0.1.0
 */
export type Claim =
  { readonly _tag: "Claimed"; readonly token: string } | { readonly _tag: "InFlight" } | { readonly _tag: "Done" }

/**
 * A `DeliveryStore` could not be read or written. The webhook answers 503, so
 * that i'mport sends it again.
 *
 * @category errors
 * @since 0.1.0
 */
export class DeliveryStoreError extends Schema.TaggedError<DeliveryStoreError>()("DeliveryStoreError", {
  cause: Schema.Defect
}) {}

/**
 * Where the receiver remembers what it has handed to your handler. Keys are
 * *verified* states of payments (never claimed ones, never unknown payments).
 *
 * - `claim` takes a key for `lease`: `Claimed` for a new key or one whose
 *   claim expired (its handler crashed), `InFlight` while another claim holds
 *   it, `Done` once it was completed. Two concurrent claims of one key must
 *   give one `Claimed`: the store decides, not a read-then-write.
 * - `complete` marks it done, after your handler succeeded.
 * - `release` forgets a claim whose handling failed, so a resend is handled;
 *   it does nothing when `token` no longer owns the key.
 *
 * @category models
 * @since 0.1.0
 */
export interface DeliveryStore {
  readonly claim: (key: string, lease: Duration.Duration) => Effect.Effect<Claim, DeliveryStoreError>
  readonly complete: (key: string, token: string) => Effect.Effect<void, DeliveryStoreError>
  readonly release: (key: string, token: string) => Effect.Effect<void, DeliveryStoreError>
}

/**
 * An in-memory `DeliveryStore` for one process. It remembers the last
 * `capacity` completed keys (default 10,000); claims in flight are never
 * forgotten. Leases run on Effect's `Clock`. For several server instances, use
 * a store shared by all of them.
 *
 * @category constructors
 * @since 0.1.0
 */
export const memoryStore = (capacity = 10_000): DeliveryStore => {
  type Entry = { readonly done: true } | { readonly done: false; readonly token: string; readonly until: number }
  const entries = new Map<string, Entry>()
  /** Completed keys, oldest first (a `Set` keeps insertion order). */
  const completed = new Set<string>()
  let nextToken = 0
  return {
    claim: (key, lease) =>
      Effect.map(Clock.currentTimeMillis, (now): Claim => {
        const entry = entries.get(key)
        if (entry?.done) return { _tag: "Done" }
        if (entry !== undefined && entry.until > now) return { _tag: "InFlight" }
        const token = String(++nextToken)
        entries.set(key, { done: false, token, until: now + Duration.toMillis(lease) })
        return { _tag: "Claimed", token }
      }),
    complete: (key) =>
      Effect.sync(() => {
        // handed over, even if the lease ran out meanwhile: it is done
        entries.set(key, { done: true })
        completed.delete(key)
        completed.add(key)
        if (completed.size > capacity) {
          const oldest = completed.values().next().value!
          completed.delete(oldest)
          entries.delete(oldest)
        }
      }),
    release: (key, token) =>
      Effect.sync(() => {
        const entry = entries.get(key)
        if (entry !== undefined && !entry.done && entry.token === token) entries.delete(key)
      })
  }
}

/**
 * PortOne's published webhook source addresses.
 *
 * @category api
 * @since 0.1.0
 */
export const portOneAddresses: ReadonlyArray<string> = ["52.78.100.19", "52.78.48.223", "52.78.5.241"]

/**
 * @category models
 * @since 0.1.0
 */
export interface Options<E, R> {
  /**
   * Your handling of a verified webhook. A failure answers 500, so that i'mport resends. Not called for
   * a payment i'mport does not know (`NotFound`); called each time for `OrderMismatch` (another order's
   * payment, which changes no order); once per state for the rest.
   */
  readonly onVerified: (verification: Verification, notification: Notification) => Effect.Effect<void, E, R>
  /**
   * The order's amount for a notification, from your own records (a number, a `bigint` or a decimal
   * string). `undefined` (or leaving this out) uses the amount pre-registered with `Payments.prepare`;
   * an order with neither is `NotPrepared`. A failure answers 500.
   */
  readonly expectedAmount?: (notification: Notification) => Effect.Effect<AmountInput | undefined, E, R>
  /** Cancel a forged paid payment at once (see `Payments.verify`). */
  readonly cancelIfForged?: { readonly reason: string }
  /** Default: `memoryStore()`, one per handler. */
  readonly store?: DeliveryStore
  /**
   * Accept only these senders (default off). `addresses` defaults to `portOneAddresses`. Behind your
   * own proxies, list their addresses in `trustedProxies`: `X-Forwarded-For` is believed only when the
   * connection comes from one of them, and the sender is the right-most entry that is not one of them.
   */
  readonly allowList?: {
    readonly addresses?: ReadonlyArray<string>
    readonly trustedProxies?: ReadonlyArray<string>
  }
  /** Largest body accepted. Default 16 KiB. */
  readonly maxBodyBytes?: number
  /** Time allowed to receive the body; a slower one gets 408 and the connection is closed. Default 10 seconds. */
  readonly bodyTimeout?: Duration.DurationInput
  /**
   * How long a delivery's claim on a state lasts before another delivery may take it over (its handler
   * is taken to have crashed). Longer than `onVerified` ever takes. Default 2 minutes.
   */
  readonly lease?: Duration.DurationInput
  /** Deliveries verified at once; more get 503 (i'mport resends). Default 32. */
  readonly maxConcurrent?: number
  /** Also verify payments made through a test (sandbox) channel: for staging. Default `false`. */
  readonly includeSandbox?: boolean
}

const decodeNotification = Schema.decodeUnknownEither(Notification)

/**
 * The webhook handler: mount it on a route of an `HttpRouter`, or serve it
 * from a plain Node server with `NodeHttpServer.makeHandler`.
 *
 * @category api
 * @since 0.1.0
 * @example
 * ```ts
 * import { Webhook } from "@effect-iamport/client"
 * import { HttpRouter } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * declare const amountOfOrder: (merchantUid: string) => Effect.Effect<number>
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.post(
 *     "/portone-webhook",
 *     Webhook.handler({
 *       expectedAmount: (notification) => amountOfOrder(notification.merchant_uid),
 *       onVerified: (verification) => Effect.log(`payment ${verification._tag}`)
 *     })
 *   )
 * )
 * ```
 */
export const handler = <E, R>(
  options: Options<E, R>
): HttpApp.Default<never, R | IamportClient | HttpServerRequest.HttpServerRequest> => {
  const store = options.store ?? memoryStore()
  const allowed = options.allowList && new Set(options.allowList.addresses ?? portOneAddresses)
  const proxies = new Set(options.allowList?.trustedProxies ?? [])
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024
  const bodyTimeout = Duration.decode(options.bodyTimeout ?? Duration.seconds(10))
  const lease = Duration.decode(options.lease ?? Duration.minutes(2))
  const verifying = Effect.unsafeMakeSemaphore(Math.max(1, options.maxConcurrent ?? 32))
  const payments = KeyedLock.make()
  const lookup = options.includeSandbox ? { includeSandbox: true } : undefined

  const verify = (notification: Notification, expectedAmount: AmountInput | undefined) =>
    Payments.verify({
      impUid: notification.imp_uid,
      // the claimed order: a real payment of another order comes back as OrderMismatch
      merchantUid: notification.merchant_uid,
      ...(expectedAmount !== undefined ? { expectedAmount } : {}),
      ...(options.cancelIfForged ? { cancelIfForged: options.cancelIfForged } : {}),
      ...(options.includeSandbox ? { includeSandbox: true } : {})
    })

  const handlerFailed = (cause: Cause.Cause<unknown>) =>
    Effect.as(Effect.logError("webhook: the handler failed", cause), text(500, "handler failed"))

  const lookupFailed = (error: IamportError) =>
    Effect.as(
      Effect.logWarning("webhook: could not verify the payment", error.message),
      // a resend can help when i'mport could not be reached; otherwise it is a setup problem to fix
      isTransient(error)
        ? text(503, "could not verify the payment; send it again")
        : error._tag === "IamportInvalidArgumentError"
          ? text(400, "not an i'mport webhook")
          : text(500, "could not verify the payment")
    )

  const storeFailed = (error: DeliveryStoreError) =>
    Effect.as(Effect.logError("webhook: the delivery store failed", error.cause), text(503, "send it again"))

  /** Hands a claimed state over, unless the payment moved on since it was verified. */
  const handOver = (verification: VerifiedPayment, notification: Notification, key: string, token: string) =>
    Effect.gen(function* () {
      const current = yield* Effect.either(Payments.getPayment(notification.imp_uid, lookup))
      if (Either.isLeft(current) || stateOf(current.right) !== stateOf(latestPayment(verification))) {
        yield* store.release(key, token)
        return Either.isLeft(current)
          ? yield* lookupFailed(current.left)
          : text(503, "the payment changed while it was verified; send it again")
      }
      return yield* options.onVerified(verification, notification).pipe(
        Effect.matchCauseEffect({
          onFailure: (cause) => Effect.zipRight(store.release(key, token), handlerFailed(cause)),
          onSuccess: () => Effect.as(store.complete(key, token), text(200, "ok"))
        })
      )
    })

  const handle = (notification: Notification) =>
    Effect.gen(function* () {
      const expected = yield* Effect.exit(
        options.expectedAmount ? options.expectedAmount(notification) : Effect.succeed(undefined)
      )
      if (expected._tag === "Failure") return yield* handlerFailed(expected.cause)
      const verified = yield* Effect.either(verify(notification, expected.value))
      if (Either.isLeft(verified)) return yield* lookupFailed(verified.left)
      const verification = verified.right
      if (verification._tag === "NotFound") {
        yield* Effect.logWarning(
          `webhook: i'mport knows no such payment${options.includeSandbox ? "" : " (a test-channel payment needs includeSandbox)"}`
        )
        return text(200, "no such payment")
      }
      if (verification._tag === "OrderMismatch") {
        return yield* options
          .onVerified(verification, notification)
          .pipe(Effect.matchCauseEffect({ onFailure: handlerFailed, onSuccess: () => Effect.succeed(text(200, "ok")) }))
      }
      const key = deliveryKey(verification)
      // from the moment the claim is taken, an interruption (i'mport hung up) gives it back
      return yield* Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(store.claim(key, lease), (claim) => {
          switch (claim._tag) {
            case "Done":
              return Effect.succeed(text(200, "duplicate"))
            case "InFlight":
              return Effect.succeed(text(503, "being handled; send it again"))
            case "Claimed":
              return restore(handOver(verification, notification, key, claim.token)).pipe(
                Effect.onInterrupt(() => Effect.ignore(store.release(key, claim.token)))
              )
          }
        })
      )
    }).pipe(
      Effect.catchTag("DeliveryStoreError", storeFailed),
      payments.withLock(notification.imp_uid),
      verifying.withPermitsIfAvailable(1),
      Effect.map(Option.getOrElse(() => text(503, "busy; send it again"))),
      Effect.annotateLogs({ imp_uid: notification.imp_uid, status: notification.status })
    )

  return Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (allowed && !allowed.has(senderOf(request, proxies))) return text(403, "sender not allowed")
    const length = Number(request.headers["content-length"] ?? 0)
    if (length > maxBodyBytes) return text(413, "body too large")
    const body = yield* readBody(request).pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxBodyBytes)),
      // servers run handlers uninterruptibly: let the deadline cut the read (Node then drops the connection)
      Effect.interruptible,
      Effect.timeoutTo({ duration: bodyTimeout, onSuccess: Either.right, onTimeout: () => Either.left("timeout") })
    )
    if (Either.isLeft(body)) {
      return HttpServerResponse.text("body too slow", { status: 408, headers: { connection: "close" } })
    }
    const notification = Option.flatMap(body.right, (b) => Either.getRight(decodeNotification(b)))
    if (Option.isNone(notification)) return text(400, "not an i'mport webhook")
    return yield* handle(notification.value)
  }).pipe(Effect.withSpan("IamportWebhook", { captureStackTrace: false }))
}

const text = (status: number, body: string) => HttpServerResponse.text(body, { status })

/** A verification about a payment of the claimed order. */
type VerifiedPayment = Exclude<Verification, { readonly _tag: "NotFound" | "OrderMismatch" }>

/** The payment as it stands after the verification (after the automatic cancel of a forged one). */
const latestPayment = (verification: VerifiedPayment): Payment =>
  verification._tag === "AmountMismatch" && verification.cancelled !== undefined
    ? verification.cancelled
    : verification.payment

/** What a webhook reports a change of: the status and the cancelled amount. */
const stateOf = (payment: Payment): string => `${payment.status}|${payment.cancel_amount}`

/** One key per verified state of a payment: its outcome, status and cancelled amount. */
const deliveryKey = (verification: VerifiedPayment): string =>
  `${verification._tag}|${verification.payment.imp_uid}|${stateOf(verification.payment)}`

/** The body as an object, from JSON or a form; `None` when it is neither. */
const readBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Option.Option<unknown>> => {
  const contentType = (request.headers["content-type"] ?? "").toLowerCase()
  const form = Effect.map(request.urlParamsBody, (params) => Option.some<unknown>(UrlParams.toRecord(params)))
  const json = Effect.map(request.json, Option.some)
  return (contentType.includes("x-www-form-urlencoded") ? form : json).pipe(Effect.catchAll(() => Effect.succeedNone))
}

/**
 * The address that sent the request: the peer, or, when the peer is one of
 * your `trustedProxies`, the right-most `X-Forwarded-For` entry that is not.
 * Entries left of it are the client's own word.
 */
const senderOf = (request: HttpServerRequest.HttpServerRequest, trustedProxies: ReadonlySet<string>): string => {
  const peer = plainAddress(Option.getOrElse(request.remoteAddress, () => ""))
  if (!trustedProxies.has(peer)) return peer
  const hops = Option.match(Headers.get(request.headers, "x-forwarded-for"), {
    onNone: () => [],
    onSome: (value) => value.split(",").map((hop) => plainAddress(hop.trim()))
  })
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(hops[i]!)) return hops[i]!
  }
  return peer
}

const plainAddress = (address: string): string => (address.startsWith("::ffff:") ? address.slice(7) : address)
