/**
 * The handlers of `vbanks` and `cvs`: virtual accounts and convenience-store barcodes are payments (`ready`
 * until paid) in the payments store, issued, changed (virtual accounts) and revoked.
 *
 * @internal
 */
import { fail, type Outcome, ok } from "../outcome.js"
import type { PaymentStore } from "../payments.js"
import { numberParam, stringParam } from "../wire.js"
import { type ApiRequest, charge, digits, type Handlers, paymentNotFound } from "./common.js"
import { BANKS } from "./codes.js"

export const make = (payments: PaymentStore) => {
  /** Cancels a payment of `method` still waiting for its money. */
  const revoke =
    (method: "vbank" | "cvs") =>
    ({ now, params, tier }: ApiRequest): Outcome => {
      const p = payments.get(params.imp_uid!, tier)
      if (p === undefined) return paymentNotFound
      if (p.pay_method !== method || p.status !== "ready") return fail(400, -1, "입금(결제) 대기 중인 건이 아닙니다.")
      return ok(
        payments.seed(
          { ...p, tier, status: "cancelled", cancel_amount: 0, cancelled_at: Math.max(now, 1), cancel_history: [] },
          now
        )
      )
    }

  return {
    "POST /vbanks": (request) => {
      const { input, now } = request
      const code = stringParam(input.vbank_code)
      const due = numberParam(input.vbank_due)
      if (code === undefined || due === undefined || Number.isNaN(due)) {
        return fail(400, -1, "vbank_code, vbank_due 파라메터가 누락되었습니다.")
      }
      return charge(payments, request, {
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
    },
    "PUT /vbanks/{imp_uid}": ({ input, now, params, tier }) => {
      const p = payments.get(params.imp_uid!, tier)
      if (p === undefined) return paymentNotFound
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
    },
    "DELETE /vbanks/{imp_uid}": revoke("vbank"),
    "POST /cvs": (request) =>
      charge(payments, request, { status: "ready", pay_method: "cvs", pg_provider: "kcp", apply_num: "", paid_at: 0 }),
    "DELETE /cvs/{imp_uid}": revoke("cvs")
  } satisfies Handlers
}
