/**
 * Errors at the HTTP edge: an `IamportError` that reaches an `HttpRouter` unhandled becomes an empty 500.
 * `IamportError.toHttpResponse` answers each tag with a fitting status (400, 404, 422 for a business failure,
 * 502/503/504 when i'mport failed, 500 when this server's credentials are wrong) and a JSON body that carries
 * no secret, token or request header.
 */
import { IamportError, Payments } from "@effect-iamport/client"
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Effect, Schema } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/orders/:impUid",
    Effect.gen(function* () {
      const { impUid } = yield* HttpRouter.schemaPathParams(Schema.Struct({ impUid: Schema.String }))
      const payment = yield* Payments.getPayment(impUid)
      return yield* HttpServerResponse.json({ status: payment.status, amount: payment.amount })
    })
  ),
  HttpRouter.post(
    "/orders/:impUid/cancel",
    Effect.gen(function* () {
      const { impUid } = yield* HttpRouter.schemaPathParams(Schema.Struct({ impUid: Schema.String }))
      const cancelled = yield* Payments.cancel({ imp_uid: impUid, reason: "customer request" })
      return yield* HttpServerResponse.json({ cancelled: cancelled.cancel_amount })
    })
  ),
  // every i'mport failure of every route, answered once
  HttpRouter.catchAll((error) =>
    IamportError.isIamportError(error)
      ? Effect.succeed(IamportError.toHttpResponse(error))
      : Effect.succeed(HttpServerResponse.empty({ status: 400 }))
  )
)
