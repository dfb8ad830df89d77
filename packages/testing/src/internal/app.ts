/**
 * The emulator's `HttpApp`: admin routes, fault injection, auth, dispatch.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Areas from "./areas.js"
import type * as Clock from "./clock.js"
import type * as Counters from "./counters.js"
import * as Faults from "./faults.js"
import type * as Payments from "./payments.js"
import * as Routes from "./routes.js"
import * as Webhooks from "./webhooks.js"
import type * as Tokens from "./tokens.js"
import * as Wire from "./wire.js"

export interface ResolvedOptions {
  readonly apiKey: string
  readonly apiSecret: string
  readonly tokenTtlSeconds: number
  readonly tiers: ReadonlySet<string>
  readonly unauthorizedMessage: string
  readonly maxBodyBytes: number
}

export interface State {
  readonly options: ResolvedOptions
  readonly clock: Clock.EmulatorClock
  readonly tokens: Tokens.TokenStore
  readonly faults: Faults.FaultQueue
  readonly counters: Counters.CounterStore
  readonly payments: Payments.PaymentStore
  readonly webhooks: Webhooks.Webhooks
  /** Every area beyond payments (billing keys, schedules, vbanks, receipts, ...). */
  readonly areas: Areas.AreaStore
}

/** Responses standing for a dropped connection (see `Fault.Drop`). */
export const droppedResponses = new WeakSet<HttpServerResponse.HttpServerResponse>()

export const MSG = {
  missingCredentials: "imp_key, imp_secret 파라메터가 누락되었습니다.",
  badCredentials: "imp_key, imp_secret 인증에 실패하였습니다.",
  unknownTier: "유효하지 않은 하위 상점(Tier) 코드입니다.",
  notFound: "요청하신 API를 찾을 수 없습니다.",
  methodNotAllowed: "허용되지 않는 HTTP METHOD입니다.",
  tooLarge: "요청 본문이 너무 큽니다.",
  invalidJson: "요청 본문의 JSON 형식이 올바르지 않습니다.",
  badEncoding: "요청 경로의 인코딩이 올바르지 않습니다."
} as const

const fromOutcome = (o: Payments.Outcome) =>
  Wire.jsonResponse(o.status, { code: o.code, message: o.message, response: o.response })

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

const HTML_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`

/** Extracts the token: `Authorization: Bearer t`, `Authorization: t`, then `X-ImpTokenHeader: t`. */
export const presentedToken = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const authorization = headers["authorization"]?.trim()
  if (authorization !== undefined && authorization !== "") {
    const bearer = /^bearer\s+(.*)$/i.exec(authorization)
    return bearer !== null ? bearer[1]!.trim() : authorization
  }
  const legacy = headers["x-imptokenheader"]?.trim()
  return legacy === undefined || legacy === "" ? undefined : legacy
}

export const makeApp = (state: State): HttpApp.Default => {
  const { clock, counters, faults, options, payments, tokens } = state

  const unauthorized = () => Wire.failure(401, -1, options.unauthorizedMessage)

  const applyFault = (
    fault: Faults.Fault,
    request: HttpServerRequest.HttpServerRequest
  ): Effect.Effect<HttpServerResponse.HttpServerResponse | undefined> => {
    switch (fault._tag) {
      case "Delay":
        return Effect.succeed(undefined) // applied to the answer: see `respond`
      case "Status":
        return Effect.succeed(
          Wire.failure(fault.status, -1, fault.message ?? STATUS_TEXT[fault.status] ?? `HTTP ${fault.status}`)
        )
      case "Html502":
        return Effect.succeed(
          HttpServerResponse.text(HTML_502, { status: 502, contentType: "text/html; charset=utf-8" })
        )
      case "MalformedJson":
        return Effect.succeed(
          HttpServerResponse.text(`{"code":0,"message":null,"response":{"imp_uid":"imp_`, {
            status: 200,
            contentType: Wire.JSON_CONTENT_TYPE
          })
        )
      case "Unauthorized":
        return Effect.succeed(unauthorized())
      case "Drop":
        return Effect.sync(() => {
          // Real server: kill the socket. In-process: the client sees the marker.
          const source = (request as unknown as { source?: { socket?: { destroy?: () => void } } }).source
          source?.socket?.destroy?.()
          const response = HttpServerResponse.empty({ status: 599 })
          droppedResponses.add(response)
          return response
        })
    }
  }

  const getToken = (params: Wire.Params) =>
    Effect.gen(function* () {
      const key = Wire.stringParam(params.imp_key)
      const secret = Wire.stringParam(params.imp_secret)
      if (key === undefined || secret === undefined) return Wire.failure(400, -1, MSG.missingCredentials)
      if (key !== options.apiKey || secret !== options.apiSecret) {
        return Wire.failure(401, -1, MSG.badCredentials)
      }
      const now = yield* clock.now
      const { issued, record } = tokens.getToken(key, now)
      if (issued) counters.tokenIssued()
      return Wire.ok({ access_token: record.token, now, expired_at: record.expiredAt })
    })

  const dispatch = (
    id: Exclude<Routes.RouteId, "getToken">,
    params: Readonly<Record<string, string>>,
    query: Wire.Params,
    body: Wire.Params,
    tier: string | undefined,
    now: number
  ): HttpServerResponse.HttpServerResponse => {
    // Scheduled payments whose time has come run before any request is answered.
    state.areas.billing.runDue(now)
    switch (id) {
      case "paymentBalance":
        return fromOutcome(payments.balance(tier, params.imp_uid!))
      case "paymentByImpUid":
        return fromOutcome(payments.byImpUid(tier, params.imp_uid!, query))
      case "paymentsMany":
        return fromOutcome(payments.many(tier, query))
      case "paymentFind":
        return fromOutcome(payments.find(tier, params.merchant_uid!, params.payment_status, query))
      case "paymentFindAll":
        return fromOutcome(payments.findAll(tier, params.merchant_uid!, params.payment_status, query))
      case "paymentsByStatus":
        return fromOutcome(payments.byStatus(tier, params.payment_status!, query, now))
      case "paymentCancel":
        return fromOutcome(payments.cancel(tier, { ...query, ...body }, now))
      case "prepareCreate":
        return fromOutcome(payments.prepare(tier, { ...query, ...body }))
      case "prepareUpdate":
        return fromOutcome(payments.updatePrepare(tier, { ...query, ...body }))
      case "prepareGet":
        return fromOutcome(payments.getPrepare(tier, params.merchant_uid!))
      default:
        return fromOutcome(state.areas.dispatch(id, params, query, body, tier, now))
    }
  }

  const readBody = (request: HttpServerRequest.HttpServerRequest) =>
    request.method === "GET" || request.method === "HEAD"
      ? Effect.succeed<Wire.Params>({})
      : Wire.readParams(request, options.maxBodyBytes)

  const bodyError = (error: Wire.BodyError) =>
    error === "TooLarge" ? Wire.failure(413, -1, MSG.tooLarge) : Wire.failure(400, -1, MSG.invalidJson)

  const api = (request: HttpServerRequest.HttpServerRequest, target: Wire.ParsedTarget) =>
    Effect.gen(function* () {
      const matched = Routes.match(request.method, target.rawSegments)
      const route = matched._tag === "Matched" ? matched.template : null
      const routeParams = matched._tag === "Matched" ? matched.params : {}
      const isGetToken = matched._tag === "Matched" && matched.id === "getToken"
      if (isGetToken) counters.getTokenCall()
      // Read before any fault, so the log shows what a faulted write carried too.
      const bodyResult = yield* Effect.either(readBody(request))
      // The log keeps the body of a routed write, never getToken's (it holds `imp_secret`).
      const logged =
        matched._tag === "Matched" && !isGetToken && request.method !== "GET" && bodyResult._tag === "Right"
          ? { body: structuredClone(bodyResult.right) }
          : {}

      // A `Delay` fault holds the answer back after the request was processed, as a slow network would:
      // a client that gives up meanwhile cannot know whether its write happened.
      let delay: Faults.Fault | undefined
      const respond = (response: HttpServerResponse.HttpServerResponse) =>
        Effect.sync(() => {
          counters.record({
            method: request.method,
            rawPath: target.rawPath,
            rawQuery: target.rawQuery,
            route,
            params: routeParams,
            status: droppedResponses.has(response) ? 0 : response.status,
            ...logged
          })
          return response
        }).pipe(Effect.tap(() => (delay?._tag === "Delay" ? Effect.sleep(delay.duration) : Effect.void)))

      const fault = faults.take(target.normalizedPath)
      if (fault !== undefined) {
        counters.faultApplied()
        if (fault._tag === "Delay") delay = fault
        const faulted = yield* applyFault(fault, request)
        if (faulted !== undefined) return yield* respond(faulted)
      }

      switch (matched._tag) {
        case "NotFound":
          return yield* respond(Wire.failure(404, -1, MSG.notFound))
        case "BadEncoding":
          return yield* respond(Wire.failure(400, -1, MSG.badEncoding))
        case "MethodNotAllowed":
          return yield* respond(
            HttpServerResponse.setHeader(
              Wire.failure(405, -1, MSG.methodNotAllowed),
              "allow",
              matched.allowed.join(", ")
            )
          )
        case "Matched":
          break
      }

      if (bodyResult._tag === "Left") return yield* respond(bodyError(bodyResult.left))
      const body = bodyResult.right
      const query = Wire.parseUrlEncoded(target.rawQuery)

      if (matched.id === "getToken") {
        return yield* respond(yield* getToken({ ...query, ...body }))
      }

      const now = yield* clock.now
      const tierHeader = request.headers["tier"]?.trim()
      const tier = tierHeader === undefined || tierHeader === "" ? undefined : tierHeader
      if (tier !== undefined && !options.tiers.has(tier)) {
        return yield* respond(Wire.failure(401, -1, MSG.unknownTier))
      }
      const check = tokens.check(presentedToken(request.headers), now)
      if (check._tag !== "Valid") {
        if (check._tag === "Expired") counters.expiredPresented()
        return yield* respond(unauthorized())
      }
      return yield* respond(dispatch(matched.id, matched.params, query, body, tier, now))
    })

  // -------------------------------------------------------------------------
  // Admin routes under /__emulator/ (no auth, no faults, not counted)
  // -------------------------------------------------------------------------

  const admin = (request: HttpServerRequest.HttpServerRequest, target: Wire.ParsedTarget) =>
    Effect.gen(function* () {
      const segments = target.rawSegments.slice(1).map((s) => Wire.decodeSegment(s) ?? s)
      const path = segments.join("/")
      const bodyResult = yield* Effect.either(readBody(request))
      if (bodyResult._tag === "Left") return bodyError(bodyResult.left)
      const body = bodyResult.right
      const method = request.method
      const notAllowed = Wire.failure(405, -1, MSG.methodNotAllowed)

      if (path === "clock") {
        if (method === "GET") return Wire.ok({ now: yield* clock.now })
        if (method !== "POST") return notAllowed
        const set = Wire.numberParam(body.set)
        const advance = Wire.numberParam(body.advance)
        const offset = Wire.numberParam(body.offset)
        if ([set, advance, offset].some((n) => n !== undefined && Number.isNaN(n))) {
          return Wire.failure(400, -1, "set, advance, offset must be numbers (seconds)")
        }
        if (offset !== undefined) yield* clock.setOffsetMillis(offset * 1000)
        if (set !== undefined) yield* clock.setTime(set)
        if (advance !== undefined) yield* clock.advanceMillis(advance * 1000)
        return Wire.ok({ now: yield* clock.now })
      }
      if (path === "tokens/revoke") {
        if (method !== "POST") return notAllowed
        tokens.revokeAll()
        return Wire.ok({ revoked: true })
      }
      if (path === "payments") {
        if (method !== "POST") return notAllowed
        const now = yield* clock.now
        return Wire.ok(payments.seed(sanitizeSeed(body), now))
      }
      if (segments[0] === "payments" && segments.length === 2) {
        if (method !== "GET") return notAllowed
        const tier = Wire.stringParam(Wire.parseUrlEncoded(target.rawQuery).tier)
        const payment = payments.get(segments[1]!, tier)
        return payment === undefined ? Wire.failure(404, -1, "no such payment") : Wire.ok(payment)
      }
      if (path === "faults") {
        if (method === "DELETE") {
          faults.clear()
          return Wire.ok({ pending: 0 })
        }
        if (method !== "POST") return notAllowed
        const fault = Faults.fromJson(body.fault)
        if (fault === undefined) return Wire.failure(400, -1, "invalid fault")
        const count = Wire.numberParam(body.count)
        const route = Wire.stringParam(body.route)
        faults.add(fault, {
          ...(count !== undefined && !Number.isNaN(count) ? { count } : {}),
          ...(route !== undefined ? { route } : {})
        })
        return Wire.ok({ pending: faults.pending() })
      }
      if (path === "webhooks") {
        if (method === "GET") return Wire.ok(state.webhooks.deliveries())
        if (method !== "POST") return notAllowed
        const impUid = Wire.stringParam(body.imp_uid)
        const merchantUid = Wire.stringParam(body.merchant_uid)
        const status = Wire.stringParam(body.status)
        if (impUid === undefined || merchantUid === undefined || status === undefined) {
          return Wire.failure(400, -1, "imp_uid, merchant_uid and status are required")
        }
        yield* state.webhooks.dispatch({
          imp_uid: impUid,
          merchant_uid: merchantUid,
          status,
          cancellation_id: Wire.stringParam(body.cancellation_id),
          url: Wire.stringParam(body.url)
        })
        return Wire.ok({ sent: true })
      }
      if (path === "vbank/deposit") {
        if (method !== "POST") return notAllowed
        const now = yield* clock.now
        const impUid = Wire.stringParam(body.imp_uid) ?? ""
        return fromOutcome(payments.deposit(Wire.stringParam(body.tier), impUid, now))
      }
      if (path === "payments/cancel") {
        if (method !== "POST") return notAllowed
        const now = yield* clock.now
        return fromOutcome(payments.consoleCancel(Wire.stringParam(body.tier), body, now))
      }
      if (path === "schedules/run") {
        if (method !== "POST") return notAllowed
        return Wire.ok(state.areas.billing.runDue(yield* clock.now))
      }
      if (path === "counters") {
        if (method !== "GET") return notAllowed
        return Wire.ok(counters.snapshot())
      }
      if (path === "reset") {
        if (method !== "POST") return notAllowed
        counters.reset()
        return Wire.ok({ reset: true })
      }
      return Wire.failure(404, -1, MSG.notFound)
    })

  const handle = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const target = Wire.parseTarget(request.url)
    if (target.rawSegments[0] === "__emulator") return yield* admin(request, target)
    return yield* api(request, target)
  })

  return handle.pipe(
    Effect.catchAllCause((cause) =>
      Effect.succeed(Wire.failure(500, -1, `emulator bug: ${String(cause)}`.slice(0, 500)))
    )
  )
}

const NUMERIC_SEED_FIELDS = [
  "amount",
  "cancel_amount",
  "card_quota",
  "card_type",
  "vbank_date",
  "vbank_issued_at",
  "started_at",
  "paid_at",
  "failed_at",
  "cancelled_at"
] as const

/** Admin seeding accepts JSON or form; coerce numeric and boolean fields. */
const sanitizeSeed = (body: Wire.Params): Payments.SeedPayment => {
  const out: Record<string, unknown> = { ...body }
  for (const field of NUMERIC_SEED_FIELDS) {
    const n = Wire.numberParam(out[field])
    if (n === undefined || Number.isNaN(n)) delete out[field]
    else out[field] = n
  }
  for (const field of ["sandbox", "escrow", "cash_receipt_issued", "notify"] as const) {
    const b = Wire.booleanParam(out[field])
    if (b === undefined) delete out[field]
    else out[field] = b
  }
  return out as Payments.SeedPayment
}
