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
import type * as Redacted from "effect/Redacted"
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
 * @since 0.1.0
 */
export const defaultBaseUrl: string = internalTransport.defaultBaseUrl

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
 * The pipeline's own settings, whatever transport carries the requests: the
 * credentials, the `Tier`, retries and the token cache.
 *
 * @since 0.3.0
 */
export interface MakeOptions {
  readonly apiKey: string
  readonly apiSecret: Redacted.Redacted<string>
  /** Sub-merchant tier code, sent as the `Tier` header on API calls. */
  readonly tier?: string | undefined
  /** Retries of idempotent reads on transient failures. Default 2. */
  readonly retries?: number
  /** First retry delay (doubles, jittered). Default 100 milliseconds. */
  readonly retryBase?: Duration.DurationInput
  /** Tuning of the token cache. */
  readonly tokenCache?: IamportAuth.Options
}

/**
 * The options of `layer`: the pipeline's (`MakeOptions`), the transport's
 * (`IamportTransport.Options`: `baseUrl`, `timeout`, `maxResponseBytes`), and
 * a hook on the `HttpClient`.
 *
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
 * @since 0.3.0
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
 * @since 0.3.0
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
 * @since 0.3.0
 */
export interface FastDecode {
  readonly _: unique symbol
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
  Layer.unwrapEffect(Effect.map(Pipeline.optionsConfig(config), layer))

/**
 * Runs one API call described as data; the building block of every operation
 * module, also usable for endpoints this package does not cover yet.
 *
 * @since 0.1.0
 */
export const request = <A, I>(api: ApiRequest<A, I>): Effect.Effect<A, IamportError, IamportClient> =>
  Effect.flatMap(IamportClient, (client) => client.request(api))
