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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type { Scope } from "effect/Scope"
import * as IamportAuth from "./IamportAuth.js"
import type { IamportError } from "./IamportError.js"
import * as Pipeline from "./internal/pipeline.js"
import { fromHttpClient } from "./internal/transport.js"

/**
 * The default API host.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl: string = Pipeline.defaultBaseUrl

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
  /**
   * The largest answer body read, in bytes: a larger one fails with `IamportDecodeError` (not retried) and its
   * request is aborted. Default 16 MiB.
   */
  readonly maxResponseBytes?: number
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
    const transform = options.transformClient ?? ((client: HttpClient.HttpClient) => client)
    const http = transform(yield* HttpClientTag)
    const send = fromHttpClient(
      http,
      Pipeline.baseUrlOf(options),
      Duration.decode(options.timeout ?? Pipeline.defaultTimeout),
      options.maxResponseBytes ?? Pipeline.defaultMaxResponseBytes
    )
    const { auth, service } = yield* Pipeline.makePipeline(send, options)
    return Context.make(IamportClient, IamportClient.of(service)).pipe(Context.add(IamportAuth.IamportAuth, auth))
  })

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
