/**
 * The handlers of `escrow.logis`: the shipping information of an escrow payment, registered once (`POST`),
 * then changed (`PUT`) and read.
 *
 * @internal
 */
import { byTier, fail, type Outcome, ok } from "../outcome.js"
import type { PaymentStore } from "../payments.js"
import { numberParam, type Params, stringParam } from "../wire.js"
import { type ApiRequest, type Handlers, paymentNotFound } from "./common.js"

interface Logis {
  readonly company: string
  readonly invoice: string
  readonly sent_at: number
  readonly applied_at: number
}

const noLogis = fail(404, -1, "등록된 배송정보가 없습니다.")

export const make = (payments: PaymentStore) => {
  const shipments = byTier(() => new Map<string, Logis>())

  /** Registers (`create`) or changes the shipping information of an escrow payment. */
  const save =
    (mode: "create" | "update") =>
    ({ input, now, params, tier }: ApiRequest): Outcome => {
      const p = payments.get(params.imp_uid!, tier)
      if (p === undefined) return paymentNotFound
      if (!p.escrow) return fail(400, -1, "에스크로 결제건이 아닙니다.")
      const existing = shipments(tier).get(p.imp_uid)
      if (mode === "create" && existing !== undefined) return fail(409, -1, "이미 배송정보가 등록되었습니다.")
      if (mode === "update" && existing === undefined) return noLogis
      const info = (typeof input.logis === "object" && input.logis !== null ? input.logis : {}) as Params
      const company = stringParam(info.company)
      const invoice = stringParam(info.invoice)
      const sentAt = numberParam(info.sent_at)
      if (company === undefined || invoice === undefined || sentAt === undefined || Number.isNaN(sentAt)) {
        return fail(400, -1, "logis[company], logis[invoice], logis[sent_at] 파라메터가 누락되었습니다.")
      }
      const logis = { company, invoice, sent_at: sentAt, applied_at: Math.max(now, 1) }
      shipments(tier).set(p.imp_uid, logis)
      return ok(logis)
    }

  return {
    "GET /escrows/logis/{imp_uid}": ({ params, tier }) => {
      if (payments.get(params.imp_uid!, tier) === undefined) return paymentNotFound
      const logis = shipments(tier).get(params.imp_uid!)
      return logis === undefined ? noLogis : ok(logis)
    },
    "POST /escrows/logis/{imp_uid}": save("create"),
    "PUT /escrows/logis/{imp_uid}": save("update")
  } satisfies Handlers
}
