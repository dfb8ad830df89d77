/**
 * The emulator's state: its resolved options and every store, shared by the API routes, the admin routes and
 * the service.
 *
 * @internal
 */
import type * as Clock from "./clock.js"
import type * as Counters from "./counters.js"
import type * as Faults from "./faults.js"
import type * as Handlers from "./handlers.js"
import type * as Payments from "./payments.js"
import type * as Tokens from "./tokens.js"
import type * as Webhooks from "./webhooks.js"

export interface ResolvedOptions {
  readonly apiKey: string
  readonly apiSecret: string
  readonly tokenTtlSeconds: number
  readonly tiers: ReadonlySet<string>
  readonly unauthorizedMessage: string
  readonly maxBodyBytes: number
}

export interface State {
  readonly options: ResolvedOptions
  readonly clock: Clock.EmulatorClock
  readonly tokens: Tokens.TokenStore
  readonly faults: Faults.FaultQueue
  readonly counters: Counters.CounterStore
  readonly payments: Payments.PaymentStore
  readonly webhooks: Webhooks.Webhooks
  /** Every area's handlers, and the billing store (billing keys, schedules) behind some of them. */
  readonly areas: Handlers.Areas
}
