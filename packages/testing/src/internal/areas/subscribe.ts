/**
 * The handlers of `subscribe` and `subscribe.customer` (billing keys and scheduled payments): each a call into
 * the billing store, which holds the business rules.
 *
 * @internal
 */
import type { BillingStore } from "../billing.js"
import type { Handler, Handlers } from "./common.js"

export const make = (billing: BillingStore) => {
  const customerSchedules: Handler = ({ params, query, tier }) =>
    billing.listSchedules(tier, params.customer_uid!, query)
  return {
    "POST /subscribe/payments/onetime": ({ input, now, tier }) => billing.onetime(tier, input, now),
    "POST /subscribe/payments/again": ({ input, now, tier }) => billing.again(tier, input, now),
    "GET /subscribe/payments/schedule": ({ query, tier }) => billing.listSchedules(tier, undefined, query),
    "POST /subscribe/payments/schedule": ({ input, now, tier }) => billing.createSchedules(tier, input, now),
    "POST /subscribe/payments/unschedule": ({ input, now, tier }) => billing.unschedule(tier, input, now),
    "GET /subscribe/payments/schedule/{merchant_uid}": ({ params, tier }) =>
      billing.getSchedule(tier, params.merchant_uid!),
    "PUT /subscribe/payments/schedule/{merchant_uid}": ({ input, params, tier }) =>
      billing.updateSchedule(tier, params.merchant_uid!, input, false),
    "POST /subscribe/payments/schedule/{merchant_uid}/reschedule": ({ input, params, tier }) =>
      billing.updateSchedule(tier, params.merchant_uid!, input, true),
    "POST /subscribe/payments/schedule/{merchant_uid}/retry": ({ now, params, tier }) =>
      billing.retrySchedule(tier, params.merchant_uid!, now),
    "GET /subscribe/payments/schedule/customers/{customer_uid}": customerSchedules,
    "GET /subscribe/customers/{customer_uid}/schedules": customerSchedules,
    "GET /subscribe/customers": ({ query, tier }) => billing.getKeys(tier, query),
    "GET /subscribe/customers/{customer_uid}": ({ params, tier }) => billing.getKey(tier, params.customer_uid!),
    "POST /subscribe/customers/{customer_uid}": ({ input, now, params, tier }) =>
      billing.issueKey(tier, params.customer_uid!, input, now),
    "DELETE /subscribe/customers/{customer_uid}": ({ params, tier }) => billing.deleteKey(tier, params.customer_uid!),
    "GET /subscribe/customers/{customer_uid}/payments": ({ params, query, tier }) =>
      billing.keyPayments(tier, params.customer_uid!, query)
  } satisfies Handlers
}
