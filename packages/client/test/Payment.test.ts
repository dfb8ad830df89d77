import { assert, describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  Payment,
  PaymentBalance,
  PaymentCancel,
  PaymentPage,
  PaymentPrepare,
  PaymentSorting,
  PaymentStatus,
  type PayMethod
} from "../src/Payment.js"
import { fullApiPayment } from "./fixtures/apiPayment.js"
import { Amount, OptionDateTimeUtcFromUnixSeconds, openLiteral } from "../src/internal/schema.js"

const decodePayment = Schema.decodeUnknown(Payment)
const encodePayment = Schema.encode(Payment)

const seconds = (s: number) => DateTime.unsafeMake(s * 1000)

/** Every property of `PaymentAnnotation`, with realistic values. */
const fullPayment = fullApiPayment

/** Only the fields the spec requires (minus `sandbox`, which older answers lack). */
const minimalPayment = {
  imp_uid: "imp_000000000001",
  merchant_uid: "order_min",
  amount: 1000,
  cancel_amount: 0,
  currency: "KRW",
  status: "ready"
}

const failureMessage = (input: unknown) =>
  decodePayment(input).pipe(
    Effect.flip,
    Effect.map((error) => {
      assert.instanceOf(error, ParseResult.ParseError)
      return error.message
    })
  )

describe("Payment", () => {
  it.effect("decodes a payment with every spec field", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment(fullPayment)
      assert.instanceOf(payment, Payment)
      expect(payment.imp_uid).toBe("imp_448280090638")
      expect(payment.merchant_uid).toBe("order_20231114_0001")
      expect(payment.pay_method).toBe("card")
      expect(payment.channel).toBe("pc")
      expect(payment.pg_provider).toBe("html5_inicis")
      expect(payment.emb_pg_provider).toBe("kakaopay")
      expect(payment.sandbox).toBe(true)
      expect(payment.escrow).toBe(false)
      expect(payment.card_quota).toBe(3)
      expect(payment.card_type).toBe(0)
      expect(payment.card_number).toBe("910020*********1")
      expect(payment.amount).toBe(64900)
      expect(payment.cancel_amount).toBe(1000)
      expect(payment.currency).toBe("KRW")
      expect(payment.status).toBe("paid")
      expect(payment.custom_data).toBe('{"cart_id":42,"coupon":"WELCOME"}')
      expect(payment.fail_reason).toBe("")
      expect(payment.customer_uid_usage).toBe("payment")
      expect(payment.cash_receipt_issued).toBe(false)
      expect(payment.started_at).toStrictEqual(Option.some(seconds(1699999000)))
      expect(payment.paid_at).toStrictEqual(Option.some(seconds(1700000000)))
      expect(payment.failed_at).toStrictEqual(Option.none())
      expect(payment.cancelled_at).toStrictEqual(Option.some(seconds(1700003600)))
      expect(payment.vbank_date).toStrictEqual(Option.some(seconds(1700600000)))
      expect(payment.vbank_issued_at).toStrictEqual(Option.some(seconds(1699999000)))
      expect(payment.cancel_history).toHaveLength(1)
      const cancel = payment.cancel_history[0]!
      assert.instanceOf(cancel, PaymentCancel)
      expect(cancel.amount).toBe(1000)
      expect(cancel.cancellation_id).toBe("cancel_01HF6M9Z8W")
      expect(cancel.cancelled_at).toStrictEqual(Option.some(seconds(1700003600)))
      expect(payment.deposit_history[0]?.depositor_name).toBe("홍길동")
      expect(payment.deposit_history[0]?.deposited_at).toStrictEqual(Option.some(seconds(1700001000)))
      expect(payment.cancel_receipt_urls).toStrictEqual(fullPayment.cancel_receipt_urls)
      expect(payment.promotion?.id).toBe("promotion-id-66025395-5b2c-4dcc-bc11-c883398a28fb")
      expect(payment.promotion?.discount).toBe(1000)
      expect(payment.cancellableAmount).toBe(63900)
      expect(payment.isPartiallyCancelled).toBe(true)
      // every wire field is a decoded field
      expect(Object.keys(payment).sort()).toStrictEqual(Object.keys(fullPayment).sort())
    })
  )

  it.effect("decodes a payment with only the required fields", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment(minimalPayment)
      expect(payment.status).toBe("ready")
      expect(payment.sandbox).toBe(false)
      expect(payment.pay_method).toBeUndefined()
      expect("pay_method" in payment).toBe(false)
      expect(payment.paid_at).toStrictEqual(Option.none())
      expect(payment.started_at).toStrictEqual(Option.none())
      expect(payment.cancel_history).toStrictEqual([])
      expect(payment.deposit_history).toStrictEqual([])
      expect(payment.cancel_receipt_urls).toStrictEqual([])
      expect(payment.cancellableAmount).toBe(1000)
      expect(payment.isPartiallyCancelled).toBe(false)
    })
  )

  it.effect("accepts and drops unknown extra fields, even with onExcessProperty: error", () =>
    Effect.gen(function* () {
      const input = {
        ...minimalPayment,
        brand_new_field: { nested: true },
        cancel_history: [
          { pg_tid: "t", amount: 500, cancelled_at: 1700000000, reason: "r", cancellation_id: "c", extra: 1 }
        ]
      }
      const lenient = yield* decodePayment(input)
      expect("brand_new_field" in lenient).toBe(false)
      expect(lenient.cancel_history[0]?.amount).toBe(500)
      const strict = yield* Schema.decodeUnknown(Payment)(input, { onExcessProperty: "error" })
      expect(strict.cancel_history[0]?.amount).toBe(500)
      expect("brand_new_field" in strict).toBe(false)
    })
  )

  it.effect("keeps unknown enum strings", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment({
        ...minimalPayment,
        status: "partial_cancelled_future",
        pay_method: "newpay",
        channel: "kiosk",
        customer_uid_usage: "payment.future",
        currency: "XTS"
      })
      expect(payment.status).toBe("partial_cancelled_future")
      expect(payment.pay_method).toBe("newpay")
      expect(payment.channel).toBe("kiosk")
      expect(payment.customer_uid_usage).toBe("payment.future")
      expect(payment.currency).toBe("XTS")
      expectTypeOf(payment.status).toEqualTypeOf<"ready" | "paid" | "cancelled" | "failed" | (string & {})>()
      expectTypeOf<PayMethod>().toExtend<string>()
    })
  )

  it.effect("decodes timestamps: 0 is none, seconds are that instant, numeric strings accepted", () =>
    Effect.gen(function* () {
      const unpaid = yield* decodePayment({ ...minimalPayment, paid_at: 0 })
      expect(unpaid.paid_at).toStrictEqual(Option.none())

      const paid = yield* decodePayment({ ...minimalPayment, status: "paid", paid_at: 1700000000 })
      assert.isTrue(Option.isSome(paid.paid_at))
      const instant = Option.getOrThrow(paid.paid_at)
      expect(DateTime.formatIso(instant)).toBe("2023-11-14T22:13:20.000Z")
      expect(DateTime.toEpochMillis(instant)).toBe(1_700_000_000_000)

      const fromString = yield* decodePayment({ ...minimalPayment, paid_at: "1700000000" })
      expect(fromString.paid_at).toStrictEqual(Option.some(seconds(1700000000)))
    })
  )

  it.effect("decodes decimal amounts and numeric-string amounts", () =>
    Effect.gen(function* () {
      const usd = yield* decodePayment({ ...minimalPayment, currency: "USD", amount: 10.1, cancel_amount: 0.1 })
      expect(usd.amount).toBe(10.1)
      expect(usd.cancel_amount).toBe(0.1)
      expect(usd.cancellableAmount).toBe(10)
      const usd2 = yield* decodePayment({ ...minimalPayment, currency: "USD", amount: 0.3, cancel_amount: 0.1 })
      expect(usd2.cancellableAmount).toBe(0.2)

      const fromString = yield* decodePayment({ ...minimalPayment, amount: "1500.50", cancel_amount: "0" })
      expect(fromString.amount).toBe(1500.5)
      expect(fromString.cancel_amount).toBe(0)
    })
  )

  it.effect("treats null like absent for optional fields", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment({
        ...minimalPayment,
        sandbox: null,
        pay_method: null,
        card_type: null,
        vbank_holder: null,
        fail_reason: null,
        customer_uid_usage: null,
        promotion: null,
        escrow: null,
        paid_at: null,
        vbank_date: null,
        cancel_history: null,
        deposit_history: null,
        cancel_receipt_urls: null
      })
      expect(payment.sandbox).toBe(false)
      expect(payment.pay_method).toBeUndefined()
      expect(payment.card_type).toBeUndefined()
      expect(payment.vbank_holder).toBeUndefined()
      expect(payment.fail_reason).toBeUndefined()
      expect(payment.customer_uid_usage).toBeUndefined()
      expect(payment.promotion).toBeUndefined()
      expect(payment.escrow).toBeUndefined()
      expect(payment.paid_at).toStrictEqual(Option.none())
      expect(payment.vbank_date).toStrictEqual(Option.none())
      expect(payment.cancel_history).toStrictEqual([])
      expect(payment.deposit_history).toStrictEqual([])
      expect(payment.cancel_receipt_urls).toStrictEqual([])
    })
  )

  it.effect("fails with a ParseError naming the field for wrong types", () =>
    Effect.gen(function* () {
      const badAmount = yield* failureMessage({ ...minimalPayment, amount: "abc" })
      expect(badAmount).toContain('["amount"]')
      expect(badAmount).toContain('"abc"')

      const badImpUid = yield* failureMessage({ ...minimalPayment, imp_uid: 123 })
      expect(badImpUid).toContain('["imp_uid"]')
      expect(badImpUid).toContain("Expected string, actual 123")

      const missing = yield* failureMessage({ ...minimalPayment, status: undefined })
      expect(missing).toContain('["status"]')

      const badNested = yield* failureMessage({ ...minimalPayment, cancel_history: [{ amount: "x" }] })
      expect(badNested).toContain('["cancel_history"]')
      expect(badNested).toContain('["amount"]')

      const badTime = yield* failureMessage({ ...minimalPayment, paid_at: "yesterday" })
      expect(badTime).toContain('["paid_at"]')
    })
  )

  it.effect("round-trips: encode(decode(wire)) is the wire form", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment(fullPayment)
      const encoded = yield* encodePayment(payment)
      expect(encoded).toStrictEqual(fullPayment)
      const again = yield* decodePayment(encoded)
      assert.deepStrictEqual(again, payment)
    })
  )

  it.effect("round-trips a minimal payment into its normalized wire form", () =>
    Effect.gen(function* () {
      const payment = yield* decodePayment({ ...minimalPayment, card_type: null, paid_at: "0" })
      const encoded = yield* encodePayment(payment)
      expect(encoded).toStrictEqual({
        ...minimalPayment,
        sandbox: false,
        vbank_date: 0,
        vbank_issued_at: 0,
        started_at: 0,
        paid_at: 0,
        failed_at: 0,
        cancelled_at: 0,
        cancel_history: [],
        deposit_history: [],
        cancel_receipt_urls: []
      })
    })
  )
})

describe("PaymentPage", () => {
  it.effect("decodes previous/next 0 as none and page numbers as some", () =>
    Effect.gen(function* () {
      const only = yield* Schema.decodeUnknown(PaymentPage)({
        total: 2,
        previous: 0,
        next: 0,
        list: [minimalPayment, fullPayment]
      })
      expect(only.total).toBe(2)
      expect(only.previous).toStrictEqual(Option.none())
      expect(only.next).toStrictEqual(Option.none())
      expect(only.list.map((p) => p.imp_uid)).toStrictEqual([minimalPayment.imp_uid, fullPayment.imp_uid])
      assert.instanceOf(only.list[1], Payment)

      const middle = yield* Schema.decodeUnknown(PaymentPage)({ total: 60, previous: 1, next: 3, list: [] })
      expect(middle.previous).toStrictEqual(Option.some(1))
      expect(middle.next).toStrictEqual(Option.some(3))
      const encoded = yield* Schema.encode(PaymentPage)(middle)
      expect(encoded).toStrictEqual({ total: 60, previous: 1, next: 3, list: [] })

      const noList = yield* Schema.decodeUnknown(PaymentPage)({ total: 0, previous: 0, next: 0 })
      expect(noList.list).toStrictEqual([])
      expect(yield* Schema.encode(PaymentPage)(noList)).toStrictEqual({ total: 0, previous: 0, next: 0, list: [] })
    })
  )
})

describe("PaymentPrepare", () => {
  it.effect("decodes a prepared amount, currency optional", () =>
    Effect.gen(function* () {
      const prepared = yield* Schema.decodeUnknown(PaymentPrepare)({ merchant_uid: "order_1", amount: 12000 })
      expect(prepared.merchant_uid).toBe("order_1")
      expect(prepared.amount).toBe(12000)
      expect(prepared.currency).toBeUndefined()
      const usd = yield* Schema.decodeUnknown(PaymentPrepare)({ merchant_uid: "o", amount: 9.99, currency: "USD" })
      expect(usd.currency).toBe("USD")
      const error = yield* Effect.flip(Schema.decodeUnknown(PaymentPrepare)({ amount: 1 }))
      expect(error.message).toContain('["merchant_uid"]')
    })
  )
})

describe("PaymentBalance", () => {
  const amounts = (tax_free: number, supply: number, vat: number, service: number) => ({
    tax_free,
    supply,
    vat,
    service
  })

  it.effect("decodes the nested breakdowns and history", () =>
    Effect.gen(function* () {
      const balance = yield* Schema.decodeUnknown(PaymentBalance)({
        amount: 11000,
        cash_receipt: null,
        primary: amounts(0, 9000, 900, 0),
        secondary: amounts(0, 1000, 100, 0),
        discount: amounts(0, 0, 0, 0),
        histories: [
          {
            cash_receipt: amounts(0, 9000, 900, 0),
            primary: amounts(0, 9000, 900, 0),
            secondary: amounts(0, 1000, 100, 0),
            discount: amounts(0, 0, 0, 0),
            created: 1700000000
          }
        ]
      })
      expect(balance.amount).toBe(11000)
      expect(balance.cash_receipt).toBeUndefined()
      expect(balance.primary.supply).toBe(9000)
      expect(balance.secondary.vat).toBe(100)
      expect(balance.histories).toHaveLength(1)
      expect(balance.histories[0]?.cash_receipt?.vat).toBe(900)
      expect(balance.histories[0]?.created).toStrictEqual(Option.some(seconds(1700000000)))

      const error = yield* Effect.flip(
        Schema.decodeUnknown(PaymentBalance)({ amount: 1, primary: amounts(0, 1, 0, 0), discount: amounts(0, 0, 0, 0) })
      )
      expect(error.message).toContain('["secondary"]')
    })
  )
})

describe("enums", () => {
  it("PaymentSorting is closed, PaymentStatus is open", () => {
    expect(Schema.is(PaymentSorting)("-paid")).toBe(true)
    expect(Schema.is(PaymentSorting)("paid_at")).toBe(false)
    expect(Schema.is(PaymentStatus)("paid")).toBe(true)
    expect(Schema.is(PaymentStatus)("whatever")).toBe(true)
    expect(Schema.is(PaymentStatus)(1)).toBe(false)
  })
})

describe("internal/schema", () => {
  it.effect("OptionDateTimeUtcFromUnixSeconds decodes null/0 to none and encodes none to 0", () =>
    Effect.gen(function* () {
      const decode = Schema.decodeUnknown(OptionDateTimeUtcFromUnixSeconds)
      const encode = Schema.encode(OptionDateTimeUtcFromUnixSeconds)
      expect(yield* decode(null)).toStrictEqual(Option.none())
      expect(yield* decode(0)).toStrictEqual(Option.none())
      expect(yield* decode(1)).toStrictEqual(Option.some(seconds(1)))
      expect(yield* encode(Option.none())).toBe(0)
      expect(yield* encode(Option.some(DateTime.unsafeMake(1_700_000_000_999)))).toBe(1_700_000_000)
      const error = yield* Effect.flip(decode(1e20))
      expect(error.message).toContain("UNIX seconds")
    })
  )

  it("Amount accepts numbers and numeric strings, rejects non-numeric and non-finite ones", () => {
    const decode = Schema.decodeUnknownEither(Amount)
    expect(decode(12.5)).toStrictEqual(Either.right(12.5))
    expect(decode(" 12.5 ")).toStrictEqual(Either.right(12.5))
    for (const bad of ["abc", "NaN", "Infinity", "", null, true]) {
      assert.isTrue(Either.isLeft(decode(bad)), `expected ${JSON.stringify(bad)} to be rejected`)
    }
  })

  it("openLiteral keeps its known values in the AST", () => {
    const Color = openLiteral("red", "green")
    expect(Schema.is(Color)("red")).toBe(true)
    expect(Schema.is(Color)("blue")).toBe(true)
    expect(String(Color)).toContain('"red"')
  })
})
