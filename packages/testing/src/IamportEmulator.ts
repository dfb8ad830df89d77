/**
 * An emulator of the i'mport (PortOne V1) REST API (`https://api.iamport.kr`)
 * for tests and local development: tokens with the documented reuse and
 * 5-minute-extension rules, the payments and prepare endpoints, fault
 * injection, counters and an emulator clock driven by Effect's `Clock`
 * (so `TestClock` controls it).
 *
 * One implementation, three ways to run it:
 * - in process: `layerHttpClient` is an `HttpClient` that runs the emulator's
 *   `HttpApp` in the caller's fiber (no sockets);
 * - over HTTP: `layerServer` serves it on a loopback port;
 * - as a CLI: `pnpm emulator --port 4010`.
 *
 * Admin routes under `/__emulator/` (no auth) expose the same controls over HTTP:
 * `POST /__emulator/clock {set?, advance?, offset?}` (seconds), `POST /__emulator/tokens/revoke`,
 * `POST /__emulator/payments` (seed), `GET /__emulator/payments/{imp_uid}`,
 * `POST /__emulator/faults {fault, count?, route?}`, `DELETE /__emulator/faults`,
 * `GET /__emulator/counters`, `POST /__emulator/reset`.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { IamportEmulator } from "@effect-iamport/testing"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* IamportEmulator.IamportEmulator
 *   const payment = yield* emulator.seedPayment({ amount: 5000 })
 *   const client = yield* HttpClient.HttpClient
 *   // ... call https://api.iamport.kr/payments/${payment.imp_uid} through `client`
 * }).pipe(Effect.provide(IamportEmulator.layerWithHttpClient()))
 * ```
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as InternalApp from "./internal/app.js"
import * as InternalClock from "./internal/clock.js"
import * as InternalCounters from "./internal/counters.js"
import * as InternalFaults from "./internal/faults.js"
import * as InternalAreas from "./internal/areas.js"
import type * as InternalBilling from "./internal/billing.js"
import * as InternalPayments from "./internal/payments.js"
import { InMemoryResponse } from "./internal/response.js"
import * as InternalTokens from "./internal/tokens.js"
import * as InternalWebhooks from "./internal/webhooks.js"

// ---------------------------------------------------------------------------
// Plain data types (independent of the client package)
// ---------------------------------------------------------------------------

/**
 * A payment as the API returns it (spec `PaymentAnnotation`); timestamps are
 * UNIX seconds with `0` meaning "not yet".
 *
 * @since 0.1.0
 */
export type Payment = InternalPayments.Payment

/**
 * One entry of `Payment.cancel_history` (spec `PaymentCancelAnnotation`).
 *
 * @since 0.1.0
 */
export type PaymentCancel = InternalPayments.PaymentCancel

/**
 * Input of `seedPayment`: any payment field, the rest defaulted (status `paid`,
 * amount 1000 KRW, card via `html5_inicis`, `paid_at` = emulator now, a random
 * `imp_` + 12 digits id). `tier` scopes the payment to a sub-merchant.
 *
 * @since 0.1.0
 */
export type SeedPayment = InternalPayments.SeedPayment

/**
 * A pre-registered amount (spec `PaymentPrepareAnnotation`).
 *
 * @since 0.1.0
 */
export type Prepared = InternalPayments.Prepared

/**
 * A billing key as the API returns it (spec `CustomerAnnotation`).
 *
 * @since 0.2.0
 */
export type BillingKey = InternalBilling.BillingKey

/**
 * A scheduled payment as the API returns it (spec `ScheduleResultAnnotation`).
 *
 * @since 0.2.0
 */
export type ScheduledPayment = InternalBilling.ScheduleRecord

/**
 * The one-time password the emulator "texts" for `POST /certifications/otp/request`; any other code is refused.
 *
 * @since 0.2.0
 */
export const CERTIFICATION_OTP = InternalAreas.OTP

/**
 * Counters snapshot; see `Service.counters`.
 *
 * @since 0.1.0
 */
export type Counters = InternalCounters.Counters

/**
 * A webhook to send: which payment changed and its status; `url` overrides the
 * configured URL (for a forged webhook, or a payment's `notice_url`).
 *
 * @since 0.1.0
 */
export type WebhookEvent = InternalWebhooks.WebhookEvent

/**
 * One webhook delivery attempt: where, what, which attempt, and the HTTP status
 * the receiver answered (0 for a network error).
 *
 * @since 0.1.0
 */
export type WebhookDelivery = InternalWebhooks.WebhookDelivery

/**
 * One request as recorded in `Counters.recent`.
 *
 * @since 0.1.0
 */
export type RequestRecord = InternalCounters.RequestRecord

/**
 * A simulated failure; build with `Fault.Status({ status: 503 })`, `Fault.Drop()`, ...
 *
 * @since 0.1.0
 */
export type Fault = InternalFaults.Fault

/**
 * Constructors for `Fault`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { IamportEmulator } from "@effect-iamport/testing"
 *
 * Effect.flatMap(IamportEmulator.IamportEmulator, (emulator) =>
 *   emulator.injectFaults(IamportEmulator.Fault.Status({ status: 503 }), { count: 2, route: "/users/getToken" }))
 * ```
 *
 * @since 0.1.0
 */
export const Fault = InternalFaults.Fault

/**
 * Options of `injectFaults`: `count` (default 1) and a path prefix `route`.
 *
 * @since 0.1.0
 */
export type FaultOptions = InternalFaults.FaultOptions

/**
 * The key i'mport's docs use for the public test account.
 *
 * @since 0.1.0
 */
export const DEFAULT_API_KEY = "imp_apikey"

/**
 * The secret i'mport's docs publish for the public test account.
 *
 * @since 0.1.0
 */
export const DEFAULT_API_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"

/**
 * The message of 401 envelopes for missing, unknown or expired tokens (the
 * real text is undocumented; override with `Options.unauthorizedMessage`).
 *
 * @since 0.1.0
 */
export const DEFAULT_UNAUTHORIZED_MESSAGE = "Unauthorized"

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

/**
 * The emulator's controls and its `HttpApp`.
 *
 * @since 0.1.0
 */
export interface Service {
  /** The API (and the `/__emulator/` admin routes) as an `@effect/platform` `HttpApp`. */
  readonly app: HttpApp.Default
  /** The accepted `imp_key`. */
  readonly apiKey: string
  /** The accepted `imp_secret`. */
  readonly apiSecret: string
  /** Emulator time in UNIX seconds: Effect `Clock` time plus the offset. */
  readonly now: Effect.Effect<number>
  /** Moves emulator time to `unixSeconds` (keeps following `Clock` afterwards). */
  readonly setTime: (unixSeconds: number) => Effect.Effect<void>
  /**
   * Moves emulator time by `duration` (a negative number of milliseconds or a
   * string like `"-5 minutes"` moves it back). Does not wake sleeping fibers;
   * use `TestClock.adjust` for that.
   */
  readonly advance: (duration: Duration.DurationInput) => Effect.Effect<void>
  /**
   * Sets the offset from Effect `Clock` time: `"-40 minutes"` (or `-2_400_000`)
   * makes the server 40 minutes behind the client.
   */
  readonly setClockOffset: (offset: Duration.DurationInput) => Effect.Effect<void>
  /** Forgets every token (presenting an old one is then "unknown", not "expired"). */
  readonly revokeTokens: Effect.Effect<void>
  /** Stores a payment (replacing one with the same `imp_uid`) and returns its JSON. */
  readonly seedPayment: (input?: SeedPayment) => Effect.Effect<Payment>
  /** Reads a payment's current state. */
  readonly payment: (impUid: string, options?: { readonly tier?: string }) => Effect.Effect<Option.Option<Payment>>
  /** Reads a pre-registered amount. */
  readonly prepared: (
    merchantUid: string,
    options?: { readonly tier?: string }
  ) => Effect.Effect<Option.Option<Prepared>>
  /** Makes the next `count` (default 1) non-admin requests under `route` fail with `fault`. */
  readonly injectFaults: (fault: Fault, options?: FaultOptions) => Effect.Effect<void>
  /** Drops pending faults. */
  readonly clearFaults: Effect.Effect<void>
  /** A snapshot of the counters. */
  readonly counters: Effect.Effect<Counters>
  /** A deposit into an issued virtual account (`ready` -> `paid`), sending its `paid` webhook. */
  readonly depositVbank: (impUid: string, options?: { readonly tier?: string }) => Effect.Effect<Option.Option<Payment>>
  /** A cancel made in the admin console (full unless `amount`), sending its `cancelled` webhook. */
  readonly cancelFromConsole: (
    impUid: string,
    options?: { readonly amount?: number; readonly reason?: string; readonly tier?: string }
  ) => Effect.Effect<Option.Option<Payment>>
  /** Sends a webhook now, as given: a forged one, or a resend by hand. */
  readonly sendWebhook: (event: WebhookEvent) => Effect.Effect<void>
  /** Every webhook delivery attempt so far (the last 1,000), oldest first. */
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
  /** Reads a billing key (`customer_uid`). */
  readonly billingKey: (
    customerUid: string,
    options?: { readonly tier?: string }
  ) => Effect.Effect<Option.Option<BillingKey>>
  /** Reads a scheduled payment (`merchant_uid`). */
  readonly scheduledPayment: (
    merchantUid: string,
    options?: { readonly tier?: string }
  ) => Effect.Effect<Option.Option<ScheduledPayment>>
  /**
   * Runs every scheduled payment whose `schedule_at` has come (emulator time), as the real service does; returns
   * them executed. Also happens by itself before any API request is answered. HTTP: `POST /__emulator/schedules/run`.
   */
  readonly runDueSchedules: Effect.Effect<ReadonlyArray<ScheduledPayment>>
  /** Resets the counters (state, tokens and faults are kept). */
  readonly reset: Effect.Effect<void>
}

/**
 * The emulator service.
 *
 * @since 0.1.0
 */
export class IamportEmulator extends Context.Tag("@effect-iamport/testing/IamportEmulator")<
  IamportEmulator,
  Service
>() {}

/**
 * Emulator options; everything is optional.
 *
 * - `apiKey` / `apiSecret`: the accepted credentials (default: the public test
 *   pair from i'mport's docs, `DEFAULT_API_KEY` / `DEFAULT_API_SECRET`).
 * - `tokenTtl`: lifetime of a new token (default 30 minutes).
 * - `tiers`: sub-merchant tier codes accepted in the `Tier` header. A request
 *   whose `Tier` header is not listed gets **401** (envelope code -1; the real
 *   behaviour is undocumented). With a known tier, payments and prepared amounts
 *   are scoped to that tier. Default: none.
 * - `payments`: payments to seed at start.
 * - `unauthorizedMessage`: message of 401 envelopes for token problems.
 * - `maxBodyBytes`: request bodies above this get 413 (default 1 MiB).
 * - `recentLimit`: how many requests `Counters.recent` keeps (default 200).
 *
 * @since 0.1.0
 */
export interface Options {
  readonly apiKey?: string | undefined
  readonly apiSecret?: string | Redacted.Redacted<string> | undefined
  readonly tokenTtl?: Duration.DurationInput | undefined
  readonly tiers?: Iterable<string> | undefined
  readonly payments?: ReadonlyArray<SeedPayment> | undefined
  readonly unauthorizedMessage?: string | undefined
  readonly maxBodyBytes?: number | undefined
  readonly recentLimit?: number | undefined
  /** Where webhooks go unless a payment has its own `notice_url`. Default: nowhere. */
  readonly webhookUrl?: string | undefined
  /** Body format of webhooks, as chosen in the console. Default `"json"`. */
  readonly webhookFormat?: "json" | "form" | undefined
  /** Resend a webhook that met a network error or a 5xx (5 times; the real service does so on request). Default false. */
  readonly webhookResend?: boolean | undefined
  /** Interval between resends, on the emulator's `Clock`. Default 1 minute. */
  readonly webhookResendInterval?: Duration.DurationInput | undefined
}

/**
 * Builds an emulator.
 *
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function* () {
    const secret = options.apiSecret ?? DEFAULT_API_SECRET
    const resolved: InternalApp.ResolvedOptions = {
      apiKey: options.apiKey ?? DEFAULT_API_KEY,
      apiSecret: Redacted.isRedacted(secret) ? Redacted.value(secret) : secret,
      tokenTtlSeconds: Math.max(1, Math.floor(Duration.toSeconds(Duration.decode(options.tokenTtl ?? "30 minutes")))),
      tiers: new Set(options.tiers ?? []),
      unauthorizedMessage: options.unauthorizedMessage ?? DEFAULT_UNAUTHORIZED_MESSAGE,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024
    }
    const webhooks = yield* InternalWebhooks.make({
      url: options.webhookUrl,
      format: options.webhookFormat ?? "json",
      resends: options.webhookResend ? 5 : 0,
      interval: Duration.decode(options.webhookResendInterval ?? "1 minute"),
      timeout: Duration.seconds(30)
    })
    const events = yield* Queue.unbounded<InternalWebhooks.WebhookEvent>()
    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(events), webhooks.dispatch)))
    const state: InternalApp.State = {
      options: resolved,
      clock: InternalClock.make(),
      tokens: InternalTokens.make(resolved.tokenTtlSeconds),
      faults: InternalFaults.make(),
      counters: InternalCounters.make(options.recentLimit ?? 200),
      payments: InternalPayments.make((event) => void Queue.unsafeOffer(events, event)),
      webhooks,
      get areas() {
        return areas
      }
    }
    const areas = InternalAreas.make(state.payments)
    const { clock, counters, faults, payments, tokens } = state
    const start = yield* clock.now
    for (const input of options.payments ?? []) payments.seed(input, start)

    return IamportEmulator.of({
      app: InternalApp.makeApp(state),
      apiKey: resolved.apiKey,
      apiSecret: resolved.apiSecret,
      now: clock.now,
      setTime: clock.setTime,
      advance: (duration) => clock.advanceMillis(InternalClock.signedMillis(duration)),
      setClockOffset: (offset) => clock.setOffsetMillis(InternalClock.signedMillis(offset)),
      revokeTokens: Effect.sync(() => tokens.revokeAll()),
      seedPayment: (input = {}) => Effect.map(clock.now, (now) => payments.seed(input, now)),
      payment: (impUid, opts) => Effect.sync(() => Option.fromNullable(payments.get(impUid, opts?.tier))),
      prepared: (merchantUid, opts) =>
        Effect.sync(() => Option.fromNullable(payments.getPrepared(merchantUid, opts?.tier))),
      injectFaults: (fault, opts) => Effect.sync(() => faults.add(fault, opts)),
      clearFaults: Effect.sync(() => faults.clear()),
      counters: Effect.sync(() => counters.snapshot()),
      depositVbank: (impUid, opts) =>
        Effect.map(clock.now, (now) => paymentOf(payments.deposit(opts?.tier, impUid, now))),
      cancelFromConsole: (impUid, opts) =>
        Effect.map(clock.now, (now) =>
          paymentOf(
            payments.consoleCancel(
              opts?.tier,
              {
                imp_uid: impUid,
                ...(opts?.amount !== undefined ? { amount: String(opts.amount) } : {}),
                ...(opts?.reason !== undefined ? { reason: opts.reason } : {})
              },
              now
            )
          )
        ),
      sendWebhook: webhooks.dispatch,
      webhookDeliveries: Effect.sync(() => webhooks.deliveries()),
      billingKey: (customerUid, opts) =>
        Effect.sync(() => Option.fromNullable(areas.billing.key(customerUid, opts?.tier))),
      scheduledPayment: (merchantUid, opts) =>
        Effect.sync(() => Option.fromNullable(areas.billing.schedule(merchantUid, opts?.tier))),
      runDueSchedules: Effect.map(clock.now, (now) => areas.billing.runDue(now)),
      reset: Effect.sync(() => counters.reset())
    })
  })

/** The payment an admin action produced, if it succeeded. */
const paymentOf = (outcome: InternalPayments.Outcome): Option.Option<Payment> =>
  outcome.code === 0 ? Option.some(outcome.response as Payment) : Option.none()

/**
 * A layer with a fresh emulator.
 *
 * @since 0.1.0
 */
export const layer = (options?: Options): Layer.Layer<IamportEmulator> => Layer.scoped(IamportEmulator, make(options))

// ---------------------------------------------------------------------------
// In-process HttpClient
// ---------------------------------------------------------------------------

const toBodyInit = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<BodyInit | undefined, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(undefined)
    case "Raw":
      return Effect.succeed(body.body as BodyInit)
    case "Uint8Array":
      return Effect.succeed(body.body as BodyInit)
    case "FormData":
      return Effect.succeed(body.formData)
    case "Stream":
      return body.stream.pipe(
        Stream.runCollect,
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0))
          let offset = 0
          for (const part of parts) {
            out.set(part, offset)
            offset += part.length
          }
          return out as BodyInit
        }),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

/**
 * An `HttpClient` that answers every request with the emulator's `app`, in the
 * caller's fiber (no sockets; `TestClock` applies). The host of the URL is
 * ignored, so clients keep their production base URL. A `Drop` fault surfaces
 * as `RequestError` with reason `"Transport"`.
 *
 * @since 0.1.0
 */
export const makeHttpClient = (emulator: Service): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const body = yield* toBodyInit(request)
      const webRequest = yield* Effect.try({
        try: () =>
          new Request(url, {
            method: request.method,
            headers: request.headers,
            ...(body !== undefined && request.method !== "GET" && request.method !== "HEAD" ? { body } : {})
          }),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause })
      })
      const response = yield* emulator.app.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(webRequest))
      )
      if (InternalApp.droppedResponses.has(response)) {
        return yield* new HttpClientError.RequestError({
          request,
          reason: "Transport",
          description: "connection dropped (emulator fault)"
        })
      }
      return toClientResponse(request, response)
    })
  )

/** The emulator's answer to the client: in-memory bytes as they are, anything else through a web `Response`. */
const toClientResponse = (
  request: HttpClientRequest.HttpClientRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpClientResponse.HttpClientResponse => {
  const body = response.body
  if (body._tag !== "Uint8Array") return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
  const headers =
    body.contentType === undefined || response.headers["content-type"] !== undefined
      ? response.headers
      : Headers.set(response.headers, "content-type", body.contentType)
  return new InMemoryResponse(request, response.status, headers, body.body)
}

/**
 * Provides `HttpClient.HttpClient` backed by the emulator in process.
 *
 * @since 0.1.0
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, IamportEmulator> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(IamportEmulator, makeHttpClient)
)

/**
 * A fresh emulator plus an in-process `HttpClient` talking to it.
 *
 * @since 0.1.0
 */
export const layerWithHttpClient = (options?: Options): Layer.Layer<IamportEmulator | HttpClient.HttpClient> =>
  Layer.provideMerge(layerHttpClient, layer(options))

// ---------------------------------------------------------------------------
// Real HTTP server
// ---------------------------------------------------------------------------

/**
 * The address of a running emulator server, e.g. `{ url: "http://127.0.0.1:53211" }`.
 *
 * @since 0.1.0
 */
export class IamportEmulatorServer extends Context.Tag("@effect-iamport/testing/IamportEmulatorServer")<
  IamportEmulatorServer,
  { readonly url: string }
>() {}

/**
 * Server options: `port` (default 0 = any free port) and `host` (default `127.0.0.1`).
 *
 * @since 0.1.0
 */
export interface ServerOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
}

const urlHost = (hostname: string): string => {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1"
  if (hostname === "::") return "[::1]"
  return hostname.includes(":") ? `[${hostname}]` : hostname
}

/**
 * Serves the emulator's `app` over plain HTTP (Node `http`) for the lifetime of
 * the layer. A `Drop` fault destroys the socket.
 *
 * @since 0.1.0
 */
export const layerServer = (options?: ServerOptions): Layer.Layer<IamportEmulatorServer, ServeError, IamportEmulator> =>
  Layer.scoped(
    IamportEmulatorServer,
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator
      yield* HttpServer.serveEffect(emulator.app)
      const server = yield* HttpServer.HttpServer
      const address = server.address
      const url =
        address._tag === "TcpAddress"
          ? `http://${urlHost(address.hostname)}:${address.port}`
          : `http+unix://${encodeURIComponent(address.path)}`
      return IamportEmulatorServer.of({ url })
    })
  ).pipe(
    Layer.provide(
      NodeHttpServer.layerServer(() => Http.createServer(), {
        port: options?.port ?? 0,
        host: options?.host ?? "127.0.0.1"
      })
    )
  )

/**
 * A fresh emulator served over HTTP: provides both `IamportEmulator` and `IamportEmulatorServer`.
 *
 * @since 0.1.0
 */
export const layerWithServer = (
  options?: Options & ServerOptions
): Layer.Layer<IamportEmulator | IamportEmulatorServer, ServeError> =>
  Layer.provideMerge(layerServer(options), layer(options))

/**
 * Re-exported for users who want a web handler (`Request => Promise<Response>`).
 *
 * @since 0.1.0
 */
export const toWebHandler = (emulator: Service): ((request: Request) => Promise<Response>) =>
  HttpApp.toWebHandler(emulator.app)
