/**
 * Every API route's handler, by route id (`routes.ts` holds the table): one module per area, or per group of
 * related areas, under `areas/`. The stateful ones keep their state per tier; billing keys and schedules live
 * in `billing.ts`, payments and prepared amounts in `payments.ts`.
 *
 * @internal
 */
import * as Billing from "./billing.js"
import * as Cards from "./cards.js"
import type { Handler } from "./areas/common.js"
import * as Certifications from "./areas/certifications.js"
import * as Codes from "./areas/codes.js"
import * as Escrow from "./areas/escrow.js"
import * as Naver from "./areas/naver.js"
import * as Partners from "./areas/partners.js"
import * as Payments from "./areas/payments.js"
import * as Receipts from "./areas/receipts.js"
import * as Subscribe from "./areas/subscribe.js"
import * as Vbanks from "./areas/vbanks.js"
import type { PaymentStore } from "./payments.js"
import type { RouteId } from "./routes.js"

export type { ApiRequest, Handler } from "./areas/common.js"

/** The route answered before authorization (see `auth.ts`); every other route has a handler here. */
export type TokenRouteId = "POST /users/getToken"

/** A handler for every route but getToken: a route added to `routes.ts` without one does not compile. */
export type HandlerTable = { readonly [K in Exclude<RouteId, TokenRouteId>]: Handler }

export interface Areas {
  readonly billing: Billing.BillingStore
  /** The cards declared declined, checked by key-in payments, billing-key issuance and charges on a key. */
  readonly cards: Cards.DeclinedCards
  readonly handlers: HandlerTable
}

export const make = (payments: PaymentStore): Areas => {
  const cards = Cards.makeDeclined()
  const billing = Billing.make(payments, cards)
  return {
    billing,
    cards,
    handlers: {
      ...Payments.make(payments),
      ...Subscribe.make(billing),
      ...Certifications.make(),
      ...Escrow.make(payments),
      ...Receipts.make(payments),
      ...Vbanks.make(payments),
      ...Codes.make(),
      ...Naver.make(payments),
      ...Partners.make(payments)
    }
  }
}
