/**
 * Compatibility check: two published i'mport clients, unchanged but for their
 * host, talk to the emulator over real HTTP.
 *
 * - npm `iamport` 0.3.4 (request + bluebird): the host is the static
 *   `Iamport.DEFAULT_HOST` (default `https://api.iamport.kr`), copied into each
 *   instance (`this._host`) by the constructor, and `request` follows the
 *   scheme of the URL. So we set `Iamport.DEFAULT_HOST = "http://127.0.0.1:<port>"`
 *   before constructing and restore it afterwards: no source patch, no https.
 *   It sends JSON bodies and the raw token in `Authorization`.
 * - npm `iamport-rest-client-nodejs` 0.9.12 (axios): the constructor takes a
 *   documented `baseUrl` option. It sends `Authorization: Bearer <token>` and
 *   PHP-bracket query arrays.
 *
 * Both use the real `Date.now()` for token expiry, so these tests run on the
 * live clock (`it.scopedLive`).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { createRequire } from "node:module"
import { IamportEmulator } from "@effect-iamport/testing"

const require = createRequire(import.meta.url)

const key = "imp_peer_key"
const secret = "peer-secret"
const emulatorLayer = IamportEmulator.layerWithServer({ apiKey: key, apiSecret: secret })

/** Runs a promise-returning client call (the clients are untyped JavaScript). */
const call = (f: () => Promise<any>): Effect.Effect<any> => Effect.promise(f)

const counters = Effect.flatMap(IamportEmulator.IamportEmulator, (e) => e.counters)

describe("npm `iamport` 0.3.4", () => {
  const Iamport = require("iamport") as any

  /** The only change to the client: its static default host, set around construction. */
  const makeClient = (url: string) =>
    Effect.sync(() => {
      const original = Iamport.DEFAULT_HOST
      Iamport.DEFAULT_HOST = url
      try {
        return new Iamport({ impKey: key, impSecret: secret })
      } finally {
        Iamport.DEFAULT_HOST = original
      }
    })

  it.scopedLive("token, prepare round trip, 404 for unknown payment, code != 0 for cancelling nothing", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const iamport = yield* makeClient(url)
      assert.strictEqual(Iamport.DEFAULT_HOST, "https://api.iamport.kr")
      assert.strictEqual(iamport._host, url)

      const token = yield* call(() => iamport.payment._getToken(true))
      assert.match(token.access_token, /^[0-9a-f]{40}$/)
      assert.isAbove(token.expired_at, Math.floor(Date.now() / 1000))

      const prepared = yield* call(() => iamport.payment.prepare({ merchant_uid: "npm-1", amount: 4200 }))
      assert.deepStrictEqual({ ...prepared }, { merchant_uid: "npm-1", amount: 4200 })
      const readBack = yield* call(() => iamport.payment.getPrepare({ merchant_uid: "npm-1" }))
      assert.strictEqual(readBack.amount, 4200)

      const notFound = yield* Effect.flip(
        Effect.tryPromise(() => iamport.payment.getByImpUid({ imp_uid: "imp_000000000000" }))
      )
      assert.strictEqual((notFound.cause as any).code, "HTTP_404")

      const nothing = yield* Effect.flip(
        Effect.tryPromise(() => iamport.payment.cancel({ imp_uid: "imp_000000000000" }))
      )
      assert.strictEqual((nothing.cause as any).code, "IAMPORT_1")
      assert.strictEqual((nothing.cause as any).message, "취소할 결제건이 존재하지 않습니다.")

      const c = yield* counters
      assert.strictEqual(c.tokensIssued, 1)
      assert.strictEqual(c.unauthorized, 0)
      assert.strictEqual(c.requests["POST /payments/prepare"], 1)
      assert.strictEqual(c.requests["GET /payments/prepare/{merchant_uid}"], 1)
      assert.strictEqual(c.requests["GET /payments/{imp_uid}"], 1)
      assert.strictEqual(c.requests["POST /payments/cancel"], 1)
    }).pipe(Effect.provide(emulatorLayer))
  )

  it.scopedLive("reads a seeded payment", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      const seeded = yield* emulator.seedPayment({ amount: 1234, merchant_uid: "npm-seeded" })
      const iamport = yield* makeClient(url)
      const payment = yield* call(() => iamport.payment.getByImpUid({ imp_uid: seeded.imp_uid }))
      assert.deepStrictEqual(payment, seeded)
      const byMerchant = yield* call(() => iamport.payment.getByMerchant({ merchant_uid: "npm-seeded" }))
      assert.strictEqual(byMerchant.imp_uid, seeded.imp_uid)
    }).pipe(Effect.provide(emulatorLayer))
  )
})

describe("npm `iamport-rest-client-nodejs` 0.9.12", () => {
  const { Iamport, Request } = require("iamport-rest-client-nodejs") as any

  it.scopedLive("token, prepare round trip, 404 for unknown payment, code != 0 for cancelling nothing", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const iamport = new Iamport({ apiKey: key, apiSecret: secret, baseUrl: url })

      const auth = yield* call(() =>
        Request.Authenticate.getToken({ imp_key: key, imp_secret: secret }).request(iamport)
      )
      assert.strictEqual(auth.status, 200)
      assert.strictEqual(auth.data.code, 0)
      assert.match(auth.data.response.access_token, /^[0-9a-f]{40}$/)

      const prepared = yield* call(() =>
        Request.Prepare.postAmount({ merchant_uid: "axios-1", amount: 3100 }).request(iamport)
      )
      assert.strictEqual(prepared.data.code, 0)
      assert.strictEqual(prepared.data.response.amount, 3100)
      const readBack = yield* call(() => Request.Prepare.getAmount({ merchant_uid: "axios-1" }).request(iamport))
      assert.strictEqual(readBack.data.response.merchant_uid, "axios-1")
      assert.strictEqual(readBack.data.response.amount, 3100)

      const notFound = yield* Effect.flip(
        Effect.tryPromise(() => Request.Payments.getByImpUid({ imp_uid: "imp_000000000000" }).request(iamport))
      )
      assert.strictEqual((notFound.cause as any).response.status, 404)
      assert.strictEqual((notFound.cause as any).response.data.message, "존재하지 않는 결제정보입니다.")

      const nothing = yield* Effect.flip(
        Effect.tryPromise(() => Request.Payments.cancel({ imp_uid: "imp_000000000000" }).request(iamport))
      )
      assert.strictEqual((nothing.cause as any).response.data.code, 1)

      const c = yield* counters
      // getToken once explicitly, once by getHeaders(); then the cached token is reused
      assert.strictEqual(c.getTokenCalls, 2)
      assert.strictEqual(c.tokensIssued, 1)
      assert.strictEqual(c.unauthorized, 0)
    }).pipe(Effect.provide(emulatorLayer))
  )

  it.scopedLive("207 with bracket arrays (getByImpUids)", () =>
    Effect.gen(function* () {
      const { url } = yield* IamportEmulator.IamportEmulatorServer
      const emulator = yield* IamportEmulator.IamportEmulator
      const a = yield* emulator.seedPayment({})
      const iamport = new Iamport({ apiKey: key, apiSecret: secret, baseUrl: url })
      const res = yield* call(() =>
        Request.Payments.getByImpUids({ imp_uid: [a.imp_uid, "imp_missing"] }).request(iamport)
      )
      assert.strictEqual(res.status, 207)
      assert.deepStrictEqual(res.data.failed, ["imp_missing"])
    }).pipe(Effect.provide(emulatorLayer))
  )
})
