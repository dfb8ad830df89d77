/**
 * An emulator of the i'mport (PortOne V1) REST API (`https://api.iamport.kr`)
 * for tests and local development: tokens with the documented reuse and
 * 5-minute-extension rules, the payments and prepare endpoints, fault
 * injection, counters and an emulator clock driven by Effect's `Clock`
 * (so `TestClock` controls it).
 *
 * One implementation, three ways to run it:
 * - in process: `transport` hands the client's requests to the emulator as
 *   plain data (what `IamportTest.layer` uses); `layerHttpClient` is an
 *   `HttpClient` that runs the emulator's `HttpApp` in the caller's fiber (no
 *   sockets either);
 * - over HTTP: `layerServer` serves it on a loopback port;
 * - as a CLI: `iamport-emulator --port 4010` (`--help` lists its flags).
 *
 * Admin routes under `/__emulator/` (no auth) expose the same controls over HTTP: the clock, seeding and
 * reading payments, virtual-account deposits, console cancels, webhooks, declined cards, scheduled payments,
 * faults, token revocation, counters. `GET /__emulator/routes` lists them; the package README has a `curl`
 * example of each.
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
import type * as IamportTransport from "@effect-iamport/client/IamportTransport"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as InternalCertifications from "./internal/areas/certifications.js"
import * as InternalCards from "./internal/cards.js"
import * as InternalEmulator from "./internal/emulator.js"
import * as InternalFaults from "./internal/faults.js"
import * as InternalHttpClient from "./internal/httpClient.js"
import * as InternalServer from "./internal/server.js"
import * as InternalTransport from "./internal/transport.js"

// ---------------------------------------------------------------------------
// Plain data types (independent of the client package)
// ---------------------------------------------------------------------------

/**
 * A payment as the API returns it (spec `PaymentAnnotation`); timestamps are
 * UNIX seconds with `0` meaning "not yet".
 *
 * @category models
 * @since 0.1.0
 */
export interface Payment {
  readonly imp_uid: string
  readonly merchant_uid: string
  readonly pay_method: string
  readonly channel: string
  readonly pg_provider: string
  readonly emb_pg_provider: string | null
  readonly pg_tid: string
  readonly pg_id: string
  readonly sandbox: boolean
  readonly escrow: boolean
  readonly apply_num: string
  readonly bank_code: string | null
  readonly bank_name: string | null
  readonly card_code: string | null
  readonly card_name: string | null
  readonly card_issuer_code: string | null
  readonly card_issuer_name: string | null
  readonly card_publisher_code: string | null
  readonly card_publisher_name: string | null
  readonly card_quota: number
  readonly card_number: string | null
  readonly card_type: number | null
  readonly vbank_code: string | null
  readonly vbank_name: string | null
  readonly vbank_num: string | null
  readonly vbank_holder: string | null
  readonly vbank_date: number
  readonly vbank_issued_at: number
  readonly name: string
  readonly amount: number
  readonly cancel_amount: number
  readonly currency: string
  readonly buyer_name: string
  readonly buyer_email: string
  readonly buyer_tel: string
  readonly buyer_addr: string
  readonly buyer_postcode: string
  readonly custom_data: string | null
  readonly user_agent: string
  readonly status: string
  readonly started_at: number
  readonly paid_at: number
  readonly failed_at: number
  readonly cancelled_at: number
  readonly fail_reason: string | null
  readonly cancel_reason: string | null
  readonly receipt_url: string
  readonly cancel_history: ReadonlyArray<PaymentCancel>
  readonly cancel_receipt_urls: ReadonlyArray<string>
  readonly cash_receipt_issued: boolean
  readonly customer_uid: string | null
  readonly customer_uid_usage: string | null
  readonly promotion: { readonly id: string; readonly discount: number } | null
}
/**
 * One entry of `Payment.cancel_history` (spec `PaymentCancelAnnotation`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PaymentCancel {
  readonly pg_tid: string
  readonly amount: number
  readonly cancelled_at: number
  readonly reason: string
  readonly cancellation_id: string
  readonly receipt_url: string
}
/**
 * Input of `seedPayment`: any payment field, the rest defaulted (status `paid`,
 * amount 1000 KRW, card via `html5_inicis`, `paid_at` = emulator now, a random
 * `imp_` + 12 digits id). `tier` scopes the payment to a sub-merchant.
 *
 * @category models
 * @since 0.1.0
 */
export type SeedPayment = { readonly [K in keyof Payment]?: Payment[K] | undefined } & {
  readonly tier?: string | undefined
  /** Where this payment's webhooks go (overrides the configured URL), like `notice_url` at payment time. */
  readonly notice_url?: string | undefined
  /** Send the webhook a real payment would cause (`paid`, or `ready` for an issued virtual account). Default true. */
  readonly notify?: boolean | undefined
}
/**
 * A pre-registered amount (spec `PaymentPrepareAnnotation`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Prepared {
  readonly merchant_uid: string
  readonly amount: number
  readonly currency?: string
}
/**
 * A billing key as the API returns it (spec `CustomerAnnotation`).
 *
 * @category models
 * @since 0.2.0
 */
export interface BillingKey {
  readonly customer_uid: string
  readonly pg_provider: string
  readonly pg_id: string
  readonly sandbox: boolean
  readonly customer_id: string | null
  readonly card_name: string
  readonly card_code: string
  readonly card_number: string
  readonly card_type: number
  readonly customer_name: string | null
  readonly customer_tel: string | null
  readonly customer_email: string | null
  readonly customer_addr: string | null
  readonly customer_postcode: string | null
  readonly inserted: number
  readonly updated: number
}
/**
 * A scheduled payment as the API returns it (spec `ScheduleResultAnnotation`).
 *
 * @category models
 * @since 0.2.0
 */
export interface ScheduledPayment {
  readonly customer_uid: string
  readonly merchant_uid: string
  readonly imp_uid: string | null
  readonly pg_provider: string | null
  readonly pg_id: string | null
  readonly customer_id: string | null
  readonly schedule_at: number
  readonly executed_at: number
  readonly revoked_at: number
  readonly amount: number
  readonly currency: string
  readonly name: string
  readonly buyer_name: string | null
  readonly buyer_email: string | null
  readonly buyer_tel: string | null
  readonly buyer_addr: string | null
  readonly buyer_postcode: string | null
  readonly custom_data: string | null
  readonly schedule_status: "scheduled" | "executed" | "revoked"
  readonly payment_status: string | null
  readonly fail_reason: string | null
}
/**
 * The one-time password the emulator "texts" for `POST /certifications/otp/request`; any other code is refused.
 *
 * @category api
 * @since 0.2.0
 */
export const CERTIFICATION_OTP = InternalCertifications.OTP

/**
 * A card number the emulator always declines, for testing decline paths: a key-in payment answers HTTP 200, code
 * -1, `카드정보 인증에 실패하였습니다. [F113]거래거절 카드번호틀림` (`카드정보 인증 및 빌키 발급에 실패하였습니다. ...` when
 * it would issue a billing key), and nothing is paid. Other cards can be declined with `Service.declineCard`.
 * Every decline the emulator makes is listed in the README ("Card declines").
 *
 * @category api
 * @since 0.2.0
 */
export const DECLINED_CARD_NUMBER: string = InternalCards.DECLINED_CARD_NUMBER

/**
 * Counters snapshot; see `Service.counters`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Counters {
  /** Requests to `POST /users/getToken` (any outcome). */
  readonly getTokenCalls: number
  /** New tokens minted (reuses and extensions not counted). */
  readonly tokensIssued: number
  /**
   * Requests per route, keyed `METHOD /route/{template}` (optional segments only when present); a request no
   * route matched (404, 405, a path parameter that does not decode) is keyed `METHOD (unmatched)`.
   */
  readonly requests: Readonly<Record<string, number>>
  /** All non-admin requests. */
  readonly totalRequests: number
  /** Responses with HTTP status 401. */
  readonly unauthorized: number
  /**
   * Requests that presented a known but expired token. The emulator knows the last 1,000 tokens it issued; an
   * older one is unknown (401 all the same, not counted here).
   */
  readonly expiredTokensPresented: number
  /** Faults applied. */
  readonly faultsApplied: number
  /** The last requests seen (bounded, oldest first). */
  readonly recent: ReadonlyArray<RequestRecord>
}
/**
 * A webhook to send: which payment changed and its status; `url` overrides the
 * configured URL (for a forged webhook, or a payment's `notice_url`).
 *
 * @category models
 * @since 0.1.0
 */
export interface WebhookEvent {
  readonly imp_uid: string
  readonly merchant_uid: string
  readonly status: string
  readonly cancellation_id?: string | undefined
  /** Overrides the configured URL (the payment's `notice_url`, or a forged webhook's target). */
  readonly url?: string | undefined
}
/**
 * One webhook delivery attempt: where, what, which attempt, and the HTTP status
 * the receiver answered (0 for a network error).
 *
 * @category models
 * @since 0.1.0
 */
export interface WebhookDelivery {
  readonly url: string
  readonly body: string
  readonly contentType: string
  readonly attempt: number
  readonly status: number
  readonly error?: string
}
/**
 * One request as recorded in `Counters.recent` (admin routes are not recorded).
 *
 * @category models
 * @since 0.1.0
 */
export interface RequestRecord {
  readonly method: string
  /** The raw request target path, before any decoding or normalization (no query). */
  readonly rawPath: string
  /** The raw query string without `?` ("" when none). */
  readonly rawQuery: string
  /** Matched route, e.g. `GET /payments/{imp_uid}`; `null` when no route matched. */
  readonly route: string | null
  /** Percent-decoded path parameters of the matched route. */
  readonly params: Readonly<Record<string, string>>
  /** HTTP status answered (0 when the connection was dropped). */
  readonly status: number
  /**
   * The parsed body parameters (JSON or form) of a routed non-GET request; absent for
   * `POST /users/getToken` (it holds the secret) and for a body that could not be read.
   */
  readonly body?: Readonly<Record<string, unknown>>
}
/**
 * A simulated failure; build with `Fault.Status({ status: 503 })`, `Fault.Drop()`, ...
 *
 * - `Status`: answer with that HTTP status and an error envelope (`code: -1`), with a `Retry-After` header when
 *   `retryAfter` is given (seconds, or an HTTP date; since 0.2.0).
 * - `Html502`: a 502 HTML page (`text/html`), as a load balancer would send.
 * - `Delay`: process the request, then hold the answer back (Effect `sleep`, so `TestClock` drives it): a
 *   client that times out meanwhile cannot know that its write happened (`transport`: a delay as long as the
 *   client's `timeout` or longer is an `IamportTransportError` reason `"Timeout"`).
 * - `Drop`: drop the connection (in-process client: `RequestError` reason
 *   `"Transport"`; `transport`: `IamportTransportError` reason `"Connection"`; real server: the socket is
 *   destroyed).
 * - `MalformedJson`: HTTP 200 with a truncated JSON body.
 * - `Unauthorized`: a 401 envelope, as if the token had been rejected.
 * - `CutBody`: process the request, then cut the connection mid-body: the headers announce the whole answer's
 *   length, half of it arrives (in-process client: reading the body fails with `ResponseError`; `transport`:
 *   `IamportTransportError` reason `"Connection"`). The write happened; the caller cannot read that it did.
 *   Since 0.2.0.
 * - `WrongContentType`: the real answer with another `content-type` (default `text/html; charset=utf-8`, as a
 *   proxy in the way might send). Since 0.2.0.
 *
 * @category models
 * @since 0.1.0
 */
export type Fault = Data.TaggedEnum<{
  Status: { readonly status: number; readonly message?: string; readonly retryAfter?: number | string }
  Html502: {}
  Delay: { readonly duration: Duration.DurationInput }
  Drop: {}
  MalformedJson: {}
  Unauthorized: {}
  CutBody: {}
  WrongContentType: { readonly contentType?: string }
}>

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
 * @category api
 * @since 0.1.0
 */
export const Fault: Data.TaggedEnum.Constructor<Fault> = InternalFaults.Fault

/**
 * Options of `injectFaults`: `count` (default 1) and a path prefix `route`.
 *
 * @category models
 * @since 0.1.0
 */
export interface FaultOptions {
  /** How many matching requests the fault applies to (default 1). */
  readonly count?: number
  /** Path prefix the request must start with, e.g. `"/payments"` (default: any). */
  readonly route?: string
}
/**
 * The key i'mport's docs use for the public test account.
 *
 * @category api
 * @since 0.1.0
 */
export const DEFAULT_API_KEY = "imp_apikey"

/**
 * The secret i'mport's docs publish for the public test account.
 *
 * @category api
 * @since 0.1.0
 */
export const DEFAULT_API_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"

/**
 * The message of 401 envelopes for missing, unknown or expired tokens (the
 * real text is undocumented; override with `Options.unauthorizedMessage`).
 *
 * @category api
 * @since 0.1.0
 */
export const DEFAULT_UNAUTHORIZED_MESSAGE = "Unauthorized"

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

/**
 * The emulator's controls and its `HttpApp`.
 *
 * @category models
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
  /**
   * Stores a payment (replacing one with the same `imp_uid`) and returns its JSON, frozen: the emulator replaces
   * a payment when it changes, never changes one in place.
   */
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
  /**
   * Declares a card declined (any `-` or spaces ignored), with `reason` after the decline prefix (default
   * `[F113]거래거절 카드번호틀림`): key-in payments and billing-key issuance with it answer code -1, and charges on
   * a billing key already issued from it (`again`, scheduled payments) make a `failed` payment (code 0, as the
   * real API reports a declined charge). HTTP: `POST /__emulator/cards/decline {card_number, reason?}`.
   */
  readonly declineCard: (cardNumber: string, options?: { readonly reason?: string }) => Effect.Effect<void>
  /** Resets the counters (state, tokens and faults are kept). */
  readonly reset: Effect.Effect<void>
}

/**
 * The emulator service.
 *
 * @category context
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
 * @category models
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
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, Scope.Scope> =>
  InternalEmulator.make(options, {
    apiKey: DEFAULT_API_KEY,
    apiSecret: DEFAULT_API_SECRET,
    unauthorizedMessage: DEFAULT_UNAUTHORIZED_MESSAGE
  })

/**
 * A layer with a fresh emulator.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options?: Options): Layer.Layer<IamportEmulator> => Layer.scoped(IamportEmulator, make(options))

// ---------------------------------------------------------------------------
// In-process HttpClient
// ---------------------------------------------------------------------------

/**
 * An `HttpClient` that answers every request with the emulator's `app`, in the
 * caller's fiber (no sockets; `TestClock` applies). The host of the URL is
 * ignored, so clients keep their production base URL. A `Drop` fault surfaces
 * as `RequestError` with reason `"Transport"`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeHttpClient: (emulator: Service) => HttpClient.HttpClient = InternalHttpClient.make

/**
 * Provides `HttpClient.HttpClient` backed by the emulator in process.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, IamportEmulator> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(IamportEmulator, makeHttpClient)
)

/**
 * A fresh emulator plus an in-process `HttpClient` talking to it.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWithHttpClient = (options?: Options): Layer.Layer<IamportEmulator | HttpClient.HttpClient> =>
  Layer.provideMerge(layerHttpClient, layer(options))

// ---------------------------------------------------------------------------
// In-memory transport
// ---------------------------------------------------------------------------

/**
 * The client's transport straight onto the emulator, for `IamportClient.makeWith`: each request handed to the
 * emulator as plain data in the caller's fiber, with no `HttpClient`, web `Request` or `Response` in between
 * (what `IamportTest.layer` runs on). `options` are the client's: `timeout` (a `Delay` fault at least that
 * long fails the attempt with `IamportTransportError` reason `"Timeout"`, on the Effect `Clock`, the request
 * processed all the same), `maxResponseBytes` (a larger answer is an `IamportDecodeError`), and `baseUrl`,
 * whose host is ignored (its path, if any, prefixes every request). A `Drop` or `CutBody` fault is an
 * `IamportTransportError` reason `"Connection"`; a 429 or 503 answer carries its `Retry-After`.
 *
 * @category constructors
 * @since 0.2.0
 * @example
 * ```ts
 * import { IamportClient, Payments } from "@effect-iamport/client"
 * import { Effect, Layer, Redacted } from "effect"
 * import { IamportEmulator } from "@effect-iamport/testing"
 *
 * const client = Layer.scopedContext(
 *   Effect.flatMap(IamportEmulator.IamportEmulator, (emulator) =>
 *     IamportClient.makeWith(IamportEmulator.transport(emulator, { timeout: "5 seconds" }), {
 *       apiKey: IamportEmulator.DEFAULT_API_KEY,
 *       apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET)
 *     })
 *   )
 * ).pipe(Layer.provideMerge(IamportEmulator.layer()))
 * const program = Payments.getPayment("imp_000000000001").pipe(Effect.provide(client))
 * ```
 */
export const transport: (emulator: Service, options?: IamportTransport.Options) => IamportTransport.IamportTransport =
  InternalTransport.make

// ---------------------------------------------------------------------------
// Real HTTP server
// ---------------------------------------------------------------------------

/**
 * The address of a running emulator server, e.g. `{ url: "http://127.0.0.1:53211" }`.
 *
 * @category context
 * @since 0.1.0
 */
export class IamportEmulatorServer extends Context.Tag("@effect-iamport/testing/IamportEmulatorServer")<
  IamportEmulatorServer,
  { readonly url: string }
>() {}

/**
 * Server options: `port` (default 0 = any free port) and `host` (default `127.0.0.1`).
 *
 * @category models
 * @since 0.1.0
 */
export interface ServerOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
}

/**
 * Serves the emulator's `app` over plain HTTP (Node `http`) for the lifetime of
 * the layer. A `Drop` fault destroys the socket.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerServer = (options?: ServerOptions): Layer.Layer<IamportEmulatorServer, ServeError, IamportEmulator> =>
  Layer.scoped(IamportEmulatorServer, Effect.flatMap(IamportEmulator, InternalServer.serve)).pipe(
    Layer.provide(InternalServer.nodeServer(options))
  )

/**
 * A fresh emulator served over HTTP: provides both `IamportEmulator` and `IamportEmulatorServer`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWithServer = (
  options?: Options & ServerOptions
): Layer.Layer<IamportEmulator | IamportEmulatorServer, ServeError> =>
  Layer.provideMerge(layerServer(options), layer(options))

/**
 * Re-exported for users who want a web handler (`Request => Promise<Response>`).
 *
 * @category api
 * @since 0.1.0
 */
export const toWebHandler = (emulator: Service): ((request: Request) => Promise<Response>) =>
  HttpApp.toWebHandler(emulator.app)
