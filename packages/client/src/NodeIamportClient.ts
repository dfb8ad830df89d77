/**
 * The client for Node, on undici directly: the same pipeline, token cache,
 * errors and operations as `IamportClient.layer` (both build on
 * `IamportClient.makeWith`), but each attempt is one
 * undici request instead of a trip through an `@effect/platform` `HttpClient`.
 * That is where most of a call's CPU went (see BENCHMARKS.md): use this layer
 * in Node servers that call i'mport a lot, and `IamportClient.layer` with an
 * `HttpClient` elsewhere, or when you want the platform's middleware
 * (`transformClient`).
 *
 * Tracing is the same on both layers: under an installed tracer each call has
 * its `Iamport <METHOD> <path>` span, and each attempt under it the span an
 * `HttpClient` makes for a request (`http.client <METHOD>`, the same
 * attributes, headers redacted, the trace context sent).
 *
 * Differences from `IamportClient.layer`:
 * - no `HttpClient` is involved, so there is no `transformClient`;
 * - the per-attempt `timeout` runs on the real clock (a timer that aborts the
 *   request), not on the Effect `Clock`, so `TestClock` does not move it.
 *
 * Import it by its own path (it needs `@effect/platform-node`, an optional
 * peer dependency): `import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"`.
 *
 * @since 0.2.0
 */
import * as Undici from "@effect/platform-node/Undici"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Scope } from "effect/Scope"
import type * as IamportAuth from "./IamportAuth.js"
import * as IamportClient from "./IamportClient.js"
import type * as IamportTransport from "./IamportTransport.js"
import * as Pipeline from "./internal/pipeline.js"
import { undiciTransport } from "./internal/undici.js"

/**
 * The pipeline's options (`IamportClient.MakeOptions`), the transport's
 * (`IamportTransport.Options`: `baseUrl`, `timeout`, `maxResponseBytes`), and
 * an optional undici dispatcher.
 *
 * @category models
 * @since 0.2.0
 */
export interface Options extends IamportClient.MakeOptions, IamportTransport.Options {
  /**
   * The undici dispatcher to send with (an `Agent`, a `Pool`, a `ProxyAgent`...). By default the layer
   * makes its own `Agent` and closes it with the layer.
   */
  readonly dispatcher?: Undici.Dispatcher | undefined
}

/**
 * Builds the client and its token cache on undici. Usually used through `layer`.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = (
  options: Options
): Effect.Effect<Context.Context<IamportClient.IamportClient | IamportAuth.IamportAuth>, never, Scope> =>
  Effect.gen(function* () {
    const dispatcher =
      options.dispatcher ??
      (yield* Effect.acquireRelease(
        Effect.sync(() => new Undici.Agent()),
        (agent) => Effect.promise(() => agent.destroy())
      ))
    return yield* IamportClient.makeWith(undiciTransport(dispatcher, options), options)
  })

/**
 * The client and its token cache on undici; requires nothing.
 *
 * @category layers
 * @since 0.2.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
 * import { Effect, Redacted } from "effect"
 *
 * const IamportLive = NodeIamportClient.layer({ apiKey: "imp_apikey", apiSecret: Redacted.make("secret") })
 * const program = Payments.getPayment("imp_123456789012").pipe(Effect.provide(IamportLive))
 * ```
 */
export const layer = (options: Options): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth> =>
  Layer.scopedContext(make(options))

/**
 * Like `layer`, reading `IMP_KEY`, `IMP_SECRET` (redacted), `IAMPORT_BASE_URL`,
 * `IAMPORT_TIER`, `IAMPORT_TIMEOUT` and `IAMPORT_RETRIES` from the
 * `ConfigProvider` unless given; a base URL that is not an absolute `http(s)`
 * URL is a `ConfigError` when the layer is built.
 *
 * @category layers
 * @since 0.2.0
 */
export const layerConfig = (
  config: Partial<Config.Config.Wrap<Options>> = {}
): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Pipeline.optionsConfig<Options>(config), layer))
