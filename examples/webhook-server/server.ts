/**
 * A merchant's webhook server: receives i'mport's webhooks on
 * `POST /portone-webhook`, verifies each payment against its own order book
 * (`orders.ts`), cancels forged payments once, and marks orders paid, awaiting
 * deposit or cancelled, only ever forwards. Run it with
 * `pnpm tsx examples/webhook-server/main.ts` (one process in memory, or a fleet
 * on one database with `DATABASE_URL`); tested end to end against the emulator
 * in `server.test.ts` and, as two processes on PostgreSQL, in `fleet.test.ts`.
 */
import { Webhook } from "@effect-iamport/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as Duration from "effect/Duration"
import type { OrderBook } from "./orders.js"

/** Where the handler remembers deliveries (default: this process's memory) and how long a claim holds. */
export interface RouteOptions {
  readonly store?: Webhook.DeliveryStore
  readonly lease?: Duration.DurationInput
}

/** The merchant's routes: the webhook receiver, verifying against the order book. */
export const routes = (orders: OrderBook, options: RouteOptions = {}) =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/portone-webhook",
      Webhook.handler({
        ...options,
        expectedAmount: (notification) => orders.amountOf(notification.merchant_uid),
        cancelIfForged: { reason: "amount does not match the order (forged payment)" },
        onVerified: (verification, notification) => orders.apply(notification.merchant_uid, verification)
      })
    )
  )
