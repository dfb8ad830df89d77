/**
 * The API routes. A request goes through these steps, each a function below:
 *
 * 1. `Routes.match`: which route (or why none);
 * 2. `Wire.readBody`, before any fault, so the log shows what a faulted write carried too;
 * 3. `takeFault`: a pending fault's answer replaces the API's (`Delay`, `CutBody` and `WrongContentType` let
 *    the request through instead, and `Faults.reshape` changes its answer);
 * 4. `answer`: errors for an unrouted request or an unreadable body; getToken; else `Auth.authorize` (tier,
 *    token) and `handle` (the route's handler);
 * 5. `record` the exchange in the counters, then wait out a `Delay`: a client that gives up meanwhile cannot
 *    know whether its write happened.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Auth from "./auth.js"
import * as Faults from "./faults.js"
import type { ApiRequest, TokenRouteId } from "./handlers.js"
import * as Outcome from "./outcome.js"
import * as Routes from "./routes.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

type Response = HttpServerResponse.HttpServerResponse
type Body = Either.Either<Wire.Params, Wire.BodyError>

const TOKEN_ROUTE: TokenRouteId = "POST /users/getToken"

const isTokenRoute = (matched: Routes.Match) => matched._tag === "Matched" && matched.id === TOKEN_ROUTE

/** Answers one API request (steps 1 to 5). */
export const make =
  (state: State) =>
  (request: HttpServerRequest.HttpServerRequest, target: Wire.ParsedTarget): Effect.Effect<Response> =>
    Effect.gen(function* () {
      const matched = Routes.match(request.method, target.rawSegments)
      if (isTokenRoute(matched)) state.counters.getTokenCall()
      const body = yield* Effect.either(Wire.readBody(request, state.options.maxBodyBytes))
      const logged = loggedBody(request, matched, body)
      const fault = takeFault(state, target)
      const faulted =
        fault === undefined ? undefined : yield* Faults.answer(fault, request, () => Auth.unauthorized(state))
      const answered = faulted ?? (yield* answer(state, request, target, matched, body))
      const response = fault === undefined ? answered : Faults.reshape(fault, request, answered)
      record(state, request, target, matched, logged, response)
      if (fault?._tag === "Delay") yield* Effect.sleep(fault.duration)
      return response
    })

/** The body the log keeps: that of a routed write, never getToken's (it holds `imp_secret`). */
const loggedBody = (
  request: HttpServerRequest.HttpServerRequest,
  matched: Routes.Match,
  body: Body
): Wire.Params | undefined =>
  matched._tag === "Matched" && !isTokenRoute(matched) && request.method !== "GET" && body._tag === "Right"
    ? structuredClone(body.right)
    : undefined

/** The first pending fault for this path, if any (counted as applied). */
const takeFault = (state: State, target: Wire.ParsedTarget): Faults.Fault | undefined => {
  const fault = state.faults.take(target.normalizedPath)
  if (fault !== undefined) state.counters.faultApplied()
  return fault
}

/** The API's answer, fault aside. */
const answer = (
  state: State,
  request: HttpServerRequest.HttpServerRequest,
  target: Wire.ParsedTarget,
  matched: Routes.Match,
  body: Body
): Effect.Effect<Response> => {
  if (matched._tag !== "Matched") return Effect.succeed(unrouted(matched))
  if (body._tag === "Left") return Effect.succeed(Wire.bodyErrorResponse(body.left))
  const query = Wire.parseUrlEncoded(target.rawQuery)
  const id = matched.id
  if (id === TOKEN_ROUTE) return Auth.getToken(state, { ...query, ...body.right })
  return Effect.map(state.clock.now, (now) => {
    const authorization = Auth.authorize(state, request.headers, now)
    if (authorization._tag === "Refused") return authorization.response
    const input = { ...query, ...body.right }
    return handle(state, { id, params: matched.params, query, body: body.right, input, tier: authorization.tier, now })
  })
}

/** 404, 400 (a parameter that does not decode) or 405 (with `Allow`). */
const unrouted = (matched: Exclude<Routes.Match, { readonly _tag: "Matched" }>): Response => {
  switch (matched._tag) {
    case "NotFound":
      return Wire.failure(404, -1, Wire.MSG.notFound)
    case "BadEncoding":
      return Wire.failure(400, -1, Wire.MSG.badEncoding)
    case "MethodNotAllowed":
      return HttpServerResponse.setHeader(
        Wire.failure(405, -1, Wire.MSG.methodNotAllowed),
        "allow",
        matched.allowed.join(", ")
      )
  }
}

/** Runs the route's handler, after the scheduled payments whose time has come (they run before any answer). */
const handle = (state: State, request: ApiRequest & { readonly id: Exclude<Routes.RouteId, TokenRouteId> }) => {
  state.areas.billing.runDue(request.now)
  return Outcome.toResponse(state.areas.handlers[request.id](request))
}

/** Records the exchange in the counters (a dropped connection as status 0). */
const record = (
  state: State,
  request: HttpServerRequest.HttpServerRequest,
  target: Wire.ParsedTarget,
  matched: Routes.Match,
  logged: Wire.Params | undefined,
  response: Response
) =>
  state.counters.record({
    method: request.method,
    rawPath: target.rawPath,
    rawQuery: target.rawQuery,
    route: matched._tag === "Matched" ? matched.template : null,
    params: matched._tag === "Matched" ? matched.params : {},
    status: Faults.droppedResponses.has(response) ? 0 : response.status,
    ...(logged !== undefined ? { body: logged } : {})
  })
