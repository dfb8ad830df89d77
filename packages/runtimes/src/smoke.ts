/**
 * The smoke program every runtime runs (`run.mjs` drives it): the packed client against the CLI emulator on
 * loopback. Plain `fetch` for the emulator's admin routes, so that it runs on Node, Bun, Deno and workerd alike.
 *
 * - `checks`: getToken, a payment look-up, a typed 404 and a verification, through one client layer;
 * - `burst`: `size` concurrent look-ups through one cold client layer, then as many again warm, with the
 *   getToken calls the emulator counted for each.
 */
import { IamportAuth, IamportClient, Payments } from "@effect-iamport/client"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/** What the driver seeded and where the emulator is (the client's own settings come from its config). */
export interface Target {
  /** The emulator, for its admin routes. */
  readonly emulatorUrl: string
  readonly impUid: string
  readonly merchantUid: string
  readonly amount: number
  readonly burst: number
}

export interface Checks {
  readonly getToken: boolean
  readonly payment: boolean
  readonly notFound: boolean
  readonly verification: string
}

export interface Burst {
  readonly size: number
  readonly failures: number
  readonly getTokenCalls: number
  readonly errors: ReadonlyArray<string>
}

export interface Report {
  readonly runtime: string
  readonly checks: Checks
  readonly cold: Burst
  readonly warm: Burst
}

/** The emulator's count of `POST /users/getToken` requests. */
export const getTokenCalls = (emulatorUrl: string): Effect.Effect<number> =>
  Effect.promise(async () => {
    const response = await fetch(`${emulatorUrl}/__emulator/counters`)
    const body = (await response.json()) as { readonly response: { readonly getTokenCalls: number } }
    return body.response.getTokenCalls
  })

/** getToken, a payment look-up, a typed 404 and a verification. */
export const checks = (
  target: Target
): Effect.Effect<Checks, never, IamportClient.IamportClient | IamportAuth.IamportAuth> =>
  Effect.gen(function* () {
    const auth = yield* IamportAuth.IamportAuth
    const token = yield* Effect.either(auth.token)
    const getToken = token._tag === "Right" && Redacted.value(token.right.value).length > 0
    const payment = yield* Effect.either(Payments.getPayment(target.impUid))
    const found = payment._tag === "Right" && payment.right.amount === target.amount && payment.right.status === "paid"
    const missing = yield* Effect.either(Payments.getPayment("imp_000000000000"))
    const notFound = missing._tag === "Left" && missing.left._tag === "IamportNotFoundError"
    const verification = yield* Payments.verify({
      impUid: target.impUid,
      merchantUid: target.merchantUid,
      expectedAmount: target.amount
    }).pipe(
      Effect.map((v) => v._tag as string),
      Effect.catchAll((e) => Effect.succeed(`error: ${e._tag}`))
    )
    return { getToken, payment: found, notFound, verification }
  })

/** `size` concurrent look-ups of the seeded payment, with the getToken calls they caused. */
export const lookups = (
  target: Target
): Effect.Effect<Burst, never, IamportClient.IamportClient | IamportAuth.IamportAuth> =>
  Effect.gen(function* () {
    const before = yield* getTokenCalls(target.emulatorUrl)
    const results = yield* Effect.forEach(
      Array.from({ length: target.burst }, () => Payments.getPayment(target.impUid)),
      (lookup) => Effect.either(lookup),
      { concurrency: "unbounded" }
    )
    const after = yield* getTokenCalls(target.emulatorUrl)
    const errors = results.flatMap((r) => (r._tag === "Left" ? [r.left._tag] : []))
    return { size: target.burst, failures: errors.length, getTokenCalls: after - before, errors }
  })

/**
 * The whole program through `makeLayer`: a cold burst then a warm one through one shared layer, then the
 * checks through another (built after the burst, so its getToken meets a token the server already issued).
 */
export const run = <E>(
  runtime: string,
  target: Target,
  layer: Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth, E>
): Effect.Effect<Report, E> =>
  Effect.gen(function* () {
    const [cold, warm] = yield* Effect.all([lookups(target), lookups(target)]).pipe(Effect.provide(layer))
    const result = yield* checks(target).pipe(Effect.provide(layer))
    return { runtime, checks: result, cold, warm }
  })

/** One line the driver looks for. */
export const print = (report: Report): void => {
  console.log(`SMOKE ${JSON.stringify(report)}`)
}
