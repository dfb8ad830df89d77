/**
 * The request pipeline every i'mport operation goes through.
 *
 * One `HttpClient` pipeline: base URL, `Authorization: Bearer <token>` from the
 * shared `IamportAuth` cache, the optional `Tier` header, JSON bodies, the
 * `{code, message, response}` envelope decoded with `Schema` (`code != 0` is a
 * failure even on HTTP 200), path parameters encoded as one segment each, a
 * timeout, retries of idempotent reads on transient failures, and one replay
 * after a 401.
 *
 * Writes (charges, cancels) are never retried on a timeout or a lost
 * connection: the outcome is then unknown and the error says so.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { HttpClient as HttpClientTag } from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as UrlParams from "@effect/platform/UrlParams"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type { Scope } from "effect/Scope"
import * as IamportAuth from "./IamportAuth.js"
import {
  type IamportAuthError,
  type IamportError,
  IamportDecodeError,
  IamportInvalidArgumentError,
  IamportInvalidCredentialsError,
  IamportTokenExpiredError,
  IamportTransportError,
  IamportUnauthorizedError,
  isTransient
} from "./IamportError.js"
import { fillPath } from "./internal/path.js"
import { decodeResponse, readEnvelope } from "./internal/response.js"

/**
 * The default API host.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "https://api.iamport.kr"

/**
 * One API call, as data: adding an operation is a declaration of this shape.
 *
 * @since 0.1.0
 */
export interface ApiRequest<A, I = unknown> {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** Path template, e.g. `/payments/{imp_uid}`; also names the endpoint in errors and spans. */
  readonly path: string
  /** Values for the template's `{name}`s, each sent as exactly one encoded segment. */
  readonly pathParams?: Readonly<Record<string, string>>
  /** Query parameters; arrays use i'mport's PHP style, so name them `imp_uid[]`. */
  readonly urlParams?: UrlParams.Input
  /** A JSON body. `undefined` fields are left out. */
  readonly body?: unknown
  /** Schema of the envelope's `response`. */
  readonly response: Schema.Schema<A, I>
  /** Safe to retry on transient failures. Defaults to `true` for GET, `false` otherwise. */
  readonly idempotent?: boolean
}

/**
 * @since 0.1.0
 */
export interface Service {
  /** Runs one API call through the pipeline. */
  readonly request: <A, I>(request: ApiRequest<A, I>) => Effect.Effect<A, IamportError>
}

/**
 * The configured i'mport client. Operations such as `Payments.getPayment`
 * require it; `IamportClient.layer` provides it together with `IamportAuth`.
 *
 * @since 0.1.0
 */
export class IamportClient extends Context.Tag("@effect-iamport/client/IamportClient")<IamportClient, Service>() {}

/**
 * @since 0.1.0
 */
export interface Options {
  readonly apiKey: string
  readonly apiSecret: Redacted.Redacted<string>
  /** Default `https://api.iamport.kr`. */
  readonly baseUrl?: string | undefined
  /** Sub-merchant tier code, sent as the `Tier` header on API calls. */
  readonly tier?: string | undefined
  /** Time allowed for one attempt, answer body included. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /** Retries of idempotent reads on transient failures. Default 2. */
  readonly retries?: number
  /** First retry delay (doubles, jittered). Default 100 milliseconds. */
  readonly retryBase?: Duration.DurationInput
  /**
   * Applied to the `HttpClient` before the pipeline: tracing, rate limits, proxies. It also carries
   * `POST /users/getToken`, whose body holds the API secret: never log request bodies here
   * (`@effect/platform` prints JSON bodies in `String(request)` and in its errors).
   */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  /** Tuning of the token cache. */
  readonly tokenCache?: IamportAuth.Options
}

const TokenResponse = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  now: Schema.Number,
  expired_at: Schema.Number
})

interface Answer {
  readonly status: number
  readonly body: string
}

/**
 * Builds the client and its token cache from an `HttpClient`. Usually used
 * through `layer`.
 *
 * @since 0.1.0
 */
export const make = (
  options: Options
): Effect.Effect<Context.Context<IamportClient | IamportAuth.IamportAuth>, never, HttpClient.HttpClient | Scope> =>
  Effect.gen(function* () {
    const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "")
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(30))
    const transform = options.transformClient ?? ((client: HttpClient.HttpClient) => client)
    const http = transform(yield* HttpClientTag)
    const retrySchedule = Schedule.exponential(options.retryBase ?? Duration.millis(100)).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(Math.max(0, options.retries ?? 2)))
    )

    /** Sends one request and reads its whole body within the timeout. */
    const send = (endpoint: string, request: HttpClientRequest.HttpClientRequest) =>
      http.execute(request).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (body): Answer => ({ status: response.status, body }))),
        Effect.mapError((error) => fromPlatformError(endpoint, error)),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new IamportTransportError({
              endpoint,
              reason: "Timeout",
              mayHaveBeenProcessed: true,
              description: `no answer within ${Duration.format(timeout)}`
            })
        })
      )

    const issue: Effect.Effect<IamportAuth.TokenGrant, IamportAuthError> = Effect.gen(function* () {
      const endpoint = "POST /users/getToken"
      const request = HttpClientRequest.post(`${baseUrl}/users/getToken`).pipe(
        HttpClientRequest.acceptJson,
        HttpClientRequest.bodyUnsafeJson({ imp_key: options.apiKey, imp_secret: Redacted.value(options.apiSecret) })
      )
      const answer = yield* send(endpoint, request)
      if (answer.status === 401 || answer.status === 400 || answer.status === 403) {
        const envelope = Either.getRight(readEnvelope(endpoint, 200, answer.body))
        return yield* new IamportInvalidCredentialsError({
          status: answer.status,
          ...Option.match(envelope, {
            onNone: () => ({}),
            onSome: (e) => ({ code: e.code, ...(e.apiMessage ? { apiMessage: e.apiMessage } : {}) })
          })
        })
      }
      const envelope = readEnvelope(endpoint, answer.status, answer.body)
      if (Either.isLeft(envelope)) {
        const failure = envelope.left
        if (failure._tag === "IamportApiError" && isTransient(failure)) {
          // A server error or a rate limit, not a verdict on the credentials: transient, so the cache retries it.
          return yield* new IamportTransportError({
            endpoint,
            reason: "ServerError",
            status: failure.status,
            mayHaveBeenProcessed: true
          })
        }
        if (failure._tag === "IamportApiError") {
          return yield* new IamportInvalidCredentialsError({
            status: failure.status,
            code: failure.code,
            ...(failure.apiMessage ? { apiMessage: failure.apiMessage } : {})
          })
        }
        if (failure._tag === "IamportNotFoundError") {
          return yield* new IamportDecodeError({
            endpoint,
            status: 404,
            issue: "getToken route not found: check baseUrl"
          })
        }
        return yield* failure
      }
      const grant = yield* decodeResponse(endpoint, answer.status, envelope.right, TokenResponse, {
        redactValues: true
      })
      return { accessToken: grant.access_token, now: grant.now, expiredAt: grant.expired_at }
    }).pipe(Effect.withSpan("IamportAuth.getToken", { captureStackTrace: false }))

    const auth = yield* IamportAuth.make(issue, options.tokenCache)
    // The cache retries getToken itself: a token failure is not retried again by the request.
    const tokenOrFailure = Effect.mapError(auth.token, (error) => new TokenFailure(error))

    const request = <A, I>(api: ApiRequest<A, I>): Effect.Effect<A, IamportError> => {
      const endpoint = `${api.method} ${api.path}`
      const path = fillPath(api.path, api.pathParams)
      if (Either.isLeft(path)) {
        return Effect.fail(new IamportInvalidArgumentError({ endpoint, ...path.left }))
      }
      const write = api.method !== "GET"
      let base = HttpClientRequest.make(api.method)(`${baseUrl}${path.right}`).pipe(HttpClientRequest.acceptJson)
      if (api.urlParams !== undefined) base = HttpClientRequest.setUrlParams(base, api.urlParams)
      if (api.body !== undefined) base = HttpClientRequest.bodyUnsafeJson(base, api.body)
      if (options.tier !== undefined) base = HttpClientRequest.setHeader(base, "Tier", options.tier)

      const attempt = (token: IamportAuth.AccessToken) =>
        send(endpoint, HttpClientRequest.bearerToken(base, token.value))

      const once = Effect.gen(function* () {
        const token = yield* tokenOrFailure
        const first = yield* attempt(token)
        if (first.status !== 401) return first
        // The API rejected the request before doing anything: refresh once and replay once.
        yield* auth.invalidate(token)
        const fresh = yield* tokenOrFailure
        const second = yield* attempt(fresh)
        if (second.status !== 401) return second
        const envelope = Either.getRight(readEnvelope(endpoint, 200, second.body))
        const apiMessage = Option.flatMap(envelope, (e) => Option.fromNullable(e.apiMessage))
        if (yield* auth.isExpired(fresh)) {
          return yield* new IamportTokenExpiredError({
            endpoint,
            ...Option.match(apiMessage, { onNone: () => ({}), onSome: (m) => ({ apiMessage: m }) })
          })
        }
        return yield* new IamportUnauthorizedError({
          endpoint,
          ...Option.match(envelope, { onNone: () => ({}), onSome: (e) => ({ code: e.code }) }),
          ...Option.match(apiMessage, { onNone: () => ({}), onSome: (m) => ({ apiMessage: m }) })
        })
      }).pipe(
        Effect.flatMap((answer) =>
          Either.flatMap(readEnvelope(endpoint, answer.status, answer.body), (envelope) =>
            decodeResponse(endpoint, answer.status, envelope, api.response)
          )
        )
      )

      const idempotent = api.idempotent ?? !write
      const retried = idempotent
        ? Effect.retry(once, {
            schedule: retrySchedule,
            while: (error) => !(error instanceof TokenFailure) && isTransient(error)
          })
        : once
      return retried.pipe(
        Effect.mapError((error) => (error instanceof TokenFailure ? error.error : error)),
        Effect.withSpan(`Iamport ${endpoint}`, { kind: "client", attributes: { endpoint }, captureStackTrace: false })
      )
    }

    return Context.make(IamportClient, IamportClient.of({ request })).pipe(Context.add(IamportAuth.IamportAuth, auth))
  })

/** Marks a failure of the token cache inside one request, so the request's retry skips it. */
class TokenFailure {
  constructor(readonly error: IamportAuthError) {}
}

const connectionRefused = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"])

/** Whether the platform error says the request never left this machine. */
const neverSent = (error: HttpClientError.HttpClientError): boolean => {
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === "string" && connectionRefused.has(code)) return true
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/** Maps `@effect/platform` errors to ours; the request (and its headers) is never kept. */
const fromPlatformError = (
  endpoint: string,
  error: HttpClientError.HttpClientError
): IamportTransportError | IamportInvalidArgumentError => {
  if (error._tag === "RequestError" && error.reason !== "Transport") {
    return new IamportInvalidArgumentError({ endpoint, argument: "request", issue: `${error.reason} error` })
  }
  const notSent = error._tag === "RequestError" && neverSent(error)
  return new IamportTransportError({
    endpoint,
    reason: "Connection",
    mayHaveBeenProcessed: !notSent,
    description: notSent
      ? "connection refused"
      : error._tag === "ResponseError"
        ? "answer body lost"
        : "transport error"
  })
}

/**
 * The client and its token cache, from options. Requires an `HttpClient`:
 * `NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, or the emulator's.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { IamportClient, Payments } from "@effect-iamport/client"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const IamportLive = IamportClient.layer({ apiKey: "imp_apikey", apiSecret: Redacted.make("secret") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * const program = Payments.getPayment("imp_123456789012").pipe(Effect.provide(IamportLive))
 * ```
 */
export const layer = (
  options: Options
): Layer.Layer<IamportClient | IamportAuth.IamportAuth, never, HttpClient.HttpClient> =>
  Layer.scopedContext(make(options))

/**
 * Like `layer`, reading `IMP_KEY`, `IMP_SECRET` (redacted), `IAMPORT_BASE_URL`
 * and `IAMPORT_TIER` from the `ConfigProvider` unless given.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  config: Partial<Config.Config.Wrap<Options>> = {}
): Layer.Layer<IamportClient | IamportAuth.IamportAuth, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Effect.map(
      Config.unwrap<Options>({
        apiKey: Config.string("IMP_KEY"),
        apiSecret: Config.redacted("IMP_SECRET"),
        ...optionalConfig("baseUrl", Config.string("IAMPORT_BASE_URL")),
        ...optionalConfig("tier", Config.string("IAMPORT_TIER")),
        ...config
      } as Config.Config.Wrap<Options>),
      layer
    )
  )

const optionalConfig = <K extends string>(key: K, config: Config.Config<string>) => ({
  [key]: Config.option(config).pipe(Config.map(Option.getOrUndefined))
})

/**
 * Runs one API call described as data; the building block of every operation
 * module, also usable for endpoints this package does not cover yet.
 *
 * @since 0.1.0
 */
export const request = <A, I>(api: ApiRequest<A, I>): Effect.Effect<A, IamportError, IamportClient> =>
  Effect.flatMap(IamportClient, (client) => client.request(api))
