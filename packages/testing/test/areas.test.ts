import {
  Benepia,
  BillingKeys,
  Certifications,
  Codes,
  Cvs,
  Escrows,
  KcpQuick,
  NaverPay,
  Partners,
  Payco,
  Payments,
  Paymentwall,
  Receipts,
  Subscribe,
  Tiers,
  Users,
  Vbanks
} from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Option, Stream, TestClock } from "effect"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { operations } from "../../client/src/generated/registry.js"

const NOW = 1_700_000_000
const DAY = 86_400

const layer = () =>
  IamportTest.layer({
    recentLimit: 2000,
    payments: [
      { imp_uid: "imp_000000000001", merchant_uid: "order-1", amount: 11_000, escrow: true },
      { imp_uid: "imp_000000000002", merchant_uid: "order-2", amount: 5_000, pay_method: "naverpay" }
    ]
  })

const run = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.zipRight(TestClock.setTime(NOW * 1000), self)

describe("every area through the real client against the emulator", () => {
  it.effect("billing keys: issue, charge again (a paid payment), list, delete", () =>
    run(
      Effect.gen(function* () {
        const key = yield* BillingKeys.issue({
          customer_uid: "cust-1",
          channel_key: "channel-key-1",
          card_number: "9100-2000-0000-1236",
          expiry: "2030-12"
        })
        assert.strictEqual(key.customer_uid, "cust-1")
        const got = yield* BillingKeys.get({ customer_uid: "cust-1" })
        assert.isTrue("card_name" in got && got.card_name === "BC카드")
        const many = yield* BillingKeys.getMany({ customer_uid: ["cust-1", "nobody"] })
        assert.deepStrictEqual(
          many.found.map((k) => k.customer_uid),
          ["cust-1"]
        )
        assert.deepStrictEqual(many.missing.customer_uid, ["nobody"])

        const payment = yield* Subscribe.again({
          customer_uid: "cust-1",
          merchant_uid: "sub-1",
          amount: 9_900,
          name: "월간 구독"
        })
        assert.strictEqual(payment.status, "paid")
        assert.strictEqual(payment.customer_uid, "cust-1")
        const stored = yield* Payments.getPayment(payment.imp_uid)
        assert.strictEqual(stored.amount, 9_900)
        const duplicate = yield* Effect.either(
          Subscribe.again({ customer_uid: "cust-1", merchant_uid: "sub-1", amount: 9_900, name: "월간 구독" })
        )
        assert.isTrue(Either.isLeft(duplicate) && duplicate.left._tag === "IamportApiError")

        const once = yield* Subscribe.onetime({
          merchant_uid: "once-1",
          amount: 1_000,
          card_number: "9100-2000-0000-5674",
          expiry: "2030-12",
          customer_uid: "cust-2"
        })
        assert.strictEqual(once.customer_uid_usage, "issue")

        const page = yield* BillingKeys.listPayments({ customer_uid: "cust-1" })
        assert.strictEqual(page.total, 1)
        const all = yield* Stream.runCollect(BillingKeys.streamPayments({ customer_uid: "cust-1" }))
        assert.strictEqual(Chunk.size(all), 1)

        const deleted = yield* BillingKeys.remove({ customer_uid: "cust-2", extra: { requester: "admin" } })
        assert.strictEqual(deleted.customer_uid, "cust-2")
        const gone = yield* Effect.either(BillingKeys.get({ customer_uid: "cust-2" }))
        assert.isTrue(Either.isLeft(gone) && gone.left._tag === "IamportNotFoundError")
      }).pipe(Effect.provide(layer()))
    )
  )

  it.effect("schedules: scheduled -> executed when the clock passes schedule_at; revoke, update, reschedule", () =>
    run(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const created = yield* Subscribe.schedule({
          customer_uid: "cust-s",
          card_number: "9100-2000-0000-1236",
          expiry: "2030-12",
          schedules: [
            { merchant_uid: "s-1", schedule_at: NOW + DAY, amount: 1_000, currency: "KRW", name: "1회차" },
            {
              merchant_uid: "s-2",
              schedule_at: new Date((NOW + 2 * DAY) * 1000),
              amount: 1_000,
              currency: "KRW",
              name: "2회차"
            },
            { merchant_uid: "s-3", schedule_at: NOW + 3 * DAY, amount: 1_000, currency: "KRW", name: "3회차" }
          ]
        })
        assert.deepStrictEqual(
          created.map((s) => s.schedule_status),
          ["scheduled", "scheduled", "scheduled"]
        )
        const moved = yield* Subscribe.updateSchedule({ merchant_uid: "s-3", schedule_at: NOW + 4 * DAY })
        assert.isTrue(Option.isSome(moved.schedule_at))
        const revoked = yield* Subscribe.unschedule({ customer_uid: "cust-s", merchant_uid: ["s-2"] })
        assert.strictEqual(revoked[0]!.schedule_status, "revoked")
        const again = yield* Subscribe.reschedule({ merchant_uid: "s-2", schedule_at: NOW + 5 * DAY })
        assert.strictEqual(again.schedule_status, "scheduled")

        yield* TestClock.adjust("25 hours")
        const executed = yield* Subscribe.getSchedule({ merchant_uid: "s-1" })
        assert.strictEqual(executed.schedule_status, "executed")
        assert.strictEqual(executed.payment_status, "paid")
        const payment = yield* Payments.getPayment(executed.imp_uid!)
        assert.strictEqual(payment.customer_uid_usage, "payment.scheduled")

        const range = { schedule_from: NOW, schedule_to: NOW + 10 * DAY }
        const page = yield* Subscribe.listSchedules(range)
        assert.strictEqual(page.total, 3)
        const pending = yield* Stream.runCollect(
          Subscribe.streamSchedules({ ...range, schedule_status: "scheduled", limit: 1 })
        )
        assert.deepStrictEqual(
          Chunk.toReadonlyArray(pending)
            .map((s) => s.merchant_uid)
            .sort(),
          ["s-2", "s-3"]
        )
        const byCustomer = yield* Subscribe.listSchedulesByCustomer({
          customer_uid: "cust-s",
          from: NOW,
          to: NOW + 10 * DAY
        })
        assert.strictEqual(byCustomer.list.length, 3)
        const byKey = yield* BillingKeys.listSchedules({
          customer_uid: "cust-s",
          from: NOW,
          to: NOW + 10 * DAY,
          schedule_status: "executed"
        })
        assert.deepStrictEqual(
          byKey.list.map((s) => s.merchant_uid),
          ["s-1"]
        )

        // a schedule whose key disappeared fails; retry once the key is back
        yield* Subscribe.schedule({
          customer_uid: "cust-s",
          schedules: [
            { merchant_uid: "s-9", schedule_at: NOW + DAY + 3600 * 2, amount: 500, currency: "KRW", name: "x" }
          ]
        })
        yield* BillingKeys.remove({ customer_uid: "cust-s" })
        yield* TestClock.adjust("2 hours")
        const ran = yield* emulator.runDueSchedules
        assert.deepStrictEqual(
          ran.map((s) => [s.merchant_uid, s.payment_status]),
          [["s-9", "failed"]]
        )
        yield* BillingKeys.issue({
          customer_uid: "cust-s",
          channel_key: "k",
          card_number: "9100-2000-0000-1236",
          expiry: "2030-12"
        })
        const retried = yield* Subscribe.retrySchedule({ merchant_uid: "s-9" })
        assert.strictEqual(retried.status, "paid")
      }).pipe(Effect.provide(layer()))
    )
  )

  it.effect("virtual accounts: issue (ready), change, deposit (paid), revoke; CVS barcodes", () =>
    run(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const vbank = yield* Vbanks.issue({
          channel_key: "k",
          merchant_uid: "vb-1",
          amount: 30_000,
          vbank_code: "004",
          vbank_due: NOW + 3 * DAY,
          vbank_holder: "홍길동"
        })
        assert.strictEqual(vbank.status, "ready")
        assert.strictEqual(vbank.vbank_name, "KB국민은행")
        const changed = yield* Vbanks.update({ imp_uid: vbank.imp_uid, amount: 25_000 })
        assert.strictEqual(changed.amount, 25_000)
        yield* emulator.depositVbank(vbank.imp_uid)
        assert.strictEqual((yield* Payments.getPayment(vbank.imp_uid)).status, "paid")
        const second = yield* Vbanks.issue({
          channel_key: "k",
          merchant_uid: "vb-2",
          amount: 1,
          vbank_code: "088",
          vbank_due: NOW + DAY
        })
        const revoked = yield* Vbanks.revoke({ imp_uid: second.imp_uid })
        assert.strictEqual(revoked.status, "cancelled")

        const cvs = yield* Cvs.issue({ channel_key: "k", merchant_uid: "cvs-1", amount: 3_000 })
        assert.strictEqual(cvs.status, "ready")
        assert.strictEqual((yield* Cvs.revoke({ imp_uid: cvs.imp_uid })).status, "cancelled")
      }).pipe(Effect.provide(layer()))
    )
  )

  it.effect("cash receipts, escrow shipping, certifications by OTP", () =>
    run(
      Effect.gen(function* () {
        const receipt = yield* Receipts.issue({ imp_uid: "imp_000000000001", identifier: "01012345678" })
        assert.strictEqual(receipt.amount, 11_000)
        assert.strictEqual((yield* Receipts.get({ imp_uid: "imp_000000000001" })).apply_num, receipt.apply_num)
        assert.isTrue(Option.isSome((yield* Receipts.revoke({ imp_uid: "imp_000000000001" })).cancelled_at))
        const external = yield* Receipts.issueExternal({
          channel_key: "k",
          merchant_uid: "cash-1",
          name: "현금판매",
          amount: 2_200,
          identifier: "01012345678"
        })
        assert.strictEqual(external.vat, 200)
        assert.strictEqual((yield* Receipts.getExternal({ merchant_uid: "cash-1" })).merchant_uid, "cash-1")
        assert.isTrue(Option.isSome((yield* Receipts.revokeExternal({ merchant_uid: "cash-1" })).cancelled_at))

        const shipping = {
          imp_uid: "imp_000000000001",
          sender: { name: "판매자", tel: "02-000-0000" },
          receiver: { name: "홍길동", tel: "010-1234-5678" },
          logis: { company: "CJGLS", invoice: "1234567890", sent_at: NOW }
        }
        const logis = yield* Escrows.registerLogis(shipping)
        assert.strictEqual(logis.invoice, "1234567890")
        const twice = yield* Effect.either(Escrows.registerLogis(shipping))
        assert.isTrue(Either.isLeft(twice))
        yield* Escrows.updateLogis({ ...shipping, logis: { ...shipping.logis, invoice: "999" } })
        assert.strictEqual((yield* Escrows.getLogis({ imp_uid: "imp_000000000001" })).invoice, "999")

        const { imp_uid } = yield* Certifications.requestOtp({
          name: "홍길동",
          phone: "01012345678",
          birth: "900101",
          gender_digit: "1",
          carrier: "SKT",
          channel_key: "k"
        })
        const wrong = yield* Effect.either(Certifications.confirmOtp({ imp_uid, otp: "000000" }))
        assert.isTrue(Either.isLeft(wrong))
        const certified = yield* Certifications.confirmOtp({ imp_uid, otp: IamportEmulator.CERTIFICATION_OTP })
        assert.isTrue(certified.certified)
        assert.strictEqual(certified.birthday, "1990-01-01")
        assert.strictEqual((yield* Certifications.get({ imp_uid })).name, "홍길동")
        yield* Certifications.remove({ imp_uid })
        const gone = yield* Effect.either(Certifications.get({ imp_uid }))
        assert.isTrue(Either.isLeft(gone) && gone.left._tag === "IamportNotFoundError")
      }).pipe(Effect.provide(layer()))
    )
  )

  it.effect("fixed-data areas decode, and every operation of the spec was answered", () =>
    run(
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        assert.isAbove((yield* Codes.listBanks()).length, 3)
        assert.strictEqual((yield* Codes.getBank({ bank_standard_code: "004" })).name, "KB국민은행")
        assert.isAbove((yield* Codes.listCards()).length, 3)
        assert.strictEqual((yield* Codes.getCard({ card_standard_code: "361" })).name, "BC카드")
        assert.isAbove((yield* Users.listPgSettings()).length, 0)
        assert.strictEqual((yield* Tiers.get({ tier_code: "AB1" })).tier_code, "AB1")
        assert.strictEqual(
          (yield* Payco.changeOrderStatus({ imp_uid: "imp_000000000001", status: "DELIVERY_START" })).status,
          "DELIVERY_START"
        )
        yield* Paymentwall.registerDelivery({
          imp_uid: "imp_000000000001",
          merchant_uid: "order-1",
          type: "digital",
          status: "delivered",
          estimated_delivery_datetime: NOW,
          estimated_update_datetime: NOW,
          refundable: "yes",
          shipping_address_email: "buyer@example.com"
        })
        yield* Partners.registerReceipts({
          imp_uid: "imp_000000000001",
          data: [{ business_registration_number: "1234567890", company_name: "파트너", amount: 11_000 }]
        })

        const imp = { imp_uid: "imp_000000000002" }
        const ids = { ...imp, product_order_id: ["po-1", "po-2"] }
        const cancelled = yield* NaverPay.cancelProductOrders({ ...ids, reason: "SOLD_OUT" })
        assert.deepStrictEqual(cancelled.missing.product_order_id, [])
        assert.strictEqual(cancelled.found.length, 2)
        yield* NaverPay.approveCancel(ids)
        yield* NaverPay.ship({ ...ids, delivery_method: "DELIVERY", dispatched_at: NOW, delivery_company: "CJGLS" })
        yield* NaverPay.shipExchanged({ ...ids, delivery_method: "DELIVERY" })
        yield* NaverPay.collectExchanged(ids)
        yield* NaverPay.place(ids)
        yield* NaverPay.requestReturn({ ...ids, delivery_method: "RETURN_DELIVERY" })
        yield* NaverPay.approveReturn(ids)
        yield* NaverPay.rejectReturn({ ...ids, memo: "반품 불가" })
        yield* NaverPay.withholdReturn({ ...ids, memo: "배송비" })
        yield* NaverPay.resolveReturn(ids)
        yield* NaverPay.depositPoint(imp)
        yield* NaverPay.confirmPayment(imp)
        assert.strictEqual((yield* NaverPay.getProductOrders(imp)).length, 1)
        assert.strictEqual((yield* NaverPay.getProductOrder({ product_order_id: "po-9" })).product_order_id, "po-9")
        assert.strictEqual(
          (yield* NaverPay.listReviews({ channel_key: "k", from: NOW - DAY, to: NOW, review_type: "general" })).length,
          1
        )
        assert.strictEqual((yield* NaverPay.getCashAmount(imp)).amount_total, 5_000)

        assert.strictEqual(
          (yield* Benepia.getPoint({ benepia_user: "u", benepia_password: "p", channel_key: "k" })).point,
          50_000
        )
        const benepia = yield* Benepia.pay({
          benepia_user: "u",
          benepia_password: "p",
          channel_key: "k",
          merchant_uid: "bp-1",
          amount: 1_000,
          name: "포인트 결제"
        })
        assert.strictEqual(benepia.status, "paid")
        yield* KcpQuick.deleteMember({ member_id: "m-1", site_code: "A", partner_type: "B", partner_subtype: "C" })
        yield* KcpQuick.payWithMoney({
          member_id: "m-1",
          channel_key: "k",
          merchant_uid: "kq-1",
          name: "퀵페이",
          amount: 1_000,
          imp_uid: "imp_000000000009"
        })
        const prep = { merchant_uid: "kq-2", btid: "b", cust_ip: "127.0.0.1", code_verifier: "v" }
        yield* KcpQuick.prepare(prep)
        yield* KcpQuick.updatePrepared(prep)
        yield* KcpQuick.payWithAutoPayKey({
          customer_uid: "ck",
          merchant_uid: "kq-3",
          name: "자동",
          buyer_name: "홍길동",
          amount: 1
        })
        assert.strictEqual((yield* KcpQuick.deleteAutoPayKey({ customer_uid: "ck" })).customer_uid, "ck")
        assert.strictEqual((yield* KcpQuick.releaseFido({ member_id: "m-1", channel_key: "k" })).member_id, "m-1")

        // the calls of the other tests run against other emulators: answer the rest here, then check coverage
        yield* BillingKeys.issue({
          customer_uid: "c",
          channel_key: "k",
          card_number: "4242-4242-4242-4242",
          expiry: "2030-12"
        })
        yield* BillingKeys.get({ customer_uid: "c" })
        yield* BillingKeys.getMany({ customer_uid: ["c"] })
        yield* BillingKeys.listPayments({ customer_uid: "c" })
        yield* BillingKeys.listSchedules({ customer_uid: "c", from: NOW, to: NOW + DAY })
        yield* Subscribe.onetime({
          merchant_uid: "o",
          amount: 1,
          card_number: "4242-4242-4242-4242",
          expiry: "2030-12"
        })
        yield* Subscribe.again({ customer_uid: "c", merchant_uid: "a", amount: 1, name: "n" })
        yield* Subscribe.schedule({
          customer_uid: "c",
          schedules: [{ merchant_uid: "x", schedule_at: NOW + 10, amount: 1, currency: "KRW", name: "n" }]
        })
        yield* Subscribe.listSchedules({ schedule_from: NOW, schedule_to: NOW + DAY })
        yield* Subscribe.listSchedulesByCustomer({ customer_uid: "c", from: NOW, to: NOW + DAY })
        yield* Subscribe.getSchedule({ merchant_uid: "x" })
        yield* Subscribe.updateSchedule({ merchant_uid: "x", schedule_at: NOW + 20 })
        yield* Subscribe.unschedule({ merchant_uid: ["x"] })
        yield* Subscribe.reschedule({ merchant_uid: "x", schedule_at: NOW + 30 })
        yield* BillingKeys.remove({ customer_uid: "c" })
        // due while its key is gone: executed as failed (before the next request is answered), then retried
        yield* TestClock.adjust("1 minute")
        yield* BillingKeys.issue({
          customer_uid: "c",
          channel_key: "k",
          card_number: "4242-4242-4242-4242",
          expiry: "2030-12"
        })
        assert.strictEqual((yield* Subscribe.getSchedule({ merchant_uid: "x" })).payment_status, "failed")
        assert.strictEqual((yield* Subscribe.retrySchedule({ merchant_uid: "x" })).status, "paid")
        const vb = yield* Vbanks.issue({
          channel_key: "k",
          merchant_uid: "v",
          amount: 1,
          vbank_code: "004",
          vbank_due: NOW + DAY
        })
        yield* Vbanks.update({ imp_uid: vb.imp_uid, vbank_due: NOW + 2 * DAY })
        yield* Vbanks.revoke({ imp_uid: vb.imp_uid })
        const cvs = yield* Cvs.issue({ channel_key: "k", merchant_uid: "cv", amount: 1 })
        yield* Cvs.revoke({ imp_uid: cvs.imp_uid })
        yield* Receipts.issue({ imp_uid: "imp_000000000001", identifier: "01012345678" })
        yield* Receipts.get({ imp_uid: "imp_000000000001" })
        yield* Receipts.revoke({ imp_uid: "imp_000000000001" })
        yield* Receipts.issueExternal({
          channel_key: "k",
          merchant_uid: "e",
          name: "n",
          amount: 1,
          identifier: "1"
        })
        yield* Receipts.getExternal({ merchant_uid: "e" })
        yield* Receipts.revokeExternal({ merchant_uid: "e" })
        const logis = { company: "CJGLS", invoice: "1", sent_at: NOW }
        yield* Escrows.registerLogis({ imp_uid: "imp_000000000001", sender: {}, receiver: {}, logis })
        yield* Escrows.updateLogis({ imp_uid: "imp_000000000001", sender: {}, receiver: {}, logis })
        yield* Escrows.getLogis({ imp_uid: "imp_000000000001" })
        const otp = yield* Certifications.requestOtp({
          name: "n",
          phone: "010",
          birth: "000101",
          gender_digit: "3",
          carrier: "KT",
          channel_key: "k"
        })
        yield* Certifications.confirmOtp({ imp_uid: otp.imp_uid, otp: IamportEmulator.CERTIFICATION_OTP })
        yield* Certifications.get({ imp_uid: otp.imp_uid })
        yield* Certifications.remove({ imp_uid: otp.imp_uid })

        const answered = new Set(
          (yield* emulator.counters).recent.filter((r) => r.status < 300).flatMap((r) => (r.route ? [r.route] : []))
        )
        const unanswered = operations
          .filter((o) => o.module !== "Payments" && o.module !== "IamportClient")
          .map((o) => `${o.method} ${o.path}`)
          .filter((route) => !answered.has(route))
        assert.deepStrictEqual(unanswered, [])
      }).pipe(Effect.provide(layer()))
    )
  )
})
