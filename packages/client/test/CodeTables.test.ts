/**
 * Bank and card company codes: closed `Schema.Literal` tables with Korean and English names, and open fields in
 * the models, so a code the API adds still decodes.
 */
import { BankCode, CardCode, Codes, IamportClient, Payment, Payments } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import { Effect, Either, Option, Schema } from "effect"
import { fullApiPayment } from "./fixtures/apiPayment.js"
import * as ScriptedServer from "./fixtures/ScriptedServer.js"

describe("code tables", () => {
  it("closed literals of the known codes, each with a Korean and an English name", () => {
    assert.isTrue(Either.isRight(Schema.decodeUnknownEither(BankCode.BankCode)("088")))
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(BankCode.BankCode)("999")))
    assert.isTrue(Either.isRight(Schema.decodeUnknownEither(CardCode.CardCode)("VIS")))
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(CardCode.CardCode)("088")))
    assert.deepStrictEqual(BankCode.lookup("090"), Option.some({ code: "090", ko: "카카오뱅크", en: "KakaoBank" }))
    assert.deepStrictEqual(CardCode.lookup("366"), Option.some({ code: "366", ko: "신한카드", en: "Shinhan Card" }))
    assert.isTrue(Option.isNone(BankCode.lookup("999")))
    for (const { code, en, ko } of [...BankCode.table, ...CardCode.table]) {
      assert.isTrue(ko.length > 0 && en.length > 0, code)
    }
    assert.strictEqual(new Set(BankCode.table.map((e) => e.code)).size, BankCode.table.length)
    assert.isTrue(BankCode.isKnown("004") && !BankCode.isKnown("4"))
  })

  it.effect("every code the API lists (the emulator's GET /banks and GET /cards) is in the tables", () =>
    Effect.gen(function* () {
      const banks = yield* Codes.listBanks()
      const cards = yield* Codes.listCards()
      assert.isAbove(banks.length, 0)
      for (const bank of banks) assert.isTrue(BankCode.isKnown(bank.code), bank.code)
      for (const card of cards) assert.isTrue(CardCode.isKnown(card.code), card.code)
    }).pipe(Effect.provide(IamportTest.layer()))
  )

  it("the models' code fields are typed with the tables and stay open", () => {
    expectTypeOf<"088">().toMatchTypeOf<NonNullable<Payment.Payment["vbank_code"]>>()
    expectTypeOf<BankCode.BankCode>().toMatchTypeOf<NonNullable<Payment.Payment["bank_code"]>>()
    expectTypeOf<CardCode.CardCode>().toMatchTypeOf<NonNullable<Payment.Payment["card_code"]>>()
    expectTypeOf<string>().toMatchTypeOf<NonNullable<Payment.Payment["card_code"]>>()
  })

  for (const fast of [true, false]) {
    it.effect(`a payment with codes the tables do not know still decodes (fast path ${fast ? "on" : "off"})`, () =>
      Effect.gen(function* () {
        const server = yield* ScriptedServer.make([
          {
            status: 200,
            body: ScriptedServer.envelope({
              ...fullApiPayment,
              bank_code: "999",
              card_code: "NEWCARD",
              card_issuer_code: "X01",
              card_publisher_code: "X02",
              vbank_code: "098"
            })
          }
        ])
        const payment = yield* Payments.getPayment(fullApiPayment.imp_uid).pipe(
          Effect.provide(ScriptedServer.layer(server)),
          Effect.provideService(IamportClient.FastDecode, fast)
        )
        assert.strictEqual(payment.card_code, "NEWCARD")
        assert.strictEqual(payment.vbank_code, "098")
        assert.strictEqual(payment.bank_code, "999")
        assert.isTrue(Option.isNone(BankCode.lookup(payment.vbank_code ?? "")))
      })
    )
  }

  it.effect("a known code names itself: the virtual account's bank of a payment", () =>
    Effect.gen(function* () {
      const server = yield* ScriptedServer.make([{ status: 200, body: ScriptedServer.envelope(fullApiPayment) }])
      const payment = yield* Payments.getPayment(fullApiPayment.imp_uid).pipe(
        Effect.provide(ScriptedServer.layer(server))
      )
      const bank = BankCode.lookup(payment.vbank_code ?? "").pipe(Option.map((entry) => entry.ko))
      assert.deepStrictEqual(bank, Option.some("신한은행"))
    })
  )

  it.effect("refund_bank takes a known code or any other string", () =>
    Effect.gen(function* () {
      const server = yield* ScriptedServer.make([{ status: 200, body: ScriptedServer.envelope(fullApiPayment) }])
      yield* Payments.cancel({ imp_uid: "imp_1", refund_bank: "088", refund_account: "1" }).pipe(
        Effect.provide(ScriptedServer.layer(server))
      )
      yield* Payments.cancel({ imp_uid: "imp_1", refund_bank: "NEW" }).pipe(
        Effect.provide(ScriptedServer.layer(server))
      )
      const bodies = (yield* server.apiCalls)
        .filter((call) => call.method === "POST")
        .map((call) => JSON.parse(call.body ?? "{}").refund_bank)
      assert.deepStrictEqual(bodies, ["088", "NEW"])
    })
  )
})
