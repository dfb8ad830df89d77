/**
 * What carries one request to the API and brings its answer back: plain data
 * in (method, path, headers, a JSON text), status and body text out, within a
 * time limit per attempt and a cap on the body. The pipeline (token cache,
 * envelope, schemas, retries) is the same whatever the transport:
 * `IamportClient.layer` runs it over an `@effect/platform` `HttpClient`
 * (`fromHttpClient`), `NodeIamportClient.layer` over undici, and
 * `IamportClient.makeWith` over any transport.
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type { IamportDecodeError, IamportInvalidArgumentError, IamportTransportError } from "./IamportError.js"
import * as internal from "./internal/transport.js"

/**
 * One request, as the pipeline builds it.
 *
 * @category models
 * @since 0.2.0
 */
export interface Request {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** Path and query, relative to the base URL (`/payments/imp_1?x=1`), segments already encoded. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** A JSON text; the transport sets `Content-Type: application/json`. */
  readonly body?: string | undefined
}

/**
 * An answer whose whole body was read.
 *
 * @category models
 * @since 0.2.0
 */
export interface Answer {
  readonly status: number
  readonly body: string
  /**
   * The `Retry-After` header of a 429 or 503 answer (seconds, or an HTTP date), which the pipeline honours
   * when it retries a read. Transports may leave it out on other statuses.
   *
   * @since 0.2.0
   */
  readonly retryAfter?: string | undefined
}

/**
 * What can go wrong before an answer is in hand: a timeout or a lost
 * connection (`IamportTransportError`), a request that cannot be sent
 * (`IamportInvalidArgumentError`), a body over the cap (`IamportDecodeError`).
 *
 * @category models
 * @since 0.2.0
 */
export type Failure = IamportTransportError | IamportInvalidArgumentError | IamportDecodeError

/**
 * Sends one request to the base URL the transport was built for; `endpoint`
 * (`"GET /payments/{imp_uid}"`) names it in errors. Every status comes back as
 * an `Answer`: reading the envelope is the pipeline's business.
 *
 * @category models
 * @since 0.2.0
 */
export interface IamportTransport {
  (endpoint: string, request: Request): Effect.Effect<Answer, Failure>
}

/**
 * Where a transport sends, and its limits per attempt.
 *
 * @category models
 * @since 0.2.0
 */
export interface Options {
  /** Default `https://api.iamport.kr` (`IamportClient.defaultBaseUrl`). */
  readonly baseUrl?: string | undefined
  /** Time allowed for one attempt, answer body included. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /**
   * The largest answer body read, in bytes: a larger one fails with `IamportDecodeError` (not retried) and its
   * request is aborted. Default 16 MiB.
   */
  readonly maxResponseBytes?: number
}

/**
 * A transport over any `HttpClient`: the platform's tracing, proxies and
 * middleware apply; the time limit of each attempt runs on the Effect `Clock`
 * (so `TestClock` drives it); a body over `maxResponseBytes` is refused.
 * `IamportClient.layer` uses it.
 *
 * @category constructors
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportClient } from "@effect-iamport/client"
 * import * as IamportTransport from "@effect-iamport/client/IamportTransport"
 * import { FetchHttpClient, HttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const IamportLive = Layer.scopedContext(
 *   Effect.gen(function* () {
 *     const transport = IamportTransport.fromHttpClient(yield* HttpClient.HttpClient, { timeout: "10 seconds" })
 *     return yield* IamportClient.makeWith(transport, { apiKey: "imp_apikey", apiSecret: Redacted.make("secret") })
 *   })
 * ).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const fromHttpClient: (http: HttpClient.HttpClient, options?: Options) => IamportTransport =
  internal.fromHttpClient

/**
 * What `Options` come to: the base URL (no trailing `/`), the time limit of an attempt and the largest answer
 * body, each the given one or the default. For a transport of your own, to keep the client's defaults.
 *
 * @category constructors
 * @since 0.2.0
 */
export const settings: (options?: Options) => {
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly maxBytes: number
} = internal.settings

/**
 * The failure of an attempt that got no whole answer within `timeout`, as the client's transports report it:
 * the request may have been processed.
 *
 * @category constructors
 * @since 0.2.0
 */
export const timedOut: (endpoint: string, timeout: Duration.Duration) => IamportTransportError = internal.timedOut

/**
 * The failure of an attempt whose connection failed, as the client's transports report it: `"request"` while
 * sending (a refused connection, found in `error`'s causes, was never sent), `"body"` while reading the answer
 * (the request may have been processed).
 *
 * @category constructors
 * @since 0.2.0
 */
export const connectionLost: (endpoint: string, error: unknown, phase: "request" | "body") => IamportTransportError =
  internal.connectionLost

/**
 * The failure of an answer whose body is larger than `maxBytes` (`Options.maxResponseBytes`).
 *
 * @category constructors
 * @since 0.2.0
 */
export const tooLarge: (endpoint: string, status: number, maxBytes: number) => IamportDecodeError = internal.tooLarge

/**
 * The failure of a request that cannot be sent over HTTP (a header value with a line break or a character
 * outside Latin-1, such as a Korean `Tier`), as the client's transports report it: nothing was sent.
 *
 * @category constructors
 * @since 0.2.0
 */
export const unsendable: (endpoint: string) => IamportInvalidArgumentError = internal.unsendable
