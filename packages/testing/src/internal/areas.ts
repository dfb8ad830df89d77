/**
 * Every API area beyond `payments`: the route table and the handlers. Stateful: billing keys and schedules
 * (`billing.ts`), virtual accounts and CVS barcodes (payments in the payments store), cash receipts, escrow
 * shipping, certifications (SMS OTP). The PG-specific areas (NaverPay, KCP Quick, Benepia, PAYCO,
 * Paymentwall, partners, tiers, codes, PG settings) answer fixed, schema-valid data; their charges create
 * payments.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import * as Billing from "./billing.js"
import type { Outcome, PaymentStore } from "./payments.js"
import { numberParam, type Params, stringList, stringParam } from "./wire.js"

type Method = "GET" | "POST" | "PUT" | "DELETE"

/** `"METHOD /path/{param}"`, as in the spec. */
export type AreaRouteId = `${Method} /${string}`

const ROUTE_IDS = [
  "GET /subscribe/payments/schedule",
  "POST /subscribe/payments/schedule",
  "POST /subscribe/payments/unschedule",
  "POST /subscribe/payments/onetime",
  "POST /subscribe/payments/again",
  "GET /subscribe/payments/schedule/{merchant_uid}",
  "PUT /subscribe/payments/schedule/{merchant_uid}",
  "POST /subscribe/payments/schedule/{merchant_uid}/reschedule",
  "POST /subscribe/payments/schedule/{merchant_uid}/retry",
  "GET /subscribe/payments/schedule/customers/{customer_uid}",
  "GET /subscribe/customers",
  "GET /subscribe/customers/{customer_uid}",
  "POST /subscribe/customers/{customer_uid}",
  "DELETE /subscribe/customers/{customer_uid}",
  "GET /subscribe/customers/{customer_uid}/payments",
  "GET /subscribe/customers/{customer_uid}/schedules",
  "GET /certifications/{imp_uid}",
  "DELETE /certifications/{imp_uid}",
  "POST /certifications/otp/request",
  "POST /certifications/otp/confirm/{imp_uid}",
  "GET /escrows/logis/{imp_uid}",
  "PUT /escrows/logis/{imp_uid}",
  "POST /escrows/logis/{imp_uid}",
  "GET /receipts/{imp_uid}",
  "POST /receipts/{imp_uid}",
  "DELETE /receipts/{imp_uid}",
  "GET /receipts/external/{merchant_uid}",
  "POST /receipts/external/{merchant_uid}",
  "DELETE /receipts/external/{merchant_uid}",
  "POST /vbanks",
  "PUT /vbanks/{imp_uid}",
  "DELETE /vbanks/{imp_uid}",
  "POST /cvs",
  "DELETE /cvs/{imp_uid}",
  "GET /cards",
  "GET /cards/{card_standard_code}",
  "GET /banks",
  "GET /banks/{bank_standard_code}",
  "POST /payco/orders/status/{imp_uid}",
  "POST /paymentwall/delivery",
  "POST /partners/receipts/{imp_uid}",
  "GET /tiers/{tier_code}",
  "GET /users/pg",
  "POST /payments/{imp_uid}/naver/cancel",
  "POST /payments/{imp_uid}/naver/approve-cancel",
  "POST /payments/{imp_uid}/naver/ship",
  "POST /payments/{imp_uid}/naver/ship-exchanged",
  "POST /payments/{imp_uid}/naver/collect-exchanged",
  "POST /payments/{imp_uid}/naver/place",
  "POST /payments/{imp_uid}/naver/request-return",
  "POST /payments/{imp_uid}/naver/approve-return",
  "POST /payments/{imp_uid}/naver/reject-return",
  "POST /payments/{imp_uid}/naver/withhold-return",
  "POST /payments/{imp_uid}/naver/resolve-return",
  "POST /payments/{imp_uid}/naver/point",
  "POST /payments/{imp_uid}/naver/confirm",
  "GET /payments/{imp_uid}/naver/product-orders",
  "GET /naver/product-orders/{product_order_id}",
  "GET /naver/reviews",
  "GET /payments/{imp_uid}/naver/cash-amount",
  "POST /benepia/point",
  "POST /benepia/payment",
  "DELETE /kcpquick/members/{member_id}",
  "POST /kcpquick/payment/money",
  "PUT /kcpquick/prepare/{merchant_uid}",
  "POST /kcpquick/prepare/{merchant_uid}",
  "POST /kcpquick/payment/autopay",
  "DELETE /kcpquick/autopay/{customer_uid}",
  "POST /kcpquick/members/{member_id}/fido/release"
] as const satisfies ReadonlyArray<AreaRouteId>

/** The routes of the areas, for `routes.ts`. */
export const AREA_ROUTES: ReadonlyArray<{ readonly id: AreaRouteId; readonly method: Method; readonly path: string }> =
  ROUTE_IDS.map((id) => {
    const space = id.indexOf(" ")
    return { id, method: id.slice(0, space) as Method, path: id.slice(space + 1) }
  })

const ok = (response: unknown, status = 200): Outcome => ({ status, code: 0, message: null, response })
const fail = (status: number, code: number, message: string): Outcome => ({ status, code, message, response: null })

const digits = (n: number) => {
  const bytes = Crypto.randomBytes(n)
  return Array.from(bytes, (b) => String(b % 10)).join("")
}

/** Bank and card company standard codes (a subset of 금융결제원's list). */
export const BANKS: ReadonlyArray<{ readonly code: string; readonly name: string }> = [
  { code: "004", name: "KB국민은행" },
  { code: "011", name: "NH농협은행" },
  { code: "020", name: "우리은행" },
  { code: "081", name: "하나은행" },
  { code: "088", name: "신한은행" },
  { code: "090", name: "카카오뱅크" },
  { code: "092", name: "토스뱅크" }
]
export const CARDS: ReadonlyArray<{ readonly code: string; readonly name: string }> = [
  { code: "361", name: "BC카드" },
  { code: "364", name: "광주카드" },
  { code: "365", name: "삼성카드" },
  { code: "366", name: "신한카드" },
  { code: "367", name: "현대카드" },
  { code: "368", name: "롯데카드" },
  { code: "371", name: "NH카드" },
  { code: "381", name: "KB국민카드" }
]

/** The one-time password `requestOtp` "sends" in the emulator. */
export const OTP = "123456"

interface Certification {
  readonly imp_uid: string
  readonly merchant_uid: string | null
  readonly pg_tid: string
  readonly pg_provider: string
  readonly name: string
  readonly gender: string | null
  readonly birthday: string
  readonly foreigner: boolean
  readonly phone: string
  readonly carrier: string
  readonly certified: boolean
  readonly certified_at: number
  readonly unique_key: string
  readonly unique_in_site: string
  readonly origin: string | null
  readonly foreigner_v2: boolean | null
}

interface Receipt {
  readonly receipt_tid: string
  readonly apply_num: string
  readonly type: string
  readonly amount: number
  readonly vat: number
  readonly receipt_url: string
  readonly applied_at: number
  readonly cancelled_at: number
}

interface Scope {
  readonly certifications: Map<string, Certification>
  readonly receipts: Map<string, Receipt & { readonly imp_uid: string }>
  readonly externalReceipts: Map<string, Receipt & { readonly merchant_uid: string }>
  readonly logis: Map<
    string,
    { readonly company: string; readonly invoice: string; readonly sent_at: number; readonly applied_at: number }
  >
}

export interface AreaStore {
  readonly billing: Billing.BillingStore
  readonly certification: (impUid: string, tier: string | undefined) => Certification | undefined
  /** Handles one area route. */
  readonly dispatch: (
    id: AreaRouteId,
    params: Readonly<Record<string, string>>,
    query: Params,
    body: Params,
    tier: string | undefined,
    now: number
  ) => Outcome
}

const receiptOf = (amount: number, type: string, now: number): Receipt => {
  const tid = `R${digits(15)}`
  return {
    receipt_tid: tid,
    apply_num: digits(9),
    type,
    amount: Math.round(amount),
    vat: Math.round(amount / 11),
    receipt_url: `https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/Cash_mCmReceipt.jsp?noTid=${tid}`,
    applied_at: Math.max(now, 1),
    cancelled_at: 0
  }
}

const productOrder = (id: string) => ({
  product_order_id: id,
  product_order_status: "PAYED",
  claim_type: null,
  claim_status: null,
  product_id: "P0001",
  product_name: "테스트 상품",
  product_option_id: "O0001",
  product_option_name: "기본",
  product_amount: 1000,
  delivery_amount: 0,
  quantity: 1,
  orderer: { name: "홍길동", id: "naver_buyer", tel: "010-1234-5678" },
  shipping_address: {
    base: "서울특별시 강남구 삼성동",
    detail: "1층",
    postcode: "06018",
    tel1: "010-1234-5678",
    tel2: null,
    name: "홍길동"
  },
  shipping_memo: null,
  shipping_due: 0,
  individual_code: null
})

export const make = (payments: PaymentStore): AreaStore => {
  const billing = Billing.make(payments)
  const scopes = new Map<string, Scope>()
  const scope = (tier: string | undefined): Scope => {
    let s = scopes.get(tier ?? "")
    if (s === undefined) {
      s = { certifications: new Map(), receipts: new Map(), externalReceipts: new Map(), logis: new Map() }
      scopes.set(tier ?? "", s)
    }
    return s
  }
  const notFound = fail(404, -1, "존재하지 않는 결제정보입니다.")

  /** A new payment for a charge (`again`-like PG operations). */
  const charge = (tier: string | undefined, body: Params, now: number, extra: Record<string, unknown>): Outcome => {
    const mid = stringParam(body.merchant_uid)
    const amount = numberParam(body.amount)
    if (mid === undefined || amount === undefined || Number.isNaN(amount)) {
      return fail(400, -1, "merchant_uid, amount 파라메터가 누락되었습니다.")
    }
    if (payments.find(tier, mid, "paid", {}).status === 200) return fail(200, 1, "이미 결제완료된 merchant_uid입니다.")
    return ok(
      payments.seed(
        {
          tier,
          merchant_uid: mid,
          amount,
          name: stringParam(body.name) ?? "테스트 상품",
          channel: "api",
          buyer_name: stringParam(body.buyer_name),
          buyer_email: stringParam(body.buyer_email),
          buyer_tel: stringParam(body.buyer_tel),
          custom_data: stringParam(body.custom_data) ?? null,
          notice_url: stringParam(body.notice_url),
          ...extra
        },
        now
      )
    )
  }

  const revokePayment = (tier: string | undefined, impUid: string, method: string, now: number): Outcome => {
    const p = payments.get(impUid, tier)
    if (p === undefined) return notFound
    if (p.pay_method !== method || p.status !== "ready") return fail(400, -1, "입금(결제) 대기 중인 건이 아닙니다.")
    return ok(
      payments.seed(
        { ...p, tier, status: "cancelled", cancel_amount: 0, cancelled_at: Math.max(now, 1), cancel_history: [] },
        now
      )
    )
  }

  const dispatch: AreaStore["dispatch"] = (id, params, query, body, tier, now) => {
    const s = scope(tier)
    const input = { ...query, ...body }
    switch (id) {
      // --- subscribe / billing keys -------------------------------------------------------------------
      case "POST /subscribe/payments/onetime":
        return billing.onetime(tier, input, now)
      case "POST /subscribe/payments/again":
        return billing.again(tier, input, now)
      case "GET /subscribe/payments/schedule":
        return billing.listSchedules(tier, undefined, query)
      case "POST /subscribe/payments/schedule":
        return billing.createSchedules(tier, input, now)
      case "POST /subscribe/payments/unschedule":
        return billing.unschedule(tier, input, now)
      case "GET /subscribe/payments/schedule/{merchant_uid}":
        return billing.getSchedule(tier, params.merchant_uid!)
      case "PUT /subscribe/payments/schedule/{merchant_uid}":
        return billing.updateSchedule(tier, params.merchant_uid!, input, false)
      case "POST /subscribe/payments/schedule/{merchant_uid}/reschedule":
        return billing.updateSchedule(tier, params.merchant_uid!, input, true)
      case "POST /subscribe/payments/schedule/{merchant_uid}/retry":
        return billing.retrySchedule(tier, params.merchant_uid!, now)
      case "GET /subscribe/payments/schedule/customers/{customer_uid}":
      case "GET /subscribe/customers/{customer_uid}/schedules":
        return billing.listSchedules(tier, params.customer_uid!, query)
      case "GET /subscribe/customers":
        return billing.getKeys(tier, query)
      case "GET /subscribe/customers/{customer_uid}":
        return billing.getKey(tier, params.customer_uid!)
      case "POST /subscribe/customers/{customer_uid}":
        return billing.issueKey(tier, params.customer_uid!, input, now)
      case "DELETE /subscribe/customers/{customer_uid}":
        return billing.deleteKey(tier, params.customer_uid!)
      case "GET /subscribe/customers/{customer_uid}/payments":
        return billing.keyPayments(tier, params.customer_uid!, query)

      // --- certifications --------------------------------------------------------------------------------
      case "POST /certifications/otp/request": {
        const name = stringParam(input.name)
        const phone = stringParam(input.phone)
        const birth = stringParam(input.birth)
        if (name === undefined || phone === undefined || birth === undefined) {
          return fail(400, -1, "name, phone, birth 파라메터가 누락되었습니다.")
        }
        const impUid = `imp_${digits(12)}`
        const century = ["1", "2", "5", "6"].includes(stringParam(input.gender_digit) ?? "1") ? "19" : "20"
        s.certifications.set(impUid, {
          imp_uid: impUid,
          merchant_uid: stringParam(input.merchant_uid) ?? null,
          pg_tid: `C${digits(15)}`,
          pg_provider: "danal",
          name,
          gender: ["1", "3", "5", "7"].includes(stringParam(input.gender_digit) ?? "") ? "male" : "female",
          birthday: `${century}${birth.slice(0, 2)}-${birth.slice(2, 4)}-${birth.slice(4, 6)}`,
          foreigner: ["5", "6", "7", "8"].includes(stringParam(input.gender_digit) ?? ""),
          phone,
          carrier: stringParam(input.carrier) ?? "SKT",
          certified: false,
          certified_at: 0,
          unique_key: Crypto.createHash("sha512").update(`${name}${birth}`).digest("base64").slice(0, 88),
          unique_in_site: Crypto.createHash("sha256").update(`${name}${birth}`).digest("base64").slice(0, 64),
          origin: null,
          foreigner_v2: null
        })
        return ok({ imp_uid: impUid })
      }
      case "POST /certifications/otp/confirm/{imp_uid}": {
        const c = s.certifications.get(params.imp_uid!)
        if (c === undefined) return fail(404, -1, "인증결과가 존재하지 않습니다.")
        if (stringParam(input.otp) !== OTP) return fail(400, -1, "인증번호가 일치하지 않습니다.")
        const certified = { ...c, certified: true, certified_at: Math.max(now, 1) }
        s.certifications.set(c.imp_uid, certified)
        return ok(certified)
      }
      case "GET /certifications/{imp_uid}": {
        const c = s.certifications.get(params.imp_uid!)
        return c === undefined ? fail(404, -1, "인증결과가 존재하지 않습니다.") : ok(c)
      }
      case "DELETE /certifications/{imp_uid}": {
        const c = s.certifications.get(params.imp_uid!)
        if (c === undefined) return fail(404, -1, "인증결과가 존재하지 않습니다.")
        s.certifications.delete(c.imp_uid)
        return ok(c)
      }

      // --- escrow shipping ---------------------------------------------------------------------------------
      case "GET /escrows/logis/{imp_uid}": {
        if (payments.get(params.imp_uid!, tier) === undefined) return notFound
        const logis = s.logis.get(params.imp_uid!)
        return logis === undefined ? fail(404, -1, "등록된 배송정보가 없습니다.") : ok(logis)
      }
      case "POST /escrows/logis/{imp_uid}":
      case "PUT /escrows/logis/{imp_uid}": {
        const p = payments.get(params.imp_uid!, tier)
        if (p === undefined) return notFound
        if (!p.escrow) return fail(400, -1, "에스크로 결제건이 아닙니다.")
        const existing = s.logis.get(p.imp_uid)
        if (id.startsWith("POST") && existing !== undefined) return fail(409, -1, "이미 배송정보가 등록되었습니다.")
        if (id.startsWith("PUT") && existing === undefined) return fail(404, -1, "등록된 배송정보가 없습니다.")
        const info = (typeof input.logis === "object" && input.logis !== null ? input.logis : {}) as Params
        const company = stringParam(info.company)
        const invoice = stringParam(info.invoice)
        const sentAt = numberParam(info.sent_at)
        if (company === undefined || invoice === undefined || sentAt === undefined || Number.isNaN(sentAt)) {
          return fail(400, -1, "logis[company], logis[invoice], logis[sent_at] 파라메터가 누락되었습니다.")
        }
        const logis = { company, invoice, sent_at: sentAt, applied_at: Math.max(now, 1) }
        s.logis.set(p.imp_uid, logis)
        return ok(logis)
      }

      // --- receipts -----------------------------------------------------------------------------------------
      case "GET /receipts/{imp_uid}": {
        const r = s.receipts.get(params.imp_uid!)
        return r === undefined
          ? fail(404, -1, `해당 아임포트 고유 번호(${params.imp_uid})로 현금영수증을 발급 한 내역이 존재하지 않습니다.`)
          : ok(r)
      }
      case "POST /receipts/{imp_uid}": {
        const p = payments.get(params.imp_uid!, tier)
        if (p === undefined) return notFound
        if (stringParam(input.identifier) === undefined) return fail(400, -1, "identifier 파라메터가 누락되었습니다.")
        if (p.status !== "paid") return fail(400, -1, "결제완료 상태인 건만 현금영수증을 발행할 수 있습니다.")
        const existing = s.receipts.get(p.imp_uid)
        if (existing !== undefined && existing.cancelled_at === 0)
          return fail(400, -1, "이미 현금영수증이 발행되었습니다.")
        const receipt = {
          imp_uid: p.imp_uid,
          ...receiptOf(p.amount - p.cancel_amount, stringParam(input.type) ?? "person", now)
        }
        s.receipts.set(p.imp_uid, receipt)
        return ok(receipt)
      }
      case "DELETE /receipts/{imp_uid}": {
        const r = s.receipts.get(params.imp_uid!)
        if (r === undefined || r.cancelled_at !== 0) return fail(400, -1, "취소할 현금영수증 발행내역이 없습니다.")
        const cancelled = { ...r, cancelled_at: Math.max(now, 1) }
        s.receipts.set(r.imp_uid, cancelled)
        return ok(cancelled)
      }
      case "GET /receipts/external/{merchant_uid}": {
        const r = s.externalReceipts.get(params.merchant_uid!)
        return r === undefined ? fail(404, -1, "현금영수증 발행내역이 존재하지 않습니다.") : ok(r)
      }
      case "POST /receipts/external/{merchant_uid}": {
        const amount = numberParam(input.amount)
        if (stringParam(input.identifier) === undefined || amount === undefined || Number.isNaN(amount)) {
          return fail(400, -1, "identifier, amount 파라메터가 누락되었습니다.")
        }
        const existing = s.externalReceipts.get(params.merchant_uid!)
        if (existing !== undefined && existing.cancelled_at === 0)
          return fail(400, -1, "이미 현금영수증이 발행되었습니다.")
        const receipt = {
          merchant_uid: params.merchant_uid!,
          ...receiptOf(amount, stringParam(input.type) ?? "person", now)
        }
        s.externalReceipts.set(receipt.merchant_uid, receipt)
        return ok(receipt)
      }
      case "DELETE /receipts/external/{merchant_uid}": {
        const r = s.externalReceipts.get(params.merchant_uid!)
        if (r === undefined) return fail(404, -1, "현금영수증 발행내역이 존재하지 않습니다.")
        if (r.cancelled_at !== 0) return fail(400, -1, "이미 취소된 현금영수증입니다.")
        const cancelled = { ...r, cancelled_at: Math.max(now, 1) }
        s.externalReceipts.set(r.merchant_uid, cancelled)
        return ok(cancelled)
      }

      // --- virtual accounts, CVS ------------------------------------------------------------------------------
      case "POST /vbanks": {
        const code = stringParam(input.vbank_code)
        const due = numberParam(input.vbank_due)
        if (code === undefined || due === undefined || Number.isNaN(due)) {
          return fail(400, -1, "vbank_code, vbank_due 파라메터가 누락되었습니다.")
        }
        return charge(tier, input, now, {
          status: "ready",
          pay_method: "vbank",
          pg_provider: "html5_inicis",
          vbank_code: code,
          vbank_name: BANKS.find((b) => b.code === code)?.name ?? "가상계좌은행",
          vbank_num: stringParam(input.vbank_num) ?? `T${digits(13)}`,
          vbank_holder: stringParam(input.vbank_holder) ?? "（주）케이지이니시스",
          vbank_date: due,
          vbank_issued_at: Math.max(now, 1),
          paid_at: 0,
          apply_num: ""
        })
      }
      case "PUT /vbanks/{imp_uid}": {
        const p = payments.get(params.imp_uid!, tier)
        if (p === undefined) return notFound
        if (p.pay_method !== "vbank" || p.status !== "ready") return fail(400, -1, "입금대기 중인 가상계좌가 아닙니다.")
        const amount = numberParam(input.amount)
        const due = numberParam(input.vbank_due)
        return ok(
          payments.seed(
            {
              ...p,
              tier,
              ...(amount !== undefined && !Number.isNaN(amount) ? { amount } : {}),
              ...(due !== undefined && !Number.isNaN(due) ? { vbank_date: due } : {})
            },
            now
          )
        )
      }
      case "DELETE /vbanks/{imp_uid}":
        return revokePayment(tier, params.imp_uid!, "vbank", now)
      case "POST /cvs":
        return charge(tier, input, now, {
          status: "ready",
          pay_method: "cvs",
          pg_provider: "kcp",
          apply_num: "",
          paid_at: 0
        })
      case "DELETE /cvs/{imp_uid}":
        return revokePayment(tier, params.imp_uid!, "cvs", now)

      // --- codes, settings, tiers ------------------------------------------------------------------------------
      case "GET /cards":
        return ok(CARDS)
      case "GET /cards/{card_standard_code}": {
        const card = CARDS.find((c) => c.code === params.card_standard_code)
        return card === undefined ? fail(404, -1, "존재하지 않는 카드사 코드입니다.") : ok(card)
      }
      case "GET /banks":
        return ok(BANKS)
      case "GET /banks/{bank_standard_code}": {
        const bank = BANKS.find((b) => b.code === params.bank_standard_code)
        return bank === undefined ? fail(404, -1, "존재하지 않는 은행 코드입니다.") : ok(bank)
      }
      case "GET /users/pg":
        return ok([
          {
            pg_provider: "html5_inicis",
            pg_id: "INIpayTest",
            sandbox: true,
            type: "payment",
            channel_name: "이니시스 테스트",
            channel_key: "channel-key-emulator-inicis"
          },
          {
            pg_provider: "html5_inicis",
            pg_id: "INIBillTst",
            sandbox: true,
            type: "billing",
            channel_name: "이니시스 빌링 테스트",
            channel_key: "channel-key-emulator-billing"
          }
        ])
      case "GET /tiers/{tier_code}":
        return /^[A-Z0-9]{3}$/.test(params.tier_code!)
          ? ok({ tier_code: params.tier_code, tier_name: `하위상점 ${params.tier_code}` })
          : fail(404, -1, "존재하지 않는 티어 코드입니다.")

      // --- PG-specific, fixed data ----------------------------------------------------------------------------
      case "POST /payco/orders/status/{imp_uid}":
        return payments.get(params.imp_uid!, tier) === undefined
          ? notFound
          : ok({ status: stringParam(input.status) ?? "DELIVERY_START" })
      case "POST /paymentwall/delivery":
        return ok({ error_code: null, error: null, notices: [] })
      case "POST /partners/receipts/{imp_uid}":
        return payments.get(params.imp_uid!, tier) === undefined
          ? notFound
          : ok({ receipt_url: `https://emulator.iamport.local/receipts/${params.imp_uid}` })
      case "POST /payments/{imp_uid}/naver/cancel":
      case "POST /payments/{imp_uid}/naver/approve-cancel":
      case "POST /payments/{imp_uid}/naver/ship":
      case "POST /payments/{imp_uid}/naver/ship-exchanged":
      case "POST /payments/{imp_uid}/naver/collect-exchanged":
      case "POST /payments/{imp_uid}/naver/place":
      case "POST /payments/{imp_uid}/naver/request-return":
      case "POST /payments/{imp_uid}/naver/approve-return":
      case "POST /payments/{imp_uid}/naver/reject-return":
      case "POST /payments/{imp_uid}/naver/withhold-return":
      case "POST /payments/{imp_uid}/naver/resolve-return":
      case "GET /payments/{imp_uid}/naver/product-orders": {
        if (payments.get(params.imp_uid!, tier) === undefined) return notFound
        const ids = stringList(input.product_order_id)
        const orders = (ids.length > 0 ? ids : [`${params.imp_uid}-1`]).map(productOrder)
        return ok(orders)
      }
      case "POST /payments/{imp_uid}/naver/point":
      case "POST /payments/{imp_uid}/naver/confirm":
        return payments.get(params.imp_uid!, tier) === undefined ? notFound : ok(null)
      case "GET /naver/product-orders/{product_order_id}":
        return ok(productOrder(params.product_order_id!))
      case "GET /naver/reviews":
        return ok([
          {
            review_id: "R0001",
            score: "5",
            title: "좋아요",
            content: "배송이 빨라요",
            product_order_id: "2024010112345678",
            product_id: "P0001",
            product_name: "테스트 상품",
            product_option_name: "기본",
            writer: "buy***",
            created_at: Math.max(now, 1),
            modified_at: 0
          }
        ])
      case "GET /payments/{imp_uid}/naver/cash-amount": {
        const p = payments.get(params.imp_uid!, tier)
        if (p === undefined) return notFound
        const total = Math.round(p.amount - p.cancel_amount)
        const supply = Math.round(total / 1.1)
        return ok({
          amount_total: total,
          amount_by_npoint: 0,
          amount_by_primary: total,
          amount_supply: supply,
          amount_vat: total - supply
        })
      }
      case "POST /benepia/point":
        return ok({ point: 50000 })
      case "POST /benepia/payment":
        return charge(tier, input, now, { pay_method: "point", pg_provider: "benepia", status: "paid" })
      case "DELETE /kcpquick/members/{member_id}":
        return ok({
          member_id: params.member_id,
          pg_provider: "kcp_quick",
          pg_id: "IP05P",
          inserted: 1,
          updated: Math.max(now, 1)
        })
      case "POST /kcpquick/payment/money":
        return charge(tier, input, now, { pay_method: "card", pg_provider: "kcp_quick", status: "paid" })
      case "POST /kcpquick/payment/autopay":
        return charge(tier, input, now, {
          pay_method: "card",
          pg_provider: "kcp_quick",
          status: "paid",
          customer_uid: stringParam(input.customer_uid) ?? null,
          customer_uid_usage: "payment"
        })
      case "PUT /kcpquick/prepare/{merchant_uid}":
      case "POST /kcpquick/prepare/{merchant_uid}":
        return ok({ merchant_uid: params.merchant_uid })
      case "DELETE /kcpquick/autopay/{customer_uid}":
        return ok({ customer_uid: params.customer_uid })
      case "POST /kcpquick/members/{member_id}/fido/release":
        return ok({ member_id: params.member_id })
      default:
        return fail(404, -1, "요청하신 API를 찾을 수 없습니다.")
    }
  }

  return {
    billing,
    certification: (impUid, tier) => scope(tier).certifications.get(impUid),
    dispatch
  }
}
