/**
 * The API routes. A request goes through these steps, each a function below, all synchronous:
 *
 * 1. `Routes.match`: which route (or why none);
 * 2. `Wire.readBody`, before any fault, so the log shows what a faulted write carried too;
 * 3. `takeFault`: a pending fault's answer replaces the API's (`Delay`, `CutBody` and `WrongContentType` let
 *    the request through instead, and `Faults.reshape` changes its answer);
 * 4. `answer`: errors for an unrouted request or an unreadable body; getToken; else `Auth.authorize` (tier,
 *    token) and `handle` (the route's handler);
 * 5. `record` the exchange in the counters. A `Delay` is waited out by the carrier, after this: a client that
 *    gives up meanwhile cannot know whether its write happened.
 *
 * @internal
 */
import * as Auth from "./auth.js"
import type { Incoming, Reply } from "./exchange.js"
import * as Faults from "./faults.js"
import type { ApiRequest, TokenRouteId } from "./handlers.js"
import * as Outcome from "./outcome.js"
import * as Routes from "./routes.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

type Body = Wire.Params | Wire.BodyError

const TOKEN_ROUTE: TokenRouteId = "POST /users/getToken"

const isTokenRoute = (matched: Routes.Match) => matched._tag === "Matched" && matched.id === TOKEN_ROUTE

/** Answers one API request (steps 1 to 5) at Effect `Clock` time `millis`. */
export const make =
  (state: State) =>
  (request: Incoming, target: Wire.ParsedTarget, millis: number): Reply => {
    const matched = Routes.match(request.method, target.rawSegments)
    if (isTokenRoute(matched)) state.counters.getTokenCall()
    const body = Wire.readBody(request, state.options.maxBodyBytes)
    const logged = loggedBody(request, matched, body)
    const fault = takeFault(state, target)
    const faulted = fault === undefined ? undefined : Faults.answer(fault, () => Auth.unauthorized(state))
    const answered = faulted ?? answer(state, request, target, matched, body, state.clock.secondsAt(millis))
    const reply = fault === undefined ? answered : Faults.reshape(fault, answered)
    record(state, request, target, matched, logged, reply)
    return reply
  }

/** The body the log keeps: that of a routed write, never getToken's (it holds `imp_secret`). */
const loggedBody = (request: Incoming, matched: Routes.Match, body: Body): Wire.Params | undefined =>
  matched._tag === "Matched" && !isTokenRoute(matched) && request.method !== "GET" && typeof body !== "string"
    ? structuredClone(body)
    : undefined

/** The first pending fault for this path, if any (counted as applied). */
const takeFault = (state: State, target: Wire.ParsedTarget): Faults.Fault | undefined => {
  const fault = state.faults.take(target.normalizedPath)
  if (fault !== undefined) state.counters.faultApplied()
  return fault
}

/** The API's answer, fault aside, at emulator time `now`. */
const answer = (
  state: State,
  request: Incoming,
  target: Wire.ParsedTarget,
  matched: Routes.Match,
  body: Body,
  now: number
): Reply => {
  if (matched._tag !== "Matched") return unrouted(matched)
  if (typeof body === "string") return Wire.bodyErrorResponse(body)
  const query = Wire.parseUrlEncoded(target.rawQuery)
  const id = matched.id
  if (id === TOKEN_ROUTE) return Auth.getToken(state, { ...query, ...body }, now)
  const authorization = Auth.authorize(state, request.headers, now)
  if (authorization._tag === "Refused") return authorization.response
  const input = { ...query, ...body }
  return handle(state, { id, params: matched.params, query, body, input, tier: authorization.tier, now })
}

/** 404, 400 (a parameter that does not decode) or 405 (with `Allow`). */
const unrouted = (matched: Exclude<Routes.Match, { readonly _tag: "Matched" }>): Reply => {
  switch (matched._tag) {
    case "NotFound":
      return Wire.failure(404, -1, Wire.MSG.notFound)
    case "BadEncoding":
      return Wire.failure(400, -1, Wire.MSG.badEncoding)
    case "MethodNotAllowed": {
      const reply = Wire.failure(405, -1, Wire.MSG.methodNotAllowed)
      return { ...reply, headers: { ...reply.headers, allow: matched.allowed.join(", ") } }
    }
  }
}

/** Runs the route's handler, after the scheduled payments whose time has come (they run before any answer). */
const handle = (state: State, request: ApiRequest & { readonly id: Exclude<Routes.RouteId, TokenRouteId> }) => {
  state.areas.billing.runDue(request.now)
  return Outcome.toResponse(state.areas.handlers[request.id](request))
}

/** Records the exchange in the counters (a dropped connection has status 0). */
const record = (
  state: State,
  request: Incoming,
  target: Wire.ParsedTarget,
  matched: Routes.Match,
  logged: Wire.Params | undefined,
  reply: Reply
) =>
  state.counters.record({
    method: request.method,
    rawPath: target.rawPath,
    rawQuery: target.rawQuery,
    route: matched._tag === "Matched" ? matched.template : null,
    params: matched._tag === "Matched" ? matched.params : {},
    status: reply.status,
    ...(logged !== undefined ? { body: logged } : {})
  })
