/**
 * The demo: `pnpm demo`.
 *
 * Starts the emulator on a free loopback port and runs a merchant's everyday
 * calls through the real client and the real HTTP stack (undici): token,
 * prepare, lookups (1,000 at once), a server clock moved past the token's
 * expiry, a partial and a full cancel, and failures handled by tag. Ends with
 * what the emulator saw.
 *
 * With `IMP_KEY` and `IMP_SECRET` set (and optionally `IAMPORT_BASE_URL`), the
 * same program runs against the real API; the steps that need emulator
 * controls (seeding a payment, moving the server clock) are skipped.
 */
import { IamportAuth, IamportClient, Payments } from "@effect-iamport/client"
import { IamportEmulator } from "@effect-iamport/testing"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Config, Console, Effect, Layer, Option, Redacted } from "effect"

const step = (title: string, detail: string) => Console.log(`  ${title.padEnd(28)} ${detail}`)

/** The merchant's program; `emulator` is there only when running against the emulator. */
const program = (
  emulator: Option.Option<IamportEmulator.Service>,
  wrongSecretClient: Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth>
) =>
  Effect.gen(function* () {
    const auth = yield* IamportAuth.IamportAuth
    const token = yield* auth.token
    yield* step("token", `generation ${token.generation}, value ${String(token.value)}`)

    const merchantUid = `demo-order-${Date.now()}`
    yield* Payments.prepare({ merchant_uid: merchantUid, amount: 50_000 })
    const prepared = yield* Payments.getPrepared(merchantUid)
    yield* step("prepare + read back", `${prepared.merchant_uid}: ${prepared.amount} KRW`)

    if (Option.isNone(emulator)) {
      yield* step("seed, lookups, cancels", "skipped: creating a payment needs a browser on the real API")
    } else {
      const controls = emulator.value
      const seeded = yield* controls.seedPayment({ merchant_uid: merchantUid, amount: 50_000, name: "Demo order" })
      const payment = yield* Payments.getPayment(seeded.imp_uid)
      yield* step("seed + look up", `${payment.imp_uid} ${payment.status} ${payment.amount} ${payment.currency}`)
      const verified = yield* Payments.verify({ impUid: seeded.imp_uid, merchantUid }) // against the prepared amount
      yield* step("verify", `${verified._tag} (checked against the prepared ${prepared.amount} KRW)`)

      const started = Date.now()
      const lookups = yield* Effect.all(
        Array.from({ length: 1000 }, () => Payments.getPayment(seeded.imp_uid)),
        { concurrency: "unbounded" }
      )
      yield* step("1,000 concurrent lookups", `${lookups.length} ok in ${Date.now() - started} ms`)

      yield* controls.advance("31 minutes")
      const afterExpiry = yield* Payments.getPayment(seeded.imp_uid)
      yield* step(
        "server clock +31 minutes",
        `token expired on the server; refreshed and replayed: ${afterExpiry.status}`
      )

      const partial = yield* Payments.cancel({
        imp_uid: seeded.imp_uid,
        amount: 20_000,
        checksum: payment.cancellableAmount,
        reason: "one item out of stock"
      })
      yield* step("partial cancel 20,000", `${partial.status}, ${partial.cancellableAmount} left`)
      const full = yield* Payments.cancel({ merchant_uid: merchantUid, reason: "order cancelled" })
      yield* step("full cancel", `${full.status}, ${full.cancel_history.length} cancellations`)
      const nothing = yield* Payments.cancel({ merchant_uid: merchantUid }).pipe(
        Effect.map(() => "unexpectedly cancelled"),
        Effect.catchTag("IamportApiError", (e) => Effect.succeed(`IamportApiError code ${e.code}: ${e.apiMessage}`))
      )
      yield* step("cancel again", nothing)
    }

    const notFound = yield* Payments.getPayment("imp_000000000000").pipe(
      Effect.map(() => "unexpectedly found"),
      Effect.catchTag("IamportNotFoundError", (e) => Effect.succeed(`IamportNotFoundError: ${e.apiMessage}`))
    )
    yield* step("unknown payment", notFound)

    const wrongSecret = yield* Payments.getPayment("imp_000000000000").pipe(
      Effect.map(() => "unexpectedly accepted"),
      Effect.catchTag("IamportInvalidCredentialsError", (e) =>
        Effect.succeed(`IamportInvalidCredentialsError (HTTP ${e.status})`)
      ),
      Effect.provide(wrongSecretClient)
    )
    yield* step("wrong secret", wrongSecret)

    if (Option.isSome(emulator)) {
      const counters = yield* emulator.value.counters
      yield* Console.log("\nWhat the emulator saw:")
      yield* step("getToken calls", `${counters.getTokenCalls} (${counters.tokensIssued} tokens issued)`)
      yield* step("API requests", `${counters.totalRequests}`)
      yield* step(
        "401 answers",
        `${counters.unauthorized} (${counters.expiredTokensPresented} expired tokens presented)`
      )
    }
  })

/** Against the real API: credentials from the environment. */
const real = Effect.gen(function* () {
  const baseUrl = yield* Config.string("IAMPORT_BASE_URL").pipe(Config.withDefault(IamportClient.defaultBaseUrl))
  yield* Console.log(`effect-iamport demo against ${baseUrl}\n`)
  const apiKey = yield* Config.string("IMP_KEY")
  const wrong = NodeIamportClient.layer({ apiKey, apiSecret: Redacted.make("wrong-secret"), baseUrl })
  yield* program(Option.none(), wrong).pipe(Effect.provide(NodeIamportClient.layerConfig()))
})

/** Against the emulator on a free loopback port. */
const emulated = Effect.gen(function* () {
  const emulator = yield* IamportEmulator.IamportEmulator
  const { url } = yield* IamportEmulator.IamportEmulatorServer
  yield* Console.log(`effect-iamport demo against the emulator at ${url}\n`)
  const client = (apiSecret: string) =>
    NodeIamportClient.layer({ apiKey: emulator.apiKey, apiSecret: Redacted.make(apiSecret), baseUrl: url })
  yield* program(Option.some(emulator), client("wrong-secret")).pipe(Effect.provide(client(emulator.apiSecret)))
}).pipe(Effect.provide(IamportEmulator.layerWithServer()))

const main = Effect.gen(function* () {
  const useReal = Option.isSome(yield* Config.option(Config.string("IMP_SECRET")))
  yield* useReal ? real : emulated
  yield* Console.log("\ndemo finished")
})

NodeRuntime.runMain(main)
