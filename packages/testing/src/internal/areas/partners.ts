/**
 * The handlers of the remaining PG-specific areas (PAYCO, Paymentwall, partners, Benepia, KCP Quick): fixed,
 * schema-valid data; their charges create payments.
 *
 * @internal
 */
import { ok } from "../outcome.js"
import type { PaymentStore } from "../payments.js"
import { stringParam } from "../wire.js"
import { charge, type Handlers, paymentNotFound } from "./common.js"

export const make = (payments: PaymentStore) =>
  ({
    "POST /payco/orders/status/{imp_uid}": ({ input, params, tier }) =>
      payments.get(params.imp_uid!, tier) === undefined
        ? paymentNotFound
        : ok({ status: stringParam(input.status) ?? "DELIVERY_START" }),
    "POST /paymentwall/delivery": () => ok({ error_code: null, error: null, notices: [] }),
    "POST /partners/receipts/{imp_uid}": ({ params, tier }) =>
      payments.get(params.imp_uid!, tier) === undefined
        ? paymentNotFound
        : ok({ receipt_url: `https://emulator.iamport.local/receipts/${params.imp_uid}` }),
    "POST /benepia/point": () => ok({ point: 50000 }),
    "POST /benepia/payment": (request) =>
      charge(payments, request, { pay_method: "point", pg_provider: "benepia", status: "paid" }),
    "DELETE /kcpquick/members/{member_id}": ({ now, params }) =>
      ok({
        member_id: params.member_id,
        pg_provider: "kcp_quick",
        pg_id: "IP05P",
        inserted: 1,
        updated: Math.max(now, 1)
      }),
    "POST /kcpquick/payment/money": (request) =>
      charge(payments, request, { pay_method: "card", pg_provider: "kcp_quick", status: "paid" }),
    "POST /kcpquick/payment/autopay": (request) =>
      charge(payments, request, {
        pay_method: "card",
        pg_provider: "kcp_quick",
        status: "paid",
        customer_uid: stringParam(request.input.customer_uid) ?? null,
        customer_uid_usage: "payment"
      }),
    "PUT /kcpquick/prepare/{merchant_uid}": ({ params }) => ok({ merchant_uid: params.merchant_uid }),
    "POST /kcpquick/prepare/{merchant_uid}": ({ params }) => ok({ merchant_uid: params.merchant_uid }),
    "DELETE /kcpquick/autopay/{customer_uid}": ({ params }) => ok({ customer_uid: params.customer_uid }),
    "POST /kcpquick/members/{member_id}/fido/release": ({ params }) => ok({ member_id: params.member_id })
  }) satisfies Handlers
