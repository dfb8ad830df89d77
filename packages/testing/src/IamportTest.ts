/**
 * One-line test layers: a working `IamportClient` backed by the in-process
 * emulator, with seeded data and the emulator's admin controls at hand.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { IamportClient } from "@effect-iamport/client"
import type { IamportAuth } from "@effect-iamport/client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as IamportEmulator from "./IamportEmulator.js"

/**
 * Emulator options, plus options of the client under test (`apiKey` and
 * `apiSecret` default to the emulator's).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options extends IamportEmulator.Options {
  readonly client?: Partial<IamportClient.Options>
}

/**
 * The real `IamportClient` (token cache, pipeline, decoding) talking to a fresh
 * in-process emulator; no sockets. The client runs on the emulator's in-memory
 * transport (`IamportEmulator.transport`: no `HttpClient` in between), unless
 * `client.transformClient` is given, which needs one: then on the in-process
 * `HttpClient`. `IamportEmulator` is provided too, so a test can seed payments,
 * move the clock, inject faults and read counters, and so is an in-process
 * `HttpClient` for the test's own requests. Time is the `Clock` of the test:
 * under `it.effect`, `TestClock.adjust` moves both the client's token cache and
 * the emulator.
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { Payments } from "@effect-iamport/client"
 * import { IamportTest } from "@effect-iamport/testing"
 * import { Effect } from "effect"
 *
 * const program = Payments.getPayment("imp_000000000001").pipe(
 *   Effect.provide(IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", amount: 1000 }] }))
 * )
 * ```
 */
export const layer = (
  options: Options = {}
): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth | IamportEmulator.IamportEmulator> => {
  const client: Layer.Layer<
    IamportClient.IamportClient | IamportAuth.IamportAuth,
    never,
    IamportEmulator.IamportEmulator | HttpClient.HttpClient
  > = options.client?.transformClient === undefined ? inMemoryClientLayer(options) : clientLayer(options)
  return Layer.provideMerge(client, IamportEmulator.layerWithHttpClient(options))
}

/** The client on the emulator's in-memory transport. */
const inMemoryClientLayer = (
  options: Options
): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth, never, IamportEmulator.IamportEmulator> => {
  const clientOptions = resolve(options)
  return Layer.scopedContext(
    Effect.flatMap(IamportEmulator.IamportEmulator, (emulator) =>
      IamportClient.makeWith(IamportEmulator.transport(emulator, clientOptions), clientOptions)
    )
  )
}

/**
 * The client for an emulator the caller provides (with its `HttpClient`), for
 * example `IamportEmulator.layerHttpClient`, or a real HTTP client pointed at
 * `IamportEmulator.layerServer`'s URL through `client.baseUrl`.
 *
 * @category api
 * @since 0.1.0
 */
export const clientLayer = (
  options: Options = {}
): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth, never, HttpClient.HttpClient> =>
  IamportClient.layer(resolve(options))

/** The client's options: the emulator's credentials and a base URL on it, unless `client` says otherwise. */
const resolve = (options: Options): IamportClient.Options => ({
  apiKey: options.apiKey ?? IamportEmulator.DEFAULT_API_KEY,
  apiSecret: Redacted.make(secretOf(options.apiSecret)),
  baseUrl: "http://iamport.emulator",
  ...options.client
})

const secretOf = (secret: IamportEmulator.Options["apiSecret"]): string =>
  secret === undefined
    ? IamportEmulator.DEFAULT_API_SECRET
    : Redacted.isRedacted(secret)
      ? Redacted.value(secret)
      : secret
