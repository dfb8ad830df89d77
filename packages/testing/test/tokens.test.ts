import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"
import { BASE, credentials, getToken, send } from "./helpers.js"

const provide = <A, E, R>(self: Effect.Effect<A, E, R>, options?: IamportEmulator.Options) =>
  Effect.provide(self, IamportEmulator.layerWithHttpClient(options))

const getPayment = (headers: Record<string, string>) =>
  send(HttpClientRequest.get(`${BASE}/payments/imp_000000000001`).pipe(HttpClientRequest.setHeaders(headers)))

const seeded = { payments: [{ imp_uid: "imp_000000000001", merchant_uid: "order-1" }] }

describe("getToken", () => {
  it.effect("issues a 40-hex token valid for 30 minutes, with now = emulator time", () =>
    provide(
      Effect.gen(function* () {
        yield* TestClock.setTime(1_700_000_000_000)
        const a = yield* getToken()
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.contentType, "application/json; charset=utf-8")
        assert.strictEqual(a.body.code, 0)
        assert.isNull(a.body.message)
        assert.match(a.body.response.access_token, /^[0-9a-f]{40}$/)
        assert.strictEqual(a.body.response.now, 1_700_000_000)
        assert.strictEqual(a.body.response.expired_at, 1_700_000_000 + 1800)
      })
    )
  )

  it.effect("returns the same token and expired_at before expiry", () =>
    provide(
      Effect.gen(function* () {
        const first = yield* getToken()
        yield* TestClock.adjust("10 minutes")
        const second = yield* getToken()
        assert.strictEqual(second.body.response.access_token, first.body.response.access_token)
        assert.strictEqual(second.body.response.expired_at, 1800)
        assert.strictEqual(second.body.response.now, 600)
        const counters = yield* Effect.flatMap(IamportEmulator.IamportEmulator, (e) => e.counters)
        assert.strictEqual(counters.getTokenCalls, 2)
        assert.strictEqual(counters.tokensIssued, 1)
      })
    )
  )

  it.effect("extends by 5 minutes when asked within the last minute (boundary 60 s inclusive)", () =>
    provide(
      Effect.gen(function* () {
        const first = yield* getToken()
        yield* TestClock.adjust("1739 seconds") // 61 s left: no extension
        const noExt = yield* getToken()
        assert.strictEqual(noExt.body.response.expired_at, 1800)
        yield* TestClock.adjust("1 second") // exactly 60 s left: extended
        const ext = yield* getToken()
        assert.strictEqual(ext.body.response.access_token, first.body.response.access_token)
        assert.strictEqual(ext.body.response.expired_at, 2100)
        assert.strictEqual(ext.body.response.now, 1740)
        yield* TestClock.adjust("10 seconds") // 350 s left: unchanged
        const again = yield* getToken()
        assert.strictEqual(again.body.response.expired_at, 2100)
      })
    )
  )

  it.effect("issues a new token at and after expiry", () =>
    provide(
      Effect.gen(function* () {
        const first = yield* getToken()
        yield* TestClock.adjust("30 minutes")
        const second = yield* getToken()
        assert.notStrictEqual(second.body.response.access_token, first.body.response.access_token)
        assert.strictEqual(second.body.response.now, 1800)
        assert.strictEqual(second.body.response.expired_at, 3600)
        const counters = yield* Effect.flatMap(IamportEmulator.IamportEmulator, (e) => e.counters)
        assert.strictEqual(counters.tokensIssued, 2)
      })
    )
  )

  it.effect("accepts a form-encoded body", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(HttpClientRequest.bodyUrlParams(credentials))
        )
        assert.strictEqual(a.status, 200)
        assert.match(a.body.response.access_token, /^[0-9a-f]{40}$/)
      })
    )
  )

  it.effect("rejects wrong credentials with a 401 envelope", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
            HttpClientRequest.bodyUnsafeJson({ imp_key: credentials.imp_key, imp_secret: "wrong" })
          )
        )
        assert.strictEqual(a.status, 401)
        assert.strictEqual(a.body.code, -1)
        assert.isNull(a.body.response)
        assert.isString(a.body.message)
      })
    )
  )

  it.effect("answers 400 with the documented message when a field is missing", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
            HttpClientRequest.bodyUnsafeJson({ imp_key: credentials.imp_key })
          )
        )
        assert.strictEqual(a.status, 400)
        assert.deepStrictEqual(a.body, {
          code: -1,
          message: "imp_key, imp_secret 파라메터가 누락되었습니다.",
          response: null
        })
      })
    )
  )

  it.effect("uses the configured key, secret and ttl", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* send(
          HttpClientRequest.post(`${BASE}/users/getToken`).pipe(
            HttpClientRequest.bodyUnsafeJson({ imp_key: "k", imp_secret: "s" })
          )
        )
        assert.strictEqual(a.body.response.expired_at - a.body.response.now, 120)
        const def = yield* getToken()
        assert.strictEqual(def.status, 401)
      }),
      { apiKey: "k", apiSecret: "s", tokenTtl: "2 minutes" }
    )
  )
})

describe("auth", () => {
  it.effect("accepts Bearer, raw Authorization and X-ImpTokenHeader", () =>
    provide(
      Effect.gen(function* () {
        const t = (yield* getToken()).body.response.access_token as string
        assert.strictEqual((yield* getPayment({ authorization: `Bearer ${t}` })).status, 200)
        assert.strictEqual((yield* getPayment({ authorization: t })).status, 200)
        assert.strictEqual((yield* getPayment({ "x-imptokenheader": t })).status, 200)
        // Authorization wins over X-ImpTokenHeader
        assert.strictEqual((yield* getPayment({ authorization: "nope", "x-imptokenheader": t })).status, 401)
      }),
      seeded
    )
  )

  it.effect("401 envelope for missing, unknown and expired tokens; counts expired ones", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const t = (yield* getToken()).body.response.access_token as string
        const missing = yield* getPayment({})
        assert.strictEqual(missing.status, 401)
        assert.deepStrictEqual(missing.body, { code: -1, message: "Unauthorized", response: null })
        const unknown = yield* getPayment({ authorization: "Bearer " + "0".repeat(40) })
        assert.strictEqual(unknown.status, 401)
        yield* TestClock.adjust("1799 seconds")
        assert.strictEqual((yield* getPayment({ authorization: t })).status, 200)
        yield* TestClock.adjust("1 second") // now == expired_at: expired
        const expired = yield* getPayment({ authorization: t })
        assert.strictEqual(expired.status, 401)
        const counters = yield* emulator.counters
        assert.strictEqual(counters.expiredTokensPresented, 1)
        assert.strictEqual(counters.unauthorized, 3)
      }),
      seeded
    )
  )

  it.effect("configurable 401 message", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* getPayment({})
        assert.strictEqual(a.body.message, "토큰 오류")
      }),
      { unauthorizedMessage: "토큰 오류" }
    )
  )

  it.effect("revokeTokens forgets tokens (then unknown, not expired) and getToken mints a new one", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const t = (yield* getToken()).body.response.access_token as string
        yield* emulator.revokeTokens
        assert.strictEqual((yield* getPayment({ authorization: t })).status, 401)
        assert.strictEqual((yield* emulator.counters).expiredTokensPresented, 0)
        const t2 = (yield* getToken()).body.response.access_token as string
        assert.notStrictEqual(t2, t)
        assert.strictEqual((yield* getPayment({ authorization: t2 })).status, 200)
      }),
      seeded
    )
  )

  it.effect("Tier header: unknown tier 401, known tier scopes data", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.seedPayment({ imp_uid: "imp_tier00000001", tier: "AB1" })
        const t = (yield* getToken()).body.response.access_token as string
        const unknown = yield* send(
          HttpClientRequest.get(`${BASE}/payments/imp_tier00000001`).pipe(
            HttpClientRequest.setHeaders({ authorization: t, tier: "ZZZ" })
          )
        )
        assert.strictEqual(unknown.status, 401)
        const withTier = yield* send(
          HttpClientRequest.get(`${BASE}/payments/imp_tier00000001`).pipe(
            HttpClientRequest.setHeaders({ authorization: t, tier: "AB1" })
          )
        )
        assert.strictEqual(withTier.status, 200)
        const withoutTier = yield* getPayment({ authorization: t })
        assert.strictEqual(withoutTier.status, 404)
        const other = yield* send(
          HttpClientRequest.get(`${BASE}/payments/imp_tier00000001`).pipe(
            HttpClientRequest.setHeaders({ authorization: t })
          )
        )
        assert.strictEqual(other.status, 404)
      }),
      { tiers: ["AB1"] }
    )
  )
})

describe("clock", () => {
  it.effect("emulator time = Clock + offset; setTime, advance, negative offsets", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* TestClock.setTime(1_700_000_000_000)
        assert.strictEqual(yield* emulator.now, 1_700_000_000)
        yield* emulator.setClockOffset("-40 minutes")
        assert.strictEqual(yield* emulator.now, 1_700_000_000 - 2400)
        const a = yield* getToken()
        assert.strictEqual(a.body.response.now, 1_700_000_000 - 2400)
        assert.strictEqual(a.body.response.expired_at, 1_700_000_000 - 2400 + 1800)
        yield* emulator.setClockOffset(-60_000)
        assert.strictEqual(yield* emulator.now, 1_700_000_000 - 60)
        yield* emulator.setClockOffset("2 minutes")
        assert.strictEqual(yield* emulator.now, 1_700_000_000 + 120)
        yield* emulator.advance("1 minute")
        assert.strictEqual(yield* emulator.now, 1_700_000_000 + 180)
        yield* emulator.advance("-3 minutes")
        assert.strictEqual(yield* emulator.now, 1_700_000_000)
        yield* TestClock.adjust("5 seconds")
        assert.strictEqual(yield* emulator.now, 1_700_000_005)
        yield* emulator.setTime(1_000)
        assert.strictEqual(yield* emulator.now, 1_000)
        yield* TestClock.adjust("5 seconds")
        assert.strictEqual(yield* emulator.now, 1_005)
      })
    )
  )

  it.effect("server clock ahead of the client: a token the client would still reuse has expired on the server", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const t = (yield* getToken()).body.response.access_token as string
        yield* emulator.advance("31 minutes")
        const a = yield* getPayment({ authorization: t })
        assert.strictEqual(a.status, 401)
        assert.strictEqual((yield* emulator.counters).expiredTokensPresented, 1)
      })
    )
  )

  it.effect("a long-running emulator remembers the last 1,000 tokens: an older one is unknown, not expired", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const issued: Array<string> = []
        for (let i = 0; i < 1001; i++) {
          issued.push((yield* getToken()).body.response.access_token as string)
          yield* emulator.advance("31 minutes")
        }
        assert.strictEqual(new Set(issued).size, 1001)
        assert.strictEqual((yield* getPayment({ authorization: issued[0]! })).status, 401)
        assert.strictEqual((yield* emulator.counters).expiredTokensPresented, 0)
        assert.strictEqual((yield* getPayment({ authorization: issued[1]! })).status, 401)
        assert.strictEqual((yield* emulator.counters).expiredTokensPresented, 1)
      })
    )
  )
})
