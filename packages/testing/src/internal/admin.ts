/**
 * The admin routes under `/__emulator/`: no auth, no faults, not counted. A table of paths, each with a
 * handler per method; `payments/{imp_uid}` after the fixed paths; `GET /__emulator/routes` lists them all.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { Incoming, Reply } from "./exchange.js"
import * as Faults from "./faults.js"
import * as Outcome from "./outcome.js"
import type * as Payments from "./payments.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

interface AdminRequest {
  /** The path's segments after `__emulator`, decoded. */
  readonly segments: ReadonlyArray<string>
  readonly query: Wire.Params
  readonly body: Wire.Params
}

type AdminHandler = (request: AdminRequest) => Effect.Effect<Reply>

/** A path's handlers by method. */
type AdminRoute = { readonly [method: string]: AdminHandler | undefined }

const routes = (state: State): { readonly fixed: Record<string, AdminRoute>; readonly payment: AdminRoute } => {
  const { clock, counters, faults, payments, tokens, webhooks } = state
  const now = clock.now
  return {
    fixed: {
      clock: {
        GET: () => Effect.map(now, (now) => Wire.ok({ now })),
        POST: ({ body }) =>
          Effect.gen(function* () {
            const set = Wire.numberParam(body.set)
            const advance = Wire.numberParam(body.advance)
            const offset = Wire.numberParam(body.offset)
            if ([set, advance, offset].some((n) => n !== undefined && Number.isNaN(n))) {
              return Wire.failure(400, -1, "set, advance, offset must be numbers (seconds)")
            }
            if (offset !== undefined) yield* clock.setOffsetMillis(offset * 1000)
            if (set !== undefined) yield* clock.setTime(set)
            if (advance !== undefined) yield* clock.advanceMillis(advance * 1000)
            return Wire.ok({ now: yield* now })
          })
      },
      "tokens/revoke": {
        POST: () =>
          Effect.sync(() => {
            tokens.revokeAll()
            return Wire.ok({ revoked: true })
          })
      },
      payments: {
        POST: ({ body }) => Effect.map(now, (now) => Wire.ok(payments.seed(sanitizeSeed(body), now)))
      },
      faults: {
        POST: ({ body }) =>
          Effect.sync(() => {
            const fault = Faults.fromJson(body.fault)
            if (fault === undefined) return Wire.failure(400, -1, "invalid fault")
            const count = Wire.numberParam(body.count)
            const route = Wire.stringParam(body.route)
            faults.add(fault, {
              ...(count !== undefined && !Number.isNaN(count) ? { count } : {}),
              ...(route !== undefined ? { route } : {})
            })
            return Wire.ok({ pending: faults.pending() })
          }),
        DELETE: () =>
          Effect.sync(() => {
            faults.clear()
            return Wire.ok({ pending: 0 })
          })
      },
      webhooks: {
        GET: () => Effect.sync(() => Wire.ok(webhooks.deliveries())),
        POST: ({ body }) => {
          const impUid = Wire.stringParam(body.imp_uid)
          const merchantUid = Wire.stringParam(body.merchant_uid)
          const status = Wire.stringParam(body.status)
          if (impUid === undefined || merchantUid === undefined || status === undefined) {
            return Effect.succeed(Wire.failure(400, -1, "imp_uid, merchant_uid and status are required"))
          }
          return Effect.as(
            webhooks.dispatch({
              imp_uid: impUid,
              merchant_uid: merchantUid,
              status,
              cancellation_id: Wire.stringParam(body.cancellation_id),
              url: Wire.stringParam(body.url)
            }),
            Wire.ok({ sent: true })
          )
        }
      },
      "vbank/deposit": {
        POST: ({ body }) =>
          Effect.map(now, (now) =>
            Outcome.toResponse(payments.deposit(Wire.stringParam(body.tier), Wire.stringParam(body.imp_uid) ?? "", now))
          )
      },
      "payments/cancel": {
        POST: ({ body }) =>
          Effect.map(now, (now) => Outcome.toResponse(payments.consoleCancel(Wire.stringParam(body.tier), body, now)))
      },
      "cards/decline": {
        POST: ({ body }) =>
          Effect.sync(() => {
            const cardNumber = Wire.stringParam(body.card_number)
            if (cardNumber === undefined) return Wire.failure(400, -1, "card_number is required")
            state.areas.cards.add(cardNumber, Wire.stringParam(body.reason))
            return Wire.ok({ declined: true })
          })
      },
      "schedules/run": {
        POST: () => Effect.map(now, (now) => Wire.ok(state.areas.billing.runDue(now)))
      },
      counters: {
        GET: () => Effect.sync(() => Wire.ok(counters.snapshot()))
      },
      reset: {
        POST: () =>
          Effect.sync(() => {
            counters.reset()
            return Wire.ok({ reset: true })
          })
      }
    },
    payment: {
      GET: ({ query, segments }) =>
        Effect.sync(() => {
          const payment = payments.get(segments[1]!, Wire.stringParam(query.tier))
          return payment === undefined ? Wire.failure(404, -1, "no such payment") : Wire.ok(payment)
        })
    }
  }
}

/** `record[key]` when it is the record's own (never `Object.prototype`'s). */
const own = <A>(record: { readonly [key: string]: A | undefined }, key: string): A | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined

/** Answers one admin request (`target` starts with `/__emulator`). */
export const make = (state: State) => {
  const table = routes(state)
  // `GET /__emulator/routes` lists every admin route, itself included
  const ids = [
    ...Object.entries(table.fixed).flatMap(([path, route]) =>
      Object.keys(route).map((m) => `${m} /__emulator/${path}`)
    ),
    ...Object.keys(table.payment).map((m) => `${m} /__emulator/payments/{imp_uid}`),
    "GET /__emulator/routes"
  ]
  const fixed: Record<string, AdminRoute> = { ...table.fixed, routes: { GET: () => Effect.succeed(Wire.ok(ids)) } }
  const payment = table.payment
  return (request: Incoming, target: Wire.ParsedTarget): Effect.Effect<Reply> => {
    const segments = target.rawSegments.slice(1).map((s) => Wire.decodeSegment(s) ?? s)
    const body = Wire.readBody(request, state.options.maxBodyBytes)
    if (typeof body === "string") return Effect.succeed(Wire.bodyErrorResponse(body))
    const route =
      own(fixed, segments.join("/")) ?? (segments[0] === "payments" && segments.length === 2 ? payment : undefined)
    if (route === undefined) return Effect.succeed(Wire.failure(404, -1, Wire.MSG.notFound))
    const handler = own(route, request.method)
    if (handler === undefined) return Effect.succeed(Wire.failure(405, -1, Wire.MSG.methodNotAllowed))
    return handler({ segments, query: Wire.parseUrlEncoded(target.rawQuery), body })
  }
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
