/**
 * Virtual account (무통장입금): issue an account for an order, then confirm the deposit by looking the payment up
 * (after the `paid` webhook, never trusting its body).
 */
import { Payments, Vbanks } from "@effect-iamport/client"
import { DateTime, Effect } from "effect"

/** Issues a KB virtual account for the order, payable within three days; returns what to show the buyer. */
export const openAccount = (orderId: string, amount: number) =>
  Effect.gen(function* () {
    const due = DateTime.add(yield* DateTime.now, { days: 3 })
    const payment = yield* Vbanks.issue({
      channel_key: "channel-key-vbank",
      merchant_uid: orderId,
      amount,
      vbank_code: "004",
      vbank_due: due,
      vbank_holder: "주식회사 예제"
    })
    return { impUid: payment.imp_uid, bank: payment.vbank_name, account: payment.vbank_num, due: payment.vbank_date }
  })

/** Whether the buyer has paid the full amount: call it when the webhook arrives. */
export const isDeposited = (impUid: string, amount: number) =>
  Effect.map(Payments.getPayment(impUid), (payment) => payment.status === "paid" && payment.amount === amount)
