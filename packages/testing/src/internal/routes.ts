/**
 * The route table of the emulated API and a matcher that works on raw
 * (still percent-encoded) segments, decoding each parameter on its own so an
 * encoded `/` never changes which route is taken.
 *
 * A route is identified as in the spec, `"METHOD /path/{param}"` (`{name?}`: an optional trailing parameter);
 * its handler is in `handlers.ts`, by the same id.
 *
 * @internal
 */
import { decodeSegment } from "./wire.js"

export type Method = "GET" | "POST" | "PUT" | "DELETE"

/** Every route of the API; on a tie between equally literal routes, the first listed wins. */
export const ROUTE_IDS = [
  // users, payments, payments.validation
  "POST /users/getToken",
  "GET /payments/{imp_uid}/balance",
  "GET /payments/{imp_uid}",
  "GET /payments",
  "GET /payments/find/{merchant_uid}/{payment_status?}",
  "GET /payments/findAll/{merchant_uid}/{payment_status?}",
  "GET /payments/status/{payment_status}",
  "POST /payments/cancel",
  "POST /payments/prepare",
  "PUT /payments/prepare",
  "GET /payments/prepare/{merchant_uid}",
  // every other area
  "GET /subscribe/payments/schedule",
  "POST /subscribe/payments/schedule",
  "POST /subscribe/payments/unschedule",
  "POST /subscribe/payments/onetime",
  "POST /subscribe/payments/again",
  "GET /subscribe/payments/schedule/{merchant_uid}",
  "PUT /subscribe/payments/schedule/{merchant_uid}",
  "POST /subscribe/payments/schedule/{merchant_uid}/reschedule",
  "POST /subscribe/payments/schedule/{merchant_uid}/retry",
  "GET /subscribe/payments/schedule/customers/{customer_uid}",
  "GET /subscribe/customers",
  "GET /subscribe/customers/{customer_uid}",
  "POST /subscribe/customers/{customer_uid}",
  "DELETE /subscribe/customers/{customer_uid}",
  "GET /subscribe/customers/{customer_uid}/payments",
  "GET /subscribe/customers/{customer_uid}/schedules",
  "GET /certifications/{imp_uid}",
  "DELETE /certifications/{imp_uid}",
  "POST /certifications/otp/request",
  "POST /certifications/otp/confirm/{imp_uid}",
  "GET /escrows/logis/{imp_uid}",
  "PUT /escrows/logis/{imp_uid}",
  "POST /escrows/logis/{imp_uid}",
  "GET /receipts/{imp_uid}",
  "POST /receipts/{imp_uid}",
  "DELETE /receipts/{imp_uid}",
  "GET /receipts/external/{merchant_uid}",
  "POST /receipts/external/{merchant_uid}",
  "DELETE /receipts/external/{merchant_uid}",
  "POST /vbanks",
  "PUT /vbanks/{imp_uid}",
  "DELETE /vbanks/{imp_uid}",
  "POST /cvs",
  "DELETE /cvs/{imp_uid}",
  "GET /cards",
  "GET /cards/{card_standard_code}",
  "GET /banks",
  "GET /banks/{bank_standard_code}",
  "POST /payco/orders/status/{imp_uid}",
  "POST /paymentwall/delivery",
  "POST /partners/receipts/{imp_uid}",
  "GET /tiers/{tier_code}",
  "GET /users/pg",
  "POST /payments/{imp_uid}/naver/cancel",
  "POST /payments/{imp_uid}/naver/approve-cancel",
  "POST /payments/{imp_uid}/naver/ship",
  "POST /payments/{imp_uid}/naver/ship-exchanged",
  "POST /payments/{imp_uid}/naver/collect-exchanged",
  "POST /payments/{imp_uid}/naver/place",
  "POST /payments/{imp_uid}/naver/request-return",
  "POST /payments/{imp_uid}/naver/approve-return",
  "POST /payments/{imp_uid}/naver/reject-return",
  "POST /payments/{imp_uid}/naver/withhold-return",
  "POST /payments/{imp_uid}/naver/resolve-return",
  "POST /payments/{imp_uid}/naver/point",
  "POST /payments/{imp_uid}/naver/confirm",
  "GET /payments/{imp_uid}/naver/product-orders",
  "GET /naver/product-orders/{product_order_id}",
  "GET /naver/reviews",
  "GET /payments/{imp_uid}/naver/cash-amount",
  "POST /benepia/point",
  "POST /benepia/payment",
  "DELETE /kcpquick/members/{member_id}",
  "POST /kcpquick/payment/money",
  "PUT /kcpquick/prepare/{merchant_uid}",
  "POST /kcpquick/prepare/{merchant_uid}",
  "POST /kcpquick/payment/autopay",
  "DELETE /kcpquick/autopay/{customer_uid}",
  "POST /kcpquick/members/{member_id}/fido/release"
] as const satisfies ReadonlyArray<`${Method} /${string}`>

/** `"METHOD /path/{param}"`, as in the spec. */
export type RouteId = (typeof ROUTE_IDS)[number]

/** A route compiled for matching: per position, the literal it needs or the parameter it binds. */
interface Route {
  readonly id: RouteId
  readonly method: Method
  /** How many segments it takes: `max` when its optional trailing parameter is present, else `min`. */
  readonly min: number
  readonly max: number
  /** The literal each position needs (`undefined` for a parameter). */
  readonly literals: ReadonlyArray<string | undefined>
  /** The parameter each position binds (`undefined` for a literal). */
  readonly names: ReadonlyArray<string | undefined>
  /** The route's template with `min` and with `max` segments (`GET /payments/{imp_uid}`). */
  readonly templates: readonly [short: string, full: string]
}

const compile = (id: RouteId): Route => {
  const space = id.indexOf(" ")
  const method = id.slice(0, space) as Method
  const segments = id
    .slice(space + 1)
    .split("/")
    .filter((s) => s !== "")
  const optional = segments.length > 0 && segments[segments.length - 1]!.endsWith("?}")
  const names = segments.map((s) => (s.startsWith("{") ? s.slice(1, s.endsWith("?}") ? -2 : -1) : undefined))
  const used = segments.map((s, i) => (names[i] === undefined ? s : `{${names[i]}}`))
  const template = (n: number) => `${method} /${used.slice(0, n).join("/")}`
  const min = optional ? segments.length - 1 : segments.length
  return {
    id,
    method,
    min,
    max: segments.length,
    literals: segments.map((s, i) => (names[i] === undefined ? s : undefined)),
    names,
    templates: [template(min), template(segments.length)]
  }
}

const ROUTES: ReadonlyArray<Route> = ROUTE_IDS.map(compile)

/** The routes a path could take, by its first segment (in table order); `anyFirst` for a first segment no route names. */
const anyFirst = ROUTES.filter((r) => r.literals[0] === undefined)
const byFirst = new Map<string, ReadonlyArray<Route>>(
  Array.from(new Set(ROUTES.flatMap((r) => (r.literals[0] === undefined ? [] : [r.literals[0]]))), (first) => [
    first,
    ROUTES.filter((r) => r.literals[0] === undefined || r.literals[0] === first)
  ])
)

export type Match =
  | {
      readonly _tag: "Matched"
      readonly id: RouteId
      /** e.g. `GET /payments/{imp_uid}` (optional segments only when present). */
      readonly template: string
      readonly params: Readonly<Record<string, string>>
    }
  | { readonly _tag: "MethodNotAllowed"; readonly allowed: ReadonlyArray<string> }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "BadEncoding" }

const NOT_FOUND: Match = { _tag: "NotFound" }
const BAD_ENCODING: Match = { _tag: "BadEncoding" }

/** The score of `route` for `segments` (literal segments weigh more the earlier they are), or -1 if no match. */
const score = (route: Route, segments: ReadonlyArray<string>): number => {
  const n = segments.length
  if (n < route.min || n > route.max) return -1
  let score = 0
  for (let i = 0; i < n; i++) {
    const literal = route.literals[i]
    if (literal === undefined) continue
    if (literal !== segments[i]) return -1
    score += 2 ** (16 - i)
  }
  return score
}

/**
 * The route for `method` and the raw segments: of the routes whose shape matches, the one of that method with
 * the most literal segments (the first listed on a tie), its parameters decoded.
 */
export const match = (method: string, rawSegments: ReadonlyArray<string>): Match => {
  const routes = byFirst.get(rawSegments[0] ?? "") ?? anyFirst
  let best: Route | undefined
  let bestScore = -1
  let shaped = false
  for (const route of routes) {
    const s = score(route, rawSegments)
    if (s < 0) continue
    shaped = true
    if (route.method === method && s > bestScore) {
      best = route
      bestScore = s
    }
  }
  if (best === undefined) {
    if (!shaped) return NOT_FOUND
    const allowed = new Set(routes.filter((r) => score(r, rawSegments) >= 0).map((r) => r.method))
    return { _tag: "MethodNotAllowed", allowed: Array.from(allowed) }
  }
  const params: Record<string, string> = {}
  for (let i = 0; i < rawSegments.length; i++) {
    const name = best.names[i]
    if (name === undefined) continue
    const decoded = decodeSegment(rawSegments[i]!)
    if (decoded === undefined) return BAD_ENCODING
    params[name] = decoded
  }
  return {
    _tag: "Matched",
    id: best.id,
    template: best.templates[rawSegments.length === best.max ? 1 : 0],
    params
  }
}
