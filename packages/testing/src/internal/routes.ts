/**
 * The route table of the emulated API and a matcher that works on raw
 * (still percent-encoded) segments, decoding each parameter on its own so an
 * encoded `/` never changes which route is taken.
 *
 * @internal
 */
import { AREA_ROUTES, type AreaRouteId } from "./areas.js"
import { decodeSegment } from "./wire.js"

export type RouteId =
  | "getToken"
  | "paymentBalance"
  | "paymentByImpUid"
  | "paymentsMany"
  | "paymentFind"
  | "paymentFindAll"
  | "paymentsByStatus"
  | "paymentCancel"
  | "prepareCreate"
  | "prepareUpdate"
  | "prepareGet"
  /** Every other area, identified as in the spec (`"GET /certifications/{imp_uid}"`). */
  | AreaRouteId

interface Route {
  readonly id: RouteId
  readonly method: string
  /** Segments; `{name}` is a parameter, `{name?}` an optional trailing parameter. */
  readonly segments: ReadonlyArray<string>
}

const route = (id: RouteId, method: string, path: string): Route => ({
  id,
  method,
  segments: path.split("/").filter((s) => s !== "")
})

export const ROUTES: ReadonlyArray<Route> = [
  route("getToken", "POST", "/users/getToken"),
  route("paymentBalance", "GET", "/payments/{imp_uid}/balance"),
  route("paymentByImpUid", "GET", "/payments/{imp_uid}"),
  route("paymentsMany", "GET", "/payments"),
  route("paymentFind", "GET", "/payments/find/{merchant_uid}/{payment_status?}"),
  route("paymentFindAll", "GET", "/payments/findAll/{merchant_uid}/{payment_status?}"),
  route("paymentsByStatus", "GET", "/payments/status/{payment_status}"),
  route("paymentCancel", "POST", "/payments/cancel"),
  route("prepareCreate", "POST", "/payments/prepare"),
  route("prepareUpdate", "PUT", "/payments/prepare"),
  route("prepareGet", "GET", "/payments/prepare/{merchant_uid}"),
  ...AREA_ROUTES.map((r) => route(r.id, r.method, r.path))
]

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
