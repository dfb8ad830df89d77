/**
 * A receiver for i'mport's V1 webhooks, as an `@effect/platform` HTTP handler.
 *
 * The webhook URL is public, so the body is never trusted: the receiver looks
 * the payment up with `Payments.verify` and calls your handler with the
 * verified outcome (the claimed order is checked too, so a real payment of
 * another order comes back as `OrderMismatch`). Each verified state is handed
 * over once, however often it is delivered. It answers 200 when handled (or a
 * duplicate), 400 for a body that is not a webhook, 413 for one too large, 403
 * for a sender outside the optional allow-list, 500 when your handler failed (or
 * the payment could not be verified for a reason a resend will not fix) and 503
 * when i'mport could not be reached: 5xx so that PortOne's resend can help.
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
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { IamportClient } from "./IamportClient.js"
import { isTransient } from "./IamportError.js"
import * as Payments from "./Payments.js"
import type { Verification } from "./Verification.js"

/**
 * The body i'mport posts (JSON or form-encoded): which payment changed and its
 * claimed status. A claim only: `handler` verifies it.
 *
 * @since 0.1.0
 */
export class Notification extends Schema.Class<Notification>("Notification")({
  imp_uid: Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(200)),
  merchant_uid: Schema.String.pipe(Schema.maxLength(200)),
  status: Schema.String.pipe(Schema.maxLength(50)),
  cancellation_id: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
}) {}

/**
 * Where the receiver remembers what it has handed to your handler. The key is
 * the *verified* state of the payment (never the claimed one), so a forged early
 * webhook cannot make the genuine one look like a duplicate. `claim` answers
 * `false` for a key already claimed; `release` forgets a key whose handling
 * failed or was interrupted, so a resend is handled.
 *
 * @since 0.1.0
 */
export interface DeliveryStore {
  readonly claim: (key: string) => Effect.Effect<boolean>
  readonly release: (key: string) => Effect.Effect<void>
}

/**
 * An in-memory `DeliveryStore` remembering the last `capacity` keys (default
 * 10,000). For several server instances, implement `DeliveryStore` over a
 * shared store (e.g. Redis `SET NX`).
 *
 * @since 0.1.0
 */
export const memoryStore = (capacity = 10_000): DeliveryStore => {
  const keys = new Set<string>()
  return {
    claim: (key) =>
      Effect.sync(() => {
        if (keys.has(key)) return false
        keys.add(key)
        if (keys.size > capacity) keys.delete(keys.values().next().value!)
        return true
      }),
    release: (key) => Effect.sync(() => void keys.delete(key))
  }
}

/**
 * PortOne's published webhook source addresses.
 *
 * @since 0.1.0
 */
export const portOneAddresses: ReadonlyArray<string> = ["52.78.100.19", "52.78.48.223", "52.78.5.241"]

/**
 * @since 0.1.0
 */
export interface Options<E, R> {
  /** Your handling of a verified webhook. A failure answers 500, so that PortOne resends. */
  readonly onVerified: (verification: Verification, notification: Notification) => Effect.Effect<void, E, R>
  /**
   * The order's amount for a notification, from your own records; `undefined` (or leaving this out)
   * uses the amount pre-registered with `Payments.prepare`. A failure answers 500.
   */
  readonly expectedAmount?: (notification: Notification) => Effect.Effect<number | undefined, E, R>
  /** Cancel a forged paid payment at once (see `Payments.verify`). */
  readonly cancelIfForged?: { readonly reason: string }
  /** Default: `memoryStore()`, one per handler. */
  readonly store?: DeliveryStore
  /**
   * Accept only these senders (default off). `addresses` defaults to `portOneAddresses`; the
   * right-most `X-Forwarded-For` entry (the address your own proxy saw) is used only with
   * `trustForwardedFor`.
   */
  readonly allowList?: { readonly addresses?: ReadonlyArray<string>; readonly trustForwardedFor?: boolean }
  /** Largest body accepted. Default 16 KiB. */
  readonly maxBodyBytes?: number
}

const decodeNotification = Schema.decodeUnknownEither(Notification)

/**
 * The webhook handler: mount it on a route of an `HttpRouter`, or serve it
 * from a plain Node server with `NodeHttpServer.makeHandler`.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { Webhook } from "@effect-iamport/client"
 * import { HttpRouter } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.post(
 *     "/portone-webhook",
 *     Webhook.handler({
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
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024

  const verify = (notification: Notification, expectedAmount: number | undefined) =>
    Payments.verify({
      impUid: notification.imp_uid,
      // the claimed order: a real payment of another order comes back as OrderMismatch
      merchantUid: notification.merchant_uid,
      ...(expectedAmount !== undefined ? { expectedAmount } : {}),
      ...(options.cancelIfForged ? { cancelIfForged: options.cancelIfForged } : {})
    })

  const handlerFailed = (cause: Cause.Cause<unknown>) =>
    Effect.as(Effect.logError("webhook: the handler failed", cause), text(500, "handler failed"))

  const handle = (notification: Notification) =>
    Effect.gen(function* () {
      const expected = yield* Effect.exit(
        options.expectedAmount ? options.expectedAmount(notification) : Effect.succeed(undefined)
      )
      if (expected._tag === "Failure") return yield* handlerFailed(expected.cause)
      const verified = yield* Effect.either(verify(notification, expected.value))
      if (Either.isLeft(verified)) {
        const error = verified.left
        yield* Effect.logWarning("webhook: could not verify the payment", error.message)
        // a resend can help when i'mport could not be reached; otherwise it is a setup problem to fix
        return isTransient(error)
          ? text(503, "could not verify the payment; send it again")
          : text(500, "could not verify the payment")
      }
      const key = deliveryKey(verified.right)
      if (!(yield* store.claim(key))) return text(200, "duplicate")
      return yield* options.onVerified(verified.right, notification).pipe(
        Effect.matchCauseEffect({
          onFailure: (cause) => Effect.zipRight(store.release(key), handlerFailed(cause)),
          onSuccess: () => Effect.succeed(text(200, "ok"))
        }),
        Effect.onInterrupt(() => store.release(key))
      )
    }).pipe(Effect.annotateLogs({ imp_uid: notification.imp_uid, status: notification.status }))

  return Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (allowed && !allowed.has(senderOf(request, options.allowList?.trustForwardedFor === true))) {
      return text(403, "sender not allowed")
    }
    const length = Number(request.headers["content-length"] ?? 0)
    if (length > maxBodyBytes) return text(413, "body too large")
    const body = yield* readBody(request).pipe(HttpIncomingMessage.withMaxBodySize(Option.some(maxBodyBytes)))
    const notification = Option.flatMap(body, (b) => Either.getRight(decodeNotification(b)))
    if (Option.isNone(notification)) return text(400, "not an i'mport webhook")
    return yield* handle(notification.value)
  }).pipe(Effect.withSpan("IamportWebhook", { captureStackTrace: false }))
}

const text = (status: number, body: string) => HttpServerResponse.text(body, { status })

/** One key per verified state of a payment: its outcome, status and cancelled amount. */
const deliveryKey = (verification: Verification): string =>
  verification._tag === "NotFound"
    ? `NotFound|${verification.impUid}`
    : `${verification._tag}|${verification.payment.imp_uid}|${verification.payment.status}|${verification.payment.cancel_amount}`

/** The body as an object, from JSON or a form; `None` when it is neither. */
const readBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Option.Option<unknown>> => {
  const contentType = request.headers["content-type"] ?? ""
  const form = Effect.map(request.urlParamsBody, (params) => Option.some<unknown>(UrlParams.toRecord(params)))
  const json = Effect.map(request.json, Option.some)
  return (contentType.includes("x-www-form-urlencoded") ? form : json).pipe(Effect.catchAll(() => Effect.succeedNone))
}

const senderOf = (request: HttpServerRequest.HttpServerRequest, trustForwardedFor: boolean): string => {
  const forwarded = trustForwardedFor ? Headers.get(request.headers, "x-forwarded-for") : Option.none()
  const address = Option.match(forwarded, {
    onNone: () => Option.getOrElse(request.remoteAddress, () => ""),
    // the right-most entry is the one the trusted proxy added; entries to its left are the client's word
    onSome: (value) => value.split(",").at(-1)!.trim()
  })
  return address.startsWith("::ffff:") ? address.slice(7) : address
}
