/**
 * The request pipeline every i'mport operation goes through.
 *
 * One `HttpClient` pipeline: base URL, `Authorization: Bearer <token>` from the
 * shared `IamportAuth` cache, the optional `Tier` header, JSON bodies, the
 * `{code, message, response}` envelope decoded with `Schema` (`code != 0` is a
 * failure even on HTTP 200), path parameters encoded as one segment each, a
 * timeout, retries of idempotent reads on transient failures, and one replay
 * after a 401. `makeWith` builds it over any `IamportTransport`; `make` and
 * `layer` over an `HttpClient`, `NodeIamportClient.layer` over undici.
 *
 * Writes (charges, cancels) are never retried. After a timeout, a lost
 * connection or a 5xx answer (whatever its body) their outcome is unknown, and
 * the error says so. An answer body over `maxResponseBytes` is refused.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { HttpClient as HttpClientTag } from "@effect/platform/HttpClient"
import type * as UrlParams from "@effect/platform/UrlParams"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Metric from "effect/Metric"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import type { Scope } from "effect/Scope"
import * as IamportAuth from "./IamportAuth.js"
import type { IamportError } from "./IamportError.js"
import * as IamportTransport from "./IamportTransport.js"
import * as internalFastDecode from "./internal/fastDecode.js"
import * as Pipeline from "./internal/pipeline.js"
import * as internalTransport from "./internal/transport.js"

/**
 * The default API host.
 *
 * @category api
 * @since 0.1.0
 */
export const defaultBaseUrl: string = internalTransport.defaultBaseUrl

/**
 * One API call, as data: adding an operation is a declaration of this shape.
 *
 * @category models
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
 * @category models
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
 * @category context
 * @since 0.1.0
 */
export class IamportClient extends Context.Tag("@effect-iamport/client/IamportClient")<IamportClient, Service>() {}

/**
 * The pipeline's own settings, whatever transport carries the requests: the
 * credentials, the `Tier`, retries and the token cache.
 *
 * @category models
 * @since 0.2.0
 */
export interface MakeOptions {
  readonly apiKey: string
  readonly apiSecret: Redacted.Redacted<string>
  /** Sub-merchant tier code, sent as the `Tier` header on API calls. */
  readonly tier?: string | undefined
  /** Retries of idempotent reads on transient failures. Default 2. Ignored when `retrySchedule` is given. */
  readonly retries?: number
  /** First retry delay (doubles, jittered). Default 100 milliseconds. Ignored when `retrySchedule` is given. */
  readonly retryBase?: Duration.DurationInput
  /**
   * When and how often to retry a read that failed transiently, as a `Schedule` of its errors (as
   * `HttpClient.retryTransient` takes one). Default: `retries` times, from `retryBase`, doubling, jittered.
   * Whatever the schedule says, only reads (GET, or a request declared `idempotent`) are retried, and only on
   * transient failures (`IamportError.isTransient`): a charge or a cancel never is.
   *
   * @since 0.2.0
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, IamportError>
  /**
   * Narrows the retries further: a transient failure of a read is retried only when this says `true`.
   *
   * @since 0.2.0
   */
  readonly retryWhile?: (error: IamportError) => boolean
  /**
   * The longest wait a `Retry-After` header of a 429 or 503 answer gets: the retry waits for what the
   * server asked, up to this, or for the schedule's delay when that is longer. Default 10 seconds.
   *
   * @since 0.2.0
   */
  readonly maxRetryAfter?: Duration.DurationInput
  /**
   * Attributes added to every call's span (`service.name` of a tenant, a deployment...), as
   * `PgClientConfig.spanAttributes` does. Never put a secret here.
   *
   * @since 0.2.0
   */
  readonly spanAttributes?: Record<string, unknown>
  /**
   * Record `IamportClient.metrics` (each call's time by endpoint, failures by endpoint and error tag).
   * Off by default: it costs a little on every call.
   *
   * @since 0.2.0
   */
  readonly metrics?: boolean
  /** Tuning of the token cache. */
  readonly tokenCache?: IamportAuth.Options
}

/**
 * Metrics of every client built with `metrics: true`, beside the token cache's (`IamportAuth.metrics`):
 * `duration` (`iamport_call_duration`, a timer in milliseconds, tagged `endpoint`), each call's time from its
 * first attempt to its outcome, retries included; `errors` (`iamport_call_errors`, tagged `endpoint` and
 * `error`, the error's `_tag`), the calls that failed.
 *
 * @category observability
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportClient } from "@effect-iamport/client"
 * import { Effect, Metric } from "effect"
 *
 * const timeouts = Metric.value(
 *   IamportClient.metrics.errors.pipe(
 *     Metric.tagged("endpoint", "GET /payments/{imp_uid}"),
 *     Metric.tagged("error", "IamportTransportError")
 *   )
 * ).pipe(Effect.map((state) => state.count))
 * ```
 */
export const metrics: {
  readonly duration: Metric.Metric.Histogram<Duration.Duration>
  readonly errors: Metric.Metric.Counter<number>
} = Pipeline.metrics

/**
 * The options of `layer`: the pipeline's (`MakeOptions`), the transport's
 * (`IamportTransport.Options`: `baseUrl`, `timeout`, `maxResponseBytes`), and
 * a hook on the `HttpClient`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options extends MakeOptions, IamportTransport.Options {
  /**
   * Applied to the `HttpClient` before the pipeline: tracing, rate limits, proxies. It also carries
   * `POST /users/getToken`, whose body holds the API secret: never log request bodies here
   * (`@effect/platform` prints JSON bodies in `String(request)` and in its errors).
   */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}

/**
 * Builds the client and its token cache over any transport: the core that
 * `make` (over an `HttpClient`) and `NodeIamportClient.make` (over undici)
 * share. Use it to run the client over a transport of your own.
 *
 * @category constructors
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportClient } from "@effect-iamport/client"
 * import type * as IamportTransport from "@effect-iamport/client/IamportTransport"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * // every call answered 503: a transport for a test of the caller's retry handling
 * const unavailable: IamportTransport.IamportTransport = () => Effect.succeed({ status: 503, body: "" })
 * const IamportDown = Layer.scopedContext(
 *   IamportClient.makeWith(unavailable, { apiKey: "imp_apikey", apiSecret: Redacted.make("secret") })
 * )
 * ```
 */
export const makeWith = (
  transport: IamportTransport.IamportTransport,
  options: MakeOptions
): Effect.Effect<Context.Context<IamportClient | IamportAuth.IamportAuth>, never, Scope> =>
  Effect.map(Pipeline.makePipeline(transport, options), ({ auth, service }) =>
    Context.make(IamportClient, IamportClient.of(service)).pipe(Context.add(IamportAuth.IamportAuth, auth))
  )

/**
 * Builds the client and its token cache from an `HttpClient`. Usually used
 * through `layer`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: Options
): Effect.Effect<Context.Context<IamportClient | IamportAuth.IamportAuth>, never, HttpClient.HttpClient | Scope> =>
  Effect.flatMap(HttpClientTag, (client) => {
    const http = options.transformClient === undefined ? client : options.transformClient(client)
    return makeWith(IamportTransport.fromHttpClient(http, options), options)
  })

/**
 * Whether responses decode through the compiled fast path first (`true`, the
 * default) or through `Schema` only (`false`). Values and errors are the same
 * either way: the fast path hands Schema whatever it is unsure of. Turn it off
 * to rule it out when a decoding looks wrong, or to compare timings. Read on
 * each call, from the caller's context.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportClient, Payments } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * const schemaOnly = Payments.getPayment("imp_123456789012").pipe(Effect.provideService(IamportClient.FastDecode, false))
 * ```
 */
export const FastDecode: Context.Reference<FastDecode, boolean> = internalFastDecode.FastDecode

/**
 * @category models
 * @since 0.2.0
 */
export interface FastDecode {
  readonly _: unique symbol
}

/**
 * The client and its token cache, from options. Requires an `HttpClient`:
 * `NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, or the emulator's.
 *
 * @category layers
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
 * Like `layer`, reading `IMP_KEY`, `IMP_SECRET` (redacted), `IAMPORT_BASE_URL`,
 * `IAMPORT_TIER`, `IAMPORT_TIMEOUT` (a duration, e.g. `10 seconds`) and
 * `IAMPORT_RETRIES` from the `ConfigProvider` unless given. A base URL that is
 * not an absolute `http(s)` URL (`127.0.0.1:4010`, without its scheme) fails
 * the layer's build with a `ConfigError`, rather than every call later.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerConfig = (
  config: Partial<Config.Config.Wrap<Options>> = {}
): Layer.Layer<IamportClient | IamportAuth.IamportAuth, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(Pipeline.optionsConfig(config), layer))

/**
 * Runs one API call described as data; the building block of every operation
 * module, also usable for endpoints this package does not cover yet.
 *
 * @category api
 * @since 0.1.0
 */
export const request = <A, I>(api: ApiRequest<A, I>): Effect.Effect<A, IamportError, IamportClient> =>
  Effect.flatMap(IamportClient, (client) => client.request(api))
