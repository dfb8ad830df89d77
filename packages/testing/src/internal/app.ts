/**
 * The emulator's `HttpApp`: the admin routes under `/__emulator/` (`admin.ts`), the API for everything else
 * (`api.ts`), and a 500 envelope for a defect of the emulator itself.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Admin from "./admin.js"
import * as Api from "./api.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

export const makeApp = (state: State): HttpApp.Default => {
  const admin = Admin.make(state)
  const api = Api.make(state)
  return Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const target = Wire.parseTarget(request.url)
    return yield* target.rawSegments[0] === "__emulator" ? admin(request, target) : api(request, target)
  }).pipe(
    Effect.catchAllCause((cause) =>
      Effect.succeed(Wire.failure(500, -1, `emulator bug: ${String(cause)}`.slice(0, 500)))
    )
  )
}
