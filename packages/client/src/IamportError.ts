/**
 * The typed failures of every i'mport operation.
 *
 * Each class is one thing a caller handles differently, told apart by `_tag`
 * (`Effect.catchTag("IamportNotFoundError", ...)`); all of them carry `TypeId`,
 * which `isIamportError` tests. None of them carries the API
 * secret, an access token or a request's headers: their `message`, `String(error)`
 * and `JSON.stringify(error)` are safe to log.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The mark every i'mport error carries, whatever its `_tag`.
 *
 * @category symbols
 * @since 0.2.0
 */
export const TypeId: unique symbol = Symbol.for("@effect-iamport/client/IamportError")

/**
 * @category models
 * @since 0.2.0
 */
export type TypeId = typeof TypeId

/**
 * `POST /users/getToken` rejected the API key and secret (HTTP 401, or a
 * non-zero `code`). Never retried: fix the credentials.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportInvalidCredentialsError extends Schema.TaggedError<IamportInvalidCredentialsError>()(
  "IamportInvalidCredentialsError",
  {
    status: Schema.Number,
    code: Schema.optional(Schema.Number),
    apiMessage: Schema.optional(Schema.String)
  }
) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `i'mport rejected the API key and secret (HTTP ${this.status}${detail(this.code, this.apiMessage)})`
  }
}

/**
 * An API call was answered 401 twice: once with the cached token, and again
 * after a refresh, with a token whose server-given lifetime had run out.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportTokenExpiredError extends Schema.TaggedError<IamportTokenExpiredError>()(
  "IamportTokenExpiredError",
  {
    endpoint: Schema.String,
    apiMessage: Schema.optional(Schema.String)
  }
) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: the access token expired and a fresh one could not be used${detail(undefined, this.apiMessage)}`
  }
}

/**
 * An API call was answered 401 twice although the token was fresh: the key
 * may lack permission for the operation, or the `Tier` header is wrong.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportUnauthorizedError extends Schema.TaggedError<IamportUnauthorizedError>()(
  "IamportUnauthorizedError",
  {
    endpoint: Schema.String,
    code: Schema.optional(Schema.Number),
    apiMessage: Schema.optional(Schema.String)
  }
) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: i'mport rejected a fresh access token (HTTP 401${detail(this.code, this.apiMessage)}); check the Tier header and the key's permissions`
  }
}

/**
 * The resource does not exist (HTTP 404), e.g. an unknown `imp_uid`.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportNotFoundError extends Schema.TaggedError<IamportNotFoundError>()("IamportNotFoundError", {
  endpoint: Schema.String,
  code: Schema.optional(Schema.Number),
  apiMessage: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: not found (HTTP 404${detail(this.code, this.apiMessage)})`
  }
}

/**
 * The API answered with its envelope and `code != 0`: a business failure such
 * as "nothing to cancel" or a declined card. i'mport sends most of these with
 * HTTP 200. A 5xx one only answers a read (a GET, or a request declared
 * `idempotent`): a write answered 5xx is an `IamportTransportError`, since it
 * may have been processed. `apiMessage` is the API's own (usually Korean)
 * text; do not parse it.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportApiError extends Schema.TaggedError<IamportApiError>()("IamportApiError", {
  endpoint: Schema.String,
  status: Schema.Number,
  code: Schema.Number,
  apiMessage: Schema.optional(Schema.String),
  /**
   * The seconds the API asked to wait before trying again (`Retry-After` on a 429 or 503), when it said.
   *
   * @since 0.2.0
   */
  retryAfter: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: i'mport answered code ${this.code} (HTTP ${this.status})${this.apiMessage ? `: ${this.apiMessage}` : ""}`
  }
}

/**
 * Why a request did not get a usable answer.
 *
 * @category api
 * @since 0.1.0
 */
export const TransportReason = Schema.Literal("Timeout", "Connection", "ServerError")

/**
 * @category models
 * @since 0.1.0
 */
export type TransportReason = typeof TransportReason.Type

/**
 * The request timed out, the connection failed, or a server or gateway error
 * came back (a 5xx without an API envelope, or a 5xx of any body to a write;
 * also a 429 or 408 without an envelope, which was not processed).
 *
 * `mayHaveBeenProcessed` is `true` when the API may have acted on the request:
 * for a charge or a cancel the outcome is then unknown, and the message says
 * how to find out. Such requests are never retried automatically.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportTransportError extends Schema.TaggedError<IamportTransportError>()("IamportTransportError", {
  endpoint: Schema.String,
  reason: TransportReason,
  status: Schema.optional(Schema.Number),
  mayHaveBeenProcessed: Schema.Boolean,
  description: Schema.optional(Schema.String),
  /**
   * The seconds the API asked to wait before trying again (`Retry-After` on a 429 or 503), when it said.
   *
   * @since 0.2.0
   */
  retryAfter: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    const what =
      this.reason === "Timeout"
        ? "timed out"
        : this.reason === "Connection"
          ? "lost its connection"
          : `failed with HTTP ${this.status ?? "5xx"}`
    const outcome = this.mayHaveBeenProcessed
      ? isWrite(this.endpoint)
        ? "; the outcome is unknown: look the payment up (e.g. Payments.findByMerchantUid) before trying again"
        : ""
      : "; the request did not reach i'mport"
    return `${this.endpoint} ${what}${this.description ? ` (${this.description})` : ""}${outcome}`
  }
}

/**
 * The answer did not match what the operation expects: not JSON, no
 * `{code, message, response}` envelope, a `response` of the wrong shape, or a
 * body larger than the client's `maxResponseBytes`. `issue` says what did not
 * match.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportDecodeError extends Schema.TaggedError<IamportDecodeError>()("IamportDecodeError", {
  endpoint: Schema.String,
  status: Schema.Number,
  issue: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: unexpected answer (HTTP ${this.status}): ${this.issue}`
  }
}

/**
 * An argument cannot be sent as given, e.g. an empty id or `..` as a path
 * segment. Nothing was sent.
 *
 * @category errors
 * @since 0.1.0
 */
export class IamportInvalidArgumentError extends Schema.TaggedError<IamportInvalidArgumentError>()(
  "IamportInvalidArgumentError",
  {
    endpoint: Schema.String,
    argument: Schema.String,
    issue: Schema.String
  }
) {
  /**
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.endpoint}: invalid ${this.argument}: ${this.issue}`
  }
}

/**
 * The failures of obtaining an access token.
 *
 * @category errors
 * @since 0.1.0
 */
export type IamportAuthError =
  IamportInvalidCredentialsError | IamportTransportError | IamportDecodeError | IamportInvalidArgumentError

/**
 * Every failure an i'mport operation can end with.
 *
 * @category errors
 * @since 0.1.0
 */
export type IamportError =
  | IamportInvalidCredentialsError
  | IamportTokenExpiredError
  | IamportUnauthorizedError
  | IamportNotFoundError
  | IamportApiError
  | IamportTransportError
  | IamportDecodeError
  | IamportInvalidArgumentError

/**
 * Tells whether a value is one of the errors above, by its `TypeId`. It takes
 * any value, so it narrows an error union that holds other errors too:
 * `Effect.catchIf(IamportError.isIamportError, ...)`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isIamportError = (u: unknown): u is IamportError => Predicate.hasProperty(u, TypeId)

/**
 * The HTTP statuses after which the same request may succeed later: 5xx
 * (server and gateway errors), 429 (rate limit) and 408 (request timeout).
 * The rule behind `isTransient`, and behind which answers without an envelope
 * are an `IamportTransportError`.
 *
 * @category guards
 * @since 0.2.0
 */
export const isTransientStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408

/**
 * Whether retrying the same request may succeed: any `IamportTransportError`,
 * and an `IamportApiError` with a 5xx, 429 or 408 status (`isTransientStatus`);
 * `false` for anything else, including values that are not i'mport errors, so
 * it fits `Effect.catchIf` on any error union. Whether a retry is
 * *safe* is another question: an `IamportTransportError` answers it with
 * `mayHaveBeenProcessed`; an `IamportApiError` has no such field, and a 5xx
 * one only ever answers a read (a GET, or a request declared `idempotent`): a
 * write answered 5xx is an `IamportTransportError` with
 * `mayHaveBeenProcessed: true`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isTransient = (u: unknown): boolean =>
  isIamportError(u) &&
  (u._tag === "IamportTransportError" || (u._tag === "IamportApiError" && isTransientStatus(u.status)))

/**
 * The HTTP status a server that called i'mport answers its own caller with, after `error`:
 *
 * | error | status |
 * | --- | --- |
 * | `IamportInvalidArgumentError` | 400: the caller's input cannot be sent |
 * | `IamportNotFoundError` | 404 |
 * | `IamportApiError` | 422 (a business failure: a declined card, nothing to cancel); 503 when i'mport answered 5xx, 429 or 408 |
 * | `IamportTransportError` | 504 after a timeout, 503 after a 429 or 408, 502 otherwise |
 * | `IamportDecodeError` | 502: i'mport's answer was not understood |
 * | `IamportInvalidCredentialsError`, `IamportTokenExpiredError`, `IamportUnauthorizedError` | 500: this server's own credentials or `Tier` are wrong, not the caller's |
 *
 * @category api
 * @since 0.2.0
 */
export const httpStatus = (error: IamportError): number => {
  switch (error._tag) {
    case "IamportInvalidArgumentError":
      return 400
    case "IamportNotFoundError":
      return 404
    case "IamportApiError":
      return isTransientStatus(error.status) ? 503 : 422
    case "IamportTransportError":
      return error.reason === "Timeout" ? 504 : error.status === 429 || error.status === 408 ? 503 : 502
    case "IamportDecodeError":
      return 502
    case "IamportInvalidCredentialsError":
    case "IamportTokenExpiredError":
    case "IamportUnauthorizedError":
      return 500
  }
}

/**
 * The JSON body of `toHttpResponse`: what a caller of your server may see.
 *
 * @category models
 * @since 0.2.0
 */
export interface HttpErrorBody {
  /** The error's `_tag`. */
  readonly error: IamportError["_tag"]
  /** A short description for the caller; never the API secret, a token, or a request's headers. */
  readonly message: string
  /** i'mport's `code`, on a business failure (`IamportApiError`) or a not-found answer. */
  readonly code?: number
  /** i'mport's own (usually Korean) text of a business failure, e.g. why a card was declined. */
  readonly apiMessage?: string
  /** Whether the same request may succeed later (`isTransient`). */
  readonly retryable: boolean
  /** On a write that timed out or lost its connection: whether i'mport may have acted on it. */
  readonly mayHaveBeenProcessed?: boolean
}

/**
 * The caller-facing body of an error: a plain description for failures of this server's own set-up
 * (credentials, `Tier`, a misunderstood answer), the API's `code` and message for business failures.
 *
 * @category api
 * @since 0.2.0
 */
export const httpBody = (error: IamportError): HttpErrorBody => {
  const retryable = isTransient(error)
  switch (error._tag) {
    case "IamportApiError":
      return {
        error: error._tag,
        message: retryable
          ? "the payment service is unavailable; try again later"
          : "the payment service refused the request",
        code: error.code,
        ...(error.apiMessage ? { apiMessage: error.apiMessage } : {}),
        retryable
      }
    case "IamportNotFoundError":
      return {
        error: error._tag,
        message: "not found",
        ...(error.code === undefined ? {} : { code: error.code }),
        retryable
      }
    case "IamportInvalidArgumentError":
      return { error: error._tag, message: `invalid ${error.argument}: ${error.issue}`, retryable }
    case "IamportTransportError":
      return {
        error: error._tag,
        message:
          error.reason === "Timeout"
            ? "the payment service did not answer in time"
            : "the payment service is unavailable",
        retryable,
        mayHaveBeenProcessed: error.mayHaveBeenProcessed
      }
    case "IamportDecodeError":
      return { error: error._tag, message: "the payment service answered unexpectedly", retryable }
    case "IamportInvalidCredentialsError":
    case "IamportTokenExpiredError":
    case "IamportUnauthorizedError":
      return { error: error._tag, message: "the payment service rejected this server's credentials", retryable }
  }
}

/**
 * An `HttpServerResponse` for an i'mport error, for the edge of an `HttpRouter` or `HttpApp`: the status of
 * `httpStatus`, the JSON body of `httpBody`, and `Retry-After` when i'mport sent one. Without it, an unhandled
 * `IamportError` leaves a handler as an empty 500. Nothing of the request (headers, the token) is in it.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportError, Payments } from "@effect-iamport/client"
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.get(
 *     "/orders/:impUid",
 *     Effect.flatMap(HttpRouter.params, (params) => Payments.getPayment(params.impUid ?? "")).pipe(
 *       Effect.flatMap((payment) => HttpServerResponse.json({ status: payment.status })),
 *       Effect.catchIf(IamportError.isIamportError, (error) => Effect.succeed(IamportError.toHttpResponse(error)))
 *     )
 *   )
 * )
 * ```
 */
export const toHttpResponse = (error: IamportError): HttpServerResponse.HttpServerResponse => {
  const retryAfter =
    error._tag === "IamportApiError" || error._tag === "IamportTransportError" ? error.retryAfter : undefined
  return HttpServerResponse.unsafeJson(httpBody(error), {
    status: httpStatus(error),
    ...(retryAfter === undefined ? {} : { headers: { "retry-after": String(Math.ceil(retryAfter)) } })
  })
}

const detail = (code: number | undefined, apiMessage: string | undefined): string =>
  `${code === undefined ? "" : `, code ${code}`}${apiMessage ? `: ${apiMessage}` : ""}`

const isWrite = (endpoint: string): boolean => !endpoint.startsWith("GET ") && endpoint !== "POST /users/getToken"
