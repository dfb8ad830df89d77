import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Option, TestClock } from "effect"
import { Subscribe } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { authed, BASE, send } from "./helpers.js"

const NOW = 1_700_000_000 // 2023-11-14
const GOOD = { card_number: "4242-4242-4242-4242", expiry: "2030-12", birth: "800101", pwd_2digit: "12" }
const PAYMENT = "카드정보 인증에 실패하였습니다."
const BILLING_KEY = "카드정보 인증 및 빌키 발급에 실패하였습니다."
const REASON = {
  invalidNumber: "[F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)",
  declined: "[F113]거래거절 카드번호틀림",
  expiry: "[F113]유효기간오류",
  birth: "[F113]주민OR사업자등록번호오류",
  password: "[F113]비밀번호틀림"
}

const provide = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.provide(Effect.zipRight(TestClock.setTime(NOW * 1000), self), IamportEmulator.layerWithHttpClient())

const post = (path: string, body: unknown) =>
  authed(HttpClientRequest.post(`${BASE}${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body)))
const get = (path: string) => authed(HttpClientRequest.get(`${BASE}${path}`))

const onetime = (card: Record<string, string>, extra: Record<string, unknown> = {}) =>
  post("/subscribe/payments/onetime", { merchant_uid: "order-1", amount: 1000, ...card, ...extra })

/** The decline envelope: HTTP 200, code -1, the prefix and the PG's reason. */
const assertDeclined = (answer: { status: number; body: any }, message: string) => {
  assert.strictEqual(answer.status, 200)
  assert.deepStrictEqual(answer.body, { code: -1, message, response: null })
}

/** Nothing was paid for `order-1`, and no billing key `cust-1` exists. */
const assertNothingHappened = Effect.gen(function* () {
  assert.strictEqual((yield* get("/payments/find/order-1")).status, 404)
  assert.strictEqual((yield* get("/subscribe/customers/cust-1")).status, 404)
  const emulator = yield* IamportEmulator.IamportEmulator
  assert.isTrue(Option.isNone(yield* emulator.billingKey("cust-1")))
})

describe("card declines (key-in payments and billing-key issuance)", () => {
  const cases: ReadonlyArray<readonly [string, Record<string, string>, string]> = [
    ["Luhn-invalid number", { card_number: "4092-0230-1234-1234" }, REASON.invalidNumber],
    ["number too short", { card_number: "4242-4242" }, REASON.invalidNumber],
    ["number with letters", { card_number: "4242-4242-4242-424x" }, REASON.invalidNumber],
    ["expired card", { expiry: "2023-10" }, REASON.expiry],
    ["expiry not YYYY-MM", { expiry: "12/30" }, REASON.expiry],
    ["month 13", { expiry: "2030-13" }, REASON.expiry],
    ["birth not a date", { birth: "801332" }, REASON.birth],
    ["birth of 7 digits", { birth: "8001011" }, REASON.birth],
    ["business number with a wrong check digit", { birth: "1234567890" }, REASON.birth],
    ["pwd_2digit of one digit", { pwd_2digit: "1" }, REASON.password],
    ["pwd_2digit not digits", { pwd_2digit: "ab" }, REASON.password],
    ["the reserved declined card", { card_number: IamportEmulator.DECLINED_CARD_NUMBER }, REASON.declined]
  ]
  for (const [name, card, reason] of cases) {
    it.effect(`${name}: onetime -1 "${PAYMENT} ${reason}", with customer_uid "${BILLING_KEY} ..."`, () =>
      provide(
        Effect.gen(function* () {
          assertDeclined(yield* onetime({ ...GOOD, ...card }), `${PAYMENT} ${reason}`)
          assertDeclined(yield* onetime({ ...GOOD, ...card }, { customer_uid: "cust-1" }), `${BILLING_KEY} ${reason}`)
          const issue = yield* post("/subscribe/customers/cust-1", { ...GOOD, ...card })
          assertDeclined(issue, `${BILLING_KEY} ${reason}`)
          const schedule = yield* post("/subscribe/payments/schedule", {
            customer_uid: "cust-1",
            ...GOOD,
            ...card,
            schedules: [{ merchant_uid: "s-1", schedule_at: NOW + 60, amount: 1000, currency: "KRW", name: "n" }]
          })
          assertDeclined(schedule, `${BILLING_KEY} ${reason}`)
          yield* assertNothingHappened
          const emulator = yield* IamportEmulator.IamportEmulator
          assert.isTrue(Option.isNone(yield* emulator.scheduledPayment("s-1")))
        })
      )
    )
  }

  it.effect("valid cards pass: this month's expiry, 000000 and a business number as birth, no birth", () =>
    provide(
      Effect.gen(function* () {
        const valid = [
          { ...GOOD, expiry: "2023-11" },
          { ...GOOD, birth: "000000" },
          { ...GOOD, birth: "1248100998" },
          { ...GOOD, birth: "000229" },
          { card_number: "4242 4242 4242 4242", expiry: "2030-01" }
        ]
        for (const [i, card] of valid.entries()) {
          const a = yield* onetime(card, { merchant_uid: `ok-${i}` })
          assert.strictEqual(a.body.code, 0, JSON.stringify([card, a.body]))
          assert.strictEqual(a.body.response.status, "paid")
        }
        assert.strictEqual((yield* post("/subscribe/customers/cust-ok", GOOD)).body.code, 0)
      })
    )
  )

  it.effect("through the client: Subscribe.onetime fails with IamportApiError code -1 and the message", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(NOW * 1000)
      const result = yield* Effect.either(
        Subscribe.onetime({ merchant_uid: "o", amount: 1000, card_number: "1234-1234-1234-1234", expiry: "2030-12" })
      )
      assert.isTrue(Either.isLeft(result))
      const error = (result as Either.Left<any, unknown>).left
      assert.strictEqual(error._tag, "IamportApiError")
      assert.strictEqual(error.code, -1)
      assert.strictEqual(error.apiMessage, `${PAYMENT} ${REASON.invalidNumber}`)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it.effect("declineCard: later key-ins decline; charges on a key issued from it make failed payments", () =>
    provide(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        assert.strictEqual((yield* post("/subscribe/customers/cust-2", GOOD)).body.code, 0)
        yield* emulator.declineCard("4242424242424242", { reason: "[F113]한도초과" })
        assertDeclined(yield* onetime(GOOD), `${PAYMENT} [F113]한도초과`)

        const again = yield* post("/subscribe/payments/again", {
          customer_uid: "cust-2",
          merchant_uid: "again-1",
          amount: 1000,
          name: "n"
        })
        assert.strictEqual(again.status, 200)
        assert.strictEqual(again.body.code, 0)
        assert.strictEqual(again.body.response.status, "failed")
        assert.strictEqual(again.body.response.fail_reason, "[F113]한도초과")
        assert.strictEqual(again.body.response.paid_at, 0)
        assert.isAbove(again.body.response.failed_at, 0)

        yield* post("/subscribe/payments/schedule", {
          customer_uid: "cust-2",
          schedules: [{ merchant_uid: "s-2", schedule_at: NOW + 60, amount: 1000, currency: "KRW", name: "n" }]
        })
        yield* TestClock.adjust("2 minutes")
        const [executed] = yield* emulator.runDueSchedules
        assert.strictEqual(executed?.payment_status, "failed")
        assert.strictEqual(executed?.fail_reason, "[F113]한도초과")
      })
    )
  )

  it.effect("POST /__emulator/cards/decline declares a card declined over HTTP", () =>
    provide(
      Effect.gen(function* () {
        const admin = yield* send(
          HttpClientRequest.post(`${BASE}/__emulator/cards/decline`).pipe(
            HttpClientRequest.bodyUnsafeJson({ card_number: GOOD.card_number })
          )
        )
        assert.deepStrictEqual(admin.body, { code: 0, message: null, response: { declined: true } })
        assertDeclined(yield* onetime(GOOD), `${PAYMENT} ${REASON.declined}`)
        const missing = yield* send(
          HttpClientRequest.post(`${BASE}/__emulator/cards/decline`).pipe(HttpClientRequest.bodyUnsafeJson({}))
        )
        assert.strictEqual(missing.status, 400)
      })
    )
  )
})
