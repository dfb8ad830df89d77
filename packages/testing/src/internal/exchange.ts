/**
 * One exchange with the emulator as plain data, whoever carries it: an `Incoming` request (method, raw target,
 * lower-cased headers, body text) and the `Reply` the emulator makes (status, headers, body text, and how a
 * fault ends the connection or holds the answer back). `respond` routes it: the admin routes under
 * `/__emulator/` (`admin.ts`), the API for everything else (`api.ts`), and a 500 envelope for a defect of the
 * emulator itself. The carriers adapt it: `app.ts` (the `HttpApp`, for the HTTP server and the in-process
 * `HttpClient`) and `transport.ts` (the client's `IamportTransport`, with no HTTP objects at all).
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Admin from "./admin.js"
import * as Api from "./api.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

/** Why a body could not be read off the connection. */
export type BodyReadError = "TooLarge" | "Aborted"

/** A request as the emulator reads it. */
export interface Incoming {
  readonly method: string
  /** The raw request target: path and query, or an absolute URL (its host ignored). */
  readonly url: string
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body's text ("" for none). */
  readonly body: string
  /** Set when the carrier could not read the whole body (`body` is then ""). */
  readonly bodyError?: BodyReadError | undefined
}

/** The emulator's answer. */
export interface Reply {
  readonly status: number
  /** Header names lower-cased; `content-type` always present. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /**
   * A fault on the connection: `Drop`, no answer at all (the connection is dropped); `Cut`, the headers announce
   * the whole body, half of it arrives, then the connection ends.
   */
  readonly connection?: "Drop" | "Cut" | undefined
  /** A `Delay` fault: the request was processed, the answer is held back this long. */
  readonly delay?: Duration.Duration | undefined
}

/** Answers a request at Effect `Clock` time `millis`: the API synchronously, the admin routes as an effect. */
export type Respond = (request: Incoming, millis: number) => Reply | Effect.Effect<Reply>

/** The 500 envelope for a defect of the emulator. */
const bug = (cause: unknown): Reply => Wire.failure(500, -1, `emulator bug: ${String(cause)}`.slice(0, 500))

export const make = (state: State): Respond => {
  const admin = Admin.make(state)
  const api = Api.make(state)
  return (request, millis) => {
    try {
      const target = Wire.parseTarget(request.url)
      if (target.rawSegments[0] !== "__emulator") return api(request, target, millis)
      return Effect.catchAllCause(admin(request, target), (cause) => Effect.succeed(bug(cause)))
    } catch (error) {
      return bug(error)
    }
  }
}

/** `respond`'s answer as an effect, on the fiber's `Clock`. */
export const respondWith = (respond: Respond, request: Incoming): Effect.Effect<Reply> =>
  Effect.clockWith((clock) => {
    const reply = respond(request, clock.unsafeCurrentTimeMillis())
    return Effect.isEffect(reply) ? reply : Effect.succeed(reply)
  })

/** Where an emulator's `Service` keeps its `Respond` (no part of the public interface; copied by a spread). */
const RESPOND = Symbol.for("@effect-iamport/testing/Respond")

/** `service` with its `Respond` attached. */
export const attach = <S extends object>(service: S, respond: Respond): S =>
  Object.assign(service, { [RESPOND]: respond })

/** The `Respond` of an emulator made by `IamportEmulator.make`; `undefined` for any other `Service`. */
export const respondOf = (service: object): Respond | undefined =>
  (service as { readonly [RESPOND]?: Respond })[RESPOND]
