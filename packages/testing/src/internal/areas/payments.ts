/**
 * The handlers of `payments` and `payments.validation` (prepared amounts): each a call into the payments store,
 * which holds the business rules.
 *
 * @internal
 */
import type { PaymentStore } from "../payments.js"
import type { Handlers } from "./common.js"

export const make = (payments: PaymentStore) =>
  ({
    "GET /payments/{imp_uid}/balance": ({ params, tier }) => payments.balance(tier, params.imp_uid!),
    "GET /payments/{imp_uid}": ({ params, query, tier }) => payments.byImpUid(tier, params.imp_uid!, query),
    "GET /payments": ({ query, tier }) => payments.many(tier, query),
    "GET /payments/find/{merchant_uid}/{payment_status?}": ({ params, query, tier }) =>
      payments.find(tier, params.merchant_uid!, params.payment_status, query),
    "GET /payments/findAll/{merchant_uid}/{payment_status?}": ({ params, query, tier }) =>
      payments.findAll(tier, params.merchant_uid!, params.payment_status, query),
    "GET /payments/status/{payment_status}": ({ now, params, query, tier }) =>
      payments.byStatus(tier, params.payment_status!, query, now),
    "POST /payments/cancel": ({ input, now, tier }) => payments.cancel(tier, input, now),
    "POST /payments/prepare": ({ input, tier }) => payments.prepare(tier, input),
    "PUT /payments/prepare": ({ input, tier }) => payments.updatePrepare(tier, input),
    "GET /payments/prepare/{merchant_uid}": ({ params, tier }) => payments.getPrepare(tier, params.merchant_uid!)
  }) satisfies Handlers
