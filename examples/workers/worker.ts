/**
 * A Cloudflare Worker that looks payments up and verifies them with `@effect-iamport/client`.
 *
 *   GET  /payments/{imp_uid}                            the payment, or 404
 *   POST /verify  {"imp_uid", "merchant_uid", "amount"}  what `Payments.verify` says (`Paid`, `Forged`...)
 *
 * Configuration comes from the Worker's bindings (`env`), not `process.env`: `IMP_KEY`, the secret
 * `IMP_SECRET` (`wrangler secret put IMP_SECRET`), optional `IAMPORT_BASE_URL` and `IAMPORT_TIER`.
 *
 * The Workers runtime does not let one request complete a promise of another, so nothing that holds a
 * fiber, a promise or a timer lives at isolate level: the client layer is built per request (`Effect.provide`
 * builds it on each run), and only the token store, which holds plain values, is shared. A cold burst of
 * requests asks i'mport for one token (the store's lock); a warm isolate asks for none.
 *
 * Tested in CI on workerd against the emulator: `node packages/runtimes/run.mjs`.
 */
import { IamportAuth, IamportClient, Payments } from "@effect-iamport/client"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Config, ConfigProvider, Effect, Layer } from "effect"

export interface Env {
  readonly IMP_KEY: string
  readonly IMP_SECRET: string
  readonly IAMPORT_BASE_URL?: string
  readonly IAMPORT_TIER?: string
}

// Once per isolate: the token, shared by every request this isolate serves.
const tokens = IamportAuth.memoryTokenStore()

// A description of the client, built anew by each request that provides it.
export const IamportLive = IamportClient.layerConfig({ tokenCache: Config.succeed({ store: tokens }) }).pipe(
  Layer.provide(FetchHttpClient.layer)
)

/** Runs `program` for one request, with the client and the configuration of `env`. */
export const runRequest = <E>(
  program: Effect.Effect<Response, E, IamportClient.IamportClient | IamportAuth.IamportAuth>,
  env: Env
): Promise<Response> =>
  program.pipe(
    Effect.provide(IamportLive),
    Effect.withConfigProvider(ConfigProvider.fromJson(env)),
    Effect.catchAllCause((cause) =>
      Effect.as(Effect.logError(cause), Response.json({ error: "internal" }, { status: 500 }))
    ),
    Effect.runPromise
  )

const payment = (impUid: string) =>
  Payments.getPayment(impUid).pipe(
    Effect.map((p) => Response.json({ imp_uid: p.imp_uid, status: p.status, amount: p.amount })),
    Effect.catchTag("IamportNotFoundError", () =>
      Effect.succeed(Response.json({ error: "not found" }, { status: 404 }))
    )
  )

const verify = (request: Request) =>
  Effect.gen(function* () {
    const body = yield* Effect.tryPromise(() => request.json() as Promise<Record<string, unknown>>)
    const verification = yield* Payments.verify({
      impUid: String(body.imp_uid),
      merchantUid: String(body.merchant_uid),
      expectedAmount: Number(body.amount)
    })
    return Response.json({ result: verification._tag })
  }).pipe(
    Effect.catchTag("UnknownException", () => Effect.succeed(Response.json({ error: "bad json" }, { status: 400 })))
  )

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url)
    const found = /^\/payments\/([^/]+)$/.exec(pathname)
    if (request.method === "GET" && found !== null) return runRequest(payment(decodeURIComponent(found[1]!)), env)
    if (request.method === "POST" && pathname === "/verify") return runRequest(verify(request), env)
    return Promise.resolve(new Response("not found", { status: 404 }))
  }
}
