import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"
import { authed, BASE } from "./helpers.js"

const provide = <A, E, R>(self: Effect.Effect<A, E, R>, options?: IamportEmulator.Options) =>
  Effect.provide(
    Effect.zipRight(TestClock.setTime(1_700_000_000_000), self),
    IamportEmulator.layerWithHttpClient(options)
  )

const get = (path: string) => authed(HttpClientRequest.get(`${BASE}${path}`))
const postJson = (path: string, body: unknown) =>
  authed(HttpClientRequest.post(`${BASE}${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body)))
const postForm = (path: string, body: Record<string, string>) =>
  authed(HttpClientRequest.post(`${BASE}${path}`).pipe(HttpClientRequest.bodyUrlParams(body)))
const cancel = (body: unknown) => postJson("/payments/cancel", body)

const REQUIRED = ["imp_uid", "merchant_uid", "sandbox", "amount", "cancel_amount", "currency", "status"]
const NOT_FOUND = { code: -1, message: "존재하지 않는 결제정보입니다.", response: null }

describe("GET /payments/{imp_uid}", () => {
  it.effect("returns a spec-shaped payment", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const seeded = yield* emulator.seedPayment({ amount: 5000, merchant_uid: "order-1" })
        assert.match(seeded.imp_uid, /^imp_\d{12}$/)
        const a = yield* get(`/payments/${seeded.imp_uid}`)
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.body.code, 0)
        const p = a.body.response
        for (const field of REQUIRED) assert.property(p, field)
        assert.strictEqual(p.amount, 5000)
        assert.strictEqual(p.cancel_amount, 0)
        assert.strictEqual(p.currency, "KRW")
        assert.strictEqual(p.status, "paid")
        assert.strictEqual(p.pay_method, "card")
        assert.strictEqual(p.sandbox, false)
        assert.strictEqual(p.paid_at, 1_700_000_000)
        assert.strictEqual(p.failed_at, 0)
        assert.strictEqual(p.cancelled_at, 0)
        assert.deepStrictEqual(p.cancel_history, [])
        assert.deepStrictEqual(p, seeded)
      })
    )
  )

  it.effect("404 envelope for an unknown imp_uid", () =>
    provide(
      Effect.gen(function* () {
        const a = yield* get("/payments/imp_999999999999")
        assert.strictEqual(a.status, 404)
        assert.deepStrictEqual(a.body, NOT_FOUND)
      })
    )
  )

  it.effect("sandbox payments are hidden unless include_sandbox=true", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.seedPayment({ imp_uid: "imp_sandbox00001", sandbox: true })
        assert.strictEqual((yield* get("/payments/imp_sandbox00001")).status, 404)
        assert.strictEqual((yield* get("/payments/imp_sandbox00001?include_sandbox=false")).status, 404)
        const a = yield* get("/payments/imp_sandbox00001?include_sandbox=true")
        assert.strictEqual(a.status, 200)
        assert.strictEqual(a.body.response.sandbox, true)
      })
    )
  )

  it.effect("every look-up hides sandbox payments unless include_sandbox=true", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.seedPayment({ imp_uid: "imp_sandbox00002", merchant_uid: "test-order", sandbox: true })
        const ids = (list: ReadonlyArray<any>) => list.map((p) => p.imp_uid)
        const hidden = [
          "/payments/find/test-order",
          "/payments/find/test-order/paid",
          "/payments/findAll/test-order",
          "/payments?imp_uid[]=imp_sandbox00002",
          "/payments?merchant_uid[]=test-order"
        ]
        for (const path of hidden) {
          assert.strictEqual((yield* get(path)).status, 404, path)
          const shown = yield* get(`${path}${path.includes("?") ? "&" : "?"}include_sandbox=true`)
          assert.strictEqual(shown.status, 200, path)
        }
        assert.deepStrictEqual(ids((yield* get("/payments/status/paid")).body.response.list), [])
        assert.deepStrictEqual(ids((yield* get("/payments/status/all")).body.response.list), [])
        const listed = yield* get("/payments/status/paid?include_sandbox=true")
        assert.deepStrictEqual(ids(listed.body.response.list), ["imp_sandbox00002"])
        const found = yield* get("/payments/findAll/test-order?include_sandbox=true")
        assert.deepStrictEqual(ids(found.body.response.list), ["imp_sandbox00002"])
      })
    )
  )

  it.effect("a payment's answer follows its every change (its JSON is made once per version)", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const history = [
          {
            pg_tid: "tid_1",
            amount: 100,
            cancelled_at: 1,
            reason: "first",
            cancellation_id: "c_1",
            receipt_url: "https://example.com/1"
          }
        ]
        const seeded = yield* emulator.seedPayment({ amount: 1000, cancel_amount: 100, cancel_history: history })
        assert.isFalse(Object.isFrozen(history) || Object.isFrozen(history[0]), "the caller's input is left as it was")
        assert.isTrue(Object.isFrozen(seeded) && Object.isFrozen(seeded.cancel_history[0]))
        const read = () => Effect.map(get(`/payments/${seeded.imp_uid}`), (a) => a.body.response)
        assert.strictEqual((yield* read()).cancel_amount, 100)
        assert.strictEqual((yield* read()).cancel_amount, 100)
        assert.strictEqual((yield* cancel({ imp_uid: seeded.imp_uid, amount: 200 })).body.code, 0)
        const cancelled = yield* read()
        assert.strictEqual(cancelled.cancel_amount, 300)
        assert.deepStrictEqual(
          cancelled.cancel_history.map((c: { amount: number }) => c.amount),
          [100, 200]
        )
        yield* emulator.seedPayment({ imp_uid: seeded.imp_uid, amount: 5000 })
        assert.strictEqual((yield* read()).amount, 5000)
        const vbank = yield* emulator.seedPayment({ pay_method: "vbank", status: "ready" })
        assert.strictEqual(
          (yield* Effect.map(get(`/payments/${vbank.imp_uid}`), (a) => a.body.response)).status,
          "ready"
        )
        yield* emulator.depositVbank(vbank.imp_uid)
        assert.strictEqual(
          (yield* Effect.map(get(`/payments/${vbank.imp_uid}`), (a) => a.body.response)).status,
          "paid"
        )
      })
    )
  )

  it.effect("tolerates trailing and double slashes", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.seedPayment({ imp_uid: "imp_000000000001" })
        assert.strictEqual((yield* get("/payments/imp_000000000001/")).body.response.imp_uid, "imp_000000000001")
        assert.strictEqual((yield* get("//payments//imp_000000000001")).body.response.imp_uid, "imp_000000000001")
        const counters = yield* emulator.counters
        assert.strictEqual(counters.requests["GET /payments/{imp_uid}"], 2)
        assert.deepStrictEqual(
          counters.recent.map((r) => r.rawPath).filter((p) => p.includes("imp_")),
          ["/payments/imp_000000000001/", "//payments//imp_000000000001"]
        )
      })
    )
  )

  it.effect("hostile ids stay one decoded path segment", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const ids = ["../users/getToken", "a/b", "a%2Fb", "?x=1", "#", "imp_1/cancel", "한글 id"]
        for (const id of ids) {
          yield* emulator.seedPayment({ imp_uid: id, amount: 777 })
          const a = yield* get(`/payments/${encodeURIComponent(id)}`)
          assert.strictEqual(a.status, 200, id)
          assert.strictEqual(a.body.response.imp_uid, id)
        }
        const counters = yield* emulator.counters
        const seen = counters.recent.filter((r) => r.route === "GET /payments/{imp_uid}")
        assert.deepStrictEqual(
          seen.map((r) => r.params.imp_uid),
          ids
        )
        assert.strictEqual(counters.getTokenCalls, ids.length)
        assert.isUndefined(counters.requests["POST /payments/cancel"])
      })
    )
  )
})

describe("GET /payments (by many ids)", () => {
  it.effect("200 when all found, 207 when some, 404 when none; PHP bracket arrays", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        yield* emulator.seedPayment({ imp_uid: "imp_a", merchant_uid: "m_a" })
        yield* emulator.seedPayment({ imp_uid: "imp_b", merchant_uid: "m_b" })
        const all = yield* get("/payments?imp_uid[]=imp_a&imp_uid[]=imp_b")
        assert.strictEqual(all.status, 200)
        assert.deepStrictEqual(
          all.body.response.map((p: any) => p.imp_uid),
          ["imp_a", "imp_b"]
        )
        const some = yield* get("/payments?imp_uid%5B%5D=imp_a&imp_uid%5B%5D=imp_zzz&merchant_uid[]=m_b")
        assert.strictEqual(some.status, 207)
        assert.strictEqual(some.body.code, 0)
        assert.deepStrictEqual(
          some.body.response.map((p: any) => p.imp_uid),
          ["imp_a", "imp_b"]
        )
        const none = yield* get("/payments?imp_uid[]=nope")
        assert.strictEqual(none.status, 404)
        assert.strictEqual(none.body.code, -1)
        const tooMany = yield* get("/payments?" + Array.from({ length: 101 }, (_, i) => `imp_uid[]=x${i}`).join("&"))
        assert.strictEqual(tooMany.status, 400)
      })
    )
  )
})

describe("find / findAll / status", () => {
  const seedOrders = Effect.gen(function* () {
    const emulator = yield* IamportEmulator.IamportEmulator
    yield* emulator.seedPayment({ imp_uid: "imp_old", merchant_uid: "order", status: "failed", started_at: 100 })
    yield* emulator.seedPayment({ imp_uid: "imp_mid", merchant_uid: "order", status: "paid", started_at: 200 })
    yield* emulator.seedPayment({ imp_uid: "imp_new", merchant_uid: "order", status: "ready", started_at: 300 })
  })

  it.effect("find returns the latest by -started, or by status and sorting", () =>
    provide(
      Effect.gen(function* () {
        yield* seedOrders
        assert.strictEqual((yield* get("/payments/find/order")).body.response.imp_uid, "imp_new")
        assert.strictEqual((yield* get("/payments/find/order/")).body.response.imp_uid, "imp_new")
        assert.strictEqual((yield* get("/payments/find/order/paid")).body.response.imp_uid, "imp_mid")
        assert.strictEqual((yield* get("/payments/find/order?sorting=started")).body.response.imp_uid, "imp_old")
        const missing = yield* get("/payments/find/order/cancelled")
        assert.strictEqual(missing.status, 404)
        assert.deepStrictEqual(missing.body, NOT_FOUND)
        assert.strictEqual((yield* get("/payments/find/nope")).status, 404)
        assert.strictEqual((yield* get("/payments/find/order/bogus")).status, 400)
        const counters = yield* Effect.flatMap(IamportEmulator.IamportEmulator, (e) => e.counters)
        assert.strictEqual(counters.requests["GET /payments/find/{merchant_uid}"], 4)
        assert.strictEqual(counters.requests["GET /payments/find/{merchant_uid}/{payment_status}"], 3)
      })
    )
  )

  it.effect("findAll pages with total/previous/next", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        for (let i = 0; i < 25; i++) {
          yield* emulator.seedPayment({ imp_uid: `imp_p${i}`, merchant_uid: "bulk", started_at: 1000 + i })
        }
        const p1 = yield* get("/payments/findAll/bulk?limit=10")
        assert.strictEqual(p1.status, 200)
        assert.deepStrictEqual(
          { total: p1.body.response.total, previous: p1.body.response.previous, next: p1.body.response.next },
          { total: 25, previous: 0, next: 2 }
        )
        assert.strictEqual(p1.body.response.list.length, 10)
        assert.strictEqual(p1.body.response.list[0].imp_uid, "imp_p24")
        const p3 = yield* get("/payments/findAll/bulk/paid?page=3&limit=10")
        assert.strictEqual(p3.body.response.list.length, 5)
        assert.strictEqual(p3.body.response.previous, 2)
        assert.strictEqual(p3.body.response.next, 0)
        assert.strictEqual(p3.body.response.list[4].imp_uid, "imp_p0")
        const defaults = yield* get("/payments/findAll/bulk")
        assert.strictEqual(defaults.body.response.list.length, 20)
        assert.strictEqual((yield* get("/payments/findAll/bulk?page=4&limit=10")).status, 400)
        assert.strictEqual((yield* get("/payments/findAll/none")).status, 404)
        assert.strictEqual((yield* get("/payments/findAll/bulk/cancelled")).status, 404)
      })
    )
  )

  it.effect("status lists use the per-status time field within a 90-day window", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const now = 1_700_000_000
        yield* emulator.seedPayment({ imp_uid: "imp_recent", paid_at: now - 10 })
        yield* emulator.seedPayment({ imp_uid: "imp_ancient", paid_at: now - 100 * 86400 })
        yield* emulator.seedPayment({ imp_uid: "imp_failed", status: "failed", failed_at: now - 5 })
        const paid = yield* get("/payments/status/paid")
        assert.deepStrictEqual(
          paid.body.response.list.map((p: any) => p.imp_uid),
          ["imp_recent"]
        )
        assert.strictEqual(paid.body.response.total, 1)
        const old = yield* get(`/payments/status/paid?from=${now - 120 * 86400}&to=${now - 90 * 86400}`)
        assert.deepStrictEqual(
          old.body.response.list.map((p: any) => p.imp_uid),
          ["imp_ancient"]
        )
        const all = yield* get("/payments/status/all")
        assert.strictEqual(all.body.response.total, 2)
        const bogus = yield* get("/payments/status/bogus")
        assert.strictEqual(bogus.status, 400)
        assert.strictEqual(bogus.body.message, "지원되지 않는 상태값입니다.")
        assert.strictEqual((yield* get(`/payments/status/paid?from=${now - 100 * 86400}`)).status, 400)
      })
    )
  )
})

describe("prepare", () => {
  it.effect("POST, GET, PUT round trip (JSON and form)", () =>
    provide(
      Effect.gen(function* () {
        const created = yield* postJson("/payments/prepare", { merchant_uid: "order-7", amount: 12000 })
        assert.strictEqual(created.status, 200)
        assert.deepStrictEqual(created.body, {
          code: 0,
          message: null,
          response: { merchant_uid: "order-7", amount: 12000 }
        })
        const read = yield* get("/payments/prepare/order-7")
        assert.deepStrictEqual(read.body.response, { merchant_uid: "order-7", amount: 12000 })
        const form = yield* postForm("/payments/prepare", { merchant_uid: "order-8", amount: "3000", currency: "USD" })
        assert.deepStrictEqual(form.body.response, { merchant_uid: "order-8", amount: 3000, currency: "USD" })
        const dup = yield* postJson("/payments/prepare", { merchant_uid: "order-7", amount: 1 })
        assert.strictEqual(dup.status, 200)
        assert.strictEqual(dup.body.code, 1)
        const updated = yield* authed(
          HttpClientRequest.put(`${BASE}/payments/prepare`).pipe(
            HttpClientRequest.bodyUnsafeJson({ merchant_uid: "order-7", amount: 15000 })
          )
        )
        assert.deepStrictEqual(updated.body.response, { merchant_uid: "order-7", amount: 15000 })
        const emulator = yield* IamportEmulator.IamportEmulator
        assert.deepStrictEqual(
          yield* emulator.prepared("order-7"),
          Option.some({ merchant_uid: "order-7", amount: 15000 })
        )
      })
    )
  )

  it.effect("404s for unknown merchant_uid on GET and PUT; 400 when fields are missing", () =>
    provide(
      Effect.gen(function* () {
        const read = yield* get("/payments/prepare/nope")
        assert.strictEqual(read.status, 404)
        assert.deepStrictEqual(read.body, {
          code: -1,
          message: "사전등록된 결제정보가 존재하지 않습니다.",
          response: null
        })
        const put = yield* authed(
          HttpClientRequest.put(`${BASE}/payments/prepare`).pipe(
            HttpClientRequest.bodyUnsafeJson({ merchant_uid: "nope", amount: 1 })
          )
        )
        assert.strictEqual(put.status, 404)
        const missing = yield* postJson("/payments/prepare", { merchant_uid: "x" })
        assert.strictEqual(missing.status, 400)
      })
    )
  )
})

describe("POST /payments/cancel", () => {
  it.effect("partial then full cancel accumulates cancel_amount and history", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const p = yield* emulator.seedPayment({ amount: 10000 })
        const first = yield* cancel({ imp_uid: p.imp_uid, amount: 3000, checksum: 10000, reason: "부분 환불" })
        assert.strictEqual(first.status, 200)
        assert.strictEqual(first.body.code, 0)
        assert.strictEqual(first.body.response.status, "paid")
        assert.strictEqual(first.body.response.cancel_amount, 3000)
        assert.strictEqual(first.body.response.cancel_history.length, 1)
        const h = first.body.response.cancel_history[0]
        assert.strictEqual(h.amount, 3000)
        assert.strictEqual(h.reason, "부분 환불")
        assert.strictEqual(h.cancelled_at, 1_700_000_000)
        assert.isString(h.pg_tid)
        assert.isString(h.cancellation_id)
        assert.isString(h.receipt_url)
        yield* TestClock.adjust("1 minute")
        // form body, no amount = the remaining balance
        const second = yield* postForm("/payments/cancel", { imp_uid: p.imp_uid, checksum: "7000", reason: "전액" })
        assert.strictEqual(second.body.code, 0)
        assert.strictEqual(second.body.response.status, "cancelled")
        assert.strictEqual(second.body.response.cancel_amount, 10000)
        assert.strictEqual(second.body.response.cancelled_at, 1_700_000_060)
        assert.deepStrictEqual(
          second.body.response.cancel_history.map((c: any) => c.amount),
          [3000, 7000]
        )
        const stored = yield* emulator.payment(p.imp_uid)
        assert.strictEqual(Option.getOrThrow(stored).status, "cancelled")
        const again = yield* cancel({ imp_uid: p.imp_uid })
        assert.deepStrictEqual(again.body, { code: 1, message: "취소할 결제건이 존재하지 않습니다.", response: null })
        assert.strictEqual(again.status, 200)
      })
    )
  )

  it.effect("checksum mismatch and amount above balance fail with HTTP 200 code 1 and change nothing", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const p = yield* emulator.seedPayment({ amount: 1000 })
        const mismatch = yield* cancel({ imp_uid: p.imp_uid, amount: 100, checksum: 999 })
        assert.strictEqual(mismatch.status, 200)
        assert.strictEqual(mismatch.body.code, 1)
        assert.isNull(mismatch.body.response)
        const tooMuch = yield* cancel({ imp_uid: p.imp_uid, amount: 1001 })
        assert.strictEqual(tooMuch.status, 200)
        assert.strictEqual(tooMuch.body.code, 1)
        assert.strictEqual(Option.getOrThrow(yield* emulator.payment(p.imp_uid)).cancel_amount, 0)
      })
    )
  )

  it.effect("unknown payment or no uid: HTTP 200 code 1; merchant_uid works, imp_uid wins", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const unknown = yield* cancel({ imp_uid: "imp_nope" })
        assert.strictEqual(unknown.status, 200)
        assert.deepStrictEqual(unknown.body, { code: 1, message: "취소할 결제건이 존재하지 않습니다.", response: null })
        const none = yield* cancel({ reason: "x" })
        assert.strictEqual(none.status, 200)
        assert.strictEqual(none.body.code, 1)
        assert.include(none.body.message, "imp_uid 또는 merchant_uid를 지정해주셔야합니다.")
        const p = yield* emulator.seedPayment({ merchant_uid: "order-c", amount: 500 })
        const byMerchant = yield* cancel({ merchant_uid: "order-c" })
        assert.strictEqual(byMerchant.body.response.imp_uid, p.imp_uid)
        assert.strictEqual(byMerchant.body.response.status, "cancelled")
        const q = yield* emulator.seedPayment({ merchant_uid: "order-d", amount: 500 })
        const wins = yield* cancel({ imp_uid: "imp_nope", merchant_uid: "order-d" })
        assert.strictEqual(wins.body.code, 1)
        assert.strictEqual(Option.getOrThrow(yield* emulator.payment(q.imp_uid)).status, "paid")
      })
    )
  )
  it.effect("the request log keeps each cancel's body (a faulted one's too), never getToken's", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const p = yield* emulator.seedPayment({ amount: 10000 })
        yield* emulator.injectFaults(IamportEmulator.Fault.Status({ status: 503 }), { route: "/payments/cancel" })
        assert.strictEqual((yield* cancel({ imp_uid: p.imp_uid, amount: 3000, checksum: 10000 })).status, 503)
        assert.strictEqual((yield* cancel({ imp_uid: p.imp_uid, amount: 3000, checksum: 10000 })).body.code, 0)
        yield* postForm("/payments/cancel", { imp_uid: p.imp_uid, checksum: "7000" })
        const counters = yield* emulator.counters
        assert.deepStrictEqual(
          counters.recent.filter((r) => r.route === "POST /payments/cancel").map((r) => [r.status, r.body]),
          [
            [503, { imp_uid: p.imp_uid, amount: 3000, checksum: 10000 }],
            [200, { imp_uid: p.imp_uid, amount: 3000, checksum: 10000 }],
            [200, { imp_uid: p.imp_uid, checksum: "7000" }]
          ]
        )
        const getTokens = counters.recent.filter((r) => r.route === "POST /users/getToken")
        assert.strictEqual(getTokens.length, 3)
        for (const r of getTokens) assert.notProperty(r, "body")
        assert.notInclude(JSON.stringify(counters), emulator.apiSecret)
      })
    )
  )
})

describe("GET /payments/{imp_uid}/balance", () => {
  it.effect("derives the spec shape from the payment", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const p = yield* emulator.seedPayment({ amount: 11000 })
        yield* cancel({ imp_uid: p.imp_uid, amount: 1100 })
        const a = yield* get(`/payments/${p.imp_uid}/balance`)
        assert.strictEqual(a.status, 200)
        const b = a.body.response
        assert.strictEqual(b.amount, 11000)
        assert.deepStrictEqual(b.primary, { tax_free: 0, supply: 9000, vat: 900, service: 0 })
        for (const k of ["cash_receipt", "secondary", "discount"]) {
          assert.deepStrictEqual(b[k], { tax_free: 0, supply: 0, vat: 0, service: 0 })
        }
        assert.strictEqual(b.histories.length, 2)
        assert.strictEqual((yield* get("/payments/imp_nope/balance")).status, 404)
      })
    )
  )
})
