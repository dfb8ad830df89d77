/**
 * The handlers of `receipts`: cash receipts for a paid payment (by `imp_uid`) or for a sale made elsewhere
 * (`external`, by `merchant_uid`), issued once, read, cancelled.
 *
 * @internal
 */
import { byTier, fail, ok } from "../outcome.js"
import type { PaymentStore } from "../payments.js"
import { numberParam, stringParam } from "../wire.js"
import { digits, type Handlers, paymentNotFound } from "./common.js"

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

const alreadyIssued = fail(400, -1, "이미 현금영수증이 발행되었습니다.")
const noExternal = fail(404, -1, "현금영수증 발행내역이 존재하지 않습니다.")

export const make = (payments: PaymentStore) => {
  const receipts = byTier(() => new Map<string, Receipt & { readonly imp_uid: string }>())
  const externalReceipts = byTier(() => new Map<string, Receipt & { readonly merchant_uid: string }>())
  return {
    "GET /receipts/{imp_uid}": ({ params, tier }) => {
      const r = receipts(tier).get(params.imp_uid!)
      return r === undefined
        ? fail(404, -1, `해당 아임포트 고유 번호(${params.imp_uid})로 현금영수증을 발급 한 내역이 존재하지 않습니다.`)
        : ok(r)
    },
    "POST /receipts/{imp_uid}": ({ input, now, params, tier }) => {
      const p = payments.get(params.imp_uid!, tier)
      if (p === undefined) return paymentNotFound
      if (stringParam(input.identifier) === undefined) return fail(400, -1, "identifier 파라메터가 누락되었습니다.")
      if (p.status !== "paid") return fail(400, -1, "결제완료 상태인 건만 현금영수증을 발행할 수 있습니다.")
      const existing = receipts(tier).get(p.imp_uid)
      if (existing !== undefined && existing.cancelled_at === 0) return alreadyIssued
      const receipt = {
        imp_uid: p.imp_uid,
        ...receiptOf(p.amount - p.cancel_amount, stringParam(input.type) ?? "person", now)
      }
      receipts(tier).set(p.imp_uid, receipt)
      return ok(receipt)
    },
    "DELETE /receipts/{imp_uid}": ({ now, params, tier }) => {
      const r = receipts(tier).get(params.imp_uid!)
      if (r === undefined || r.cancelled_at !== 0) return fail(400, -1, "취소할 현금영수증 발행내역이 없습니다.")
      const cancelled = { ...r, cancelled_at: Math.max(now, 1) }
      receipts(tier).set(r.imp_uid, cancelled)
      return ok(cancelled)
    },
    "GET /receipts/external/{merchant_uid}": ({ params, tier }) => {
      const r = externalReceipts(tier).get(params.merchant_uid!)
      return r === undefined ? noExternal : ok(r)
    },
    "POST /receipts/external/{merchant_uid}": ({ input, now, params, tier }) => {
      const amount = numberParam(input.amount)
      if (stringParam(input.identifier) === undefined || amount === undefined || Number.isNaN(amount)) {
        return fail(400, -1, "identifier, amount 파라메터가 누락되었습니다.")
      }
      const existing = externalReceipts(tier).get(params.merchant_uid!)
      if (existing !== undefined && existing.cancelled_at === 0) return alreadyIssued
      const receipt = {
        merchant_uid: params.merchant_uid!,
        ...receiptOf(amount, stringParam(input.type) ?? "person", now)
      }
      externalReceipts(tier).set(receipt.merchant_uid, receipt)
      return ok(receipt)
    },
    "DELETE /receipts/external/{merchant_uid}": ({ now, params, tier }) => {
      const r = externalReceipts(tier).get(params.merchant_uid!)
      if (r === undefined) return noExternal
      if (r.cancelled_at !== 0) return fail(400, -1, "이미 취소된 현금영수증입니다.")
      const cancelled = { ...r, cancelled_at: Math.max(now, 1) }
      externalReceipts(tier).set(r.merchant_uid, cancelled)
      return ok(cancelled)
    }
  } satisfies Handlers
}
