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

interface Route {
  readonly id: RouteId
  readonly method: Method
  /** Segments; `{name}` is a parameter, `{name?}` an optional trailing parameter. */
  readonly segments: ReadonlyArray<string>
}

export const ROUTES: ReadonlyArray<Route> = ROUTE_IDS.map((id) => {
  const space = id.indexOf(" ")
  return {
    id,
    method: id.slice(0, space) as Method,
    segments: id
      .slice(space + 1)
      .split("/")
      .filter((s) => s !== "")
  }
})

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

interface Candidate {
  readonly route: Route
  readonly score: number
  readonly used: ReadonlyArray<string>
  readonly rawParams: ReadonlyArray<readonly [string, string]>
}

const matchRoute = (r: Route, segments: ReadonlyArray<string>): Candidate | undefined => {
  const optional = r.segments.length > 0 && r.segments[r.segments.length - 1]!.endsWith("?}")
  const min = optional ? r.segments.length - 1 : r.segments.length
  if (segments.length < min || segments.length > r.segments.length) return undefined
  let score = 0
  const rawParams: Array<readonly [string, string]> = []
  const used: Array<string> = []
  for (let i = 0; i < segments.length; i++) {
    const pattern = r.segments[i]!
    const segment = segments[i]!
    if (pattern.startsWith("{")) {
      const name = pattern.slice(1, pattern.endsWith("?}") ? -2 : -1)
      rawParams.push([name, segment])
      used.push(`{${name}}`)
    } else {
      if (pattern !== segment) return undefined
      score += 2 ** (16 - i)
      used.push(pattern)
    }
  }
  return { route: r, score, used, rawParams }
}

export const match = (method: string, rawSegments: ReadonlyArray<string>): Match => {
  const candidates = ROUTES.flatMap((r) => {
    const c = matchRoute(r, rawSegments)
    return c === undefined ? [] : [c]
  })
  if (candidates.length === 0) return { _tag: "NotFound" }
  const forMethod = candidates.filter((c) => c.route.method === method)
  if (forMethod.length === 0) {
    return { _tag: "MethodNotAllowed", allowed: Array.from(new Set(candidates.map((c) => c.route.method))) }
  }
  const best = forMethod.reduce((a, b) => (b.score > a.score ? b : a))
  const params: Record<string, string> = {}
  for (const [name, raw] of best.rawParams) {
    const decoded = decodeSegment(raw)
    if (decoded === undefined) return { _tag: "BadEncoding" }
    params[name] = decoded
  }
  return {
    _tag: "Matched",
    id: best.route.id,
    template: `${best.route.method} /${best.used.join("/")}`,
    params
  }
}
